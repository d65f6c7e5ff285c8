"""Guide on screen with real libVLC on loopback streams: now/next, grid navigation, tuning and catch-up from it."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import QLabel

from settop import app as app_module
from settop.ui.guide.model import DAY
from tests.helpers.streamserver import StreamServer
from tests.ui.conftest import load, press
from tests.ui.guidefixtures import SLOT, make_store, title, vlc_guide_app, write_guide, write_playlist
from tests.ui.vlcfixtures import GREEN, RED, wait_picture


@pytest.fixture
def guided(tmp_path: Path, stream_server: StreamServer, make_app: Callable[..., app_module.App]) -> Any:
    guide = write_guide(tmp_path / "guide.xml", time.time())
    playlist = write_playlist(tmp_path, stream_server, guide)
    store = make_store(tmp_path, playlist, guide)
    return vlc_guide_app(make_app, store), playlist


def _now_title(guide_id: str) -> str:
    return title(guide_id, int(time.time()) // SLOT * SLOT)


def test_osd_and_list_show_now_next(qtbot: Any, guided: Any) -> None:
    app, playlist = guided
    load(qtbot, app, playlist)
    wait_picture(qtbot, app, RED)
    press(qtbot, app, Qt.Key.Key_I)
    texts = [label.text() for label in app.live.banner.findChildren(QLabel)]
    assert any(_now_title("red.one") in text for text in texts), texts
    press(qtbot, app, Qt.Key.Key_Return)
    assert app.window.has(app.live.channel_list)
    channel = app.live.channel_list.focused_channel()
    info = app.live.channel_list.delegate.now_next(channel)
    assert info is not None and info.now is not None and info.now.title == _now_title("red.one")
    assert info.next is not None and info.next.start == info.now.stop


def test_grid_moves_by_programme_page_and_day_and_tunes(qtbot: Any, guided: Any) -> None:
    app, playlist = guided
    load(qtbot, app, playlist)
    wait_picture(qtbot, app, RED)
    press(qtbot, app, Qt.Key.Key_Guide)
    grid = app.grid
    assert grid is not None and app.window.active() is grid
    model = grid.model
    now_start = int(time.time()) // SLOT * SLOT
    assert model.focused().start == now_start and model.focused_channel().name == "Red One"
    press(qtbot, app, Qt.Key.Key_Right, Qt.Key.Key_Right)
    assert model.focused().start == now_start + 2 * SLOT
    press(qtbot, app, Qt.Key.Key_Left)
    assert model.focused().start == now_start + SLOT
    for _ in range(6):  # past the window's right edge: the window follows the focus
        press(qtbot, app, Qt.Key.Key_Right)
    assert model.focused().start == now_start + 7 * SLOT
    assert model.start <= model.focused().start < model.start + model.span
    press(qtbot, app, Qt.Key.Key_Yellow)  # next day
    assert model.focused().start == now_start + 7 * SLOT + DAY
    press(qtbot, app, Qt.Key.Key_Green, Qt.Key.Key_Green)  # back two days
    assert model.focused().start == now_start + 7 * SLOT - DAY
    press(qtbot, app, Qt.Key.Key_Red)  # back to now
    assert model.focused().start == now_start
    press(qtbot, app, Qt.Key.Key_PageDown)
    assert model.row == len(model.channels) - 1  # four channels fit one page: P- goes to the last
    press(qtbot, app, Qt.Key.Key_PageUp, Qt.Key.Key_Down)
    assert model.focused_channel().name == "Green Two"
    assert model.queries < 20  # only visible windows were asked for
    with qtbot.waitSignal(app.live.tuned, timeout=5000) as tuned:
        press(qtbot, app, Qt.Key.Key_Return)
    assert tuned.args[0] == model.channels[1].key
    assert not app.window.has(grid)
    wait_picture(qtbot, app, GREEN)
    # OK on a future programme sets a reminder (tests/ui/test_timers.py); Info shows its details.
    press(qtbot, app, Qt.Key.Key_Guide, Qt.Key.Key_Down, Qt.Key.Key_Right, Qt.Key.Key_Right)
    press(qtbot, app, Qt.Key.Key_I)
    assert grid.dialog is not None and app.window.active() is grid.dialog
    press(qtbot, app, Qt.Key.Key_Escape, Qt.Key.Key_Escape)
    assert app.window.active() is app.live
    wait_picture(qtbot, app, GREEN)  # the grid never stopped the video


def test_catchup_from_grid_plays_the_recorded_url_and_seeks(qtbot: Any, guided: Any,
                                                            stream_server: StreamServer) -> None:
    app, playlist = guided
    load(qtbot, app, playlist)
    wait_picture(qtbot, app, RED)
    stream_server.clear_log()
    press(qtbot, app, Qt.Key.Key_Guide, Qt.Key.Key_Left, Qt.Key.Key_Left)
    programme = app.grid.model.focused()
    assert programme.stop <= time.time()
    with qtbot.waitSignal(app.grid.activated) as what:
        press(qtbot, app, Qt.Key.Key_Return)
    assert what.args == ["catchup"]
    assert app.window.active() is app.catchup
    qtbot.waitUntil(lambda: bool(stream_server.requests("/ch1/live/index.m3u8")), timeout=10000)
    query = parse_qs(stream_server.requests("/ch1/live/index.m3u8")[0].query)
    assert query == {"utc": [str(programme.start)], "end": [str(programme.stop)], "d": [str(SLOT)]}
    assert app.player.request is not None and not app.player.request.live
    wait_picture(qtbot, app, RED)
    qtbot.waitUntil(lambda: app.player.position()[1] > 0, timeout=10000)
    before = app.catchup.position_ms
    press(qtbot, app, Qt.Key.Key_Right)  # skip forward 30 s (clamped to the 40 s recording)
    assert app.catchup.position_ms >= before + 20_000
    qtbot.waitUntil(lambda: app.player.position()[0] >= 20_000, timeout=10000)
    press(qtbot, app, Qt.Key.Key_Return)  # pause
    assert app.catchup.paused
    press(qtbot, app, Qt.Key.Key_Left)
    qtbot.waitUntil(lambda: app.player.position()[0] < 20_000, timeout=10000)
    with qtbot.waitSignal(app.live.tuned, timeout=5000):
        press(qtbot, app, Qt.Key.Key_Escape)  # leave: back to live
    assert app.window.active() is app.live
    assert app.player.request.live and app.player.request.url == stream_server.live_url("ch1")


def test_catchup_url_follows_the_shift_mode(qtbot: Any, guided: Any) -> None:
    app, playlist = guided
    load(qtbot, app, playlist)
    lineup = app.live.lineup
    channel = lineup.channels[1]
    programme = app.grid.model.query([channel.key], time.time() - 3 * SLOT, time.time() - 2 * SLOT)[channel.key][0]
    url = app.catchup.url_for(channel, programme)
    assert url == f"{channel.url}?utc={programme.start}&lutc={int(time.time())}" or url.startswith(
        f"{channel.url}?utc={programme.start}&lutc=")


def test_manual_mapping_persists_and_is_used(qtbot: Any, tmp_path: Path, stream_server: StreamServer,
                                            make_app: Callable[..., app_module.App]) -> None:
    from settop.core.state.store import StateStore
    from tests.ui.fakes import FakeBridge, FakePlayer
    from tests.ui.guidefixtures import ready_guide
    from tests.ui.settings.test_settings import Remote

    guide = write_guide(tmp_path / "guide.xml", time.time())
    playlist = write_playlist(tmp_path, stream_server, guide)
    store = make_store(tmp_path, playlist, guide)
    player = FakePlayer()
    events = FakeBridge(player)
    app = make_app(player=player, events=events, guide=ready_guide(store))
    load(qtbot, app, playlist)
    lingo = app.live.lineup.channels[3]
    assert lingo.key not in store.now_next([lingo.key], time.time())
    press(qtbot, app, Qt.Key.Key_Menu)
    remote = Remote(qtbot, app)
    remote.ok("Guide matching")
    assert remote.value("Channels with guide data") == "3 of 4"
    rules = {row.label: row.value for row in remote.screen.rows if " · " in row.value}
    assert len(rules) == 3 and all(value.endswith((" · tvg-id", " · tvg-name", " · name")) for value in rules.values())
    remote.ok("Multi Lingo")
    assert remote.screen.rows[0].label == "multi.lingual.tv (Multi Lingual Tv)"
    with qtbot.waitSignal(app.guide.finished, timeout=20000):
        remote.ok("multi.lingual.tv")
    assert StateStore().guide_mappings() == {lingo.key: "multi.lingual.tv"}
    assert remote.value("Channels with guide data") == "4 of 4"
    now, _next = store.now_next([lingo.key], time.time())[lingo.key]
    assert now is not None and now.channel_id == "multi.lingual.tv"
