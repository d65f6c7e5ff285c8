"""The channel list honours hidden groups (ui.hidden_groups) and asks for the PIN to enter a locked group."""

from __future__ import annotations

from typing import Any

from PyQt6.QtCore import Qt

from settop.core.state.settings import Settings, hash_pin
from settop.ui.widgets.pin import PinPrompt
from tests.ui.conftest import load, press
from tests.ui.fakes import FakeBridge, FakePlayer

K = Qt.Key
DIGITS = {str(d): getattr(K, f"Key_{d}") for d in range(10)}


def configure(**values: Any) -> None:
    settings, _ = Settings.load()
    for name, value in values.items():
        settings.set(name.replace("__", "."), value)
    settings.save()


def hooked_app(make_app: Any) -> tuple[Any, FakePlayer]:
    player = FakePlayer()
    app = make_app(player=player, events=FakeBridge(player))
    return app, player


def tab_names(qtbot: Any, app: Any) -> list[str]:
    """Every tab the list shows, walking right once round."""
    cl = app.live.channel_list
    seen = [cl.current_group()]
    for _ in range(len(cl.groups) - 1):
        press(qtbot, app, K.Key_Right)
        seen.append(cl.current_group())
    press(qtbot, app, K.Key_Right)
    return seen


def test_hidden_groups_leave_the_list_tabs_all_channels_and_zapping(qtbot: Any, make_app: Any) -> None:
    configure(ui__hidden_groups=["Sport", "Kids"])
    app, _player = hooked_app(make_app)
    load(qtbot, app)
    press(qtbot, app, K.Key_Return)  # OK opens the list
    cl = app.live.channel_list
    assert app.window.active() is cl and cl.current_group() == "All channels"
    names = [cl.model.data(cl.model.index(r, 0)) for r in range(cl.model.rowCount())]
    assert names == ["News One", "News Two", "Movie Max"]
    tabs = tab_names(qtbot, app)
    assert "Sport" not in tabs and "Kids" not in tabs and "News" in tabs and "Movies" in tabs
    press(qtbot, app, K.Key_Escape)
    assert app.window.active() is app.live
    zapped = []
    for _ in range(3):
        with qtbot.waitSignal(app.live.tuned) as tuned:
            press(qtbot, app, K.Key_PageUp)  # CH+
        zapped.append(app.live.current_channel().name)
        assert tuned.args
    assert zapped == ["News Two", "Movie Max", "News One"]


def test_entering_a_locked_group_in_the_list_asks_for_the_pin(qtbot: Any, make_app: Any) -> None:
    configure(parental__pin_hash=hash_pin("1234"), parental__locked_groups=["Sport"])
    app, player = hooked_app(make_app)
    load(qtbot, app)
    press(qtbot, app, K.Key_Return)
    cl = app.live.channel_list
    for _ in range(len(cl.groups)):
        before = cl.current_group()
        press(qtbot, app, K.Key_Right)
        if isinstance(app.window.active(), PinPrompt):
            break
    prompt = app.window.active()
    assert isinstance(prompt, PinPrompt) and "Sport" in prompt.title
    assert cl.current_group() == before  # not entered yet
    press(qtbot, app, *(DIGITS[d] for d in "0000"))
    assert app.window.active() is prompt and prompt.message
    press(qtbot, app, K.Key_Escape)  # Back cancels: still on the group before
    assert app.window.active() is cl and cl.current_group() == before
    press(qtbot, app, K.Key_Right)
    assert isinstance(app.window.active(), PinPrompt)
    press(qtbot, app, *(DIGITS[d] for d in "1234"))
    assert app.window.active() is cl and cl.current_group() == "Sport"
    played = len(player.played)
    with qtbot.waitSignal(app.live.tuned):
        press(qtbot, app, K.Key_Return)  # the group is open: its channel tunes without a second prompt
    assert app.live.current_channel().name == "Sport Arena" and len(player.played) == played + 1
    # the lock settings change: the group asks again, and a reopened list does not start inside it
    app.parental.changed()
    press(qtbot, app, K.Key_Return)
    assert app.window.active() is cl and cl.current_group() == "All channels"
