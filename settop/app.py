"""Composition root: the one place that wires core, player, input and ui together.

``run(args)`` is what ``settop [PLAYLIST] [--epg URL] [--demo] [--windowed] [--backend B]`` does: build the
QApplication, settings, state, keymap, player and video surface, the main window with its screens, then start
loading the playlist on a worker and enter the Qt event loop. ``build`` does the same wiring for tests and
benchmarks, with the player and surface passed in.
"""

from __future__ import annotations

import argparse
import logging
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

log = logging.getLogger("settop.app")

FRAMES_SIZE = (1280, 720)  # what the frames backend decodes to (it only runs where there is no native window)


@dataclass
class App:
    """Everything ``build`` wired, for ``run``, tests and benchmarks."""

    window: Any  # MainWindow
    live: Any  # LiveScreen
    shell: Any  # Shell
    dispatcher: Any  # KeyDispatcher
    loader: Any  # PlaylistLoader
    logos: Any  # LogoCache
    player: Any  # Player
    state: Any  # StateStore
    settings: Any  # Settings
    keymap: Any  # Keymap
    surface: Any = None
    guide: Any = None  # GuideService, once wire_guide ran
    closers: list[Callable[[], None]] = field(default_factory=list)
    closed: bool = False

    def close(self) -> None:
        """Stop playback, detach video, stop workers and close the state database (idempotent)."""
        if self.closed:
            return
        self.closed = True
        remember_window(self)
        self.loader.shutdown()
        self.logos.shutdown()
        try:
            self.player.stop()
        finally:
            for closer in self.closers:
                try:
                    closer()
                except Exception:  # closing must go on whatever one part does
                    log.debug("closer failed", exc_info=True)
            self.player.close()
            self.state.close()


def keymap_overrides(settings: Any) -> dict[Any, Any]:
    """Settings that change bindings: ``live.up_down_zaps = false`` makes up/down move instead of zap."""
    from settop.input.buttons import Action, Button, Context

    if settings.get_bool("live.up_down_zaps"):
        return {}
    return {(Context.live, (Button.up, False)): Action.up, (Context.live, (Button.down, False)): Action.down}


def make_logo_resolver(remote: Callable[[], bool]) -> Callable[[str], Path | None]:
    """Logos through the fetch helper's logo cache; ``remote()`` says whether the playlist came from the network
    (then a logo may not name a local file). Runs on the UI's logo worker threads."""
    from settop.core.net.logos import LogoCache as FileLogoCache

    files = FileLogoCache(workers=1)

    def resolve(url: str) -> Path | None:
        return files.get(url, remote_playlist=remote())

    return resolve


def build(*, settings: Any, state: Any, keymap: Any, player: Any, events: Any, surface: Any,
          native_overlays: bool = False, logos: Callable[[str], Path | None] | None = None,
          now_next: Any = None, demo: Callable[[], str] | None = None, file_roots: list[Path] | None = None,
          startup_messages: list[str] | None = None) -> App:
    """Wire the UI around ``player`` (whose events arrive as ``events.event`` signals) and ``surface``."""
    from PyQt6.QtWidgets import QApplication, QWidget

    from settop.ui.dispatcher import KeyDispatcher
    from settop.ui.live.screen import LiveScreen
    from settop.ui.loader import PlaylistLoader
    from settop.ui.mainwindow import MainWindow
    from settop.ui.shell import Shell
    from settop.ui.widgets.logos import LogoCache
    from settop.ui.widgets.overlay import Panel

    window = MainWindow(surface, native_overlays=native_overlays)
    shell_ref: list[Shell] = []
    if logos is None:
        logos = make_logo_resolver(lambda: shell_ref[0].remote if shell_ref else True)
    logo_cache = LogoCache(logos, parent=window)
    live = LiveScreen(window, player, state, settings, logos=logo_cache, now_next=now_next)
    events.event.connect(live.on_player_event)
    loader = PlaylistLoader(window)
    shell = Shell(window, live, loader, settings, demo=demo, file_roots=file_roots)
    shell_ref.append(shell)

    def owns(widget: QWidget) -> bool:
        top = widget.window()
        return top is window or isinstance(top, Panel)

    dispatcher = KeyDispatcher(keymap, window, owns, parent=window)
    app = QApplication.instance()
    assert app is not None, "build() needs a QApplication"
    app.installEventFilter(dispatcher)
    window.destroyed.connect(lambda: app.removeEventFilter(dispatcher))

    player.set_volume(state.volume())
    player.set_mute(state.muted())
    messages = list(startup_messages or []) + list(getattr(state, "problems", []))
    if messages:
        window.notify("  ·  ".join(messages), 8)
    built = App(window, live, shell, dispatcher, loader, logo_cache, player, state, settings, keymap, surface)
    detach = getattr(surface, "detach", None)
    if callable(detach):
        built.closers.append(detach)  # libVLC must stop drawing into the surface before it is freed
    window.closing.connect(built.close)
    return built


class DemoRunner:
    """Starts the bundled demo server on first use (``settop --demo``, "Watch the demo channels") and stops it."""

    def __init__(self) -> None:
        self.server: Any = None

    def __call__(self) -> str:
        if self.server is None:
            from settop.demo.server import serve_demo

            self.server = serve_demo()
        return str(self.server.playlist_url)

    def stop(self) -> None:
        server, self.server = self.server, None
        if server is not None:
            server.stop()


