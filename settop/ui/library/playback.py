"""On-demand playback: the same player with a seek bar, skips that grow while held, digits as percent, OK pauses;
positions saved every few seconds and on stop, and the end of a film is an end (next episode offered for series).

Context ``vod``. Back or Stop saves the position and returns to the detail page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, partial
from typing import Any

from PyQt6.QtCore import QRect, QRectF, Qt, pyqtSignal
from PyQt6.QtGui import QPaintEvent
from PyQt6.QtWidgets import QWidget

from settop.core.state.resume import ResumePoint, ResumeTracker
from settop.i18n import _, is_rtl
from settop.input.buttons import Action, Context
from settop.player.base import Player, PlayerEvent, PlayerState, PlayRequest
from settop.ui.library.seek import SeekSteps, percent_target, target
from settop.ui.screen import DIGITS, ActionTable, run_action
from settop.ui.widgets import theme as th
from settop.ui.widgets.localefmt import bidi, digits, isolate
from settop.ui.widgets.seekbar import SeekPanel, draw_track

log = logging.getLogger("settop.ui.library")

_A = Qt.AlignmentFlag


@dataclass(frozen=True, slots=True)
class VodItem:
    """One film or episode to play: ``key`` keeps its resume point; ``next_item`` is the episode after it."""

    key: str
    name: str
    url: str
    headers: tuple[tuple[str, str], ...] = ()
    start_ms: int = 0
    next_item: VodItem | None = None
    local_ok: bool = False  # a file settop made itself (a recording): the address gate lets a local path through


def clock_text(ms: int) -> str:
    """``1:02:03`` or ``2:03`` in the interface's digits."""
    seconds = max(0, ms // 1000)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    text = f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
    return digits(text)


class VodScreen(SeekPanel):
    """The seek bar over a playing film or episode. ``save(point)`` stores a resume point. Signals:
    ``finished`` (back to the detail page), ``ended_item(VodItem)`` when a title played to its end."""

    context = Context.vod
    finished = pyqtSignal()
    ended_item = pyqtSignal(object)

    def __init__(self, window: Any, player: Player, save: Callable[[ResumePoint], None],
                 parent: QWidget | None = None, *, local_ok: Callable[[], bool] = lambda: False) -> None:
        super().__init__(window, player, parent)
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # a time line, like the Left/Right keys here
        self.save = save
        self.local_ok = local_ok  # whether every source is a local file the viewer chose (the address gate)
        self.item: VodItem | None = None
        self.tracker: ResumeTracker | None = None
        self.ended = False
        self.steps = SeekSteps()

    def play(self, item: VodItem) -> None:
        self.item = item
        self.tracker = ResumeTracker(item.key)
        self.ended = False
        self.player.play(PlayRequest(url=item.url, headers=item.headers, live=False, channel_key=item.key,
                                     title=item.name, start_position_ms=item.start_ms,
                                     local_ok=item.local_ok or self.local_ok()))
        log.info("on demand: %s from %d s", item.name, item.start_ms // 1000)
        self.follow(item.start_ms)
        self.poke()

    def stop(self) -> None:
        """Save where it stopped, stop the player and leave."""
        self.unfollow()
        if self.tracker is not None and not self.ended:
            point = self.tracker.stopped()
            if point is not None:
                self.save(point)
        self.player.stop()
        self.item = None
        self.tracker = None
        self.finished.emit()

    # -- keys ----------------------------------------------------------------------------------------------------
    @cached_property
    def action_table(self) -> ActionTable:
        return {
            **dict.fromkeys((Action.stop, Action.back), self._back),
            Action.left: partial(self.skip, -1), Action.rewind: partial(self.skip, -1),
            Action.right: partial(self.skip, 1), Action.fast_forward: partial(self.skip, 1),
            Action.play_pause: self._select, Action.select: self._select,
            Action.pause: lambda: self.set_paused(True), Action.play: lambda: self.set_paused(False),
            Action.info: self.toggle_bar, Action.up: self.poke, Action.down: self.poke,
            **{action: partial(self.jump, digit) for action, digit in DIGITS.items()},
        }

    def handle_action(self, action: Action) -> bool:
        return run_action(self.action_table, action) or action not in (
            Action.volume_up, Action.volume_down, Action.mute, Action.quit, Action.fullscreen, Action.audio_next,
            Action.subtitle_next)

    def _back(self) -> None:
        self.stop()

    def _select(self) -> None:
        if self.ended:
            upcoming = self.item.next_item if self.item is not None else None
            if upcoming is not None:
                self.play(upcoming)
            else:
                self.stop()
            return
        self.set_paused(not self.paused)

    def skip(self, direction: int) -> None:
        if self.ended:
            return
        self.seek_to(target(self.position_ms, self.steps.next(direction), self.known_length()))

    def jump(self, digit: int) -> None:
        length = self.known_length()
        if length <= 0 or self.ended:
            return
        self.seek_to(target(percent_target(digit, length), 0, length))

    # -- player ----------------------------------------------------------------------------------------------------
    def on_player_event(self, event: PlayerEvent) -> None:
        item = self.item
        if item is None or event.request is None or event.request.channel_key != item.key or event.request.live:
            return
        if event.kind == "position":
            self.on_position(event.position_ms, event.length_ms)
        elif event.kind == "ended":
            self._ended(item)
        elif event.kind == "error":
            self.main_window.notify(event.message or _("This title cannot be played"), 6)
        elif event.kind == "state":
            self.paused = event.state == PlayerState.PAUSED

    def on_position(self, position_ms: int, length_ms: int) -> None:
        super().on_position(position_ms, length_ms)
        if self.tracker is not None:
            point = self.tracker.position(position_ms, self.length_ms)
            if point is not None:
                self.save(point)

    def _ended(self, item: VodItem) -> None:
        self.ended = True
        self.poll.stop()
        if self.tracker is not None:
            self.save(self.tracker.ended())
        self.position_ms = self.length_ms
        self.ended_item.emit(item)
        if item.next_item is None:
            self.main_window.notify(_("The end"), 4)
            self.stop()
            return
        self.main_show()

    def main_show(self) -> None:
        self.hider.stop()
        self.poke()
        self.hider.stop()  # stays up: it asks what next

    def keep_up(self) -> bool:
        return self.paused or self.ended

    # -- drawing ---------------------------------------------------------------------------------------------------
    def geometry_for(self, rect: QRect, theme: th.Theme) -> list[tuple[QWidget, QRect]]:
        self.theme = theme
        safe = theme.safe_rect(rect.width(), rect.height())
        height = theme.px(230)
        return [(self, QRect(safe.x(), safe.bottom() - height, safe.width(), height))]

    def paintEvent(self, event: QPaintEvent | None) -> None:
        theme = self.theme
        painter, _outline = th.begin_panel(self, theme, 236)
        pad = theme.px(32)
        rtl = is_rtl()
        item = self.item
        top_h = max(theme.px(44), theme.line_height("body", bold=True))
        painter.setLayoutDirection(Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight)
        painter.setFont(theme.font("body", bold=True))
        painter.setPen(th.TEXT)
        if self.ended and item is not None and item.next_item is not None:
            state = _("Next episode: {title}  ·  OK plays it  ·  Back stops").format(title=isolate(item.next_item.name))
        elif self.paused:
            state = "❚❚  " + _("Paused")
        else:
            state = "▶  " + _("Playing")
        name = isolate(item.name) if item is not None else ""
        title_rect = QRect(pad, pad, self.width() - 2 * pad, top_h)
        # Leading and trailing edges: the painter's direction mirrors them in right to left.
        painter.drawText(title_rect, _A.AlignLeft | _A.AlignVCenter,
                         painter.fontMetrics().elidedText(bidi(name), Qt.TextElideMode.ElideRight, title_rect.width()))
        painter.setFont(theme.font("body"))
        painter.drawText(title_rect, _A.AlignRight | _A.AlignVCenter, bidi(state))
        painter.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        label_w = theme.px(150)
        bar = QRectF(pad + label_w, pad + top_h + theme.px(30), self.width() - 2 * pad - 2 * label_w, theme.px(14))
        fraction = min(1.0, self.position_ms / self.length_ms) if self.length_ms > 0 else 0.0
        draw_track(painter, theme, bar, fraction, th.ACCENT_LIGHT)
        painter.setFont(theme.font("small"))
        painter.setPen(th.TEXT)
        small_h = theme.line_height("small")
        row = QRect(pad, round(bar.center().y() - small_h / 2), label_w - theme.px(10), small_h)
        painter.drawText(row, _A.AlignLeft | _A.AlignVCenter, clock_text(self.position_ms))
        painter.drawText(QRect(round(bar.right()) + theme.px(10), row.y(), label_w, row.height()),
                         _A.AlignRight | _A.AlignVCenter, clock_text(self.length_ms) if self.length_ms else "--:--")
        hint = _("◀ ▶  skip (hold to go faster)  ·  0-9  jump to 0-90 %  ·  OK  pause  ·  Back  stop")
        painter.setPen(th.TEXT_DIM)
        hint_rect = QRect(pad, round(bar.bottom()) + theme.px(30), self.width() - 2 * pad, small_h)
        painter.setLayoutDirection(Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight)
        painter.drawText(hint_rect, _A.AlignHCenter | _A.AlignVCenter, bidi(hint))
        painter.end()
