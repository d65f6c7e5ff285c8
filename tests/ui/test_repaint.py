"""Overlays repaint only when they change: nothing on screen is redrawn on a timer while nothing changes (issue 19).

With the frames backend a panel over the video is also redrawn with every video frame under it (Qt composes child
widgets in one backing store); the player here is a fake that draws nothing, so what is counted is the UI's own.
"""

from __future__ import annotations

import collections
from typing import Any

from PyQt6.QtCore import QEvent, QObject, Qt
from PyQt6.QtWidgets import QApplication, QWidget

from settop.player.base import PlayerState
from tests.ui.conftest import load, press
from tests.ui.fakes import FakeBridge, FakePlayer

QUIET_MS = 2500


class PaintCounter(QObject):
    """Counts paint events per widget (class and object name) anywhere in the application."""

    def __init__(self) -> None:
        super().__init__()
        self.counts: collections.Counter[str] = collections.Counter()

    def eventFilter(self, watched: QObject | None, event: QEvent | None) -> bool:
        if event is not None and event.type() == QEvent.Type.Paint and isinstance(watched, QWidget):
            self.counts[f"{type(watched).__name__}:{watched.objectName()}"] += 1
        return False


def quiet_paints(qtbot: Any) -> dict[str, int]:
    """The paints while the event loop runs ``QUIET_MS`` with nothing happening (a Qt timer ends the wait)."""
    counter = PaintCounter()
    application = QApplication.instance()
    assert application is not None
    application.installEventFilter(counter)
    try:
        for _ in range(30):  # first let what the last change asked for be painted: 300 ms without a paint
            counter.counts.clear()
            qtbot.wait(300)
            if not counter.counts:
                break
        qtbot.wait(QUIET_MS)
    finally:
        application.removeEventFilter(counter)
    return dict(counter.counts)


def test_nothing_repaints_while_nothing_changes(qtbot: Any, make_app: Any) -> None:
    player = FakePlayer()
    app = make_app(player=player, events=FakeBridge(player))
    load(qtbot, app)
    press(qtbot, app, Qt.Key.Key_1, Qt.Key.Key_Return)
    player.emit("first_frame", PlayerState.PLAYING)
    qtbot.waitUntil(lambda: app.live.has_picture)
    press(qtbot, app, Qt.Key.Key_Up)  # the banner of the next channel, with its picture up
    player.emit("first_frame", PlayerState.PLAYING)
    qtbot.waitUntil(lambda: app.live.banner.isVisible() and app.live.has_picture)
    assert quiet_paints(qtbot) == {}  # the banner is up and still: no clock, progress or blink redraws it
    press(qtbot, app, Qt.Key.Key_Return)  # the channel list
    qtbot.waitUntil(lambda: app.window.focusWidget() is not None)
    assert quiet_paints(qtbot) == {}
    counter = PaintCounter()  # and the counter does see paints when something changes
    application = QApplication.instance()
    assert application is not None
    application.installEventFilter(counter)
    try:
        press(qtbot, app, Qt.Key.Key_Down)
        qtbot.waitUntil(lambda: bool(counter.counts))
    finally:
        application.removeEventFilter(counter)
