"""Fast flows with the fake player: the dispatcher, zapping and number entry logic."""

from __future__ import annotations

from PyQt6.QtCore import Qt

from tests.ui.conftest import load, press


def test_start_zap_number(qtbot, make_app):
    app = make_app()
    load(qtbot, app)
    assert app.player.played[-1].title == "News One"
    press(qtbot, app, Qt.Key.Key_Up)
    assert app.player.played[-1].title == "News Two"
    press(qtbot, app, Qt.Key.Key_1, Qt.Key.Key_2)
    assert app.live.number_box.isVisible()
    assert app.live.number_box.name.text() == "Kids Planet"
    press(qtbot, app, Qt.Key.Key_Return)
    assert app.player.played[-1].title == "Kids Planet"
