"""Reminders and the sleep timer on screen, by key events through the real dispatcher, on a fake clock.

The reminder is set with OK on a future programme in the guide and says itself a minute before the start over
what plays; OK ("watch now") tunes with real libVLC. The sleep timer is set from Menu, warns a minute before
(OK keeps watching) and stops playback at the end. Screenshots of the notices go to tmp_path, or to docs/ with
SETTOP_SCREENSHOTS=1.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import QApplication

from settop import app as app_module
from settop.player.base import PlayerState
from settop.ui.timers_view import NoticeScreen
from tests.helpers.streamserver import StreamServer
from tests.ui.conftest import load, press
from tests.ui.guide.test_guide_search import vlc_guided  # noqa: F401 - fixture
from tests.ui.test_i18n_screens import _shot_dir, guided, language, world  # noqa: F401 - fixtures
from tests.ui.vlcfixtures import GREEN, RED, wait_picture


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


def shoot(app: app_module.App, folder: Path, name: str, toast: bool = True) -> None:
    if not toast:  # the "Reminder set" toast of a moment ago (on the fake clock the notice comes at once)
        app.window.toast.hide()
    app.window.resize(1920, 1080)
    QApplication.processEvents()
    picture = app.window.grab()
    assert picture.scaledToWidth(1280, Qt.TransformationMode.SmoothTransformation).save(str(folder / f"{name}.png"))


def test_reminder_from_the_guide_fires_and_watch_now_tunes(qtbot: Any, vlc_guided: Any,  # noqa: F811
                                                          stream_server: StreamServer, tmp_path: Path) -> None:
    app, playlist = vlc_guided
    load(qtbot, app, playlist)
    wait_picture(qtbot, app, RED)
    timers, grid = app.timers, app.grid
    assert timers is not None and grid is not None
    clock = Clock()
    timers.set_clock(clock)
    press(qtbot, app, Qt.Key.Key_Guide, Qt.Key.Key_Down, Qt.Key.Key_Right, Qt.Key.Key_Right)
    programme, channel = grid.model.focused(), grid.model.focused_channel()
    assert programme.start > time.time() and channel.name == "Green Two"
    with qtbot.waitSignal(grid.activated) as what:
        press(qtbot, app, Qt.Key.Key_Return)
    assert what.args == ["reminder"] and timers.has_reminder(channel, programme)
    shoot(app, tmp_path, "guide-reminder-mark")
    press(qtbot, app, Qt.Key.Key_Escape)
    assert app.window.active() is app.live
    clock.now = programme.start - 61
    timers.check()
    assert not isinstance(app.window.active(), NoticeScreen)
    clock.now = programme.start - 60
    with qtbot.waitSignal(timers.notice_shown) as kind:
        timers.check()
    assert kind.args == ["reminder"]
    notice = app.window.active()
    assert isinstance(notice, NoticeScreen) and "starts at" in notice.text and "Green Two" in notice.text
    shoot(app, tmp_path, "reminder-notice")
    press(qtbot, app, Qt.Key.Key_I)  # other keys go on to live TV (here: the info banner)
    assert app.window.has(notice) and app.live.banner.isVisible()
    with qtbot.waitSignal(app.live.tuned, timeout=5000) as tuned:
        press(qtbot, app, Qt.Key.Key_Return)
    assert tuned.args[0] == channel.key and not app.window.has(notice)
    wait_picture(qtbot, app, GREEN)
    timers.check()
    assert not isinstance(app.window.active(), NoticeScreen)  # said once
    clock.now = programme.stop
    assert timers.reminders.items() == []


def test_sleep_timer_from_the_menu_warns_then_stops(qtbot: Any, guided: app_module.App,  # noqa: F811
                                                   language: Callable[[str], None], tmp_path: Path) -> None:  # noqa: F811
    app = guided
    timers = app.timers
    assert timers is not None
    clock = Clock()
    timers.set_clock(clock)
    press(qtbot, app, Qt.Key.Key_Menu)
    settings = app.window.active()
    for _ in range(len(settings.rows)):
        if settings.rows[settings.page.focus].label == "Sleep timer":
            break
        press(qtbot, app, Qt.Key.Key_Down)
    assert settings.rows[settings.page.focus].label == "Sleep timer"
    assert settings.rows[settings.page.focus].value == "Off"
    press(qtbot, app, Qt.Key.Key_Return)
    menu = app.window.active()
    labels = [item.label for item in menu.items]
    assert labels[:4] == ["Off", "In 30 minutes", "In 60 minutes", "In 90 minutes"]
    assert labels[4].startswith("At the end of this programme (")
    press(qtbot, app, Qt.Key.Key_Down, Qt.Key.Key_Return)
    assert timers.sleep.active and app.window.active() is settings
    assert settings.rows[settings.page.focus].value == "30 min left"
    press(qtbot, app, Qt.Key.Key_Escape)
    clock.now += 29 * 60
    with qtbot.waitSignal(timers.notice_shown) as kind:
        timers.check()
    assert kind.args == ["sleep_warning"]
    shoot(app, _shot_dir(tmp_path), "sleep-warning-en")
    press(qtbot, app, Qt.Key.Key_Return)  # keep watching
    assert not timers.sleep.active
    clock.now += 3600
    timers.check()
    assert app.player.state is not PlayerState.IDLE
    # Again, to the end this time.
    timers.sleep_in(30)
    clock.now += 30 * 60
    with qtbot.waitSignal(timers.notice_shown) as kind:
        timers.check()
    assert kind.args == ["sleep_stopped"] and app.player.state is PlayerState.IDLE


@pytest.mark.parametrize("code", ["en", "ar"])
def test_reminder_notice_in_english_and_arabic(qtbot: Any, guided: app_module.App, tmp_path: Path,  # noqa: F811
                                               language: Callable[[str], None], code: str) -> None:  # noqa: F811
    app = guided
    language(code)
    grid, timers = app.grid, app.timers
    assert grid is not None and timers is not None
    clock = Clock()
    timers.set_clock(clock)
    press(qtbot, app, Qt.Key.Key_Guide, Qt.Key.Key_Right if code == "en" else Qt.Key.Key_Left)
    programme = grid.model.focused()
    assert programme is not None
    clock.now = min(clock.now, programme.start - 300)  # not yet due when set (the next slot may begin within a minute)
    press(qtbot, app, Qt.Key.Key_Return)
    channel = grid.model.focused_channel()
    assert channel is not None and programme is not None
    assert timers.has_reminder(channel, programme)
    shoot(app, _shot_dir(tmp_path), f"guide-reminder-mark-{code}")
    press(qtbot, app, Qt.Key.Key_Escape)
    clock.now = programme.start - 60
    timers.check()
    assert isinstance(app.window.active(), NoticeScreen)
    shoot(app, _shot_dir(tmp_path), f"reminder-notice-{code}", toast=False)
