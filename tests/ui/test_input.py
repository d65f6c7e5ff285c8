"""The dispatcher: Qt keys fold onto buttons, resolve per context, long presses, and typed text."""

from __future__ import annotations

import pytest
from PyQt6.QtCore import Qt

from settop.ui.dispatcher import key_name
from tests.ui.conftest import load, press

K = Qt.Key


@pytest.mark.parametrize(("key", "name"), [
    (K.Key_Up, "Key_Up"),
    (K.Key_ChannelUp, "Key_ChannelUp"),
    (K.Key_F1, "Key_F1"),
    (K.Key_MediaTogglePlayPause, "Key_MediaTogglePlayPause"),
], ids=["arrow", "channel-up", "colour-f1", "media"])
def test_key_names_match_the_key_table(key, name):
    assert key_name(key.value) == name


@pytest.mark.parametrize(("keys", "title"), [
    ([K.Key_ChannelUp], "News Two"),
    ([K.Key_PageUp], "News Two"),
    ([K.Key_Up], "News Two"),
    ([K.Key_ChannelDown], "Kids Planet"),
    ([K.Key_MediaNext], "News Two"),
    ([K.Key_7], "Movie Max"),
    ([K.Key_0, K.Key_3, K.Key_Enter], "Sport Arena"),
], ids=["ch-up", "page-up", "up-zaps", "ch-down-wraps", "media-next", "digit-after-pause", "leading-zero-ok"])
def test_remote_keys_in_live(qtbot, make_app, keys, title):
    app = make_app()
    load(qtbot, app)
    press(qtbot, app, *keys)
    if app.live.numbers.digits:
        with qtbot.waitSignal(app.live.tuned, timeout=5000):
            pass
    assert app.player.played[-1].title == title


def test_up_down_can_stop_zapping(qtbot, make_app, settop_home):
    (settop_home / "config").mkdir(exist_ok=True)
    (settop_home / "config" / "settings.toml").write_text("[live]\nup_down_zaps = false\n")
    app = make_app()
    load(qtbot, app)
    press(qtbot, app, K.Key_Up)
    assert app.window.active() is app.live.channel_list
    assert [r.title for r in app.player.played] == ["News One"]


def test_long_ok_opens_the_context_menu_and_short_ok_the_list(qtbot, make_app):
    app = make_app()
    load(qtbot, app)
    qtbot.keyPress(app.window, K.Key_Return)
    qtbot.waitUntil(lambda: app.window.current_context() == "dialog", timeout=3000)
    qtbot.keyRelease(app.window, K.Key_Return)
    assert app.window.active().title == "News One"  # the menu stays open after the release
    press(qtbot, app, K.Key_Escape, K.Key_Return)
    assert app.window.active() is app.live.channel_list


def test_typing_goes_to_the_search_not_to_shortcuts(qtbot, make_app):
    app = make_app()
    load(qtbot, app)
    press(qtbot, app, K.Key_Return, K.Key_Slash, "m")  # "m" would mute outside a text field
    assert not app.player.is_muted()
    assert app.live.channel_list.query == "m"
    press(qtbot, app, K.Key_Return)  # Enter after typing ends the search input; the next OK tunes
    assert not app.live.channel_list.searching
    press(qtbot, app, K.Key_Return)
    assert app.player.played[-1].title == "Movie Max"


def test_unbound_keys_are_left_to_qt(qtbot, make_app):
    app = make_app()
    load(qtbot, app)
    press(qtbot, app, K.Key_Z, K.Key_Tab)
    assert [r.title for r in app.player.played] == ["News One"]


def test_long_ok_on_a_list_row_offers_favorite_and_watch(qtbot, make_app):
    app = make_app()
    load(qtbot, app)
    press(qtbot, app, K.Key_Return, K.Key_Down)
    qtbot.keyPress(app.window, K.Key_Return)
    qtbot.waitUntil(lambda: app.window.current_context() == "dialog", timeout=3000)
    qtbot.keyRelease(app.window, K.Key_Return)
    menu = app.window.active()
    assert menu.title == "News Two" and [i.label for i in menu.items][:2] == ["Watch", "Add to favorites"]
    press(qtbot, app, K.Key_Down, K.Key_Return)
    assert app.state.favorites() == [app.live.lineup.channels[1].key]
    assert app.window.active() is app.live.channel_list


def test_right_click_opens_the_options(qtbot, make_app):
    app = make_app()
    load(qtbot, app)
    qtbot.mouseClick(app.window, Qt.MouseButton.RightButton)
    assert app.window.current_context() == "dialog"


def test_digits_in_the_list_move_the_focus_without_tuning(qtbot, make_app):
    app = make_app()
    load(qtbot, app)
    press(qtbot, app, K.Key_Return, K.Key_1, K.Key_2)
    listing = app.live.channel_list
    assert listing.focused_channel().name == "Kids Planet" and app.window.active() is listing
    assert [r.title for r in app.player.played] == ["News One"]
    assert not app.live.numbers.box.isVisible()


def test_actions_reach_the_screens_as_enum_members(qtbot, make_app, monkeypatch):
    """The dispatcher hands the keymap's Action through (no string in between) and the window's context is a
    Context; every screen's handled actions are a table keyed by Action members."""
    from settop.input.buttons import Action, Context

    app = make_app()
    load(qtbot, app)
    seen: list[object] = []
    dispatch = app.window.dispatch
    def recording(action: Action) -> bool:
        seen.append(action)
        return bool(dispatch(action))

    monkeypatch.setattr(app.window, "dispatch", recording)
    press(qtbot, app, K.Key_ChannelUp, K.Key_Return)
    assert seen == [Action.channel_up, Action.select]
    assert all(type(action) is Action for action in seen)
    assert type(app.window.current_context()) is Context
    assert app.window.current_context() is Context.channel_list
    for table in (app.live.action_table, app.live.channel_list.action_table):
        assert table and all(type(action) is Action for action in table)
