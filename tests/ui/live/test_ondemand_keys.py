"""A live-lineup entry that plays as on demand, by key events through the real dispatcher (the fake player reports
``on_demand`` as the real one does; tests/ui/live/test_ondemand_vlc.py is the libVLC run): the seek bar's keys,
Right forward in Arabic too (the bar is drawn left to right), CH+ still zaps, Back stops and OK plays it again."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PyQt6.QtCore import Qt

from settop import app as app_module
from settop.ui.i18n_qt import apply_language
from tests.ui.conftest import load, press
from tests.ui.fakes import FakeBridge, FakePlayer


@pytest.fixture
def tv(qtbot: Any, make_app: Callable[..., app_module.App]) -> Iterator[tuple[app_module.App, FakePlayer]]:
    player = FakePlayer()
    app = make_app(player=player, events=FakeBridge(player))
    load(qtbot, app)
    qtbot.waitUntil(lambda: player.request is not None)
    player.emit("first_frame")
    player.continue_on_demand()  # what the zap cache's finished playlist makes the live screen ask for
    qtbot.waitUntil(lambda: app.window.active() is app.live.vod)
    yield app, player
    apply_language("en", "auto")


@pytest.mark.parametrize("code", ["en", "ar"])
def test_right_skips_forward_in_either_direction_of_writing(qtbot: Any, tv: tuple[app_module.App, FakePlayer],
                                                             code: str) -> None:
    app, player = tv
    apply_language(code, "auto")
    assert player.request is not None and not player.request.live
    press(qtbot, app, Qt.Key.Key_Right)
    assert app.live.vod.position_ms == 10_000
    press(qtbot, app, Qt.Key.Key_Left)
    assert app.live.vod.position_ms == 0


@pytest.mark.parametrize("key", [Qt.Key.Key_ChannelUp, Qt.Key.Key_PageUp])
def test_ch_plus_zaps_away_and_the_bar_goes(qtbot: Any, tv: tuple[app_module.App, FakePlayer], key: Qt.Key) -> None:
    app, player = tv
    film = app.live.current_key()
    press(qtbot, app, key)
    assert app.live.current_key() != film and not app.window.has(app.live.vod)
    assert player.request is not None and player.request.live and app.live.vod.item is None


def test_back_stops_and_ok_plays_it_again(qtbot: Any, tv: tuple[app_module.App, FakePlayer]) -> None:
    app, player = tv
    key, played = app.live.current_key(), len(player.played)
    press(qtbot, app, Qt.Key.Key_Escape)
    assert not app.window.has(app.live.vod) and app.window.active() is app.live
    assert app.live.status.kind == "ended" and app.live.status.text.text() == "Stopped"
    player._request = None  # what stop leaves in the real player
    press(qtbot, app, Qt.Key.Key_Return)  # OK: the same entry from its start
    assert len(player.played) == played + 1 and player.played[-1].channel_key == key and player.played[-1].live
