"""Pause and rewind live TV: Pause on a live channel buffers it into settop's ring (core/recording/timeshift.py)
and plays that ring behind live, with a banner saying how far behind, steps back and ahead, and back to live.

The live player is stopped before the ring's ffmpeg connects (one stream per provider where the budget says so):
the picture stays paused on screen, and the ring's playlist is then opened paused at its first picture (the paused
point), so Play goes on from there, not from the live edge.

One timeline into the archive: on a channel with catch-up, a step back past the ring's start plays the provider's
archive of the programme on air then (its catch-up address, at that moment); the ring is emptied then (its stream
is the provider's connection the archive needs). Stepping ahead past the archive's end, or to within seconds of
now, goes back to live. Every position is a moment in true UTC, whatever serves it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from functools import cached_property, partial
from pathlib import Path

from PyQt6.QtCore import QRect, Qt, pyqtSignal
from PyQt6.QtGui import QPaintEvent
from PyQt6.QtWidgets import QWidget

from settop.core.models import Channel, Programme
from settop.core.net.budget import ConnectionBudget, source_of
from settop.core.recording.plan import MIB
from settop.core.recording.recorder import ConnectionSlot, Refused
from settop.core.recording.timeshift import RingCaps, Segment, TimeshiftBuffer
from settop.core.redact import redact
from settop.core.state.paths import cache_dir
from settop.core.state.settings import Settings
from settop.i18n import N_, _
from settop.input.buttons import NUMBER_ACTIONS, Action, Context
from settop.player.base import PlayerEvent, PlayRequest
from settop.ui.library.seek import SeekSteps
from settop.ui.live.screen import LiveScreen
from settop.ui.screen import ActionTable, run_action
from settop.ui.timeshift_archive import Archive, ArchivePart
from settop.ui.timeshift_paint import paint_timeshift
from settop.ui.widgets import theme as th
from settop.ui.widgets.hints import Hint
from settop.ui.widgets.seekbar import SeekPanel, bar_panel_rect

log = logging.getLogger("settop.ui.timeshift")

BACK_MS = 10_000
AHEAD_MS = 30_000
LIVE_MARGIN_S = 10.0  # an archive step landing this close to now goes to live instead
ZAPS = frozenset({Action.channel_up, Action.channel_down, Action.last_channel, *NUMBER_ACTIONS})
"""Actions that leave the paused channel (the ring is emptied) and go on to the live screen below."""


def ring_caps(settings: Settings) -> RingCaps:
    """The ring's caps from Settings › Live TV (read at each pause, so a change applies to the next one)."""
    return RingCaps(seconds=settings.get_int("timeshift.minutes") * 60.0,
                    size=settings.get_int("timeshift.max_mb") * MIB)


