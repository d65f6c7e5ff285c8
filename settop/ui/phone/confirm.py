"""The TV's question about what a phone sent: what it is (label and value lines, a note), then the choices."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from PyQt6.QtCore import QRect, Qt
from PyQt6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent
from PyQt6.QtWidgets import QWidget

from settop.ui.widgets import theme as th
from settop.ui.widgets.menu import MenuItem, MenuScreen

LINE_PX = 50  # one detail line, at 1080p
LABEL_PX = 260  # the label column
WIDTH_PX = 1040
_WRAP = Qt.TextFlag.TextWordWrap


def _left_to_right(value: str) -> str:
    """An address or a user name stays left to right inside a right-to-left screen; words of a right-to-left
    language (a translated list of parts) keep their own order."""
    if any(unicodedata.bidirectional(c) in ("R", "AL") for c in value):
        return value
    return "\u202a" + value + "\u202c"


class ConfirmScreen(MenuScreen):
    """A centred menu whose title is the question, with ``details`` (label, value) and a wrapped ``note`` above
    the choices. A long value wraps at its spaces; a single word too long for the line (an address) is shortened in
    its middle."""

    def __init__(self, title: str, details: Sequence[tuple[str, str]], note: str, items: Sequence[MenuItem],
                 parent: QWidget | None = None) -> None:
        super().__init__(title, items, side="center", parent=parent)
        self.details = list(details)
        self.note = note
        self._shown: list[tuple[str, int]] = [(value, self.theme.px(LINE_PX)) for _label, value in self.details]
        self._note_height = 0

    def texts(self) -> list[str]:
        """Every text this screen shows (tests look for secrets in them)."""
        return [self.title, *(part for line in self.details for part in line), self.note,
                *(item.label for item in self.items)]

    def _pad(self) -> int:
        return self.theme.px(28) + self.theme.px(16)

    def _details_top(self) -> int:
        return super()._rows_top()

    def _rows_top(self) -> int:
        return self._details_top() + sum(height for _text, height in self._shown) + self._note_height + \
            self.theme.px(12)

    def _layout(self, width: int) -> None:
        """Wrap the values and the note for a panel ``width`` wide."""
        theme = self.theme
        inner = width - 2 * self._pad()
        value_width = inner - theme.px(LABEL_PX)
        metrics = QFontMetrics(theme.font("body", bold=True))
        line = theme.px(LINE_PX)
        self._shown = []
        for _label, value in self.details:
            words = [metrics.elidedText(word, Qt.TextElideMode.ElideMiddle, value_width) for word in value.split(" ")]
            text = _left_to_right(" ".join(words))
            height = metrics.boundingRect(QRect(0, 0, value_width, 10_000), _WRAP, text).height()
            self._shown.append((text, max(line, height + line - metrics.height())))
        self._note_height = metrics.boundingRect(QRect(0, 0, inner, 10_000), _WRAP, self.note).height() \
            if self.note else 0

    def paintEvent(self, event: QPaintEvent | None) -> None:
        super().paintEvent(event)
        theme = self.theme
        painter = QPainter(self)
        pad, label_width = self._pad(), theme.px(LABEL_PX)
        value_width = self.width() - 2 * pad - label_width
        rtl = self.isRightToLeft()  # the label column is on the side the screen reads from
        label_x, value_x = (pad + value_width, pad) if rtl else (pad, pad + label_width)
        top = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        y = self._details_top()
        first = theme.px(LINE_PX)
        for (label, _value), (text, height) in zip(self.details, self._shown, strict=True):
            painter.setFont(theme.font("body"))
            painter.setPen(th.TEXT_DIM)
            painter.drawText(QRect(label_x, y, label_width, first), top, label)
            painter.setFont(theme.font("body", bold=True))
            painter.setPen(QColor("#ffffff"))
            painter.drawText(QRect(value_x, y, value_width, height), top | _WRAP, text)
            y += height
        if self.note:
            painter.setFont(theme.font("body", bold=True))
            painter.setPen(QColor("#ffd27f"))
            painter.drawText(QRect(pad, y, self.width() - 2 * pad, self._note_height),
                             Qt.AlignmentFlag.AlignLeft | _WRAP, self.note)
        painter.end()

    def geometry_for(self, rect: QRect, theme: th.Theme) -> list[tuple[QWidget, QRect]]:
        self.theme = theme
        safe = theme.safe_rect(rect.width(), rect.height())
        width = min(safe.width(), theme.px(WIDTH_PX))
        self._layout(width)
        height = min(safe.height(), self._rows_top() + len(self.items) * self._row_height() + theme.px(28))
        return [(self, QRect((rect.width() - width) // 2, (rect.height() - height) // 2, width, height))]
