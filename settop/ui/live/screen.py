"""Live TV: zapping, number entry, last channel, the OSD banner, volume, and what the player is doing in words."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from functools import cached_property, partial

from PyQt6.QtCore import QObject, QRect, QTimer, pyqtSignal
from PyQt6.QtWidgets import QWidget

from settop.core.models import Channel
from settop.core.net.budget import StreamSlot, source_of
from settop.core.net.zapcache import Wanted, ZapCache
from settop.core.playlist.lineup import Lineup
from settop.core.redact import redact
from settop.core.state.settings import Settings
from settop.core.state.store import StateStore
from settop.i18n import N_, _
from settop.input.buttons import Action, Context
from settop.player.base import Player, PlayerEvent, PlayerState, PlayRequest
from settop.ui.guide.info import NowNextSource
from settop.ui.live import events as live_events
from settop.ui.live import menus as live_menus
from settop.ui.live import ondemand
from settop.ui.live.boundaries import ProgrammeBoundaries
from settop.ui.live.channel_list import ChannelListScreen
from settop.ui.live.failover import Failover
from settop.ui.live.group_move import GroupMoveScreen
from settop.ui.live.lock import TuneLock
from settop.ui.live.number_entry import NumberEntry
from settop.ui.live.osd import AutoHide, Banner, StatusPanel, VolumePanel
from settop.ui.live.volume import VOLUME_STEP, VolumeControl
from settop.ui.loader import dispose_later
from settop.ui.mainwindow import MainWindow
from settop.ui.screen import DIGITS, ActionTable, HintMaker, Screen, run_action
from settop.ui.video import VideoSurface
from settop.ui.widgets.hints import Hint
from settop.ui.widgets.logos import LogoCache
from settop.ui.widgets.menu import MenuScreen
from settop.ui.widgets.theme import Theme

FETCH_AHEAD_LATEST_S = 1.5  # neighbours are fetched at the new channel's first picture, or this long after a tune
log = logging.getLogger("settop.ui.live.screen")

OPENING_NOTICE_MS = 700  # say "Tuning…" only when the picture takes longer than this


ZAP_HINTS = (Hint.of(N_("another channel"), Action.channel_up, Action.channel_down),)
RETRY_HINT = Hint.of(N_("Retry"), Action.select)

class LiveScreen(QObject, Screen):
    """The base of the screen stack while a playlist is loaded (context ``live``).

    Signals: ``tuned(str)`` with the channel key after every tune (tests and the app listen to it).
    """

    hint_lines = ("", "")  # (another channel, Retry + another channel), from the keymap (``make_hints``)

    tuned = pyqtSignal(str)
    context = Context.live

    def __init__(self, window: MainWindow, player: Player, state: StateStore, settings: Settings, *,
                 logos: LogoCache, now_next: NowNextSource | None = None, lock: TuneLock | None = None,
                 zap_cache: ZapCache | None = None, streams: StreamSlot | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.player = player
        self.state = state
        self.settings = settings
        self.logos = logos
        self.now_next = now_next
        self.lineup: Lineup | None = None
        self.current: int | None = None
        self.previous_key: str | None = state.previous_channel()
        self.zap_order: Sequence[int] = ()
        self.has_picture = False
        self.playing_url = ""  # the address of the copy playing (before the zap cache's loopback address)
        self.pause_live: Callable[[], bool] | None = None  # Pause on a channel playing: the time shift (app.py)

        self.lock = lock  # the parental lock, asked before tuning a channel
        self.failover = Failover(self)  # which source's copy of a merged channel plays
        self.zap_cache = zap_cache  # plays HLS through loopback with the likely next channels fetched ahead
        # the player's one stream in the app's connection budget (asked before every play)
        self.streams = streams if streams is not None else zap_cache.player if zap_cache is not None else None
        self.banner = Banner()
        self.banner_hider = AutoHide(self.banner, settings.get_int("live.osd_seconds"))
        self.numbers = self.number_entry(self.tune)
        self.volume = VolumeControl(player, state)
        self.status = StatusPanel()
        self.opening_timer = QTimer(self)
        self.opening_timer.setSingleShot(True)
        self.opening_timer.setInterval(OPENING_NOTICE_MS)
        self.opening_timer.timeout.connect(self._opening_notice)
        # the seek bar of an entry that turns out to be on demand (a finished HLS playlist; see ondemand.py)
        self.vod = ondemand.LiveVodScreen(window, player, lambda _point: None,
                                          local_ok=lambda: self.lineup is not None and self.lineup.local_ok)
        self.vod.finished.connect(lambda: ondemand.finished(self))

        self.channel_list = ChannelListScreen(
            logos,
            on_tune=self.tune_from_list,
            favorites=state.favorites,
            recent=state.recent,
            toggle_favorite=self._toggle_favorite_key,
            playing_key=self.current_key,
            now_next=now_next,
            hidden_groups=lambda: settings.get_list("ui.hidden_groups"),
            lock=lock,
        )
        self.boundaries = ProgrammeBoundaries(now_next, self.guide_updated, self)
        self.channel_list.close_requested.connect(lambda: self.window.pop(self.channel_list))
        self.channel_list.menu_requested.connect(self._push_menu)
        logos.changed.connect(self._logo_arrived)

    # -- lineup and tuning -------------------------------------------------------------------------------------
    def set_lineup(self, lineup: Lineup, resume: bool = True, new: bool = False) -> None:
        """Take a freshly loaded playlist; keeps playing the current channel when it is still there.
        ``new``: another lineup, not a refresh of this one (the channel list forgets its search)."""
        playing = self.current_key()
        old, self.lineup = self.lineup, lineup
        self.channel_list.set_lineup(lineup, new=new)
        self.zap_order = self.channel_list.visible_all()  # CH+/CH- skip hidden groups too
        if old is not None:
            dispose_later(old)
            del old
        if playing and lineup.index_of(playing) is not None:
            self.current = lineup.index_of(playing)
            return
        self.current = None
        if not len(lineup):
            self.status.show_status("error", _("This playlist has no channels"), _("Menu: add another playlist"))
            return
        start = 0
        last = self.state.last_channel() if resume and self.settings.get_bool("live.resume_last_channel") else None
        if last is not None and lineup.index_of(last) is not None:
            start = lineup.index_of(last) or 0
        self.tune(start)

    def current_channel(self) -> Channel | None:
        if self.lineup is None or self.current is None:
            return None
        return self.lineup.channels[self.current]

    def current_key(self) -> str:
        channel = self.current_channel()
        return channel.key if channel is not None else ""

    def tune(self, index: int, show_banner: bool = True) -> None:
        """Play lineup entry ``index``; the channel before becomes the last-channel target."""
        if self.lineup is None or not 0 <= index < len(self.lineup):
            return
        channel = self.lineup.channels[index]
        if self.lock is not None and index != self.current \
                and not self.lock.gate(channel, lambda: self.tune(index, show_banner)):
            return  # the parental lock asks for the PIN first and tunes when it is right
        if index == self.current and self.player.state not in (PlayerState.ERROR, PlayerState.ENDED,
                                                               PlayerState.IDLE):
            self.show_banner()
            return
        if self.current is not None and self.current != index:
            self.previous_key = self.lineup.channels[self.current].key
        self.current = index
        self.play_copy(index, self.failover.copy_for(index))
        if self.zap_cache is not None:
            self.fetch_ahead(after_s=FETCH_AHEAD_LATEST_S)  # or sooner, at its first picture
        self.state.record_tuned(channel.key)
        log.info("tuned %s %s", self.lineup.numbers[index], redact(channel.name))
        if show_banner:
            self.show_banner()
        self.channel_list._repaint_rows()
        self.tuned.emit(channel.key)

    def play_copy(self, index: int, copy: Channel) -> None:
        """Play ``copy`` (row ``index``'s channel, or another source's copy of it) as that row."""
        assert self.lineup is not None
        channel = self.lineup.channels[index]
        self.has_picture = False
        self.status.clear()
        ondemand.leave(self)
        self.playing_url = ""
        if self.stream_refused(copy.url):
            return
        url = self.playing_url = copy.url
        if self.zap_cache is not None:
            url = self.zap_cache.local_url(copy.url, copy.headers)
        self.player.play(PlayRequest(url=url, headers=copy.headers, options=copy.vlc_options,
                                     live=True, channel_key=channel.key, title=channel.name,
                                     local_ok=self.lineup.local_ok))
        self.opening_timer.start()

    def stream_refused(self, url: str) -> str:
        """Ask the connection budget for the player's stream of ``url`` (giving back the one playing): "" when
        granted; when the provider has none left, stop, say so and return the refusal (nothing more is opened)."""
        refusal = self.streams.take(url) if self.streams is not None else ""
        if refusal:
            self.player.stop()
            self.opening_timer.stop()
            self.status.show_status("error", refusal)
            log.info("not played: connection limit of %s", redact(source_of(url)))
        return refusal

    def clear_picture(self) -> None:
        """Black (not the last channel's frozen picture) under a channel that is not playing."""
        surface = self.window.surface
        if isinstance(surface, VideoSurface):
            surface.clear_picture()

    def fetch_ahead(self, after_s: float) -> None:
        """Have the zap cache fetch the likely next channels, ``after_s`` from now (none without a cache)."""
        if self.zap_cache is not None and self.lineup is not None and self.current is not None:
            self.zap_cache.predict(self._likely_next(self.current), after_s=after_s)

    def _likely_next(self, index: int) -> list[Wanted]:
        """The channels a viewer on ``index`` most likely wants next: CH+, CH-, then the last channel."""
        lineup = self._lineup()
        picks = [lineup.step(index, 1, self.zap_order), lineup.step(index, -1, self.zap_order)]
        last = lineup.index_of(self.previous_key) if self.previous_key else None
        if last is not None:
            picks.append(last)
        seen = dict.fromkeys(i for i in picks if i != index)
        return [Wanted(lineup.channels[i].url, lineup.channels[i].headers) for i in seen]

    def tune_from_list(self, index: int, order: Sequence[int]) -> None:
        self.zap_order = order or (self.lineup.all if self.lineup else ())
        self.tune(index)

    def zap(self, delta: int) -> None:
        if self.lineup is None or not len(self.lineup):
            return
        if self.current is None:
            self.tune(0)
            return
        self.numbers.cancel()
        self.tune(self.lineup.step(self.current, delta, self.zap_order))

    def last_channel(self) -> None:
        if self.lineup is None or not self.previous_key:
            self.window.notify(_("No previous channel yet"))
            return
        index = self.lineup.index_of(self.previous_key)
        if index is None:
            self.window.notify(_("The previous channel is not in this playlist"))
            return
        self.tune(index)

    # -- number entry ------------------------------------------------------------------------------------------
    def _find_number(self, digits: str) -> int | None:
        return self.lineup.find_number(digits) if self.lineup else None

    def number_entry(self, tune: Callable[[int], None]) -> NumberEntry:
        """A number entry over this lineup that calls ``tune(index)``: live TV's, and the guide's (which jumps)."""
        return NumberEntry(self.settings.get_int("live.number_entry_ms"), self._find_number,
                           lambda index: self._lineup().channels[index].name, tune, self,
                           continues=lambda digits: self.lineup is not None and self.lineup.number_continues(digits))

    def _lineup(self) -> Lineup:
        assert self.lineup is not None
        return self.lineup

    # -- actions -----------------------------------------------------------------------------------------------
    def _select(self) -> None:
        if self.status.kind in ("error", "ended"):
            self.retry()
        else:
            self.open_list()

    @cached_property
    def action_table(self) -> ActionTable:
        return {
            **{action: partial(self.numbers.enter_digit, digit) for action, digit in DIGITS.items()},
            Action.separator: self.numbers.enter_separator,
            Action.select: self._select,
            **dict.fromkeys((Action.left, Action.right, Action.up, Action.down), self.open_list),
            Action.channel_up: lambda: self.zap(1),
            Action.channel_down: lambda: self.zap(-1),
            Action.last_channel: self.last_channel,
            Action.info: self.toggle_banner,
            Action.volume_up: lambda: self._volume(partial(self.volume.change, VOLUME_STEP)),
            Action.volume_down: lambda: self._volume(partial(self.volume.change, -VOLUME_STEP)),
            Action.mute: lambda: self._volume(self.volume.toggle_mute),
            Action.audio_next: lambda: live_menus.cycle_audio(self),
            Action.subtitle_next: lambda: live_menus.cycle_subtitles(self),
            Action.favorites: self.toggle_favorite,
            Action.search: lambda: self.open_list(search=True),
            Action.context_menu: lambda: live_menus.open_context_menu(self),
            Action.back: self.hide_osd,
            Action.play_pause: self._play_pause,
            Action.pause: self._play_pause,
            Action.stop: self.player.stop,
        }

    @cached_property
    def number_entry_actions(self) -> ActionTable:
        """While digits are being typed OK commits them and Back cancels them."""
        return {Action.select: self.numbers.commit, Action.back: self.numbers.cancel}

    def handle_action(self, action: Action) -> bool:
        if self.numbers.digits and run_action(self.number_entry_actions, action):
            return True
        return run_action(self.action_table, action)

    def _volume(self, change: Callable[[], None]) -> None:
        """A volume key: the box shows in its corner, or in the other top corner when a panel stands in the first
        (the channel list, the guide's programme details)."""
        panel, window = self.volume.panel, self.window
        home = panel.geometry_in(window.rect(), window.theme)
        aside = window.has(self.channel_list) or window.taken(home, but=panel)
        window.place_panel(panel, panel.geometry_in(window.rect(), window.theme, aside) if aside else home)
        change()
        window.place_notices()

    def _push_menu(self, menu: MenuScreen | GroupMoveScreen) -> None:
        menu.close_requested.connect(lambda: self.window.pop(menu))
        self.window.push(menu)

    def open_list(self, search: bool = False) -> None:
        if self.lineup is None:
            return
        self.banner_hider.hide()
        self.channel_list.open_at(self.current)
        self.window.push(self.channel_list)
        if search:
            self.channel_list.start_search()

    def retry(self) -> None:
        if self.player.request is None and self.current is not None:  # stopped (an on-demand entry): play again
            index, self.current = self.current, None
            self.tune(index)
            return
        self.status.show_status("opening", _("Trying again…"))
        self.player.retry()

    def _play_pause(self) -> None:
        """Pause buffers the channel to rewind (the time shift takes over); without it a plain pause."""
        if self.pause_live is not None and self.pause_live():
            return
        self.player.pause(self.player.state != PlayerState.PAUSED)

    def toggle_favorite(self) -> None:
        channel = self.current_channel()
        if channel is not None:
            added = self._toggle_favorite_key(channel.key)
            self.window.notify((_("{channel} added to favorites") if added else _("{channel} removed from favorites"))
                               .format(channel=channel.name))
            if self.banner.isVisible():
                self.show_banner()

    def _toggle_favorite_key(self, key: str) -> bool:
        return self.state.toggle_favorite(key)

    def guide_updated(self) -> None:
        """New guide data arrived: repaint what shows it."""
        self.channel_list._repaint_rows()
        if self.banner.isVisible():
            self.show_banner(poke=False)

    @property
    def volume_panel(self) -> VolumePanel:
        return self.volume.panel

    @property
    def boundary_timer(self) -> QTimer:
        """The one timer armed for the next programme boundary on screen."""
        return self.boundaries.timer

    # -- OSD ---------------------------------------------------------------------------------------------------
    def show_banner(self, poke: bool = True) -> None:
        """Show (or, with ``poke=False``, only update) the banner; it hides itself after a few seconds."""
        channel = self.current_channel()
        if channel is None or self.lineup is None or self.current is None:
            return
        info = self.now_next(channel) if self.now_next else None
        status = ""
        if self.status.kind == "error":
            status = _("Not playing")
        playing = self.has_picture
        self.banner.show_channel(
            channel, self.lineup.numbers[self.current], logo=self.logos.pixmap(channel.logo),
            favorite=self.state.is_favorite(channel.key), info=info,
            stream=self.player.stream_info() if playing else None,
            audio=self.player.audio_tracks() if playing else [],
            subtitles=self.player.subtitle_tracks() if playing else [], status=status,
            sources=len(self.failover.choices()),
        )
        # The banner is shorter without programme lines: place it again for what it shows now.
        self.window.host.place(self.banner, self.banner.geometry_in(self.window.rect(), self.window.theme))
        if poke and self.window.on_top(self):  # never over a menu, the guide or a dialog opened above
            self.banner_hider.poke()

    def toggle_banner(self) -> None:
        if self.banner.isVisible():
            self.banner_hider.hide()
        else:
            self.show_banner()

    def hide_osd(self) -> None:
        self.banner_hider.hide()
        self.volume.hider.hide()
        if self.status.kind in ("error", "ended"):
            self.status.clear()

    def _logo_arrived(self, url: str) -> None:
        channel = self.current_channel()
        if channel is not None and channel.logo == url and self.banner.isVisible():
            self.banner.logo.set_logo(self.logos.pixmap(url), channel.name)

    def _opening_notice(self) -> None:
        if not self.has_picture and self.status.kind in ("", "opening"):
            channel = self.current_channel()
            self.status.show_status("opening", _("Tuning to {channel}…").format(channel=channel.name) if channel
                                    else _("Tuning…"))

    # -- player events -----------------------------------------------------------------------------------------
    def on_player_event(self, event: PlayerEvent) -> None:
        """Slot for ``PlayerBridge.event`` (queued onto the GUI thread); see :mod:`settop.ui.live.events`."""
        live_events.on_player_event(self, event)

    # -- screen ------------------------------------------------------------------------------------------------
    def covered(self) -> None:
        """Another screen opened above: the banner and the status go (they would draw over its panels)."""
        self.banner_hider.hide()
        self.status.covered = True
        self.status.hide()

    def uncovered(self) -> None:
        """Live TV is on top again: a status still standing ("Reconnecting 2/5", an error) shows again."""
        self.status.covered = False
        if self.status.kind:
            self.status.show()

    def make_hints(self, make: HintMaker) -> None:
        """The status panel's hints: another channel, and Retry where the stream can be tried again."""
        other = make(self.context, ZAP_HINTS)
        self.hint_lines = (other, make(self.context, (RETRY_HINT, *ZAP_HINTS)))

    def geometry_for(self, rect: QRect, theme: Theme) -> list[tuple[QWidget, QRect]]:
        return [
            (self.banner, self.banner.geometry_in(rect, theme)),
            (self.numbers.box, self.numbers.box.geometry_in(rect, theme)),
            (self.volume.panel, self.volume.panel.geometry_in(rect, theme, self.window.has(self.channel_list))),
            (self.status, self.status.geometry_in(rect, theme)),
        ]
