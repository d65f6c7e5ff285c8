"""The one guide ingest path: after a playlist load, with the guide settings, off the GUI thread, on the playlist's
interval, the fetcher's saved copy when a source fails, and failures in the status area."""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from PyQt6.QtCore import Qt

from settop import app as app_module
from settop.core.guide.store import GuideStore
from settop.core.net.fetch import FetchError, fetch
from settop.core.state.settings import Settings
from tests.ui.conftest import load, press
from tests.ui.fakes import FakeBridge, FakePlayer
from tests.ui.guidefixtures import write_guide


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class GuideServer:
    """Serves a folder on 127.0.0.1 until ``stop()``."""

    def __init__(self, root: Path) -> None:
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.running = True

    def stop(self) -> None:
        if self.running:
            self.running = False
            self.httpd.shutdown()
            self.httpd.server_close()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[GuideServer]:
    root = tmp_path / "www"
    root.mkdir()
    write_guide(root / "guide.xml", time.time(), hours_back=30, hours_ahead=54)
    server = GuideServer(root)
    yield server
    server.stop()


def playlist(folder: Path, guide_url: str) -> Path:
    path = folder / "guided.m3u"
    path.write_text(
        f'#EXTM3U url-tvg="{guide_url}"\n'
        '#EXTINF:-1 tvg-chno="1" tvg-id="red.one" group-title="Colours",Red One\nhttp://127.0.0.1:9/red\n'
        '#EXTINF:-1 tvg-chno="2" tvg-id="green.two" group-title="Colours",Green Two\nhttp://127.0.0.1:9/green\n',
        encoding="utf-8")
    return path


def guided_app(make_app: Callable[..., app_module.App], extra: list[str] | None = None) -> app_module.App:
    """What ``settop.app.create`` does for the guide, on a test-built app with a fake player."""
    player = FakePlayer()
    events = FakeBridge(player)
    return make_app(player=player, events=events, guide=app_module.GuideSetup(GuideStore(), extra or []))


def test_playlist_load_ingests_with_the_guide_settings_off_the_gui_thread(qtbot: Any, make_app: Any,
                                                                          served: GuideServer, tmp_path: Path) -> None:
    settings, _ = Settings.load()
    settings.set("guide.past_days", 0)
    settings.set("guide.future_days", 1)
    settings.set("guide.languages", ["fr", "en"])
    settings.save()
    app = guided_app(make_app)
    service = app.guide
    assert service is not None and service is app.guide
    seen: list[tuple[str, dict[str, Any]]] = []
    ingest = service.store.ingest

    def recording_ingest(*args: Any, **kwargs: Any) -> Any:
        seen.append((threading.current_thread().name, kwargs))
        return ingest(*args, **kwargs)

    service.store.ingest = recording_ingest  # type: ignore[method-assign]
    with qtbot.waitSignal(service.finished, timeout=20000) as finished:
        load(qtbot, app, playlist(tmp_path, f"{served.base}/guide.xml"))
    run = finished.args[0]
    assert run.sources_ok == 1 and not run.failures and run.programmes > 0
    [(thread, kwargs)] = seen
    assert thread == "guide-refresh"
    assert kwargs["window"] == (0, 86400) and kwargs["languages"] == ("fr", "en")
    keys = [c.key for c in app.live.lineup.channels]
    stored = service.store.programmes(keys, time.time() - 3 * 86400, time.time() + 3 * 86400)
    starts = [p.start for programmes in stored.values() for p in programmes]
    assert starts and max(starts) <= time.time() + 86400 and min(starts) >= time.time() - 3600
    now, _next = service.store.now_next([keys[0]], time.time())[keys[0]]
    assert now is not None and app.live.now_next is not None
    assert app.live.now_next(app.live.lineup.channels[0]).now == now
    # the next automatic refresh follows the playlist's interval (24 h by default)
    assert service.timer.isActive() and service.timer.interval() == 24 * 3600 * 1000


