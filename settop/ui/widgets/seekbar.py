"""The seek bar over a playing stream (catch-up, on demand, paused live TV): position, length and pause state,
polled every half second, a bar that hides itself after a few seconds unless it should stay, and the bar's track."""

from __future__ import annotations

from typing import Any

from PyQt6.QtCore import QRect, QRectF, Qt, QTimer
from PyQt6.QtGui import QColor, QFontMetrics, QPainter, QPainterPath
from PyQt6.QtWidgets import QWidget

from settop.i18n import is_rtl
from settop.player.base import Player
from settop.ui.screen import Screen
from settop.ui.widgets import theme as th
from settop.ui.widgets.localefmt import bidi
from settop.ui.widgets.overlay import Panel

POLL_MS = 500
HIDE_MS = 5000
_A = Qt.AlignmentFlag


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


def draw_heading(painter: QPainter, panel: QWidget, theme: th.Theme, *, badge_text: str, colour: QColor, title: str,
                 state: str) -> int:
    """The badge, title and state line at the top of a bar panel, in the interface's direction (mirrored in right
    to left); returns its height. The painter is left to right afterwards, for the time line under it."""
    pad = theme.px(32)
    rtl = is_rtl()
    painter.setLayoutDirection(Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight)

    def place(rect: QRect) -> QRect:
        return QRect(panel.width() - rect.x() - rect.width(), rect.y(), rect.width(), rect.height()) if rtl else rect

    painter.setFont(theme.font("small", bold=True))
    badge_w = painter.fontMetrics().horizontalAdvance(badge_text) + theme.px(28)
    top_h = max(theme.px(44), theme.line_height("body", bold=True))
    badge = QRectF(place(QRect(pad, pad, badge_w, top_h)))
    badge_path = QPainterPath()
    badge_path.addRoundedRect(badge, theme.size("smallradius"), theme.size("smallradius"))
    painter.fillPath(badge_path, colour)
    painter.setPen(QColor("#10131c"))
    painter.drawText(badge.toRect(), _A.AlignCenter, badge_text)
    painter.setFont(theme.font("body", bold=True))
    painter.setPen(QColor("#ffffff"))
    title_x = pad + badge_w + theme.px(20)
    state_w = max(theme.px(220), QFontMetrics(theme.font("body")).horizontalAdvance(state) + theme.px(8))
    title_rect = QRect(round(title_x), pad, panel.width() - pad - round(title_x) - state_w, top_h)
    painter.drawText(place(title_rect), _A.AlignLeft | _A.AlignVCenter,
                     painter.fontMetrics().elidedText(title, Qt.TextElideMode.ElideRight, title_rect.width()))
    painter.setFont(theme.font("body"))
    painter.drawText(place(QRect(panel.width() - pad - state_w, pad, state_w, top_h)),
                     _A.AlignRight | _A.AlignVCenter, bidi(state))
    painter.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    return top_h


def draw_hint_line(painter: QPainter, panel: QWidget, theme: th.Theme, hint_text: str) -> None:
    """The key hint line at the bottom of a bar panel, in the interface's direction."""
    pad = theme.px(32)
    width = panel.width() - 2 * pad
    small_h = theme.line_height("small")
    painter.setFont(theme.font("small"))
    painter.setPen(th.TEXT_DIM)
    painter.setLayoutDirection(Qt.LayoutDirection.RightToLeft if is_rtl() else Qt.LayoutDirection.LeftToRight)
    painter.drawText(QRect(pad, panel.height() - pad - small_h, width, small_h), _A.AlignLeft | _A.AlignVCenter,
                     painter.fontMetrics().elidedText(bidi(hint_text), Qt.TextElideMode.ElideRight, width))


def bar_panel_rect(rect: QRect, theme: th.Theme) -> QRect:
    """Where a bar panel with a heading, a time line, a time under its knob and a hint line goes in ``rect``."""
    safe = theme.safe_rect(rect.width(), rect.height())
    # Padding, the title line, the bar with the time under its knob, a gap and the key hint.
    lines = max(theme.px(44), theme.line_height("body", bold=True)) + 2 * theme.line_height("small")
    height = max(theme.px(250), 2 * theme.px(32) + lines + theme.px(26 + 14 + 12 + 16))
    return QRect(safe.x(), safe.bottom() - height, safe.width(), height)
