"""The guide grid's state without Qt: rows of channels, the visible time window, programme focus and paging."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence

from settop.core.models import Channel, Programme

SLOT = 1800  # half an hour: the grid's time marks and its smallest step
SPAN = 4 * SLOT  # the visible time window
DAY = 86400

Query = Callable[[Iterable[str], float, float], dict[str, list[Programme]]]


def floor_slot(moment: float) -> int:
    return int(moment) // SLOT * SLOT


class GridModel:
    """Channels down, time across.

    ``query(keys, start, end)`` is ``GuideStore.programmes``; only the visible rows are asked for, over the window
    and one span either side (so focus can move to the neighbouring programme without another query).
    ``focus_time`` is a moment inside the focused programme; moving up or down keeps it, so the focus lands on what
    airs at the same time on the next channel.
    """

    def __init__(self, query: Query, *, span: int = SPAN, clock: Callable[[], float] = time.time) -> None:
        self.query = query
        self.span = span
        self.clock = clock
        self.channels: Sequence[Channel] = ()
        self.numbers: Sequence[str] = ()
        self.indices: Sequence[int] = ()  # lineup index of each row
        self.page_rows = 8
        self.top = 0
        self.row = 0
        self.start = floor_slot(clock())
        self.focus_time = clock()
        self.generation = 0
        self._cache_key: tuple[int, int, int, int] | None = None
        self._cache: dict[str, list[Programme]] = {}
        self.queries = 0

    # -- rows --------------------------------------------------------------------------------------------------
    def set_rows(self, channels: Sequence[Channel], numbers: Sequence[str], indices: Sequence[int],
                 focus_index: int | None = None) -> None:
        """Show these channels (the channel list's group); focus ``focus_index`` (a lineup index) at "now"."""
        self.channels, self.numbers, self.indices = channels, numbers, indices
        row = 0
        if focus_index is not None:
            try:
                row = list(indices).index(focus_index)
            except ValueError:
                row = 0
        self.row = row
        self.top = max(0, min(row - self.page_rows // 2, len(channels) - self.page_rows))
        self.go_now()

    def focus_index(self, index: int) -> bool:
        """Focus the row of lineup entry ``index`` (kept at the same time); False when it is not a row here."""
        try:
            self.row = list(self.indices).index(index)
        except ValueError:
            return False
        self._keep_row_visible()
        return True

    def set_page_rows(self, rows: int) -> None:
        self.page_rows = max(1, rows)
        self._keep_row_visible()

    def invalidate(self) -> None:
        """The store changed: query again on the next paint."""
        self.generation += 1

    def visible_rows(self) -> range:
        return range(self.top, min(len(self.channels), self.top + self.page_rows))

    # -- data --------------------------------------------------------------------------------------------------
    def programmes(self) -> dict[str, list[Programme]]:
        """Programmes of the visible rows over the window and a span either side (cached)."""
        key = (self.top, self.page_rows, self.start, self.generation)
        if key != self._cache_key:
            keys = [self.channels[r].key for r in self.visible_rows()]
            self._cache = self.query(keys, self.start - self.span, self.start + 2 * self.span) if keys else {}
            self._cache_key = key
            self.queries += 1
        return self._cache

    def row_programmes(self, row: int) -> list[Programme]:
        if not 0 <= row < len(self.channels):
            return []
        return self.programmes().get(self.channels[row].key, [])

    def focused(self) -> Programme | None:
        for programme in self.row_programmes(self.row):
            if programme.start <= self.focus_time < programme.stop:
                return programme
        return None

    def focused_channel(self) -> Channel | None:
        return self.channels[self.row] if 0 <= self.row < len(self.channels) else None

    # -- moves -------------------------------------------------------------------------------------------------
    def go_now(self) -> None:
        now = self.clock()
        self.start = floor_slot(now)
        self.focus_time = now

    def move_row(self, delta: int) -> None:
        if not self.channels:
            return
        self.row = (self.row + delta) % len(self.channels)
        self._keep_row_visible()
        self._clip_focus()

    def page(self, delta: int) -> None:
        """One page of channels down (1) or up (-1), the focus keeping its place on the page."""
        if not self.channels:
            return
        last_top = max(0, len(self.channels) - self.page_rows)
        offset = self.row - self.top
        top = max(0, min(last_top, self.top + delta * self.page_rows))
        if top == self.top:  # already at the end: the focus goes to the first or last row
            self.row = len(self.channels) - 1 if delta > 0 else 0
        else:
            self.top = top
            self.row = min(len(self.channels) - 1, self.top + offset)
        self._clip_focus()

    def move_programme(self, delta: int) -> None:
        """Focus the next (1) or previous (-1) programme on the focused row; half an hour where there is none."""
        programmes = self.row_programmes(self.row)
        current = self.focused()
        if delta > 0:
            edge = current.stop if current is not None else self.focus_time
            following = next((p for p in programmes if p.start >= edge), None)
            target = following.start if following is not None else (edge if current else floor_slot(edge) + SLOT)
            self.focus_time = target
            if target >= self.start + self.span:
                self.start = floor_slot(target)
        else:
            edge = current.start if current is not None else self.focus_time
            before = [p for p in programmes if p.stop <= edge]
            if before:
                target_p = before[-1]
                self.focus_time = max(target_p.start, target_p.stop - SLOT)
            else:
                self.focus_time = edge - 1 if current else floor_slot(edge - 1)
            if self.focus_time < self.start:
                self.start = floor_slot(self.focus_time)
            self.focus_time = max(self.focus_time, float(self.start)) if before else self.focus_time
        self._clip_focus()

    def shift_time(self, seconds: int) -> None:
        """Move the window and the focus by ``seconds`` (a day, or a page of time)."""
        self.start += seconds
        self.focus_time += seconds

    def _keep_row_visible(self) -> None:
        if self.row < self.top:
            self.top = self.row
        elif self.row >= self.top + self.page_rows:
            self.top = self.row - self.page_rows + 1
        self.top = max(0, min(self.top, max(0, len(self.channels) - self.page_rows)))

    def _clip_focus(self) -> None:
        """Keep the focus moment inside the visible window."""
        self.focus_time = min(max(self.focus_time, float(self.start)), float(self.start + self.span - 1))