@pytest.mark.allow_warnings  # the fetcher warns when it serves the saved copy
def test_failing_source_reads_the_saved_copy_then_reports_and_retries_sooner(
        qtbot: Any, make_app: Any, served: GuideServer, tmp_path: Path) -> None:
    url = f"{served.base}/guide.xml"
    app = guided_app(make_app, extra=[])
    service = app.guide
    assert service is not None
    with qtbot.waitSignal(service.finished, timeout=20000):
        load(qtbot, app, playlist(tmp_path, url))
    served.stop()
    # the scheduled refresh asks the server again (no max_age): it is gone, the saved copy is read instead
    with qtbot.waitSignal(service.problem, timeout=20000) as problem:
        service._scheduled()
    assert "saved copy" in problem.args[0]
    qtbot.waitUntil(lambda: not service.busy)
    assert service.last is not None and service.last.sources_ok == 1 and service.last.stale
    assert app.window.toast.isVisible() and "saved copy" in app.window.toast.text.text()
    # a source never fetched before has no saved copy: a failure, shown, and a retry within a minute
    missing = "http://127.0.0.1:9/nothing.xml"
    with pytest.raises(FetchError):
        fetch(missing, kind="guide")
    with qtbot.waitSignal(service.finished, timeout=20000) as finished:
        assert service.refresh(service.channels, (missing,))
    assert finished.args[0].failures
    assert "Guide" in app.window.toast.text.text() and "127.0.0.1" in app.window.toast.text.text()
    assert service.timer.isActive() and service.timer.interval() <= 60_000


def test_a_new_playlist_while_reading_cancels_and_reads_for_the_new_channels(
        qtbot: Any, make_app: Any, served: GuideServer, tmp_path: Path) -> None:
    app = guided_app(make_app)
    service = app.guide
    assert service is not None
    first = playlist(tmp_path, f"{served.base}/guide.xml")
    second_folder = tmp_path / "second"
    second_folder.mkdir()
    second = playlist(second_folder, f"{served.base}/guide.xml")
    second.write_text(second.read_text().replace("Green Two", "Green Again"), encoding="utf-8")
    runs: list[Any] = []
    service.finished.connect(runs.append)
    load(qtbot, app, first)
    assert service.busy
    press(qtbot, app, Qt.Key.Key_G)  # Guide while reading: the grid opens and the toast says the guide is read
    assert app.window.active() is app.grid
    assert app.window.toast.isVisible() and "uide" in app.window.toast.text.text()
    press(qtbot, app, Qt.Key.Key_Escape)
    load(qtbot, app, second)  # while the first read may still run: it is cancelled or followed by a second
    # A read left pending starts within the slot that ends the one before, so "not busy" after a run is settled.
    qtbot.waitUntil(lambda: not service.busy and bool(runs), timeout=20000)
    assert {c.name for c in service.channels} == {"Red One", "Green Again"}
    assert runs[-1].sources_ok == 1


def test_compose_builds_one_guide_service_wired_through_constructors(make_app: Callable[..., app_module.App]) -> None:
    """One composition function: one GuideService on the given store; the parental lock reaches the live screen
    and the channel list through their constructors; Guide and Menu reach the grid and settings as the
    dispatcher's fallback (nothing is injected after construction)."""
    from settop.input.buttons import Action
    from settop.ui.guide.service import GuideService

    app = guided_app(make_app)
    assert app.window.findChildren(GuideService) == [app.guide]
    assert app.live.lock is app.parental and app.live.channel_list.lock is app.parental
    assert app.grid is not None and app.grid.model is not None
    fallback = app.dispatcher.fallback
    assert fallback[Action.guide] == app.navigation.open_guide and fallback[Action.menu] == app.navigation.open_settings
    bare = make_app()
    assert bare.guide is None and bare.grid is None and not bare.window.findChildren(GuideService)


def test_switching_playlists_forgets_what_belonged_to_the_old_one(qtbot: Any, make_app: Any, served: GuideServer,
                                                                  tmp_path: Path) -> None:
    app = guided_app(make_app)
    service = app.guide
    assert service is not None
    with qtbot.waitSignal(service.finished, timeout=20000):
        load(qtbot, app, playlist(tmp_path, f"{served.base}/guide.xml"))
    assert len(service.store.sources()) == 1
    app.live.channel_list.set_query("red")  # a search in the old lineup's channel list
    other = tmp_path / "other.m3u"
    other.write_text("#EXTM3U\n#EXTINF:-1,Plain One\nhttp://127.0.0.1:9/p1\n", encoding="utf-8")
    load(qtbot, app, other)
    assert service.store.sources() == []  # the old playlist's guide is not attached to the new channels
    assert app.live.channel_list.query == ""
    assert service.store.now_next([app.live.lineup.channels[0].key], time.time()) == {}
