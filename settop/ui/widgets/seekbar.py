"""The seek bar over a playing stream (catch-up, on demand, paused live TV): position, length and pause state,
polled every half second, a bar that hides itself after a few seconds unless it should stay, and the bar's track."""

from __future__ import annotations

from typing import Any

from PyQt6.QtCore import QRectF, Qt, QTimer
from PyQt6.QtGui import QColor, QPainter, QPainterPath
from PyQt6.QtWidgets import QWidget

from settop.player.base import Player
from settop.ui.screen import Screen
from settop.ui.widgets import theme as th
from settop.ui.widgets.overlay import Panel

POLL_MS = 500
HIDE_MS = 5000


class SeekPanel(Panel, Screen):
    """A panel on the screen stack that follows ``player``'s position: subclasses draw it and choose the keys.

    ``main_window`` is the MainWindow (not "window": that is QWidget.window()). ``position_ms``/``length_ms``/
    ``paused`` are what the bar shows; :meth:`follow` starts polling, :meth:`unfollow` stops it and the hider.
    """

    def __init__(self, window: Any, player: Player, parent: QWidget | None = None) -> None:
        super().__init__("CatchupBar", parent)
        self.main_window = window
        self.player = player
        self.theme = th.Theme()
        self.position_ms = 0
        self.length_ms = 0
        self.paused = False
        self.poll = QTimer(self)
        self.poll.setInterval(POLL_MS)
        self.poll.timeout.connect(self._poll)
        self.hider = QTimer(self)
        self.hider.setSingleShot(True)
        self.hider.setInterval(HIDE_MS)
        self.hider.timeout.connect(self._auto_hide)

    def follow(self, position_ms: int = 0, length_ms: int = 0) -> None:
        """A new stream on the bar: start there and poll the player."""
        self.position_ms, self.length_ms = position_ms, length_ms
        self.paused = False
        self.poll.start()

    def unfollow(self) -> None:
        self.poll.stop()
        self.hider.stop()

    def set_paused(self, paused: bool) -> None:
        self.paused = paused
        self.player.pause(paused)
        self.poke()

    def seek_to(self, position_ms: int) -> None:
        """Seek the player and show where it lands."""
        self.position_ms = position_ms
        self.player.seek(position_ms)
        self.poke()

    def known_length(self) -> int:
        return self.length_ms or self.player.position()[1]

    def on_position(self, position_ms: int, length_ms: int) -> None:
        """The player's position (an event or a poll): keep it and repaint a bar on screen."""
        self.position_ms = position_ms
        if length_ms > 0:
            self.length_ms = length_ms
        if self.isVisible():
            self.update()

    def _poll(self) -> None:
        position, length = self.player.position()
        if position > 0:
            self.on_position(position, length)

    def toggle_bar(self) -> None:
        if self.isVisible():
            self.hide()
        else:
            self.poke()

    def poke(self) -> None:
        """Show the bar (when this screen is open); it hides itself after a few seconds unless :meth:`keep_up`."""
        if self.main_window.has(self):
            self.main_window.host.show(self)
        self.update()
        self.hider.start()

    def keep_up(self) -> bool:
        """Whether the bar stays on screen (paused: the viewer looks at it)."""
        return self.paused

    def _auto_hide(self) -> None:
        if not self.keep_up():
            self.hide()


def draw_track(painter: QPainter, theme: th.Theme, bar: QRectF, fraction: float, colour: QColor) -> float:
    """The bar's track, the part played in ``colour`` and the knob at ``fraction``; returns the knob's x."""
    back = QPainterPath()
    back.addRoundedRect(bar, bar.height() / 2, bar.height() / 2)
    painter.fillPath(back, QColor(255, 255, 255, 50))
    done = QPainterPath()
    done.addRoundedRect(QRectF(bar.x(), bar.y(), max(bar.height(), bar.width() * fraction), bar.height()),
                        bar.height() / 2, bar.height() / 2)
    painter.fillPath(done, colour)
    return draw_knob(painter, theme, bar, fraction)


def draw_knob(painter: QPainter, theme: th.Theme, bar: QRectF, fraction: float) -> float:
    """The white knob at ``fraction`` of ``bar``; returns its x."""
    knob_x = bar.x() + bar.width() * max(0.0, min(1.0, fraction))
    painter.setBrush(QColor("#ffffff"))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(QRectF(knob_x - theme.px(14), bar.center().y() - theme.px(14), theme.px(28), theme.px(28)))
    return knob_x
