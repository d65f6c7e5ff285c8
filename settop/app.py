"""Composition root: the one place that wires core, player, input and ui together.

``run(args)`` is what ``settop [PLAYLIST] [--epg URL] [--demo] [--windowed] [--backend B]`` does: build the
QApplication, settings, state, keymap, player and video surface, the main window with its screens, then start
loading the playlist on a worker and enter the Qt event loop. ``compose`` is the one function that builds the
UI with every collaborator passed to its constructor: ``create`` uses it, and so do the benchmarks and the test
fixtures, with the player, surface and guide store passed in.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PyQt6.QtWidgets import QApplication, QWidget

    from settop.core.guide.store import GuideStore
    from settop.core.net.zapcache import ZapCache
    from settop.core.sources.xtream_guide import ShortEpg
    from settop.core.state.settings import PlaylistSource, Settings
    from settop.core.state.store import StateStore
    from settop.core.timers.reminders import Reminder
    from settop.demo.server import DemoServer
    from settop.input.buttons import Action, Button, Context
    from settop.input.keymap import Keymap
    from settop.player.base import Player
    from settop.ui.bridge import PlayerBridge
    from settop.ui.dispatcher import KeyDispatcher
    from settop.ui.guide.catchup_view import CatchupScreen
    from settop.ui.guide.grid import GuideGridScreen
    from settop.ui.guide.service import GuideService
    from settop.ui.library.controller import LibraryController
    from settop.ui.live.screen import LiveScreen
    from settop.ui.live_record import LiveRecorder
    from settop.ui.loader import PlaylistLoader
    from settop.ui.mainwindow import MainWindow
    from settop.ui.navigation import Navigation
    from settop.ui.scheduled import RecordingScheduler
    from settop.ui.shell import Shell
    from settop.ui.timers_view import TimeKeeper
    from settop.ui.timeshift_view import TimeshiftScreen
    from settop.ui.widgets.logos import LogoCache
    from settop.ui.widgets.pin import Parental

log = logging.getLogger("settop.app")

FRAMES_SIZE = (1280, 720)  # what the frames backend decodes to (it only runs where there is no native window)


@dataclass
class App:
    """Everything ``compose`` wired, for ``run``, tests and benchmarks."""

    window: MainWindow
    live: LiveScreen
    shell: Shell
    dispatcher: KeyDispatcher
    loader: PlaylistLoader
    logos: LogoCache
    player: Player
    state: StateStore
    settings: Settings
    keymap: Keymap
    surface: QWidget
    parental: Parental
    catchup: CatchupScreen
    navigation: Navigation
    guide: GuideService | None = None  # the one GuideService, when there is a guide store
    grid: GuideGridScreen | None = None  # the guide grid, when there is a guide store
    library: LibraryController | None = None  # the Movies and Series screens
    timers: TimeKeeper | None = None  # reminders and the sleep timer
    recorder: LiveRecorder | None = None  # the Record key's background recording
    scheduler: RecordingScheduler | None = None  # programmes recorded from the guide
    timeshift: TimeshiftScreen | None = None  # Pause on live TV: the ring to rewind in
    closers: list[Callable[[], None]] = field(default_factory=list)
    closed: bool = False

    def close(self) -> None:
        """Stop playback, detach video, stop workers and close the state database (idempotent)."""
        if self.closed:
            return
        self.closed = True
        remember_window(self)
        self.live.numbers.cancel()  # digits typed just before closing must not tune into a closed state store
        if self.grid is not None:
            self.grid.numbers.cancel()
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


@dataclass(frozen=True)
class GuideSetup:
    """The guide part of the app: its store, ``--epg`` addresses, and whether each loaded playlist's guides are
    fetched into the store (the app; a test with a ready-made store may say no)."""

    store: GuideStore
    extra_sources: Sequence[str] = ()
    refresh_on_load: bool = True


def keymap_overrides(settings: Settings) -> dict[tuple[Context, tuple[Button, bool]], Action]:
    """Settings that change bindings: ``live.up_down_zaps = false`` makes up/down move instead of zap."""
    from settop.input.buttons import Action, Button, Context

    if settings.get_bool("live.up_down_zaps"):
        return {}
    return {(Context.live, (Button.up, False)): Action.up, (Context.live, (Button.down, False)): Action.down}


def make_logo_resolver(remote: Callable[[], bool], settings: Settings | None = None) -> Callable[[str], Path | None]:
    """Logos through the fetch helper's logo cache; ``remote()`` says whether the playlist came from the network
    (then a logo may not name a local file); ``fetch.max_logo_kb`` caps each. Runs on the UI's logo worker threads."""
    from settop.core.net.fetch import limits_from
    from settop.core.net.logos import LogoCache as FileLogoCache

    files = FileLogoCache(workers=1, max_bytes=limits_from("logo", settings).max_bytes)

    def resolve(url: str) -> Path | None:
        return files.get(url, remote_playlist=remote())

    return resolve