def remember_window(app: App) -> None:
    """Full screen or the window's place, for the next start (``--windowed`` still wins)."""
    from PyQt6.QtCore import QByteArray

    from settop.core.state.store import WindowState

    try:
        geometry: QByteArray = app.window.saveGeometry()
        app.state.set_window_state(WindowState(app.window.isFullScreen(), bytes(geometry.data())))
    except Exception as exc:  # never stop a close for this
        log.info("window state not saved: %s", exc)


def wire_guide(app: App, extra_urls: list[str]) -> None:
    """Now/next in the OSD and the list from the guide store, and the one ``GuideService`` (``app.guide``) that
    fills it: after each playlist load from the playlist's own guide URLs, ``--epg`` and the ``guide.sources``
    setting, then on the playlist's refresh interval. ``guide_hooks.install`` builds the guide screens on it."""
    from settop.core.guide.store import GuideStore
    from settop.ui.guide.info import GuideNowNext
    from settop.ui.guide.service import GuideService

    try:
        store = GuideStore()
    except Exception as exc:  # the live UI works without a guide
        log.warning("the guide could not be opened: %s", exc)
        return
    now_next = GuideNowNext(store)
    app.live.set_now_next(now_next)
    service = GuideService(store, app.settings, app.state, clear_now_next=now_next.clear, extra_sources=extra_urls,
                           parent=app.window)
    app.guide = service

    def playlist_loaded(_count: int) -> None:
        lineup, source = app.live.lineup, app.shell.source
        if lineup is None:
            return
        epg = [*(source.epg if source is not None else ()), *lineup.playlist.epg_urls]
        service.playlist_loaded(lineup.channels, epg, source.refresh_hours if source is not None else 24.0)

    app.shell.playlist_loaded.connect(playlist_loaded)
    app.closers.insert(0, service.shutdown)
    app.closers.append(store.close)


def run(args: argparse.Namespace) -> int:
    """Start the application; returns the exit code."""
    qt_app, app = create(args)
    code = qt_app.exec()
    app.close()
    return int(code)


def create(args: argparse.Namespace, *, frames_size: tuple[int, int] = FRAMES_SIZE) -> tuple[Any, App]:
    """Everything ``run`` does before the event loop: the QApplication and the shown, started app."""
    from PyQt6.QtCore import Qt
    from PyQt6.QtWidgets import QApplication

    from settop.core.state.settings import Settings
    from settop.core.state.store import StateStore
    from settop.input.keymap import Keymap, user_keymap_path
    from settop.player.vlc import VlcPlayer
    from settop.ui.bridge import PlayerBridge
    from settop.ui.video import make_surface

    QApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts, True)
    qt_app = QApplication.instance() or QApplication(sys.argv[:1])
    qt_app.setApplicationName("settop")
    settings, messages = Settings.load()
    from settop.i18n import _, preferred_languages
    from settop.ui.i18n_qt import apply_language

    apply_language(settings.get_str("ui.language"), settings.get_str("ui.digits"))
    state = StateStore()
    keymap, keymap_warnings = Keymap.load(user_path=user_keymap_path(), overrides=keymap_overrides(settings))
    messages += [_("Keymap: {problem}").format(problem=w) for w in keymap_warnings]
    player = VlcPlayer(
        hw_decoding=settings.get_str("playback.hw_decoding"),
        stall_seconds=settings.get_int("playback.stall_seconds"),
        audio_languages=preferred_languages(settings.get_list("playback.audio_languages")),
        subtitle_languages=settings.get_list("playback.subtitle_languages"),
    )
    demo = DemoRunner()
    surface = make_surface(args.backend or settings.get_str("video.backend"), frame_size=frames_size)
    bridge = PlayerBridge(player)
    app = build(settings=settings, state=state, keymap=keymap, player=player, events=bridge, surface=surface,
                native_overlays=surface.native, demo=demo, startup_messages=messages)
    wire_guide(app, list(args.epg or []))
    from settop.ui.guide.hooks import install as install_guide_ui

    install_guide_ui(app, bridge)  # issue 7: guide grid (Guide key), settings (Menu), catch-up, parental lock
    app.closers.append(demo.stop)
    surface.attach(player)
    qt_app.aboutToQuit.connect(app.close)
    remembered = state.window_state()
    windowed = remembered is not None and not remembered.fullscreen
    if args.windowed or not settings.get_bool("ui.fullscreen") or windowed:
        if not (remembered is not None and remembered.geometry and app.window.restoreGeometry(remembered.geometry)):
            app.window.resize(1280, 720)
        app.window.show()
    else:
        app.window.show_fullscreen()
    app.shell.start(args.playlist, demo=args.demo, demo_if_empty=bool(getattr(args, "demo_if_empty", False)))
    start_cache_pruning(app)
    return qt_app, app


def start_cache_pruning(app: App) -> threading.Thread:
    """Clear expired fetch-cache bodies once per start, on a worker (it walks the cache folder)."""
    from settop.core.net.fetch import prune_cache

    def prune() -> None:
        try:
            removed = prune_cache()
        except Exception as exc:  # housekeeping must never disturb the app
            log.info("cache pruning failed: %s", exc)
            return
        log.debug("cache pruning removed %d files", removed)

    thread = threading.Thread(target=prune, name="cache-prune", daemon=True)
    thread.start()
    app.closers.append(lambda: thread.join(5))
    return thread
