"""Catch-up playback: a past programme from its start, with a seek bar, pause, skips, and back to live."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from functools import cached_property, partial

from PyQt6.QtCore import QRect, QRectF, Qt, pyqtSignal
from PyQt6.QtGui import QColor, QPaintEvent
from PyQt6.QtWidgets import QWidget

from settop.core.guide.store import GuideStore
from settop.core.models import Channel, Programme
from settop.core.playlist.catchup import catchup_url
from settop.i18n import N_, _
from settop.input.buttons import NUMBER_ACTIONS, Action, Context
from settop.player.base import PlayerEvent, PlayerState, PlayRequest
from settop.ui.guide.info import clock
from settop.ui.live.screen import LiveScreen
from settop.ui.screen import ActionTable, run_action
from settop.ui.widgets import theme as th
from settop.ui.widgets.hints import Hint
from settop.ui.widgets.localefmt import bidi, digits, isolate
from settop.ui.widgets.seekbar import SeekPanel, bar_panel_rect, draw_heading, draw_hint_line, draw_track

log = logging.getLogger("settop.ui.catchup")

SKIP_MS = 30_000
BIG_SKIP_MS = 300_000
_A = Qt.AlignmentFlag
ZAPS = frozenset({Action.channel_up, Action.channel_down, Action.last_channel, *NUMBER_ACTIONS})
"""Actions that leave catch-up and go on to the live screen below."""


def guide_shift(channel: Channel, offset: int, offsets: dict[str, int]) -> int:
    """Seconds the guide store added to true UTC for ``channel`` (tvg-shift plus the user's offsets)."""
    return round(channel.tvg_shift * 3600) + offset + offsets.get(channel.key, 0)


def shift_for(store: GuideStore | None) -> Callable[[Channel], int]:
    """The guide shift of each channel with ``store``'s offsets (tvg-shift alone without a guide store)."""

    def shift(channel: Channel) -> int:
        if store is None:
            return round(channel.tvg_shift * 3600)
        return guide_shift(channel, store.offset, store.offsets)

    return shift


class CatchupScreen(SeekPanel):
    """Context ``catchup`` above live: the badge, programme, position between start and end, and the keys.

    ``shift(channel)`` gives the guide shift for URLs. Signal ``left_catchup`` when it returns to live.
    """

    context = Context.catchup
    hints = (
        Hint.of(N_("pause/play"), Action.select),
        Hint.of(N_("30 s"), Action.rewind, Action.fast_forward),
        Hint.of(N_("5 min"), Action.page_up, Action.page_down),
        Hint.of(N_("live TV"), Action.red),
        Hint.of(N_("leave catch-up"), Action.back),
    )
    hint_text = ""
    left_catchup = pyqtSignal()
    started = pyqtSignal(str)  # the redacted title

    def __init__(self, live: LiveScreen, shift: Callable[[Channel], int], parent: QWidget | None = None) -> None:
        super().__init__(live.window, live.player, parent)
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # a time line, like the Left/Right keys here
        self.live = live
        self.shift = shift
        self.channel: Channel | None = None
        self.programme: Programme | None = None
        self.index = -1

    def show_hint(self, text: str) -> None:
        """The key hint line under the bar, made by the window from the active keymap."""
        self.hint_text = text
        self.update()

    # -- starting and leaving ----------------------------------------------------------------------------------
    def url_for(self, channel: Channel, programme: Programme, now: float | None = None) -> str | None:
        return catchup_url(channel, programme.start, programme.stop, time.time() if now is None else now,
                           programme.catchup_id, guide_shift=self.shift(channel))

    def available(self, channel: Channel, programme: Programme) -> bool:
        return programme.stop <= time.time() and self.url_for(channel, programme) is not None

    def start(self, index: int, channel: Channel, programme: Programme) -> bool:
        """Play ``programme`` from its start; False when the channel cannot replay it."""
        url = self.url_for(channel, programme)
        if url is None:
            return False
        lock = self.live.lock
        if lock is not None and not lock.gate(channel, lambda: self.start(index, channel, programme)):
            return True  # the PIN prompt is up; it starts on the right PIN
        live = self.live
        if live.stream_refused(url):  # the provider has no connection left: live says so
            return False
        if live.current is not None and live.current != index and live.lineup is not None:
            live.previous_key = live.lineup.channels[live.current].key
        live.current = index
        live.has_picture = False
        live.status.clear()
        live.banner_hider.hide()
        self.channel, self.programme, self.index = channel, programme, index
        self.player.play(PlayRequest(url=url, headers=channel.headers, options=channel.vlc_options, live=False,
                                     channel_key=channel.key, title=f"{channel.name}: {programme.title}",
                                     local_ok=live.lineup is not None and live.lineup.local_ok))
        log.info("catch-up on %s", channel.name)
        if not self.main_window.has(self):
            self.main_window.push(self)
        self.follow(0, (programme.stop - programme.start) * 1000)
        self.poke()
        self.started.emit(programme.title)
        return True

    def leave(self) -> None:
        """Back to the live channel (the live edge)."""
        self.unfollow()
        self.main_window.pop(self)
        live = self.live
        index = live.current
        live.current = None  # make tune() start the live stream even though the channel is the same
        if index is not None:
            live.tune(index)
        self.channel = None
        self.left_catchup.emit()

    # -- actions -----------------------------------------------------------------------------------------------
    def _to_live_zap(self) -> None:
        """A zap leaves catch-up; the live screen below does the zap itself."""
        self.unfollow()
        self.main_window.pop(self)
        self.channel = None

    @cached_property
    def action_table(self) -> ActionTable:
        steps = {Action.rewind: -SKIP_MS, Action.fast_forward: SKIP_MS, Action.page_up: -BIG_SKIP_MS,
                 Action.page_down: BIG_SKIP_MS, Action.left: -SKIP_MS, Action.right: SKIP_MS}
        return {
            **dict.fromkeys((Action.stop, Action.back, Action.red, Action.end), self.leave),
            **{action: partial(self.skip, ms) for action, ms in steps.items()},
            Action.play_pause: lambda: self.set_paused(not self.paused),
            Action.select: lambda: self.set_paused(not self.paused),
            Action.pause: lambda: self.set_paused(True),
            Action.play: lambda: self.set_paused(False),
            Action.info: self.toggle_bar,
            Action.up: self.poke,
            Action.down: self.poke,
        }

    def handle_action(self, action: Action) -> bool:
        if action in ZAPS:
            self._to_live_zap()
            return False  # live zaps from here
        return run_action(self.action_table, action)

    def skip(self, delta_ms: int) -> None:
        length = self.known_length()
        target = max(0, self.position_ms + delta_ms)
        if length > 0:
            target = min(target, max(0, length - 2000))
        self.seek_to(target)

    def on_player_event(self, event: PlayerEvent) -> None:
        if self.channel is None or event.request is None or event.request.live:
            return
        if event.kind == "position":
            self.on_position(event.position_ms, event.length_ms)
        elif event.kind == "ended":
            self.main_window.notify(_("The programme has ended; back to live TV"), 4)
            self.leave()
        elif event.kind == "state":
            self.paused = event.state == PlayerState.PAUSED

    # -- drawing -----------------------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent | None) -> None:
        theme = self.theme
        painter, _outline = th.begin_panel(self, theme, 236)
        pad = theme.px(32)
        width = self.width() - 2 * pad
        channel, programme = self.channel, self.programme
        title = bidi(f"{isolate(channel.name)}  ·  {isolate(programme.title)}") if channel and programme else ""
        state = "❚❚  " + _("Paused") if self.paused else "▶  " + _("Playing")
        top_h = draw_heading(painter, self, theme, badge_text=_("CATCH-UP"), colour=QColor("#e0a030"), title=title,
                             state=state)
        # Seek bar with the programme's start and end.
        small_h = theme.line_height("small")
        bar_y = pad + top_h + theme.px(26)
        label_w = theme.px(110)
        bar = QRectF(pad + label_w, bar_y, width - 2 * label_w, theme.px(14))
        fraction = min(1.0, self.position_ms / self.length_ms) if self.length_ms > 0 else 0.0
        knob_x = draw_track(painter, theme, bar, fraction, QColor("#e0a030"))
        painter.setFont(theme.font("small"))
        painter.setPen(th.TEXT)
        if programme is not None:
            row = QRect(pad, round(bar.center().y() - small_h / 2), label_w - theme.px(10), small_h)
            painter.drawText(row, _A.AlignLeft | _A.AlignVCenter, clock(programme.start))
            painter.drawText(QRect(round(bar.right()) + theme.px(10), row.y(), label_w, row.height()),
                             _A.AlignRight | _A.AlignVCenter, clock(programme.stop))
            at = programme.start + self.position_ms // 1000
            painter.setPen(QColor("#ffffff"))
            painter.drawText(QRect(round(knob_x) - theme.px(80), round(bar.bottom()) + theme.px(12), theme.px(160),
                                   small_h), _A.AlignCenter, digits(time.strftime("%H:%M:%S", time.localtime(at))))
        draw_hint_line(painter, self, theme, self.hint_text)
        painter.end()

    def geometry_for(self, rect: QRect, theme: th.Theme) -> list[tuple[QWidget, QRect]]:
        self.theme = theme
        return [(self, bar_panel_rect(rect, theme))]
