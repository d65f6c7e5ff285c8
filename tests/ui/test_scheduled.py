"""Recording programmes from the guide, by key events through the real dispatcher: Record on a guide cell (and on
a guide-search result, and hold OK › Record) schedules it with the padding set in Settings › Recording, the cell
gets its mark, Menu › Recordings lists it and Red cancels it; the schedule survives a restart (the app built again
on the same state folder) and what passed while settop was closed is shown as missed. Screenshots of the guide
with the mark and of the list go to tmp_path (the ones in docs/ come from scripts/shoot_recording.py, under
Xvfb with real video)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PyQt6.QtCore import Qt

from settop import app as app_module
from settop import i18n
from settop.core.guide.store import GuideStore
from settop.core.recording.schedule import MISSED, SCHEDULED, Scheduled
from settop.core.timers import saved
from settop.core.timers.reminders import Reminder
from settop.ui.recordings_view import RecordingsScreen
from settop.ui.widgets.menu import MenuScreen
from tests.ui.conftest import load, press
from tests.ui.guidefixtures import ready_guide
from tests.ui.test_i18n_screens import _open_row, guided, language, world  # noqa: F401 - fixtures
from tests.ui.test_timers import shoot


def toasts(app: app_module.App) -> str:
    """Every notice on screen now, as one text."""
    return "  |  ".join(label.text() for label in app.window.toast.labels)


def open_recordings(qtbot: Any, app: app_module.App) -> RecordingsScreen:
    press(qtbot, app, Qt.Key.Key_Menu)
    _open_row(qtbot, app, app.window.active(), i18n._("Recordings"))
    screen = app.window.active()
    assert isinstance(screen, RecordingsScreen)
    qtbot.waitUntil(lambda: screen.files is not None, timeout=10000)
    return screen


def scheduled_rows(screen: RecordingsScreen) -> list[Scheduled]:
    return [row.scheduled for row in screen.rows if row.scheduled is not None]


def set_padding(qtbot: Any, app: app_module.App, before: int) -> None:
    """Settings › Recording › Start early, one step at a time with Right from its default of 2 minutes."""
    press(qtbot, app, Qt.Key.Key_Menu)
    settings = app.window.active()
    _open_row(qtbot, app, settings, "Recording")
    page = [row.label for row in settings.rows]
    assert page[:3] == ["Start early", "End late", "Free disk space needed"], page
    assert settings.rows[0].value == "2 min" and settings.rows[1].value == "5 min"
    for _step in range(before - 2):
        press(qtbot, app, Qt.Key.Key_Right)
    assert app.settings.get_int("recording.pad_before_min") == before
    press(qtbot, app, Qt.Key.Key_Escape, Qt.Key.Key_Escape)
    assert app.window.active() is app.live


def test_schedule_from_the_guide_list_cancel_and_restart(qtbot: Any, make_app: Callable[..., app_module.App],
                                                        guided: app_module.App,  # noqa: F811
                                                        world: tuple[Path, GuideStore],  # noqa: F811
                                                        tmp_path: Path, *, settop_home: Path) -> None:
    app = guided
    scheduler, grid = app.scheduler, app.grid
    assert scheduler is not None and grid is not None
    set_padding(qtbot, app, 4)
    press(qtbot, app, Qt.Key.Key_Guide, Qt.Key.Key_Down, Qt.Key.Key_Right, Qt.Key.Key_Right)
    programme, channel = grid.model.focused(), grid.model.focused_channel()
    assert programme is not None and channel is not None and programme.start > time.time()
    assert not grid.grid.recorded(channel, programme)
    with qtbot.waitSignal(grid.activated) as what:
        press(qtbot, app, Qt.Key.Key_MediaRecord)
    assert what.args == ["scheduled"] and grid.grid.recorded(channel, programme)
    assert "settop records only while it is running" in toasts(app)
    (item,) = scheduler.items()
    assert (item.channel_key, item.start, item.stop) == (channel.key, programme.start, programme.stop)
    assert (item.before, item.after, item.state) == (240, 300, SCHEDULED)  # the padding as set: 4 and 5 minutes
    shoot(app, tmp_path, "guide-recording-mark")
    # Hold OK (here the C key, which sends "context menu") on the next programme: Record is one of its choices.
    press(qtbot, app, Qt.Key.Key_Right, Qt.Key.Key_C)
    menu = app.window.active()
    assert isinstance(menu, MenuScreen)
    assert [i.label for i in menu.items] == ["Record this programme", "Remind me a minute before", "Details"]
    with qtbot.waitSignal(grid.activated) as what:
        press(qtbot, app, Qt.Key.Key_Return)
    # Its padded time overlaps the first one's, and the provider allows one stream (the setting's default).
    assert what.args == ["refused"] and len(scheduler.items()) == 1
    assert f"Not scheduled: this provider allows 1 stream at once, and it records {item.title} then" in \
        toasts(app).replace("\u2068", "").replace("\u2069", "")
    assert scheduler.budget is not None
    scheduler.budget.default_limit = 2  # Settings › Playback › Connections per provider: 2
    press(qtbot, app, Qt.Key.Key_C)
    with qtbot.waitSignal(grid.activated) as what:
        press(qtbot, app, Qt.Key.Key_Return)
    assert what.args == ["scheduled"] and len(scheduler.items()) == 2
    press(qtbot, app, Qt.Key.Key_C)  # its menu now offers to cancel it: cancel
    assert app.window.active().items[0].label == "Cancel the recording"
    with qtbot.waitSignal(grid.activated) as what:
        press(qtbot, app, Qt.Key.Key_Return)
    assert what.args == ["cancelled"] and len(scheduler.items()) == 1
    press(qtbot, app, Qt.Key.Key_Escape)
    # Listed in Menu › Recordings.
    screen = open_recordings(qtbot, app)
    assert scheduled_rows(screen) == [item] and screen.focused_row().scheduled == item
    assert screen.rows[0].header.startswith("Scheduled")
    press(qtbot, app, Qt.Key.Key_Escape, Qt.Key.Key_Escape)
    # settop closes and starts again on the same state folder: the schedule is still there.
    path = settop_home / "data" / saved.FILE_NAME
    assert saved.load(path).recordings == (item,)
    app.close()
    playlist, _store = world
    again = make_app(guide=ready_guide(GuideStore(tmp_path / "guide-cache" / "guide.db")))
    load(qtbot, again, playlist)
    assert again.scheduler is not None and again.scheduler.items() == [item]
    assert again.grid is not None and again.grid.grid.recorded(channel, programme)  # the guide's mark is back
    screen = open_recordings(qtbot, again)
    assert scheduled_rows(screen) == [item]
    press(qtbot, again, Qt.Key.Key_F1)  # Red: cancel, after a question
    question = again.window.active()
    assert isinstance(question, MenuScreen) and question.title == f"Cancel the recording of “{item.title}”?"
    press(qtbot, again, Qt.Key.Key_Return)  # "Keep it" is focused first
    assert again.scheduler.items() == [item]
    press(qtbot, again, Qt.Key.Key_F1, Qt.Key.Key_Down, Qt.Key.Key_Return)
    assert again.scheduler.items() == [] and scheduled_rows(screen) == [] and again.window.active() is screen
    assert saved.load(path).recordings == ()
    assert again.grid is not None and not again.grid.grid.recorded(channel, programme)


AHEAD_S = 600  # past the padding (2 min): a programme about to start would be recorded at once, not scheduled


def test_record_from_a_search_result(qtbot: Any, guided: app_module.App) -> None:  # noqa: F811
    app = guided
    scheduler, grid = app.scheduler, app.grid
    assert scheduler is not None and grid is not None
    press(qtbot, app, Qt.Key.Key_Guide, Qt.Key.Key_Blue)
    search = grid.search_screen
    assert search is not None
    qtbot.keyClicks(app.window, "Documentaire")
    qtbot.waitUntil(lambda: any(r.programme is not None and r.programme.start > time.time() + AHEAD_S
                                for r in search.rows),
                    timeout=10000)
    press(qtbot, app, Qt.Key.Key_Blue)  # to the results
    while search.focused() is None or search.focused().programme is None \
            or search.focused().programme.start <= time.time() + AHEAD_S:
        press(qtbot, app, Qt.Key.Key_Down)
    row = search.focused()
    assert row is not None and row.programme is not None
    with qtbot.waitSignal(grid.activated) as what:
        press(qtbot, app, Qt.Key.Key_MediaRecord)
    assert what.args == ["scheduled"] and app.window.active() is search
    (item,) = scheduler.items()
    assert item.start == row.programme.start and search.recorded(search.lookup_channel(row.index), row.programme)


@pytest.mark.allow_warnings("timers.json unreadable")
def test_missed_while_closed_and_a_damaged_file(qtbot: Any, make_app: Callable[..., app_module.App],
                                                world: tuple[Path, GuideStore],  # noqa: F811
                                                settop_home: Path) -> None:
    playlist, store = world
    now = time.time()
    gone = Scheduled("k-gone", "Red One", "Last Night's Film", now - 7200, now - 3600, 120, 300)
    path = settop_home / "data" / saved.FILE_NAME
    saved.save(path, [], [gone])
    app = make_app(guide=ready_guide(store))
    assert "1 scheduled recording was missed while settop was not running" in toasts(app)
    load(qtbot, app, playlist)
    screen = open_screen_any(qtbot, app)
    (shown,) = scheduled_rows(screen)
    assert shown.state == MISSED and shown.title == gone.title
    assert "Missed: settop was not running" in screen._texts(screen.rows[1], now)[2]
    app.close()
    # A damaged file: said, set aside, and settop starts with none; the settings are untouched.
    settings_file = settop_home / "config" / "settings.toml"
    settings_before = settings_file.read_text(encoding="utf-8") if settings_file.exists() else None
    path.write_text(json.dumps({"recordings": "not a list"}), encoding="utf-8")
    again = make_app(guide=ready_guide(GuideStore(store.path)))
    assert "damaged" in toasts(again) and again.scheduler is not None and again.scheduler.items() == []
    assert list(path.parent.glob("timers.json.corrupt-*"))
    assert (settings_file.read_text(encoding="utf-8") if settings_file.exists() else None) == settings_before


def open_screen_any(qtbot: Any, app: app_module.App) -> RecordingsScreen:
    """Menu › Recordings with no files in the folder (only the schedule)."""
    screen = open_recordings(qtbot, app)
    qtbot.waitUntil(lambda: bool(screen.rows), timeout=10000)
    return screen


@pytest.mark.parametrize("code", ["en", "ar"])
def test_scheduled_screens_in_english_and_arabic(qtbot: Any, guided: app_module.App, tmp_path: Path,  # noqa: F811
                                                 language: Callable[[str], None], *,  # noqa: F811
                                                 settop_home: Path, code: str) -> None:
    from tests.ui.test_recordings import put_recordings

    put_recordings(settop_home)
    app = guided
    language(code)
    grid, scheduler = app.grid, app.scheduler
    assert grid is not None and scheduler is not None
    press(qtbot, app, Qt.Key.Key_Guide, Qt.Key.Key_Down, Qt.Key.Key_Right if code == "en" else Qt.Key.Key_Left)
    press(qtbot, app, Qt.Key.Key_MediaRecord, Qt.Key.Key_Right if code == "en" else Qt.Key.Key_Left)
    press(qtbot, app, Qt.Key.Key_Return)  # a reminder beside it, for the two marks
    assert len(scheduler.items()) == 1
    press(qtbot, app, Qt.Key.Key_Left if code == "en" else Qt.Key.Key_Right)
    app.window.toast.hide()
    shoot(app, tmp_path, f"guide-recording-mark-{code}")
    press(qtbot, app, Qt.Key.Key_Escape)
    now = time.time()
    assert scheduler.schedule.add(Scheduled("k-missed", "Red One", "Le journal de 20h", now - 5400, now + 60))
    scheduler.schedule.mark("k-missed", now - 5400, MISSED)  # as if its time passed while settop was closed
    screen = open_recordings(qtbot, app)
    qtbot.waitUntil(lambda: bool(screen.files) and all(f.seconds is not None for f in screen.files or []),
                    timeout=15000)
    assert len(scheduled_rows(screen)) == 2
    app.window.toast.hide()
    shoot(app, tmp_path, f"recordings-scheduled-{code}")


def test_a_notice_up_when_the_programme_begins_offers_the_start(qtbot: Any, guided: app_module.App) -> None:  # noqa: F811
    """The notice came a minute before; the viewer has not acted when the programme begins: it now offers Green
    "watch from the start" (the catch-up check and the replay are stood in for here; the real ones are in
    test_scheduled_live.py)."""
    from settop.ui.timers_view import NoticeScreen
    from tests.ui.test_timers import Clock

    app = guided
    timers, grid = app.timers, app.grid
    assert timers is not None and grid is not None
    clock = Clock()
    timers.set_clock(clock)
    replayed: list[str] = []
    timers.replayable = lambda _reminder: True
    def replay(reminder: Reminder) -> bool:
        replayed.append(reminder.title)
        return True

    timers.replay = replay
    press(qtbot, app, Qt.Key.Key_Guide, Qt.Key.Key_Right, Qt.Key.Key_Return, Qt.Key.Key_Escape)
    (reminder,) = timers.reminders.items()
    clock.now = reminder.start - 60
    with qtbot.waitSignal(timers.notice_shown) as kind:
        timers.check()
    assert kind.args == ["reminder"] and isinstance(app.window.active(), NoticeScreen)
    assert app.window.active().green is None
    clock.now = reminder.start + 1
    with qtbot.waitSignal(timers.notice_shown) as kind:
        timers.check()
    notice = app.window.active()
    assert kind.args == ["reminder_late"] and isinstance(notice, NoticeScreen) and "started at" in notice.text
    press(qtbot, app, Qt.Key.Key_Green)
    assert replayed == [reminder.title] and not app.window.has(notice)


def test_a_reminder_tunes_by_itself_when_the_setting_says_so(qtbot: Any, guided: app_module.App) -> None:  # noqa: F811
    from tests.ui.test_timers import Clock

    app = guided
    timers = app.timers
    assert timers is not None
    clock = Clock()
    timers.set_clock(clock)
    press(qtbot, app, Qt.Key.Key_Menu)
    settings = app.window.active()
    _open_row(qtbot, app, settings, "Live TV")
    _open_row(qtbot, app, settings, "Reminders tune by themselves")  # OK flips it
    assert app.settings.get_bool("live.reminder_tunes")
    press(qtbot, app, Qt.Key.Key_Escape, Qt.Key.Key_Escape)
    press(qtbot, app, Qt.Key.Key_Guide, Qt.Key.Key_Down, Qt.Key.Key_Right, Qt.Key.Key_Return, Qt.Key.Key_Escape)
    (reminder,) = timers.reminders.items()
    assert app.live.current_channel().key != reminder.channel_key
    clock.now = reminder.start - 60
    timers.check()
    clock.now = reminder.start + 1
    with qtbot.waitSignal(app.live.tuned) as tuned:
        timers.check()
    assert tuned.args[0] == reminder.channel_key
    timers.check()  # once
    assert app.live.current_channel().key == reminder.channel_key
