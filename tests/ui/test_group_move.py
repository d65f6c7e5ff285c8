"""Moving whole groups with the remote, driven by key events: OK picks a group up, Up/Down carry it, OK drops it,
Back puts it back or keeps the order; the list's group tabs follow it across a refresh, groups that come and go,
and a restart."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from PyQt6.QtCore import Qt

from settop.core.state import edits as edits_file
from settop.ui.live.channel_list import ALL, RECENT
from settop.ui.live.group_move import GroupMoveScreen
from tests.ui.conftest import SMALL, press
from tests.ui.test_move_mode import row_menu, started

K = Qt.Key


def tabs(app: Any) -> list[str]:
    """The list's group tabs after All channels and Recent (the playing channel is in it), as Right goes."""
    names = [g.name for g in app.live.channel_list.groups]
    assert names[:2] == [ALL, RECENT]
    return names[2:]


def test_groups_are_moved_with_the_remote_and_kept(qtbot: Any, make_app: Any, tmp_path: Path) -> None:
    playlist = tmp_path / "home.m3u"
    shutil.copy(SMALL, playlist)
    app = started(qtbot, make_app, playlist)
    press(qtbot, app, K.Key_Return)  # the list
    assert tabs(app) == ["News", "Sport", "Movies", "Kids"]
    row_menu(qtbot, app, "Move groups")
    mover = app.window.active()
    assert isinstance(mover, GroupMoveScreen) and mover.names == ["News", "Sport", "Movies", "Kids"]
    assert "OK picks up" in mover.hint.text()
    press(qtbot, app, K.Key_Down, K.Key_Return, K.Key_Up)  # Sport picked up and carried to the top
    assert mover.names == ["Sport", "News", "Movies", "Kids"] and mover.held_name == "Sport"
    assert "OK drops" in mover.hint.text()
    press(qtbot, app, K.Key_Return)  # dropped
    press(qtbot, app, K.Key_Down, K.Key_Down, K.Key_Return, K.Key_Down, K.Key_Escape)  # Movies moved, put back
    assert mover.names == ["Sport", "News", "Movies", "Kids"] and mover.held is None
    assert app.window.active() is mover  # Back with a group held only puts it back
    with qtbot.waitSignal(app.shell.playlist_loaded, timeout=10000):
        press(qtbot, app, K.Key_Escape)  # Back: done, the order is kept
    assert app.window.active() is app.live.channel_list
    assert tabs(app) == ["Sport", "News", "Movies", "Kids"]
    press(qtbot, app, K.Key_Right, K.Key_Right)  # the tab after All channels and Recent is now Sport
    assert app.live.channel_list.current_group() == "Sport"
    saved = json.loads(edits_file.path().read_text(encoding="utf-8"))
    assert saved["group_order"] == ["Sport", "News", "Movies", "Kids"]
    press(qtbot, app, K.Key_Escape, K.Key_Menu)  # Menu › Hidden groups lists them in that order too
    menu = app.window.active()
    menu.focus_label("Hidden groups")
    press(qtbot, app, K.Key_Return)
    assert [row.label for row in menu.rows] == ["Sport", "News", "Movies", "Kids"]
    press(qtbot, app, K.Key_Escape, K.Key_Escape)

    # The playlist changes: Kids goes, Music comes (after the viewer's groups); Kids comes back in its place.
    text = SMALL.read_text(encoding="utf-8")
    playlist.write_text(text.replace('group-title="Kids"', 'group-title="Music"'), encoding="utf-8")
    with qtbot.waitSignal(app.shell.load_finished, timeout=10000):
        app.shell.refresh()
    app.live.channel_list.open_at(None)
    assert tabs(app) == ["Sport", "News", "Movies", "Music"]
    playlist.write_text(text + text.splitlines(keepends=True)[-2].replace("Kids Planet", "Radio")
                        .replace('group-title="Kids"', 'group-title="Music"') + "http://127.0.0.1:9/r.m3u8\n",
                        encoding="utf-8")
    with qtbot.waitSignal(app.shell.load_finished, timeout=10000):
        app.shell.refresh()
    app.live.channel_list.open_at(None)
    assert tabs(app) == ["Sport", "News", "Movies", "Kids", "Music"]
    app.window.close()
    again = make_app()  # a restart keeps it
    with qtbot.waitSignal(again.shell.playlist_loaded, timeout=10000):
        again.shell.start(None)
    press(qtbot, again, K.Key_Return)
    assert tabs(again) == ["Sport", "News", "Movies", "Kids", "Music"]


def test_back_with_nothing_moved_keeps_nothing(qtbot: Any, make_app: Any) -> None:
    app = started(qtbot, make_app, SMALL)
    press(qtbot, app, K.Key_Return, K.Key_Right, K.Key_Right, K.Key_Right)  # the list, on the Sport tab
    row_menu(qtbot, app, "Move groups")
    mover = app.window.active()
    assert mover.names[mover.focus] == "Sport"  # move mode starts on the group on screen
    press(qtbot, app, K.Key_Return, K.Key_Down, K.Key_Down)
    assert mover.names == ["News", "Movies", "Kids", "Sport"]
    press(qtbot, app, K.Key_Escape, K.Key_Up, K.Key_Return, K.Key_PageDown)  # News carried a page down
    assert mover.names == ["Sport", "Movies", "Kids", "News"] and mover.focus == 3
    press(qtbot, app, K.Key_Escape, K.Key_Escape)  # put back, then done: nothing changed, nothing kept
    assert app.window.active() is app.live.channel_list and not edits_file.path().exists()
    assert tabs(app) == ["News", "Sport", "Movies", "Kids"]


def test_fifty_groups_scroll_in_the_group_menus(qtbot: Any, make_app: Any, tmp_path: Path) -> None:
    playlist = tmp_path / "many.m3u"
    playlist.write_text("#EXTM3U\n" + "".join(f'#EXTINF:-1 group-title="Group {n:02d}",Channel {n}\n'
                                              f"http://127.0.0.1:9/{n}.m3u8\n" for n in range(50)), encoding="utf-8")
    app = started(qtbot, make_app, playlist)
    press(qtbot, app, K.Key_Return)
    row_menu(qtbot, app, "Move to a group")  # a menu of 51 rows: taller than the screen
    menu = app.window.active()
    assert menu.top == 0 and menu.visible_rows() < len(menu.items)
    press(qtbot, app, K.Key_Up)  # round to the last group: the menu scrolls to it
    menu.grab()  # painted: the focus is kept in view
    assert menu.items[menu.focus].label == "Group 49" and menu.top > 0
    assert menu.top <= menu.focus < menu.top + menu.visible_rows() and menu.hidden_rows() == (menu.top, 0)
    with qtbot.waitSignal(app.shell.playlist_loaded, timeout=10000):
        press(qtbot, app, K.Key_Return)  # OK on a row scrolled into view moves the channel there
    assert app.live.lineup.channels[0].groups == ("Group 49",)
    row_menu(qtbot, app, "Move groups")
    mover = app.window.active()
    assert mover.names[0] == "Group 49" and "Group 00" not in mover.names  # it comes first with Channel 0
    press(qtbot, app, K.Key_Up)  # round to the last group: the list scrolls to it
    mover.rows.grab()
    assert mover.names[mover.focus] == "Group 48" and mover.rows.first > 0
    assert mover.rows.first <= mover.focus < mover.rows.first + mover.rows.page()