class TimeshiftScreen(SeekPanel):
    """Context ``timeshift`` above live: the paused or shifted channel, its ring, and the keys.

    Signals: ``ring_started`` once the ring plays (paused at its first picture), ``left_timeshift`` when it is over
    (back to live, a zap, another channel or programme chosen elsewhere)."""

    context = Context.timeshift
    hints = (
        Hint.of(N_("pause/play"), Action.play_pause),
        Hint.of(N_("10 s back / 30 s ahead"), Action.left, Action.right),
        Hint.of(N_("bigger steps"), Action.rewind, Action.fast_forward),
        Hint.of(N_("live TV"), Action.stop),
    )
    hint_text = ""
    ring_started = pyqtSignal()
    left_timeshift = pyqtSignal()
    _segment = pyqtSignal(object)

    def __init__(self, live: LiveScreen, settings: Settings, budget: ConnectionBudget | None = None,
                 folder: Path | None = None, parent: QWidget | None = None, *, archive: Archive | None = None) -> None:
        super().__init__(live.window, live.player, parent)
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # a time line, like the Left/Right keys here
        self.live = live
        self.settings = settings
        self.budget = budget
        self.folder = folder
        self.channel: Channel | None = None
        self.buffer: TimeshiftBuffer | None = None
        self.request: PlayRequest | None = None  # the ring's or the archive's playback
        self.started_at = 0.0  # wall clock when the ring began (its second 0)
        self.archive = archive  # the guide and catch-up (None: the ring is all there is)
        self.part: ArchivePart | None = None  # the archive playing, once rewound past the ring
        self.steps = SeekSteps()
        self._segment.connect(self._first_segment, Qt.ConnectionType.QueuedConnection)  # type: ignore[call-arg]

    def show_hint(self, text: str) -> None:
        self.hint_text = text
        self.update()

    @property
    def active(self) -> bool:
        return self.channel is not None

    def moment(self) -> float:
        """The play point in true UTC seconds."""
        base = self.part.base if self.part is not None else self.started_at
        return base + self.position_ms / 1000

    def edge(self) -> float:
        """The live edge in true UTC seconds: the ring's newest second, or now without a ring."""
        if self.buffer is not None:
            return self.started_at + self.buffer.span()[1]
        return time.time()

    def behind_s(self) -> float:
        return max(0.0, self.edge() - self.moment())

    # -- starting and leaving ----------------------------------------------------------------------------------
    def pause_live(self) -> bool:
        """Pause on live TV: start the ring on the channel playing; False when nothing plays to pause."""
        live = self.live
        channel, index = live.current_channel(), live.current
        if channel is None or index is None or not live.has_picture or self.active:
            return False
        self.player.stop()  # the picture stays; the provider's stream is given back before the ring connects
        if live.streams is not None:
            live.streams.release()
        live.opening_timer.stop()
        live.banner_hider.hide()
        folder = self.folder or cache_dir() / "timeshift"
        buffer = TimeshiftBuffer(channel.url, folder, ring_caps(self.settings), headers=channel.headers,
                                 connection=self._connection(channel.url), on_segment=self._segment.emit)
        try:
            buffer.start()
        except (Refused, OSError) as exc:
            self.main_window.notify(str(exc), 5)
            self._retune(index)
            return True
        self.buffer, self.channel, self.request, self.part = buffer, channel, None, None
        self.started_at = time.time()
        self.follow(0, 0)
        self.paused = True
        self.main_window.push(self)
        self.poke()
        log.info("live pause on %s", redact(channel.name))
        return True

    def _connection(self, url: str) -> ConnectionSlot | None:
        """The ring's stream in the app's connection budget (the player's purpose: the viewer watches it)."""
        budget, source = self.budget, source_of(url)
        if budget is None or not source:
            return None

        def take() -> Callable[[], None] | None:
            grant = budget.try_acquire(source, "player")
            return None if grant is None else (lambda: budget.release(grant))

        return take

    def _first_segment(self, segment: Segment) -> None:
        """The ring has its first segment: open it paused there (or playing, when Play came first)."""
        if self.buffer is None or self.request is not None or self.channel is None:
            return
        self._play_ring(self.position_ms)

    def _play_ring(self, position_ms: int) -> None:
        assert self.buffer is not None and self.channel is not None
        self.request = PlayRequest(url=self.buffer.playlist.as_uri(), live=False, channel_key=self.channel.key,
                                   title=self.channel.name, start_position_ms=position_ms, local_ok=True,
                                   paused=self.paused)
        self.player.play(self.request)
        self.ring_started.emit()

    def back_to_live(self) -> None:
        """Empty the ring and play the channel live again."""
        index = self.live.current
        self._end()
        if index is not None:
            self._retune(index)

    def _retune(self, index: int) -> None:
        self.live.current = None  # make tune() start the live stream even though the channel is the same
        self.live.tune(index)

    def _end(self) -> None:
        """Stop and empty the ring and leave the screen (the live screen below goes on)."""
        active = self.active
        self._drop_ring()
        self.request = self.part = self.channel = None
        self.unfollow()
        if self.main_window.has(self):
            self.main_window.pop(self)
        if active:
            log.info("live pause over")
            self.left_timeshift.emit()

    def _drop_ring(self) -> None:
        buffer, self.buffer = self.buffer, None
        if buffer is not None:
            buffer.clear()
            log.info("ring emptied")

    def elsewhere(self, *_args: object) -> None:
        """Another channel or a catch-up programme was chosen (the guide, a reminder): the ring goes."""
        if self.active:
            self._end()

    def shutdown(self) -> None:
        """settop closes: the ring stops and its files go."""
        self._end()

    # -- keys --------------------------------------------------------------------------------------------------
    @cached_property
    def action_table(self) -> ActionTable:
        return {
            **dict.fromkeys((Action.stop, Action.back), self.back_to_live),
            Action.left: partial(self.step, -BACK_MS), Action.right: partial(self.step, AHEAD_MS),
            Action.rewind: partial(self.grow, -1), Action.fast_forward: partial(self.grow, 1),
            Action.play_pause: lambda: self.set_paused(not self.paused),
            Action.select: lambda: self.set_paused(not self.paused),
            Action.pause: lambda: self.set_paused(True),
            Action.play: lambda: self.set_paused(False),
            Action.info: self.toggle_bar, Action.up: self.poke, Action.down: self.poke,
        }

    def handle_action(self, action: Action) -> bool:
        if action in ZAPS:
            self._end()
            return False  # live zaps from here
        return run_action(self.action_table, action)

    def set_paused(self, paused: bool) -> None:
        if self.request is None:  # the ring's first segment is not there yet: it opens as asked
            self.paused = paused
            self.poke()
            return
        if not paused and self.buffer is not None and self.part is None:
            start = self.buffer.seek_target(self.position_ms, 0)
            if start != self.position_ms:  # the ring rolled past the paused point while paused
                self.seek_to(start)
        super().set_paused(paused)

    def step(self, delta_ms: int) -> None:
        """``delta_ms`` back or ahead on the channel's one timeline: the ring, the archive before it, or live."""
        if self.part is not None:
            self._archive_step(self.moment() + delta_ms / 1000)
            return
        if self.buffer is None:
            return
        target = self.buffer.seek_target(self.position_ms, delta_ms)
        wanted = self.moment() + delta_ms / 1000
        if wanted < self.started_at + target / 1000 - 1 and self._into_archive(wanted):
            return  # past the ring's start: the archive plays that moment
        if self.request is None:
            self.position_ms = target
            self.poke()
        else:
            self.seek_to(target)

    def _into_archive(self, moment: float) -> bool:
        """Play the archive at ``moment`` (before the ring); False when the channel's archive does not have it."""
        channel = self.channel
        part = self.archive.part(channel, moment, time.time()) if self.archive and channel else None
        if part is None or channel is None:
            return False
        self._drop_ring()  # its connection is the one the archive needs
        return self._play_part(part, moment)

    def _archive_step(self, moment: float) -> None:
        part, channel = self.part, self.channel
        assert part is not None and channel is not None
        if moment >= time.time() - LIVE_MARGIN_S:
            self.back_to_live()  # ahead past the archive's end: live
            return
        if part.base <= moment < part.end:
            self.seek_to(max(0, round((moment - part.base) * 1000)))
            return
        other = self.archive.part(channel, moment, time.time()) if self.archive else None
        if other is None or other.url == part.url:
            self.seek_to(0 if moment < part.base else self.position_ms)  # as far as the archive goes
            return
        self._play_part(other, moment)

    def _play_part(self, part: ArchivePart, moment: float) -> bool:
        channel, live = self.channel, self.live
        assert channel is not None
        if live.stream_refused(part.url):
            self._end()
            return True
        self.part = part
        self.position_ms = max(0, round((moment - part.base) * 1000))
        self.length_ms = 0
        self.request = PlayRequest(url=part.url, headers=channel.headers, options=channel.vlc_options, live=False,
                                   channel_key=channel.key, title=f"{channel.name}: {part.programme.title}",
                                   start_position_ms=self.position_ms, paused=self.paused,
                                   local_ok=live.lineup is not None and live.lineup.local_ok)
        self.player.play(self.request)
        log.info("time shift into the archive of %s", redact(channel.name))
        self.poke()
        return True

    def grow(self, direction: int) -> None:
        self.step(self.steps.next(direction))

    # -- player ------------------------------------------------------------------------------------------------
    def on_player_event(self, event: PlayerEvent) -> None:
        if self.request is None or event.request is not self.request:
            return
        if event.kind == "position":
            self.on_position(event.position_ms, event.length_ms)
        elif event.kind == "ended" and self.part is not None:
            self._archive_step(self.part.end + 1)  # the next programme's archive, or live
        elif event.kind in ("ended", "error"):
            self.main_window.notify(_("The paused channel could not go on; back to live TV"), 4)
            self.back_to_live()

    def _poll(self) -> None:
        if self.request is not None:
            super()._poll()
        if self.isVisible():
            self.update()  # the ring grows while paused: the bar and "behind live" show it

    # -- drawing -----------------------------------------------------------------------------------------------
    def programme(self) -> Programme | None:
        """The programme at the play point, as the guide shows it (None without a guide entry)."""
        if self.part is not None:
            return self.part.programme
        if self.archive is None or self.channel is None:
            return None
        return self.archive.programme(self.channel, self.moment())

    def paintEvent(self, event: QPaintEvent | None) -> None:
        paint_timeshift(self)

    def geometry_for(self, rect: QRect, theme: th.Theme) -> list[tuple[QWidget, QRect]]:
        self.theme = theme
        return [(self, bar_panel_rect(rect, theme))]
