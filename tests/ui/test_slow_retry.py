"""The live screen says the player keeps trying slowly after the quick reconnects gave up (issue 18)."""

from __future__ import annotations

from typing import Any

from PyQt6.QtCore import Qt

from settop.player.base import PlayerState
from tests.ui.conftest import load, press
from tests.ui.fakes import FakeBridge, FakePlayer


def test_the_error_says_it_keeps_trying_and_clears_when_the_picture_returns(qtbot: Any, make_app: Any) -> None:
    player = FakePlayer()
    bridge = FakeBridge(player)
    app = make_app(player=player, events=bridge)
    load(qtbot, app)
    press(qtbot, app, Qt.Key.Key_1, Qt.Key.Key_Return)
    player.emit("error", PlayerState.ERROR, message="The server failed (HTTP 503). Reconnecting failed.",
                retryable=True, extra={"retry_in_s": "30"})
    qtbot.waitUntil(lambda: app.live.status.kind == "error")
    assert app.live.status.text.text() == ("The server failed (HTTP 503). Reconnecting failed. "
                                           "Trying again every 30 s.")
    player.emit("first_frame", PlayerState.PLAYING)  # a slow try worked: no key was pressed
    qtbot.waitUntil(lambda: app.live.status.kind != "error")
