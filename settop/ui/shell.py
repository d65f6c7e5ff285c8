"""What happens between start and live TV: which playlist to load, the welcome screen, loading progress, refresh."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PyQt6.QtCore import QObject, QTimer, pyqtSignal

from settop.core.playlist.sniff import write_single_channel
from settop.core.redact import display_source
from settop.core.sources.base import new_source_id
from settop.core.sources.load import SourceProblem
from settop.core.sources.loaded import Loaded, stream_limits
from settop.core.state.edits import ChannelEdits
from settop.core.state.edits import load as load_edits
from settop.core.state.edits import save as save_edits
from settop.core.state.settings import PlaylistSource, SettingError, Settings
from settop.i18n import N_, _
from settop.ui.live.move_mode import MoveMode
from settop.ui.live.screen import LiveScreen
from settop.ui.loader import PlaylistLoader
from settop.ui.mainwindow import MainWindow
from settop.ui.welcome import TextEntryScreen, WelcomeScreen, file_picker, find_playlist_files
from settop.ui.widgets.menu import MenuItem, MenuScreen

log = logging.getLogger("settop.ui.shell")

DemoStarter = Callable[[], str]
"""Starts the bundled demo server (once) and returns the demo playlist's URL; raises when it cannot."""


class Shell(QObject):
    """Wires the welcome screen, the loader and the live screen.

    Signals: ``playlist_loaded(int)`` with the channel count when a new lineup is on screen (tests wait on it),
    ``load_finished(int)`` after every load that worked, changed or not, ``load_failed(str)``.
    """

    playlist_loaded = pyqtSignal(int)
    load_finished = pyqtSignal(int)
    library_loaded = pyqtSignal(object, object)  # the films and series of every source (Library), the sources
    load_failed = pyqtSignal(str)

    def __init__(self, window: MainWindow, live: LiveScreen, loader: PlaylistLoader, settings: Settings, *,
                 demo: DemoStarter | None = None, file_roots: list[Path] | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.live = live
        self.loader = loader
        self.settings = settings
        self.demo = demo
        self.file_roots = file_roots if file_roots is not None else [Path.home(), Path("/media"), Path("/mnt")]
        self.source: PlaylistSource | None = None  # the first of ``sources``
        self.shown_sources: tuple[PlaylistSource, ...] = ()  # those of the lineup on screen
        self.sources: tuple[PlaylistSource, ...] = ()  # what the lineup on screen merges, in the viewer's order
        self.problems: tuple[SourceProblem, ...] = ()  # per source, from the last load
        self.remember = True
        self.switching = False  # a load of other sources than the ones shown is under way
        self.remote = True  # whether the loaded playlist came from the network (logos may not be local files)
        self.refresh_timers: dict[str, QTimer] = {}  # one per source: each refreshes on its own interval
        self.welcome = WelcomeScreen([
            (N_("Add a playlist by address"), self.ask_url),
            (N_("Open a playlist file"), self.pick_file),
            (N_("Watch the demo channels"), self.watch_demo),
        ])
        loader.progress.connect(self._progress)
        loader.loaded.connect(self._loaded)
        loader.failed.connect(self._failed)
        loader.single_stream.connect(self._offer_single_channel)
        window.push(live)
        self._wire_edits()

    # -- start -------------------------------------------------------------------------------------------------
    def start(self, source: str | None = None, demo: bool = False, demo_if_empty: bool = False,
              account: PlaylistSource | None = None) -> None:
        """Load ``source`` (remembered once it loads), the demo, or the first configured playlist; else welcome.

        demo_if_empty: with no playlist configured, start the demo channels instead of the welcome screen
        (``make run``); adding a playlist stays one press away in Menu › Playlists.
        account: a provider account from the command line (remembered once it loads).
        """
        if demo:
            self.watch_demo()
            return
        if account is not None:
            self.load(account)
            return
        if source:
            self.open_source(source)
            return
        if self.load_configured():
            return
        if demo_if_empty and self.demo is not None:
            self.watch_demo()
            if self.window.has(self.welcome):
                return  # the demo could not start: the welcome screen says why
            self.window.notify(_("Demo channels  ·  Menu › Playlists adds your own"), 6)
            return
        self.show_welcome()

    def show_welcome(self, message: str = "") -> None:
        self.welcome.show_message(message)
        if not self.window.has(self.welcome):
            self.window.push(self.welcome)

    def open_source(self, text: str, remember: bool = True) -> None:
        known = {p.source: p for p in self.settings.playlists()}
        # A playlist new to the settings gets its own source id unless it is the first: the first one's channels
        # keep the plain keys (see settop.core.sources.base), so no two playlists' favorites mix.
        source_id = new_source_id() if known else ""
        self.load(known.get(text) or PlaylistSource(source=text, name=display_source(text), id=source_id),
                  remember=remember)

    def load(self, source: PlaylistSource, remember: bool = True) -> None:
        """Load one playlist on its own (opened from the command line or the welcome screen)."""
        self.load_all((source,), remember=remember)

    def load_all(self, sources: tuple[PlaylistSource, ...], remember: bool = False) -> None:
        """Load ``sources`` merged into one lineup; live TV keeps playing until it is there."""
        self.source, self.sources = sources[0], sources
        self.remember = remember
        self.switching = True  # what belongs to the lineup shown now (the list's search) goes with it
        self.loader.load(sources)

    def load_configured(self) -> bool:
        """Load every enabled playlist of the settings as one lineup; False when there is none."""
        configured = tuple(p for p in self.settings.playlists() if p.enabled)
        if configured:
            self.load_all(configured)
        return bool(configured)

    def apply_stream_limits(self) -> None:
        """The sources' stream limits into the connection budget again, from the settings as they are now (a
        playlist's **Streams at once** changed) and what the sources loaded: nothing is loaded again."""
        if self.live.streams is None:
            return
        configured = {p.id: p for p in self.settings.playlists()}
        sources = [configured.get(s.id, s) for s in self.sources]
        self.live.streams.budget.set_known(dict(stream_limits(sources, self.loader.contents)))

    def refresh(self, only: frozenset[str] | None = None) -> None:
        """Reload the sources on screen in the background (``only``: just these source ids); live TV keeps
        playing, and what did not change is not parsed again."""
        if not self.sources:
            return
        if self.loader.busy:  # another load runs: try again in a minute
            QTimer.singleShot(60_000, lambda: self.refresh(only))
            return
        self.loader.load(self.sources, refresh=True, only=only)

    def refresh_source(self, source: PlaylistSource) -> None:
        """Reload one playlist: within the lineup when it is part of it, else the configured sources."""
        if any(s.id == source.id for s in self.sources):
            self.refresh(frozenset({source.id}))
        elif not self.load_configured():
            self.load(source, remember=False)

    def _wire_edits(self) -> None:
        """The viewer's saved channel edits into the loader, and move mode, rename and hide into the list."""
        edits, problem = load_edits()
        self.loader.edits = edits
        if problem:
            self.window.notify(_("Your channel changes could not be read: {problem}").format(problem=problem), 8)
        channels = self.live.channel_list
        channels.hidden_channels = lambda: self.loader.edits.hidden
        channels.group_order = lambda: self.loader.edits.group_order
        channels.mover = MoveMode(channels, lambda: self.loader.edits, self.apply_edits,
                                 lambda text: self.window.notify(text, 3))
        channels.edit_channel = self.edit_channel

    def edit_channel(self, what: str, key: str) -> None:
        """``rename`` (asks for the name on screen), ``group`` (:meth:`pick_group`), ``hide`` or ``unhide`` (every
        hidden channel) a channel."""
        edits = self.loader.edits
        if what == "hide":
            self.apply_edits(replace(edits, hidden=edits.hidden | {key}))
        elif what == "unhide":
            self.apply_edits(replace(edits, hidden=frozenset()))
        elif what == "rename":
            lineup = self.live.lineup
            index = lineup.index_of(key) if lineup is not None else None
            current = lineup.channels[index].name if lineup is not None and index is not None else ""
            entry = TextEntryScreen(_("Channel name"), lambda text: self.apply_edits(edits.with_name(key, text)),
                                    initial=current)
            entry.close_requested.connect(lambda: self.window.pop(entry))
            self.window.push(entry)
        elif what == "group":  # a locked channel leaves its (locked) group only after the PIN
            lineup, lock = self.live.lineup, self.live.lock
            index = lineup.index_of(key) if lineup is not None else None
            if lock is None or lineup is None or index is None \
                    or lock.gate(lineup.channels[index], lambda: self.pick_group(key)):
                self.pick_group(key)

    def pick_group(self, key: str) -> None:
        """*Move to a group*: a new group named on the on-screen keyboard, one of the viewer's own groups or one of
        the playlists' groups, picked from a menu; kept by channel key in the channel edits."""
        lineup = self.live.lineup
        names = dict.fromkeys([*self.loader.edits.groups.values(), *(lineup.groups if lineup is not None else ())])

        def move(group: str) -> None:
            if group.strip():
                self.apply_edits(self.loader.edits.with_group(key, group))

        def ask() -> None:
            entry = TextEntryScreen(_("Group name"), move)
            entry.close_requested.connect(lambda: self.window.pop(entry))
            self.window.push(entry)

        items = [MenuItem(_("New group…"), run=ask),
                 *(MenuItem(name, run=lambda name=name: move(name)) for name in names)]  # type: ignore[misc]
        menu = MenuScreen(_("Move to a group"), items, side="center")
        menu.close_requested.connect(lambda: self.window.pop(menu))
        self.window.push(menu)

    def apply_edits(self, edits: ChannelEdits) -> None:
        """Keep the viewer's new order, numbers, names or hidden channels and merge the lineup again with them
        (nothing is downloaded again)."""
        try:
            save_edits(edits)
        except OSError as exc:
            self.window.notify(_("Your channel changes could not be saved: {error}").format(
                error=exc.strerror or exc), 6)
        self.loader.edits = edits
        if self.sources and not self.loader.busy:
            self.loader.load(self.sources, refresh=True, only=frozenset(), remerge=True)

    def guide_urls(self) -> list[str]:
        """Every guide address of the lineup on screen: each source's own entries, then the playlists' headers."""
        lineup = self.live.lineup
        header = list(lineup.playlist.epg_urls) if lineup is not None else []
        return list(dict.fromkeys([*(url for s in self.sources for url in s.epg), *header]))

    # -- welcome choices ---------------------------------------------------------------------------------------
    def ask_url(self, initial: str = "http://") -> None:
        entry = TextEntryScreen(_("Playlist address (M3U)"), self.open_source, initial=initial)
        entry.close_requested.connect(lambda: self.window.pop(entry))
        self.window.push(entry)

    def ask_path(self) -> None:
        entry = TextEntryScreen(_("Playlist file path"), self.open_source, initial=str(Path.home()) + "/")
        entry.close_requested.connect(lambda: self.window.pop(entry))
        self.window.push(entry)

    def pick_file(self) -> None:
        menu = file_picker(find_playlist_files(self.file_roots), self.open_source, self.ask_path)
        menu.close_requested.connect(lambda: self.window.pop(menu))
        self.window.push(menu)

    def watch_demo(self) -> None:
        if self.demo is None:
            self.show_welcome(_("The demo channels are not installed in this build."))
            return
        try:
            url = self.demo()
        except Exception as exc:  # the demo is optional: say why it failed and stay on the welcome screen
            log.warning("demo could not start: %s", exc)
            self.show_welcome(_("The demo channels could not start: {error}").format(error=exc))
            return
        self.load(PlaylistSource(source=url, name=_("Demo channels")), remember=False)

    # -- loader results ----------------------------------------------------------------------------------------
    def _progress(self, text: str, done: int, total: int) -> None:
        if self.live.lineup is None:
            mib = f"  {done / 1048576:.1f} MiB" if done > 0 else ""
            self.live.status.show_progress(text + mib, done, total or None)

    def _loaded(self, loaded: Loaded) -> None:
        self.live.status.clear("loading")
        self._schedule_refreshes(loaded.sources)
        self.problems = loaded.problems
        if self.live.streams is not None:  # an account's max_connections, known before anything tunes
            self.live.streams.budget.set_known(dict(loaded.limits))
        self._tell_problems(loaded)
        if loaded.lineup is None:  # an unchanged refresh
            self.load_finished.emit(len(self.live.lineup) if self.live.lineup is not None else 0)
            return
        self.remote = loaded.remote
        self.window.pop(self.welcome)
        if self.remember:
            self._remember(loaded.source)
        self.shown_sources = loaded.sources
        self.live.set_lineup(loaded.lineup, new=self.switching)
        self.switching = False
        if self.window.has(self.live.channel_list):  # open while the lineup changed (move mode ended): refill it
            self.live.channel_list.open_at(self.live.current)
        self.playlist_loaded.emit(len(loaded.lineup))
        self.load_finished.emit(len(loaded.lineup))
        self.library_loaded.emit(loaded.library, loaded.sources)
        if not len(loaded.lineup) and not (loaded.library.movies or loaded.library.series):
            # nothing to play: say so, with the ways on, instead of a black screen
            warnings = loaded.lineup.playlist.warnings
            why = _("{playlist} has no channels.").format(playlist=loaded.display)
            self.show_welcome(f"{why} {warnings[0].message}" if warnings else why)

    def _tell_problems(self, loaded: Loaded) -> None:
        if len(loaded.sources) == 1:
            if loaded.stale:
                self.window.notify(_("Playlist could not be refreshed; showing the saved copy. {reason}").format(
                    reason=loaded.stale_reason), 6)
            return
        lines = [
            (_("{name}: could not be refreshed, showing the saved copy. {reason}") if problem.stale
             else _("{name} could not be loaded: {reason}")).format(name=problem.name, reason=problem.message)
            for problem in loaded.problems
        ]
        if lines:
            self.window.notify("  ·  ".join(lines), 8)

    def _schedule_refreshes(self, sources: tuple[PlaylistSource, ...]) -> None:
        """One timer per source, on that source's own interval (a source without one is not refreshed)."""
        for source_id in set(self.refresh_timers) - {s.id for s in sources}:
            self.refresh_timers.pop(source_id).deleteLater()
        for source in sources:
            timer = self.refresh_timers.get(source.id)
            if timer is None:
                timer = self.refresh_timers[source.id] = QTimer(self)
                timer.setSingleShot(True)
                timer.timeout.connect(lambda source_id=source.id: self.refresh(frozenset({source_id})))
            if source.refresh_hours > 0 and not timer.isActive():
                timer.start(round(min(source.refresh_hours * 3600, 86400 * 7) * 1000))

    def _failed(self, message: str) -> None:
        self.live.status.clear("loading")
        if self.live.lineup is not None and self.shown_sources:  # refreshes keep to what plays, not what failed
            self.source, self.sources = self.shown_sources[0], self.shown_sources
        self.load_failed.emit(message)
        if self.live.lineup is None:
            self.show_welcome(_("The playlist could not be loaded: {error}").format(error=message))
        else:
            self.window.notify(_("Playlist refresh failed: {error}").format(error=message), 6)

    def _offer_single_channel(self, source: PlaylistSource) -> None:
        """A stream was opened as a playlist: offer to add it as a playlist of that one channel."""
        if not self.remember:
            return  # a refresh or a configured source: the failure message is enough
        menu = MenuScreen(_("One video stream"), [  # the whole question is on the screen below the menu
            MenuItem(_("Add it as a single channel"), lambda: self._add_single_channel(source)),
            MenuItem(_("Cancel"), lambda: None),
        ], side="center")
        menu.close_requested.connect(lambda: self.window.pop(menu))
        self.window.push(menu)

    def _add_single_channel(self, source: PlaylistSource) -> None:
        try:
            path = write_single_channel(source.source, source.name or display_source(source.source))
        except OSError as exc:
            self.window.notify(_("The channel could not be added: {error}").format(error=exc), 6)
            return
        self.open_source(str(path))

    def _remember(self, source: PlaylistSource) -> None:
        entries = [p for p in self.settings.playlists() if p.source != source.source]
        try:
            self.settings.set("playlists", [source.to_dict()] + [p.to_dict() for p in entries])
            self.settings.save()
        except (SettingError, OSError) as exc:
            log.warning("could not remember the playlist: %s", exc)
