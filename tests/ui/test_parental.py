"""Parental lock with the remote: setting a PIN, locking a group (asks for the PIN), a wrong PIN, a right one."""

from __future__ import annotations

from typing import Any

import pytest
from PyQt6.QtCore import Qt
from PyQt6.QtGui import QFontMetrics

from settop.core.state.settings import Settings
from settop.ui.widgets.pin import TITLE_FLAGS, PinPrompt
from tests.ui.conftest import load, press
from tests.ui.fakes import FakeBridge, FakePlayer
from tests.ui.settings.test_settings import Remote

DIGITS = {str(d): getattr(Qt.Key, f"Key_{d}") for d in range(10)}


def pin(qtbot: Any, app: Any, digits: str) -> None:
    press(qtbot, app, *(DIGITS[d] for d in digits))


def test_pin_locks_a_group_and_asks_before_tuning(qtbot: Any, make_app: Any) -> None:
    player = FakePlayer()
    events = FakeBridge(player)
    app = make_app(player=player, events=events)
    load(qtbot, app)
    press(qtbot, app, Qt.Key.Key_Menu)
    remote = Remote(qtbot, app)
    remote.ok("Parental lock")
    remote.ok("Set a PIN")
    assert isinstance(app.window.active(), PinPrompt)
    pin(qtbot, app, "1234")
    pin(qtbot, app, "1243")  # a different second entry starts again
    assert "differ" in app.window.active().message
    pin(qtbot, app, "1234")
    pin(qtbot, app, "1234")
    assert app.window.active() is app.navigation.settings_screen
    assert Settings.load()[0].get_str("parental.pin_hash").startswith("pbkdf2-sha256$")
    remote.ok("Locked groups")  # changing the lock asks for the PIN
    prompt = app.window.active()
    assert isinstance(prompt, PinPrompt)
    pin(qtbot, app, "0000")
    assert app.window.active() is prompt and prompt.message == "Wrong PIN. Try again."
    pin(qtbot, app, "1234")
    assert remote.screen.page.title == "Locked groups"
    remote.ok("Sport")
    assert Settings.load()[0].get_list("parental.locked_groups") == ["Sport"]
    remote.back(3)
    assert app.window.active() is app.live
    played = len(player.played)
    press(qtbot, app, Qt.Key.Key_3, Qt.Key.Key_Return)  # Sport Arena is in the locked group
    prompt = app.window.active()
    assert isinstance(prompt, PinPrompt) and len(player.played) == played
    pin(qtbot, app, "9999")
    assert prompt.message == "Wrong PIN. Try again." and len(player.played) == played
    with qtbot.waitSignal(app.live.tuned) as tuned:
        pin(qtbot, app, "1234")
    assert app.live.current_channel().name == "Sport Arena" and tuned.args
    press(qtbot, app, Qt.Key.Key_1, Qt.Key.Key_Return, Qt.Key.Key_3, Qt.Key.Key_Return)  # opened for this run
    assert app.live.current_channel().name == "Sport Arena"
    press(qtbot, app, Qt.Key.Key_Escape)


@pytest.mark.allow_warnings("^parental: The parental lock is damaged")
def test_a_damaged_lock_keeps_the_channel_locked_and_says_how_to_reset(qtbot: Any, make_app: Any,
                                                                       caplog: Any) -> None:
    """Issue 18: a wrong-type pin_hash disabled the PIN. Now the locked channel stays locked, no PIN opens it, and
    the prompt says how to reset the PIN."""
    from settop.core.state.parental import FILE_NAME  # the lock's own file
    from settop.core.state.paths import config_dir
    from settop.core.state.settings import hash_pin

    settings = Settings.load()[0]
    settings.set("parental.pin_hash", hash_pin("1234"))
    settings.set("parental.locked_groups", ["Sport"])
    settings.save()
    (config_dir() / FILE_NAME).write_text('[parental]\npin_hash = 1234\nlocked_groups = ["Sport"]\n', encoding="utf-8")
    player = FakePlayer()
    app = make_app(player=player, events=FakeBridge(player))
    load(qtbot, app)
    played = len(player.played)
    press(qtbot, app, Qt.Key.Key_3, Qt.Key.Key_Return)  # Sport Arena is in the locked group
    prompt = app.window.active()
    assert isinstance(prompt, PinPrompt) and len(player.played) == played
    pin(qtbot, app, "1234")
    assert app.window.active() is prompt and len(player.played) == played
    assert prompt.message == "Damaged lock: no PIN works. See Troubleshooting."
    assert "parental lock" in caplog.text and "is damaged" in caplog.text


def _luminance(colour: Any) -> float:
    def linear(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(colour.red()) + 0.7152 * linear(colour.green()) + 0.0722 * linear(colour.blue())


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_pin_prompt_title_whole_and_dialog_stands_out(qtbot: Any, make_app: Any, language: str) -> None:
    from PyQt6.QtCore import QPoint

    from settop.ui.i18n_qt import apply_language

    apply_language(language)
    try:
        app = make_app()
        load(qtbot, app)
        press(qtbot, app, Qt.Key.Key_Menu)  # the prompt opens over the settings panel, as it does for real
        prompt = PinPrompt("The channel Une Bleu Ωmega Très Longue Chaîne is locked: enter the PIN", lambda _p: "")
        prompt.close_requested.connect(lambda: app.window.pop(prompt))
        app.window.push(prompt)
        qtbot.waitExposed(prompt)
        rect = prompt.title_rect()
        metrics = QFontMetrics(prompt.theme.font("title", bold=True))
        needed = metrics.boundingRect(rect, int(TITLE_FLAGS.value), prompt.title)
        assert rect.contains(needed), (rect, needed)  # wrapped onto its lines, nothing cut on either side
        shot = app.window.grab().toImage()
        top_left = prompt.mapTo(app.window, QPoint(0, 0))
        face = shot.pixelColor(top_left.x() + prompt.width() // 2, top_left.y() + prompt.height() - 8)
        behind = shot.pixelColor(top_left.x() - 12, top_left.y() + prompt.height() // 2)  # the settings panel
        lighter, darker = sorted((_luminance(face), _luminance(behind)), reverse=True)
        assert (lighter + 0.05) / (darker + 0.05) >= 1.5, (face.getRgb(), behind.getRgb())
    finally:
        apply_language("en")
