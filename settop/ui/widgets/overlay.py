"""Panels over the video: child widgets with the frames backend, frameless top-level windows with the native one.

With the native backend libVLC owns a native window and paints over any Qt child of it, so every overlay panel
becomes its own frameless, always-on-top, no-focus top-level window sized to the panel (transparent pixels turn
black without a compositor, so panels are drawn to look right solid too). With frames the panels are ordinary
child widgets stacked above the video widget.
"""

from __future__ import annotations

from PyQt6.QtCore import QPoint, QRect, Qt
from PyQt6.QtGui import QPainter, QPaintEvent
from PyQt6.QtWidgets import QFrame, QStyle, QStyleOption, QWidget

OVERLAY_FLAGS = (
    Qt.WindowType.FramelessWindowHint
    | Qt.WindowType.WindowStaysOnTopHint
    | Qt.WindowType.Tool
    | Qt.WindowType.WindowDoesNotAcceptFocus
)


class Panel(QFrame):
    """A styled panel shown over the video; ``objectName`` picks its look in theme.qss."""

    def __init__(self, name: str = "Panel", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)

    def paintEvent(self, event: QPaintEvent | None) -> None:
        if self.isWindow():
            # A translucent top-level window gets no style-sheet background from Qt: draw it (fill, border, radius).
            option = QStyleOption()
            option.initFrom(self)
            painter = QPainter(self)
            style = self.style()
            if style is not None:
                style.drawPrimitive(QStyle.PrimitiveElement.PE_Widget, option, painter, self)
            painter.end()
        super().paintEvent(event)

class OverlayHost:
    """Places panels over ``window``: as children (``native=False``) or as top-level overlay windows."""

    def __init__(self, window: QWidget, native: bool) -> None:
        self.window = window
        self.native = native
        self._panels: list[QWidget] = []
        self._rects: dict[int, QRect] = {}

    def adopt(self, panel: QWidget) -> None:
        """Take ``panel`` into the overlay layer (hidden until shown)."""
        panel.hide()
        if self.native:
            # A top-level tool window that stays a child of the main window in Qt: X gets WM_TRANSIENT_FOR, so a
            # window manager stacks it above the main window even in full screen (openbox puts an active full-screen
            # window above every "always on top" window that is not its transient).
            panel.setParent(self.window, OVERLAY_FLAGS)
            panel.setWindowTitle("settop overlay")
            panel.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, True)
            panel.setAttribute(Qt.WidgetAttribute.WA_TranslucentBackground, True)
            panel.setStyleSheet(self.window.styleSheet())
        else:
            panel.setParent(self.window)
        self._panels.append(panel)

    def place(self, panel: QWidget, rect: QRect) -> None:
        """Put ``panel`` at ``rect`` in window coordinates."""
        self._rects[id(panel)] = QRect(rect)
        if self.native:
            top_left = self.window.mapToGlobal(QPoint(rect.x(), rect.y()))
            panel.setGeometry(QRect(top_left, rect.size()))
        else:
            panel.setGeometry(rect)

    def show(self, panel: QWidget) -> None:
        panel.show()
        panel.raise_()

    def shown_rects(self, but: QWidget | None = None) -> list[QRect]:
        """Where the panels on screen are (window coordinates), ``but`` left out."""
        return [QRect(self._rects[id(panel)]) for panel in self._panels
                if panel is not but and panel.isVisible() and id(panel) in self._rects]

    def restyle(self, stylesheet: str) -> None:
        """Top-level panels do not inherit the window's style sheet: hand it on."""
        if self.native:
            for panel in self._panels:
                panel.setStyleSheet(stylesheet)

    def replace_all(self) -> None:
        """Follow the window after it moved (top-level panels only)."""
        if self.native:
            for panel in self._panels:
                rect = self._rects.get(id(panel))
                if rect is not None:
                    self.place(panel, rect)

    def close_all(self) -> None:
        for panel in self._panels:
            panel.hide()
            if self.native:
                panel.close()
                panel.deleteLater()
