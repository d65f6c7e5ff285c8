"""The hook through which the guide reaches the live UI: now/next for a channel, and how it is shown.

The live UI works without a guide. When the composition root has a guide store it passes a ``NowNextSource``
(``settop.app`` adapts ``GuideStore.now_next``); the OSD banner and the channel list rows then show the current
and next programme with a progress bar.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from settop.core.models import Channel, Programme
from settop.ui.widgets import localefmt


@dataclass(frozen=True, slots=True)
class NowNext:
    """The programme on air and the one after it (either may be missing)."""

    now: Programme | None = None
    next: Programme | None = None

    def progress(self, at: float | None = None) -> float:
        """How far ``now`` has run, 0.0 to 1.0 (0.0 without a programme)."""
        if self.now is None or self.now.stop <= self.now.start:
            return 0.0
        moment = time.time() if at is None else at
        return min(1.0, max(0.0, (moment - self.now.start) / (self.now.stop - self.now.start)))


NowNextSource = Callable[[Channel], "NowNext | None"]


class GuideNowNext:
    """A ``NowNextSource`` over anything with ``now_next(keys, now) -> {key: (now, next)}`` (``GuideStore``).

    Answers are kept until the programme on air ends (at most ``ttl`` seconds), so painting list rows does not
    query the database for every frame. ``on_boundary(when)`` hears of every programme start or end an answer
    shows (the UI arms one timer for the earliest); ``next_boundary()`` is the earliest still ahead.
    """

    def __init__(self, store: object, ttl: float = 60.0) -> None:
        self.store = store
        self.ttl = ttl
        self.on_boundary: Callable[[float], None] | None = None
        self._cache: dict[str, tuple[float, NowNext | None]] = {}
        self._boundaries: dict[str, float] = {}

    def __call__(self, channel: Channel) -> NowNext | None:
        now = time.time()
        hit = self._cache.get(channel.key)
        if hit is not None and now < hit[0]:
            return hit[1]
        try:
            found = self.store.now_next([channel.key], now).get(channel.key)  # type: ignore[attr-defined]
        except Exception:  # a guide problem must never break painting
            found = None
        info = NowNext(*found) if found else None
        until = now + self.ttl
        if info is not None and info.now is not None:
            until = min(until, info.now.stop)
        self._cache[channel.key] = (until, info)
        boundary = boundary_of(info)
        if boundary is not None and boundary > now:
            self._boundaries[channel.key] = boundary
            if self.on_boundary is not None:
                self.on_boundary(boundary)
        else:
            self._boundaries.pop(channel.key, None)
        return info

    def next_boundary(self, after: float | None = None) -> float | None:
        """The earliest programme start or end after ``after`` (default: now) among the answers given."""
        moment = time.time() if after is None else after
        ahead = [when for when in self._boundaries.values() if when > moment]
        return min(ahead) if ahead else None

    def clear(self) -> None:
        self._cache.clear()
        self._boundaries.clear()


def boundary_of(info: NowNext | None) -> float | None:
    """When what ``info`` shows changes: the end of the programme on air, else the start of the next one."""
    if info is None:
        return None
    if info.now is not None:
        return float(info.now.stop)
    return float(info.next.start) if info.next is not None else None


def clock(epoch: float) -> str:
    """``"20:15"`` in local time, in the interface language's digits."""
    return localefmt.clock(epoch)


def programme_line(programme: Programme) -> str:
    """``"20:15–21:00  Title"``."""
    return localefmt.bidi(f"{clock(programme.start)}–{clock(programme.stop)}  {localefmt.isolate(programme.title)}")