def compose(*, settings: Settings, state: StateStore, keymap: Keymap, player: Player, events: PlayerBridge,
            surface: QWidget, guide: GuideSetup | None = None, native_overlays: bool = False,
            logos: Callable[[str], Path | None] | None = None, demo: Callable[[], str] | None = None,
            file_roots: list[Path] | None = None, startup_messages: Sequence[str] = (),
            zap_cache: ZapCache | None = None) -> App:
    """The one composition function: builds every part of the UI around ``player`` (whose events arrive as
    ``events.event`` signals) and ``surface``, each with its collaborators passed to its constructor.

    The app (``create``), the benchmarks and the test fixtures all build through here. Without ``guide`` there
    is no guide grid and no now/next; with it there is exactly one ``GuideService`` on its store. With
    ``zap_cache`` live HLS channels play through it with the likely next ones fetched ahead (it is closed with the
    app).
    """
    from settop.core.net.budget import ConnectionBudget, StreamSlot
    from settop.core.net.fetch import limits_from
    from settop.core.recording.plan import recordings_folder
    from settop.core.timers import saved as timers_file
    from settop.i18n import _
    from settop.ui.guide.catchup_view import CatchupScreen, shift_for
    from settop.ui.guide.grid import GuideGridScreen
    from settop.ui.guide.info import GuideNowNext
    from settop.ui.guide.service import GuideService
    from settop.ui.library.controller import LibraryController
    from settop.ui.live.screen import LiveScreen
    from settop.ui.live_record import LiveRecorder
    from settop.ui.loader import PlaylistLoader
    from settop.ui.mainwindow import MainWindow
    from settop.ui.navigation import Navigation
    from settop.ui.recordings_view import open_recordings
    from settop.ui.scheduled import RecordingScheduler
    from settop.ui.settings.apply import appliers
    from settop.ui.settings.rows import SettingsEnv
    from settop.ui.shell import Shell
    from settop.ui.timers_view import TimeKeeper
    from settop.ui.timeshift_archive import Archive
    from settop.ui.timeshift_view import TimeshiftScreen
    from settop.ui.video import VideoSurface
    from settop.ui.widgets.logos import LogoCache
    from settop.ui.widgets.pin import Parental

    window = MainWindow(surface, native_overlays=native_overlays, keymap=keymap)
    shell_ref: list[Shell] = []  # the logo resolver asks the shell, built below, where the playlist came from
    if logos is None:
        logos = make_logo_resolver(lambda: shell_ref[0].remote if shell_ref else True, settings)
    logo_cache = LogoCache(logos, parent=window)
    store = guide.store if guide is not None else None
    now_next = GuideNowNext(store) if store is not None else None
    service = None
    if guide is not None and now_next is not None:  # the one GuideService
        service = GuideService(guide.store, settings, state, clear_now_next=now_next.clear,
                               extra_sources=guide.extra_sources, parent=window,
                               short_epg_accounts=lambda: short_epg_accounts(shell_ref[0].shown_sources
                                                                             if shell_ref else ()))
    parental = Parental(settings, window)
    # the one connection budget: the player's stream (through the zap cache when there is one) and recordings
    budget = zap_cache.budget if zap_cache is not None else \
        ConnectionBudget(settings.get_int("playback.connections_per_source"))
    streams = zap_cache.player if zap_cache is not None else StreamSlot(budget, "player")
    live = LiveScreen(window, player, state, settings, logos=logo_cache, now_next=now_next, lock=parental,
                      zap_cache=zap_cache, streams=streams)
    events.event.connect(live.on_player_event)
    loader = PlaylistLoader(window, max_playlist_bytes=lambda: limits_from("playlist", settings).max_bytes)
    shell = Shell(window, live, loader, settings, demo=demo, file_roots=file_roots)
    shell_ref.append(shell)

    catchup = CatchupScreen(live, shift_for(store))
    events.event.connect(catchup.on_player_event)
    archive = Archive(store.programme_at, catchup.url_for, catchup.shift) if store is not None else None
    timeshift = TimeshiftScreen(live, settings, budget, archive=archive)  # rewinds on into catch-up with a guide
    events.event.connect(timeshift.on_player_event)
    live.pause_live = timeshift.pause_live
    live.tuned.connect(timeshift.elsewhere)  # another channel chosen from the list, the guide or a reminder
    catchup.started.connect(timeshift.elsewhere)

    def tune_key(key: str) -> bool:
        index = live.lineup.index_of(key) if live.lineup is not None else None
        if index is None:
            window.notify(_("That channel is not in the channel list any more"), 4)
            return False
        live.tune(index)
        return True

    kept = timers_file.load(timers_file.path_in(state.path.parent))
    timers_ref: list[tuple[TimeKeeper, RecordingScheduler]] = []

    def save_timers() -> None:
        if timers_ref:
            timers_file.save_quietly(timers_file.path_in(state.path.parent), timers_ref[0][0].reminders.items(),
                                     timers_ref[0][1].schedule.items(), window.notify)

    replay, replayable = late_replay(live, catchup)
    timers = TimeKeeper(window, tune_key, player.stop, parent=window, reminders=kept.reminders, saved=save_timers,
                        replay=replay, replayable=replayable,
                        tunes_itself=lambda: settings.get_bool("live.reminder_tunes"),
                        playing=lambda: channel.key if (channel := live.current_channel()) is not None else None)
    scheduler = RecordingScheduler(window, live, settings, budget, items=kept.recordings, on_change=save_timers,
                                   parent=window)
    timers_ref.append((timers, scheduler))
    shell.playlist_loaded.connect(lambda _count: scheduler.check())  # the channels are there: start what is due
    shell.playlist_loaded.connect(lambda _count: timers.check())
    grid = None
    if service is not None:
        grid = GuideGridScreen(live, service.store.programmes, settings, catchup_available=catchup.available,
                               start_catchup=catchup.start, search=service.store.search, reminders=timers,
                               recordings=scheduler)
        service.changed.connect(grid.invalidate)
        service.changed.connect(live.guide_updated)
        service.problem.connect(lambda text: window.notify(text, 6))
    library = LibraryController(window, live, player, state, logo_cache, lock=parental)
    events.event.connect(library.vod.on_player_event)
    if grid is not None:  # the guide's search finds films and series too; OK opens them as the library does
        grid.titles = lambda: library.finder
        grid.open_title = library.open_title
    shell.library_loaded.connect(library.set_library)
    env = SettingsEnv(settings=settings, window=window, live=live, shell=shell, guide=service, parental=parental,
                      keymap=keymap, state=state, applied=appliers(settings, player, live, service, parental),
                      library=library, timers=timers, recordings=lambda: open_recordings(
                          window, recordings_folder(settings.get_str("recording.folder")), library.play, scheduler))
    live_recorder = LiveRecorder(window, live, settings, parent=window, budget=budget)
    navigation = Navigation(env, grid, service, record=live_recorder.toggle)
    dispatcher = install_dispatcher(keymap, window, navigation)
    player.set_volume(state.volume())
    player.set_mute(state.muted())
    messages = [*startup_messages, *state.problems, *(m for m in (kept.problem, scheduler.startup_message()) if m)]
    if messages:
        window.notify("  ·  ".join(messages), 8)
    built = App(window, live, shell, dispatcher, loader, logo_cache, player, state, settings, keymap, surface,
                parental, catchup, navigation, service, grid, library, timers, live_recorder, scheduler)
    built.timeshift = timeshift
    built.closers.append(timeshift.shutdown)
    built.closers.append(live_recorder.shutdown)
    built.closers.append(scheduler.shutdown)
    if service is not None:
        built.closers.append(service.shutdown)
    if isinstance(surface, VideoSurface):
        built.closers.append(surface.detach)  # libVLC must stop drawing into the surface before it is freed
    if store is not None:
        built.closers.append(store.close)
    if service is not None and guide is not None and guide.refresh_on_load:
        shell.playlist_loaded.connect(lambda _count: guide_playlist_loaded(built, service))
    window.closing.connect(built.close)
    return built


