"""Move mode and the viewer's own channels, driven by key events: OK picks up, arrows move, digits number, OK drops,
Back keeps; rename and hide from the row menu; all kept by channel key across a refresh and a restart."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PyQt6.QtCore import Qt

from settop.core.state import edits as edits_file
from settop.core.state.settings import PlaylistSource, Settings
from tests.ui.conftest import SMALL, press

K = Qt.Key


def started(qtbot: Any, make_app: Any, playlist: Path = SMALL) -> Any:
    settings, _ = Settings.load()
    settings.set("playlists", [PlaylistSource(source=str(playlist), name="Home").to_dict()])
    settings.save()
    app = make_app()
    with qtbot.waitSignal(app.shell.playlist_loaded, timeout=10000):
        app.shell.start(None)
    return app


def row_menu(qtbot: Any, app: Any, label: str) -> None:
    """Long OK on the focused row, then the menu entry ``label`` chosen with Down and OK."""
    qtbot.keyPress(app.window, K.Key_Return)
    qtbot.waitUntil(lambda: app.window.current_context() == "dialog", timeout=3000)
    qtbot.keyRelease(app.window, K.Key_Return)
    menu = app.window.active()
    labels = [item.label for item in menu.items]
    press(qtbot, app, *[K.Key_Down] * (labels.index(label) - menu.focus), K.Key_Return)


def names(app: Any) -> list[str]:
    return [c.name for c in app.live.lineup.channels]


def test_move_mode_reorders_and_numbers_and_keeps_it(qtbot: Any, make_app: Any) -> None:
    app = started(qtbot, make_app)
    first = names(app)
    press(qtbot, app, K.Key_Return)  # the list, on the playing channel (the first)
    row_menu(qtbot, app, "Move channels")
    assert app.window.active() is app.live.channel_list and "OK picks up" in app.live.channel_list.hint.text()
    press(qtbot, app, K.Key_Return, K.Key_Down, K.Key_Down)  # pick up News One, carry it two rows down
    assert app.live.channel_list.mover.held_key == app.live.lineup.channels[0].key
    press(qtbot, app, K.Key_9, K.Key_9, K.Key_Return)  # number it 99, drop it
    with qtbot.waitSignal(app.shell.playlist_loaded, timeout=10000):
        press(qtbot, app, K.Key_Escape)  # Back: move mode ends, the lineup is merged again with the new order
    assert names(app)[:3] == [first[1], first[2], first[0]]
    assert app.live.lineup.numbers[2] == "99" and app.live.lineup.find_number("99") == 2
    saved = json.loads(edits_file.path().read_text(encoding="utf-8"))
    assert saved["numbers"] == {"id:news.one": "99"}
    assert app.live.channel_list.model.rowCount() == len(first)  # the open list shows the new lineup
    with qtbot.waitSignal(app.shell.load_finished, timeout=10000):
        app.shell.refresh()  # a refresh keeps it
    assert names(app)[:3] == [first[1], first[2], first[0]]
    app.window.close()
    again = make_app()  # and so does a restart
    with qtbot.waitSignal(again.shell.playlist_loaded, timeout=10000):
        again.shell.start(None)
    assert names(again)[:3] == [first[1], first[2], first[0]] and again.live.lineup.numbers[2] == "99"


def test_back_puts_a_held_channel_back(qtbot: Any, make_app: Any) -> None:
    app = started(qtbot, make_app)
    first = names(app)
    press(qtbot, app, K.Key_Return)
    row_menu(qtbot, app, "Move channels")
    press(qtbot, app, K.Key_Return, K.Key_Down, K.Key_Escape)  # picked, moved, put back
    assert app.live.channel_list.mover.held is None and app.live.channel_list.mover.active
    press(qtbot, app, K.Key_Escape)  # nothing changed: nothing kept
    assert names(app) == first and not edits_file.path().exists()


def test_rename_and_hide_from_the_row_menu(qtbot: Any, make_app: Any) -> None:
    app = started(qtbot, make_app)
    press(qtbot, app, K.Key_Return, K.Key_Down)  # the list, on News Two
    row_menu(qtbot, app, "Rename")
    entry = app.window.active()
    entry.keyboard.set_text("")
    with qtbot.waitSignal(app.shell.playlist_loaded, timeout=10000):
        qtbot.keyClicks(app.window, "BBC Two")
        press(qtbot, app, K.Key_Return)  # Enter after typing: done
    assert names(app)[1] == "BBC Two"
    assert app.window.active() is app.live.channel_list  # the list stays open, refilled, on the playing channel
    press(qtbot, app, K.Key_Down)
    with qtbot.waitSignal(app.shell.playlist_loaded, timeout=10000):
        row_menu(qtbot, app, "Hide this channel")
    hidden = app.live.lineup.index_of("id:news.two")
    assert hidden is not None and hidden not in app.live.zap_order
    assert hidden not in list(app.live.channel_list.visible_all())
    with qtbot.waitSignal(app.shell.playlist_loaded, timeout=10000):
        row_menu(qtbot, app, "Show hidden channels")
    assert hidden in list(app.live.channel_list.visible_all())


def pick(qtbot: Any, app: Any, label: str) -> None:
    """In the menu on screen, the entry ``label`` chosen with Down and OK."""
    menu = app.window.active()
    labels = [item.label for item in menu.items]
    press(qtbot, app, *[K.Key_Down] * (labels.index(label) - menu.focus), K.Key_Return)


def test_move_channels_into_a_group_of_ones_own(qtbot: Any, make_app: Any) -> None:
    app = started(qtbot, make_app)
    press(qtbot, app, K.Key_Return, K.Key_Down, K.Key_Down)  # the list, on Sport Arena
    row_menu(qtbot, app, "Move to a group")
    assert app.window.active().title == "Move to a group"
    pick(qtbot, app, "New group…")
    entry = app.window.active()
    assert entry.keyboard.text == ""
    with qtbot.waitSignal(app.shell.playlist_loaded, timeout=10000):
        qtbot.keyClicks(app.window, "Weekend")
        press(qtbot, app, K.Key_Return)  # Enter after typing: the group is made and the channel moved into it
    sport = app.live.lineup.index_of("name:sport arena|sport")
    assert sport is not None and app.live.lineup.channels[sport].groups == ("Weekend",)
    assert app.live.lineup.groups["Weekend"] == [sport] and "Sport" not in app.live.lineup.groups
    assert app.window.active() is app.live.channel_list and app.live.channel_list.focused_index() == 0
    press(qtbot, app, K.Key_Down, K.Key_Down, K.Key_Down)  # Movie Max, into the viewer's group picked from the menu
    row_menu(qtbot, app, "Move to a group")
    assert [item.label for item in app.window.active().items][:2] == ["New group…", "Weekend"]
    with qtbot.waitSignal(app.shell.playlist_loaded, timeout=10000):
        pick(qtbot, app, "Weekend")
    movies = app.live.lineup.index_of("name:movie max|movies")
    assert app.live.lineup.groups["Weekend"] == [sport, movies]
    saved = json.loads(edits_file.path().read_text(encoding="utf-8"))
    assert saved["groups"] == {"name:sport arena|sport": "Weekend", "name:movie max|movies": "Weekend"}
    with qtbot.waitSignal(app.shell.load_finished, timeout=10000):
        app.shell.refresh()  # a refresh keeps it
    assert app.live.lineup.groups["Weekend"] == [sport, movies]
    names = [g.name for g in app.live.channel_list.groups]
    assert "Weekend" in names and "Sport" not in names  # the list's group tabs show it


def test_a_locked_channel_leaves_its_locked_group_only_after_the_pin(qtbot: Any, make_app: Any) -> None:
    from settop.core.state.settings import hash_pin
    from settop.ui.widgets.pin import PinPrompt

    settings, _ = Settings.load()
    settings.set("parental.pin_hash", hash_pin("1234"))
    settings.set("parental.locked_groups", ["Sport"])
    settings.save()
    app = started(qtbot, make_app)
    press(qtbot, app, K.Key_Return, K.Key_Down, K.Key_Down)  # the list, on Sport Arena (locked by its group)
    row_menu(qtbot, app, "Move to a group")
    prompt = app.window.active()
    assert isinstance(prompt, PinPrompt)  # no group menu without the PIN
    press(qtbot, app, K.Key_1, K.Key_2, K.Key_3, K.Key_4)
    qtbot.waitUntil(lambda: getattr(app.window.active(), "title", "") == "Move to a group", timeout=3000)
