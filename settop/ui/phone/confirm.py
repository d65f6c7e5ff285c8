"""The TV's question about what a phone sent: what it is (label and value lines, a note), then the choices."""

from __future__ import annotations

from collections.abc import Sequence

from PyQt6.QtCore import QRect, Qt
from PyQt6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent
from PyQt6.QtWidgets import QWidget

from settop.ui.widgets import theme as th
from settop.ui.widgets.menu import MenuItem, MenuScreen

LINE_PX = 50  # one detail line, at 1080p
WIDTH_PX = 1040


class ConfirmScreen(MenuScreen):
    """A centred menu whose title is the question, with ``details`` (label, value) and a wrapped ``note`` above
    the choices. Values are drawn left to right in every language (addresses, user names)."""

    def __init__(self, title: str, details: Sequence[tuple[str, str]], note: str, items: Sequence[MenuItem],
                 parent: QWidget | None = None) -> None:
        super().__init__(title, items, side="center", parent=parent)
        self.details = list(details)
        self.note = note
        self._note_height = 0

    def texts(self) -> list[str]:
        """Every text this screen shows (tests look for secrets in them)."""
        return [self.title, *(part for line in self.details for part in line), self.note,
                *(item.label for item in self.items)]

    def _details_top(self) -> int:
        return super()._rows_top()

    def _rows_top(self) -> int:
        return self._details_top() + len(self.details) * self.theme.px(LINE_PX) + self._note_height + \
            self.theme.px(12)

    def _note_rect(self) -> QRect:
        pad = self.theme.px(28)
        top = self._details_top() + len(self.details) * self.theme.px(LINE_PX)
        return QRect(pad + self.theme.px(16), top, self.width() - 2 * pad - self.theme.px(32), self._note_height)

    def paintEvent(self, event: QPaintEvent | None) -> None:
        super().paintEvent(event)
        theme = self.theme
        painter = QPainter(self)
        pad, line = theme.px(28) + theme.px(16), theme.px(LINE_PX)
        label_width = theme.px(260)
        y = self._details_top()
        value_width = self.width() - 2 * pad - label_width
        rtl = self.isRightToLeft()  # the label column is on the side the screen reads from
        label_x, value_x = (pad + value_width, pad) if rtl else (pad, pad + label_width)
        for label, value in self.details:
            painter.setFont(theme.font("body"))
            painter.setPen(th.TEXT_DIM)
            painter.drawText(QRect(label_x, y, label_width, line), Qt.AlignmentFlag.AlignLeft
                             | Qt.AlignmentFlag.AlignVCenter, label)
            painter.setFont(theme.font("body", bold=True))
            painter.setPen(QColor("#ffffff"))
            value_rect = QRect(value_x, y, value_width, line)
            shown = painter.fontMetrics().elidedText("\u202a" + value + "\u202c", Qt.TextElideMode.ElideMiddle,
                                                     value_rect.width())
            painter.drawText(value_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, shown)
            y += line
        if self.note:
            painter.setFont(theme.font("body", bold=True))
            painter.setPen(QColor("#ffd27f"))
            painter.drawText(self._note_rect(), Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap, self.note)
        painter.end()

    def geometry_for(self, rect: QRect, theme: th.Theme) -> list[tuple[QWidget, QRect]]:
        self.theme = theme
        safe = theme.safe_rect(rect.width(), rect.height())
        width = min(safe.width(), theme.px(WIDTH_PX))
        inner = width - 2 * theme.px(28) - theme.px(32)
        self._note_height = QFontMetrics(theme.font("body", bold=True)).boundingRect(
            QRect(0, 0, inner, 10_000), Qt.TextFlag.TextWordWrap, self.note).height() if self.note else 0
        height = min(safe.height(), self._rows_top() + len(self.items) * self._row_height() + theme.px(28))
        return [(self, QRect((rect.width() - width) // 2, (rect.height() - height) // 2, width, height))]