def late_replay(live: LiveScreen, catchup: CatchupScreen) -> tuple[Callable[[Reminder], bool],
                                                                      Callable[[Reminder], bool]]:
    """For a reminder whose programme has begun: play it from its start through catch-up, and whether its channel
    can (the channel's catch-up URL for the programme's times and guide ``catchup_id``)."""
    from settop.core.models import Channel, Programme

    def find(reminder: Reminder) -> tuple[int, Channel, Programme] | None:
        lineup = live.lineup
        index = lineup.index_of(reminder.channel_key) if lineup is not None else None
        if lineup is None or index is None:
            return None
        programme = Programme("", int(reminder.start), int(reminder.stop), reminder.title,
                              catchup_id=reminder.catchup_id)
        return index, lineup.channels[index], programme

    def replayable(reminder: Reminder) -> bool:
        found = find(reminder)
        return found is not None and catchup.url_for(found[1], found[2]) is not None

    def replay(reminder: Reminder) -> bool:
        found = find(reminder)
        return found is not None and catchup.start(*found)

    return replay, replayable


def short_epg_accounts(sources: Sequence[PlaylistSource]) -> list[tuple[str, ShortEpg]]:
    """The provider accounts among ``sources``: each one's live address prefix and its ``get_short_epg``."""
    from settop.core.sources.xtream_guide import live_prefix
    from settop.core.sources.xtream_source import XtreamSource

    out: list[tuple[str, ShortEpg]] = []
    for source in sources:
        if source.kind == "xtream" and source.enabled:
            client = XtreamSource(source).client()
            out.append((live_prefix(client), client.short_epg))
    return out


