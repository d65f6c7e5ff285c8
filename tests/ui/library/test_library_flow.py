"""Movies and Series with the remote, on the real window and dispatcher around a fake player: a provider account
loads, Menu › Movies, a poster, the detail page, Play, positions saved, Back, Resume, the end; a series' episodes and
the next episode; "Continue watching" first; live TV back when the library closes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PyQt6.QtCore import Qt

from settop import app as app_module
from settop.core.state.settings import PlaylistSource, Settings, hash_pin
from settop.player.base import PlayerState
from settop.ui.library.detail import DetailScreen
from settop.ui.library.playback import VodScreen
from settop.ui.library.screen import LibraryScreen
from settop.ui.widgets.pin import PinPrompt
from tests.helpers.xtreamserver import PASSWORD, USERNAME, XtreamServer
from tests.ui.conftest import press
from tests.ui.fakes import FakeBridge, FakePlayer


@pytest.fixture
def server() -> Iterator[XtreamServer]:
    with XtreamServer() as running:
        yield running


@pytest.fixture
def tv(qtbot: Any, make_app: Callable[..., app_module.App], server: XtreamServer) -> tuple[app_module.App, FakePlayer]:
    player = FakePlayer()
    app = make_app(player=player, events=FakeBridge(player))
    account = PlaylistSource(source=server.server, name="Provider", kind="xtream", username=USERNAME,
                             password=PASSWORD)
    with qtbot.waitSignal(app.shell.playlist_loaded, timeout=10000):
        app.shell.load(account)
    return app, player


def open_from_menu(qtbot: Any, app: app_module.App, row: str) -> LibraryScreen:
    press(qtbot, app, Qt.Key.Key_Menu)
    settings = app.window.active()
    while settings.focused().label != row:
        press(qtbot, app, Qt.Key.Key_Down)
    press(qtbot, app, Qt.Key.Key_Return)
    screen = app.window.active()
    assert isinstance(screen, LibraryScreen)
    return screen


def open_detail(qtbot: Any, app: app_module.App) -> DetailScreen:
    press(qtbot, app, Qt.Key.Key_Return)
    detail = app.window.active()
    assert isinstance(detail, DetailScreen)
    qtbot.waitUntil(lambda: detail.message != "Loading…", timeout=10000)
    return detail


def button_labels(detail: DetailScreen) -> list[str]:
    return [label for label, _run in detail.buttons()]


def test_a_film_plays_as_on_demand_and_resumes(qtbot: Any, tv: tuple[app_module.App, FakePlayer]) -> None:
    app, player = tv
    live_request = player.played[-1]
    assert live_request.live
    movies = open_from_menu(qtbot, app, "Movies")
    assert [name for name, _view in movies.rows] == ["All", "Drama", "Comedy"]
    press(qtbot, app, Qt.Key.Key_Right)
    assert movies.focused_title() is not None and movies.focused_title().name == "Film 1"
    detail = open_detail(qtbot, app)
    assert detail.details.plot == "A short test film." and detail.details.cast == "Ann Actor, Bob Actor"
    assert button_labels(detail) == ["Play"]
    press(qtbot, app, Qt.Key.Key_Return)
    request = player.played[-1]
    assert not request.live and request.start_position_ms == 0
    assert request.url.endswith(f"/movie/{USERNAME}/{PASSWORD}/1001.ts")
    assert not request.local_ok  # a provider's film may not name local files (the address gate)
    vod = app.window.active()
    assert isinstance(vod, VodScreen)
    player.emit("position", PlayerState.PLAYING, position_ms=75_000, length_ms=600_000)
    qtbot.waitUntil(lambda: app.state.resume_point(request.channel_key) is not None)
    player.emit("position", PlayerState.PLAYING, position_ms=80_000, length_ms=600_000)
    qtbot.waitUntil(lambda: vod.position_ms == 80_000)
    press(qtbot, app, Qt.Key.Key_Escape)  # Back: stop, the position is kept
    assert app.window.active() is detail
    point = app.state.resume_point(request.channel_key)
    assert point is not None and point.position_ms == 80_000 and not point.watched
    assert button_labels(detail) == ["Resume from 1:20", "Start over"]
    press(qtbot, app, Qt.Key.Key_Return)
    assert player.played[-1].start_position_ms == 80_000
    player.emit("ended", PlayerState.ENDED)
    qtbot.waitUntil(lambda: app.window.active() is detail)
    ended = app.state.resume_point(request.channel_key)
    assert ended is not None and ended.watched
    assert button_labels(detail) == ["Play"]
    press(qtbot, app, Qt.Key.Key_Escape)  # the detail page closes
    assert app.window.active() is movies
    press(qtbot, app, Qt.Key.Key_Escape)  # the library closes: live TV comes back
    assert player.played[-1].live and player.played[-1].channel_key == live_request.channel_key


def test_unfinished_titles_come_first(qtbot: Any, tv: tuple[app_module.App, FakePlayer]) -> None:
    app, player = tv
    open_from_menu(qtbot, app, "Movies")
    press(qtbot, app, Qt.Key.Key_Right, Qt.Key.Key_Right)
    detail = open_detail(qtbot, app)
    press(qtbot, app, Qt.Key.Key_Return)
    player.emit("position", PlayerState.PLAYING, position_ms=120_000, length_ms=600_000)
    qtbot.waitUntil(lambda: app.state.resume_point(player.played[-1].channel_key) is not None)
    press(qtbot, app, Qt.Key.Key_Escape, Qt.Key.Key_Escape)
    movies = app.window.active()
    assert isinstance(movies, LibraryScreen) and detail is not app.window.active()
    assert movies.rows[0][0] == "Continue watching"
    assert [movies.index.titles[i].name for i in movies.rows[0][1]] == ["Film 2"]


def test_a_series_plays_its_episodes_and_offers_the_next(qtbot: Any, tv: tuple[app_module.App, FakePlayer]) -> None:
    app, player = tv
    open_from_menu(qtbot, app, "Series")
    press(qtbot, app, Qt.Key.Key_Right)
    detail = open_detail(qtbot, app)
    assert detail.info is not None and [s.name for s in detail.info.seasons] == ["Season 1", "Season 2"]
    assert [e.title for e in detail.episodes()] == ["S1E1", "S1E2"]
    press(qtbot, app, Qt.Key.Key_Down, Qt.Key.Key_Return)  # the second episode of season 1
    assert player.played[-1].url.endswith(f"/series/{USERNAME}/{PASSWORD}/102.ts") and not player.played[-1].live
    player.emit("ended", PlayerState.ENDED)
    vod = app.window.active()
    assert isinstance(vod, VodScreen)
    qtbot.waitUntil(lambda: vod.ended)
    assert vod.item is not None and vod.item.next_item is not None and vod.item.next_item.name.endswith("S2E1")
    press(qtbot, app, Qt.Key.Key_Return)  # OK plays the next episode, from its start
    assert player.played[-1].url.endswith("/201.ts") and player.played[-1].start_position_ms == 0


def test_a_locked_category_asks_for_the_pin(qtbot: Any, make_app: Callable[..., app_module.App],
                                            server: XtreamServer) -> None:
    settings, _notes = Settings.load()
    settings.set("parental.pin_hash", hash_pin("1234"))
    settings.set("parental.locked_groups", ["Comedy"])  # Film 1 is a comedy
    settings.save()
    player = FakePlayer()
    app = make_app(player=player, events=FakeBridge(player))
    with qtbot.waitSignal(app.shell.playlist_loaded, timeout=10000):
        app.shell.load(PlaylistSource(source=server.server, name="Provider", kind="xtream", username=USERNAME,
                                      password=PASSWORD))
    open_from_menu(qtbot, app, "Movies")
    press(qtbot, app, Qt.Key.Key_Right, Qt.Key.Key_Return)
    prompt = app.window.active()
    assert isinstance(prompt, PinPrompt)
    press(qtbot, app, "0000")
    assert app.window.active() is prompt and prompt.message == "Wrong PIN. Try again."
    press(qtbot, app, "1234")
    detail = app.window.active()
    assert isinstance(detail, DetailScreen) and detail.title.name == "Film 1"
    assert app.library is not None and "Comedy" in app.library.categories()


def test_blue_searches_titles(qtbot: Any, tv: tuple[app_module.App, FakePlayer]) -> None:
    app, _player = tv
    movies = open_from_menu(qtbot, app, "Movies")
    press(qtbot, app, Qt.Key.Key_Blue)
    app.window.active().keyboard.set_text("")
    press(qtbot, app, "film 3", Qt.Key.Key_Blue)  # Blue: done
    assert app.window.active() is movies
    assert movies.rows[0][0] == "Search: “film 3”"
    assert [movies.index.titles[i].name for i in movies.rows[0][1]] == ["Film 3"]
    assert movies.focused_title() is not None and movies.focused_title().name == "Film 3"


def test_resume_survives_a_restart(qtbot: Any, make_app: Callable[..., app_module.App],
                                   server: XtreamServer) -> None:
    def start() -> tuple[app_module.App, FakePlayer]:
        player = FakePlayer()
        app = make_app(player=player, events=FakeBridge(player))
        with qtbot.waitSignal(app.shell.playlist_loaded, timeout=10000):
            app.shell.load(PlaylistSource(source=server.server, name="Provider", kind="xtream", username=USERNAME,
                                          password=PASSWORD))
        return app, player

    app, player = start()
    open_from_menu(qtbot, app, "Movies")
    press(qtbot, app, Qt.Key.Key_Right)
    open_detail(qtbot, app)
    press(qtbot, app, Qt.Key.Key_Return)
    vod = app.window.active()
    assert isinstance(vod, VodScreen)
    player.emit("position", PlayerState.PLAYING, position_ms=95_000, length_ms=600_000)
    qtbot.waitUntil(lambda: vod.position_ms == 95_000)
    press(qtbot, app, Qt.Key.Key_Escape)
    app.close()
    again, player = start()  # a new app on the same state.db: settop was restarted
    movies = open_from_menu(qtbot, again, "Movies")
    assert movies.rows[0][0] == "Continue watching"
    press(qtbot, again, Qt.Key.Key_Right)
    detail = open_detail(qtbot, again)
    assert button_labels(detail) == ["Resume from 1:35", "Start over"]
    press(qtbot, again, Qt.Key.Key_Return)
    assert player.played[-1].start_position_ms == 95_000


def test_a_refresh_keeps_the_open_screen(qtbot: Any, tv: tuple[app_module.App, FakePlayer],
                                         server: XtreamServer) -> None:
    app, _player = tv
    movies = open_from_menu(qtbot, app, "Movies")
    server.panel.movies = 6
    assert app.library is not None
    with qtbot.waitSignal(app.shell.playlist_loaded, timeout=10000):
        app.shell.load(PlaylistSource(source=server.server, name="Provider", kind="xtream", username=USERNAME,
                                      password=PASSWORD))
    assert app.window.active() is movies and len(movies.rows[0][1]) == 6


def test_a_local_playlists_film_may_be_a_local_file(qtbot: Any, make_app: Callable[..., app_module.App],
                                                    tmp_path: Path) -> None:
    film = tmp_path / "home-video.ts"
    film.write_bytes(b"")
    playlist = tmp_path / "mine.m3u"
    playlist.write_text(f'#EXTM3U\n#EXTINF:-1,Live\nhttp://127.0.0.1:9/live.ts\n'
                        f'#EXTINF:-1 media="true" group-title="Home",Holiday\n{film}\n', encoding="utf-8")
    player = FakePlayer()
    app = make_app(player=player, events=FakeBridge(player))
    with qtbot.waitSignal(app.shell.playlist_loaded, timeout=10000):
        app.shell.load(PlaylistSource(source=str(playlist), name="Mine"))
    open_from_menu(qtbot, app, "Movies")
    press(qtbot, app, Qt.Key.Key_Right)
    open_detail(qtbot, app)
    press(qtbot, app, Qt.Key.Key_Return)
    request = player.played[-1]
    assert request.url == str(film) and not request.live and request.local_ok
