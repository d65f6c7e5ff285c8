"""The Recordings screen (Menu › Recordings) by key events: the list, OK plays with real libVLC and the seek bar,
Red deletes after a confirmation. Screenshots in English and Arabic."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PyQt6.QtCore import Qt

from settop import app as app_module
from settop import i18n
from settop.core.recording.plan import file_name, part_path
from settop.ui.library.playback import VodScreen
from settop.ui.recordings_view import RecordingsScreen
from tests.helpers.streams import stream_dir
from tests.ui.conftest import load, press
from tests.ui.guide.test_guide_search import vlc_guided  # noqa: F401 - fixture
from tests.ui.test_i18n_screens import _shot_dir, guided, language, world  # noqa: F401 - fixtures
from tests.ui.test_timers import shoot
from tests.ui.vlcfixtures import RED, wait_picture

START = time.mktime((2026, 12, 4, 20, 0, 0, 0, 0, -1))


def put_recordings(home: Path) -> list[Path]:
    folder = home / "recordings"
    folder.mkdir(parents=True, exist_ok=True)
    first = folder / file_name("Red One", "News at Eight", START)
    paths = [first, part_path(first, 2), folder / file_name("Green Two", "", START - 86400)]
    for path in paths:
        shutil.copyfile(stream_dir() / "ch1.ts", path)
    return paths


def open_screen(qtbot: Any, app: app_module.App) -> RecordingsScreen:
    press(qtbot, app, Qt.Key.Key_Menu)
    settings = app.window.active()
    for _ in range(len(settings.rows)):
        if settings.rows[settings.page.focus].label == i18n._("Recordings"):
            break
        press(qtbot, app, Qt.Key.Key_Down)
    press(qtbot, app, Qt.Key.Key_Return)
    screen = app.window.active()
    assert isinstance(screen, RecordingsScreen)
    qtbot.waitUntil(lambda: bool(screen.files) and all(f.seconds is not None for f in screen.files), timeout=15000)
    return screen


def test_list_play_and_delete(qtbot: Any, vlc_guided: Any, settop_home: Path) -> None:  # noqa: F811
    app, playlist = vlc_guided
    paths = put_recordings(settop_home)
    load(qtbot, app, playlist)
    screen = open_screen(qtbot, app)
    files = screen.files or []
    assert [(f.title, f.channel, f.part) for f in files] == [("News at Eight", "Red One", 1),
                                                            ("News at Eight", "Red One", 2), ("", "Green Two", 1)]
    assert all(5.0 <= (f.seconds or 0) <= 7.0 and f.size == paths[0].stat().st_size for f in files)
    press(qtbot, app, Qt.Key.Key_Return)
    assert isinstance(app.window.active(), VodScreen)
    request = app.player.request
    assert request is not None and request.url == str(paths[0]) and request.local_ok and not request.live
    wait_picture(qtbot, app, RED)
    qtbot.waitUntil(lambda: app.player.position()[1] > 0, timeout=10000)
    press(qtbot, app, Qt.Key.Key_Escape)
    assert app.window.active() is screen
    press(qtbot, app, Qt.Key.Key_Down, Qt.Key.Key_Down, Qt.Key.Key_F1)  # Red on the third: asks first
    question = app.window.active()
    assert question.title == "Delete “Green Two”?" and [i.label for i in question.items] == ["Keep it", "Delete"]
    press(qtbot, app, Qt.Key.Key_Return)  # "Keep it" is focused first
    assert paths[2].exists() and app.window.active() is screen
    press(qtbot, app, Qt.Key.Key_F1, Qt.Key.Key_Down, Qt.Key.Key_Return)
    assert not paths[2].exists() and [f.path for f in screen.files or []] == paths[:2]
    assert app.window.active() is screen and screen.focus == 1


@pytest.mark.parametrize("code", ["en", "ar"])
def test_recordings_screen_in_english_and_arabic(qtbot: Any, guided: app_module.App, settop_home: Path,  # noqa: F811
                                                 tmp_path: Path, language: Callable[[str], None], *,  # noqa: F811
                                                 code: str) -> None:
    put_recordings(settop_home)
    language(code)
    app = guided
    screen = open_screen(qtbot, app)
    assert len(screen.files or []) == 3
    shoot(app, _shot_dir(tmp_path), f"recordings-{code}")
