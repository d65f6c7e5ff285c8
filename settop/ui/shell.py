"""What happens between start and live TV: which playlist to load, the welcome screen, loading progress, refresh."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PyQt6.QtCore import QObject, QTimer, pyqtSignal

from settop.core.redact import display_source
from settop.core.state.settings import PlaylistSource, SettingError, Settings
from settop.i18n import N_, _
from settop.ui.live.screen import LiveScreen
from settop.ui.loader import Loaded, PlaylistLoader
from settop.ui.mainwindow import MainWindow
from settop.ui.welcome import TextEntryScreen, WelcomeScreen, file_picker, find_playlist_files

log = logging.getLogger("settop.ui.shell")

DemoStarter = Callable[[], str]
"""Starts the bundled demo server (once) and returns the demo playlist's URL; raises when it cannot."""


class Shell(QObject):
    """Wires the welcome screen, the loader and the live screen.

    Signals: ``playlist_loaded(int)`` with the channel count (tests wait on it), ``load_failed(str)``.
    """

    playlist_loaded = pyqtSignal(int)
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
        self.source: PlaylistSource | None = None
        self.remember = True
        self.remote = True  # whether the loaded playlist came from the network (logos may not be local files)
        self.cache_key = ""  # of the playlist on screen, so an unchanged refresh is skipped
        self.welcome = WelcomeScreen([
            (N_("Add a playlist by address"), self.ask_url),
            (N_("Open a playlist file"), self.pick_file),
            (N_("Watch the demo channels"), self.watch_demo),
        ])
        loader.progress.connect(self._progress)
        loader.loaded.connect(self._loaded)
        loader.failed.connect(self._failed)
        self.refresh_timer = QTimer(self)
        self.refresh_timer.setSingleShot(True)
        self.refresh_timer.timeout.connect(self.refresh)
        window.push(live)

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
        configured = [p for p in self.settings.playlists() if p.enabled]
        if configured:
            self.load(configured[0], remember=False)
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
        self.load(known.get(text) or PlaylistSource(source=text, name=display_source(text)), remember=remember)

    def load(self, source: PlaylistSource, remember: bool = True) -> None:
        self.source = source
        self.remember = remember
        self.cache_key = ""
        self.loader.load(source)

    def refresh(self) -> None:
        """Reload the current playlist in the background; live TV keeps playing."""
        if self.source is not None and not self.loader.busy:
            self.loader.load(self.source, known_key=self.cache_key)

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
        self._schedule_refresh(loaded.source.refresh_hours)
        if loaded.lineup is None:  # an unchanged refresh
            return
        self.remote = loaded.remote
        self.cache_key = loaded.cache_key
        self.window.pop(self.welcome)
        if loaded.stale:
            self.window.notify(_("Playlist could not be refreshed; showing the saved copy. {reason}").format(
                reason=loaded.stale_reason), 6)
        if loaded.lineup.playlist.warnings and not len(loaded.lineup):
            self.window.notify(loaded.lineup.playlist.warnings[0].message, 6)
        if self.remember:
            self._remember(loaded.source)
        self.live.set_lineup(loaded.lineup)
        self.playlist_loaded.emit(len(loaded.lineup))

    def _schedule_refresh(self, hours: float) -> None:
        if hours > 0:
            self.refresh_timer.start(round(min(hours * 3600, 86400 * 7) * 1000))

    def _failed(self, message: str) -> None:
        self.live.status.clear("loading")
        self.load_failed.emit(message)
        if self.live.lineup is None:
            self.show_welcome(_("The playlist could not be loaded: {error}").format(error=message))
        else:
            self.window.notify(_("Playlist refresh failed: {error}").format(error=message), 6)

    def _remember(self, source: PlaylistSource) -> None:
        entries = [p for p in self.settings.playlists() if p.source != source.source]
        try:
            self.settings.set("playlists", [source.to_dict()] + [p.to_dict() for p in entries])
            self.settings.save()
        except (SettingError, OSError) as exc:
            log.warning("could not remember the playlist: %s", exc)
