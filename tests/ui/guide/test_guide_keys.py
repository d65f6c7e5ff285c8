"""The guide grid's keys do what its hint and docs/keymap.md say: digits jump to a channel number (with the number
box of live TV), >>/<< move the time window by a page, Blue and "/" open the search."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PyQt6.QtCore import Qt

from settop import app as app_module
from settop.core.guide.store import GuideStore
from settop.core.playlist.m3u import parse
from settop.ui.guide.grid import GuideGridScreen
from settop.ui.guide.search_view import GuideSearchScreen
from tests.ui.conftest import load, press
from tests.ui.fakes import FakeBridge, FakePlayer
from tests.ui.guidefixtures import write_guide

NAMES = {1: "Red One", 2: "Green Two", 3: "Blue Three", 10: "Ten News", 101: "Hundred One"}
IDS = {1: "red.one", 2: "green.two", 3: "blue.three"}


@pytest.fixture
def grid_app(tmp_path: Path, make_app: Callable[..., app_module.App]) -> tuple[app_module.App, Path]:
    guide = write_guide(tmp_path / "guide.xml", time.time(), hours_back=4, hours_ahead=30)
    lines = [f'#EXTM3U url-tvg="{guide}"']
    for number, name in NAMES.items():
        group = "Colours" if number < 10 else "News"
        lines.append(f'#EXTINF:-1 tvg-chno="{number}" tvg-id="{IDS.get(number, "")}" group-title="{group}",{name}')
        lines.append(f"http://127.0.0.1:9/{number}.ts")
    playlist = tmp_path / "numbers.m3u"
    playlist.write_text("\n".join(lines) + "\n", encoding="utf-8")
    store = GuideStore(tmp_path / "guide-cache" / "guide.db")
    store.ingest(str(guide), guide, parse(playlist.read_text(), base_url=str(playlist)).channels, now=time.time())
    player = FakePlayer()
    app = make_app(player=player, events=FakeBridge(player), guide=app_module.GuideSetup(store, []))
    return app, playlist


def open_grid(qtbot: Any, app: app_module.App, playlist: Path) -> GuideGridScreen:
    load(qtbot, app, playlist)
    press(qtbot, app, Qt.Key.Key_Guide)
    grid = app.grid
    assert grid is not None and app.window.active() is grid
    return grid


def test_digits_jump_to_a_channel_number_with_the_number_box(qtbot: Any, grid_app: Any) -> None:
    app, playlist = grid_app
    grid = open_grid(qtbot, app, playlist)
    box = grid.numbers.box
    assert not box.isVisible()  # no empty box over the guide: it shows while digits are typed
    press(qtbot, app, Qt.Key.Key_1, Qt.Key.Key_0)
    assert box.isVisible() and box.digits.text() == "10–" and box.name.text() == "Ten News"
    press(qtbot, app, Qt.Key.Key_1)  # 101: OK jumps at once
    assert box.name.text() == "Hundred One"
    with qtbot.waitSignal(grid.moved, timeout=3000):
        press(qtbot, app, Qt.Key.Key_Return)
    assert grid.model.focused_channel() is not None and grid.model.focused_channel().name == "Hundred One"
    assert app.window.active() is grid  # a jump, not a tune
    with qtbot.waitSignal(grid.moved, timeout=5000):  # the pause after the last digit jumps too
        press(qtbot, app, Qt.Key.Key_2)
    assert grid.model.focused_channel().name == "Green Two" and not box.isVisible()


def test_number_entry_waits_while_a_longer_number_could_follow(qtbot: Any, grid_app: Any) -> None:
    app, playlist = grid_app
    load(qtbot, app, playlist)
    box = app.live.numbers.box
    press(qtbot, app, Qt.Key.Key_1, Qt.Key.Key_0)
    assert box.name.text() == "Ten News"
    press(qtbot, app, Qt.Key.Key_Escape, Qt.Key.Key_5)  # no channel starts with 5: said at once
    assert box.name.text() == "No channel 5"
    press(qtbot, app, Qt.Key.Key_Escape)
    app.live.lineup.by_number.pop(10)  # only 101 starts with 10 now
    app.live.lineup._prefixes = None
    press(qtbot, app, Qt.Key.Key_1, Qt.Key.Key_0)
    assert box.name.text() == ""  # 10 may become 101: no "No channel 10" yet
    press(qtbot, app, Qt.Key.Key_1)
    assert box.name.text() == "Hundred One"


def test_fast_forward_and_rewind_move_the_time_window_by_a_page(qtbot: Any, grid_app: Any) -> None:
    app, playlist = grid_app
    grid = open_grid(qtbot, app, playlist)
    model = grid.model
    start, row = model.start, model.row
    press(qtbot, app, Qt.Key.Key_AudioForward)
    assert (model.start, model.row) == (start + model.span, row)
    press(qtbot, app, Qt.Key.Key_AudioRewind, Qt.Key.Key_AudioRewind)
    assert (model.start, model.row) == (start - model.span, row)


@pytest.mark.parametrize("key", [Qt.Key.Key_Blue, Qt.Key.Key_Slash], ids=["blue", "slash"])
def test_blue_and_slash_open_the_guide_search(qtbot: Any, grid_app: Any, key: Qt.Key) -> None:
    app, playlist = grid_app
    grid = open_grid(qtbot, app, playlist)
    press(qtbot, app, key)
    assert isinstance(app.window.active(), GuideSearchScreen)
    press(qtbot, app, Qt.Key.Key_Escape)
    assert app.window.active() is grid


def test_an_empty_slot_with_the_focus_is_highlighted(qtbot: Any, tmp_path: Path,
                                                      make_app: Callable[..., app_module.App]) -> None:
    now = time.time()
    guide = write_guide(tmp_path / "guide.xml", now, hours_back=0, hours_ahead=6)  # nothing before this half hour
    playlist = tmp_path / "one.m3u"
    playlist.write_text(f'#EXTM3U url-tvg="{guide}"\n#EXTINF:-1 tvg-chno="1" tvg-id="red.one",Red One\n'
                        "http://127.0.0.1:9/1.ts\n", encoding="utf-8")
    store = GuideStore(tmp_path / "guide-cache" / "guide.db")
    store.ingest(str(guide), guide, parse(playlist.read_text(), base_url=str(playlist)).channels, now=now)
    player = FakePlayer()
    app = make_app(player=player, events=FakeBridge(player), guide=app_module.GuideSetup(store, []))
    grid = open_grid(qtbot, app, playlist)
    press(qtbot, app, Qt.Key.Key_Left, Qt.Key.Key_Left)  # before the first programme: an empty slot
    assert grid.model.focused() is None and grid.model.focus_time < now - 1800
    image = grid.grid.grab().toImage()
    accent = 0
    top = grid.grid.header_height()
    left = grid.grid.channel_width()
    for y in range(top + 10, top + grid.grid.row_height() - 10, 4):
        for x in range(left, image.width(), 6):
            colour = image.pixelColor(x, y)
            if colour.blue() > 180 and colour.red() < 80:  # the accent blue of the focus
                accent += 1
    assert accent > 20


def test_the_volume_box_keeps_clear_of_the_programme_details(qtbot: Any, grid_app: Any) -> None:
    app, playlist = grid_app
    grid = open_grid(qtbot, app, playlist)
    press(qtbot, app, Qt.Key.Key_VolumeMute)  # "Muted": not over the details panel at the top left
    volume = app.live.volume_panel
    assert volume.isVisible() and grid.details.isVisible()
    assert not volume.geometry().intersects(grid.details.geometry()), (volume.geometry(), grid.details.geometry())
    assert not volume.geometry().intersects(app.window.toast.geometry()) or not app.window.toast.isVisible()