def install_dispatcher(keymap: Keymap, window: MainWindow, navigation: Navigation) -> KeyDispatcher:
    """The key dispatcher as the application's event filter, for the window and its overlay panels; Guide and
    Menu fall back to ``navigation`` when nothing on screen uses them."""
    from PyQt6.QtWidgets import QApplication

    from settop.ui.dispatcher import KeyDispatcher
    from settop.ui.widgets.overlay import Panel

    def owns(widget: QWidget) -> bool:
        top = widget.window()
        return top is window or isinstance(top, Panel)

    dispatcher = KeyDispatcher(keymap, window, owns, fallback=navigation.actions, parent=window)
    qt_app = QApplication.instance()
    assert qt_app is not None, "compose() needs a QApplication"
    qt_app.installEventFilter(dispatcher)
    window.destroyed.connect(lambda: qt_app.removeEventFilter(dispatcher))
    return dispatcher


def guide_playlist_loaded(app: App, service: GuideService) -> None:
    """The lineup loaded: fill the guide from every playlist's own guide URLs, ``--epg`` and the ``guide.sources``
    setting, then on the shortest refresh interval of the playlists."""
    lineup, sources = app.live.lineup, app.shell.sources
    if lineup is None:
        return
    hours = min((s.refresh_hours for s in sources if s.refresh_hours > 0), default=24.0)
    service.playlist_loaded(lineup.channels, app.shell.guide_urls(), hours)


class DemoRunner:
    """Starts the bundled demo server on first use (``settop --demo``, "Watch the demo channels") and stops it."""

    def __init__(self) -> None:
        self.server: DemoServer | None = None

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


def account_source(args: argparse.Namespace) -> PlaylistSource | None:
    """The provider account named by ``--xtream``/``--username``/``--password``, or None; raises XtreamError
    (in words, no password) for an unusable address."""
    if not getattr(args, "xtream", None):
        return None
    from settop.core.sources.xtream import account_from_address
    from settop.core.state.settings import PlaylistSource

    account = account_from_address(args.xtream, args.username or "", args.password or "")
    return PlaylistSource(source=account.server, name=account.host, kind="xtream", username=account.username,
                          password=account.password)


def run(args: argparse.Namespace) -> int:
    """Start the application; ends the process with its exit code once everything is closed."""
    qt_app, app = create(args)
    code = qt_app.exec()
    app.close()
    if app.window.exit_code == app.window.RESTART:  # Menu › Power › Restart settop
        log.info("restarting")
        logging.shutdown()
        os.execv(sys.executable, restart_command())
    # Everything is stopped, saved and closed above. Leaving through the interpreter's own teardown would then free
    # Qt's widgets and libVLC's instance in whatever order the garbage collector picks, which crashed (SIGSEGV) now
    # and then after zapping under the native backend: leave at once instead, with the logs flushed.
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(int(code))


def restart_command() -> list[str]:
    """The command line that starts this settop again, with the arguments it was started with."""
    return [sys.executable, "-m", "settop", *sys.argv[1:]]


def open_guide_store() -> GuideStore | None:
    """The guide database in the cache folder, or None when it cannot be opened (the live UI works without)."""
    from settop.core.guide.store import GuideStore

    try:
        return GuideStore()
    except Exception as exc:  # the live UI works without a guide
        log.warning("the guide could not be opened: %s", exc)
        return None


def create(args: argparse.Namespace, *, frames_size: tuple[int, int] = FRAMES_SIZE) -> tuple[QApplication, App]:
    """Everything ``run`` does before the event loop: the QApplication and the shown, started app."""
    from PyQt6.QtCore import Qt
    from PyQt6.QtWidgets import QApplication

    from settop.core.net.budget import ConnectionBudget
    from settop.core.net.zapcache import ZapCache
    from settop.core.state.settings import Settings
    from settop.core.state.store import StateStore
    from settop.input.keymap import Keymap, user_keymap_path
    from settop.player.tuning import apply_at_start, player_options
    from settop.player.vlc import VlcPlayer
    from settop.ui import qtlog
    from settop.ui.bridge import PlayerBridge
    from settop.ui.video import BACKENDS, choose_backend, make_surface, native_output

    qtlog.install()  # Qt's own messages through logging: redacted, filtered, leveled like ours
    QApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts, True)
    existing = QApplication.instance()
    qt_app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    qt_app.setApplicationName("settop")
    settings, messages = Settings.load()
    from settop.i18n import _, preferred_languages
    from settop.ui.i18n_qt import apply_language

    apply_language(settings.get_str("ui.language"), settings.get_str("ui.digits"))
    state = StateStore()
    keymap, keymap_warnings = Keymap.load(user_path=user_keymap_path(), overrides=keymap_overrides(settings))
    messages += [_("Keymap: {problem}").format(problem=w) for w in keymap_warnings]
    backend = args.backend or settings.get_str("video.backend")
    outputs: tuple[str, ...] = ()
    if choose_backend(backend if backend in BACKENDS else "auto")[0] == "native":
        outputs, why = native_output()
        log.info("native video output: %s", why)
    player = VlcPlayer(
        outputs,
        **player_options(settings),
        audio_languages=preferred_languages(settings.get_list("playback.audio_languages")),
        subtitle_languages=settings.get_list("playback.subtitle_languages"),
    )
    apply_at_start(player, settings)
    demo = DemoRunner()
    zap_cache = ZapCache(ConnectionBudget(settings.get_int("playback.connections_per_source")))
    player.network_failure = zap_cache.network_failure
    surface = make_surface(backend, frame_size=frames_size)
    store = open_guide_store()
    app = compose(settings=settings, state=state, keymap=keymap, player=player, events=PlayerBridge(player),
                  surface=surface, guide=GuideSetup(store, list(args.epg or [])) if store is not None else None,
                  native_overlays=surface.native, demo=demo, startup_messages=messages, zap_cache=zap_cache)
    app.closers.append(demo.stop)
    app.closers.append(zap_cache.close)
    surface.attach(player)
    qt_app.aboutToQuit.connect(app.close)
    remembered = state.window_state()
    # "Start full screen" (and --windowed) decide; the remembered window only says where a window goes.
    app.window.start(fullscreen=settings.get_bool("ui.fullscreen") and not args.windowed,
                     geometry=remembered.geometry if remembered is not None else b"")
    app.shell.start(args.playlist, demo=args.demo, demo_if_empty=bool(args.demo_if_empty),
                    account=account_source(args))
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
