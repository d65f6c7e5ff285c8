"""An on-screen keyboard driven with arrows and OK, for URLs, paths and search text on a remote."""

from __future__ import annotations

from functools import cached_property, partial

from PyQt6.QtCore import QRect, QRectF, QSize, Qt, pyqtSignal
from PyQt6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPen
from PyQt6.QtWidgets import QSizePolicy, QWidget

from settop.i18n import N_, _
from settop.input.buttons import Action
from settop.ui.screen import DIGITS, ActionTable, run_action
from settop.ui.widgets import theme as th
from settop.ui.widgets.hints import Hint

SPACE, ERASE, CLEAR, SHIFT, DONE = N_("Space"), "⌫", N_("Clear"), "⇧ ABC", N_("Done")

LAYOUT: tuple[tuple[str, ...], ...] = (
    tuple("abcdefghijklm"),
    tuple("nopqrstuvwxyz"),
    tuple("1234567890.-_"),
    tuple(":/?=&@~%+#!,'"),
    (SHIFT, SPACE, ERASE, CLEAR, DONE),
)
SEARCH_LAYOUT: tuple[tuple[str, ...], ...] = (
    tuple("abcdefghijklm"),
    tuple("nopqrstuvwxyz"),
    tuple("1234567890&+-"),
    (SPACE, ERASE, CLEAR, DONE),
)



KEYBOARD_HINTS = (
    Hint.of(N_("move"), Action.up, Action.down, Action.left, Action.right),
    Hint.of(N_("type the key"), Action.select),
    Hint.of("⌫", Action.red),
    Hint.of(N_("space"), Action.green),
    Hint.of(N_("done"), Action.blue),
    Hint.of(N_("cancel"), Action.back),
)
"""The on-screen keyboard's hint (context ``keyboard``)."""
SEARCH_HINTS = (Hint.of(N_("browse the results"), Action.blue),)
"""While a list's search is typed: Blue (or Done) goes to the results."""

class OnScreenKeyboard(QWidget):
    """A grid of keys with one focused key.

    Signals: ``text_changed(str)`` after every edit, ``accepted(str)`` on Done. ``handle_action`` takes
    ``up down left right select`` and returns whether it used the action; ``insert`` takes typed text.
    """

    text_changed = pyqtSignal(str)
    accepted = pyqtSignal(str)

    def __init__(self, layout: tuple[tuple[str, ...], ...] = LAYOUT, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows = layout
        self.text = ""
        self.row = 0
        self.col = 0
        self.shift = False
        self.theme = th.Theme()
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    # -- editing -----------------------------------------------------------------------------------------------
    def set_text(self, text: str) -> None:
        self.text = text
        self.text_changed.emit(self.text)
        self.update()

    def insert(self, text: str) -> None:
        """Typed text from a desktop keyboard; ``"\\b"`` erases one character."""
        for char in text:
            if char == "\b":
                self.text = self.text[:-1]
            elif char.isprintable():
                self.text += char
        self.text_changed.emit(self.text)
        self.update()

    def focused_key(self) -> str:
        return self.rows[self.row][self.col]

    def press(self, key: str) -> None:
        if key == DONE:
            self.accepted.emit(self.text)
            return
        if key == SHIFT:
            self.shift = not self.shift
            self.update()
            return
        if key == ERASE:
            self.text = self.text[:-1]
        elif key == CLEAR:
            self.text = ""
        elif key == SPACE:
            self.text += " "
        else:
            self.text += key.upper() if self.shift else key
        self.text_changed.emit(self.text)
        self.update()

    def _move_row(self, delta: int) -> None:
        self.row = (self.row + delta) % len(self.rows)
        self.col = min(self.col, len(self.rows[self.row]) - 1)

    def _move_col(self, delta: int) -> None:
        self.col = (self.col + delta) % len(self.rows[self.row])

    @cached_property
    def action_table(self) -> ActionTable:
        return {
            **{action: partial(self.insert, str(digit)) for action, digit in DIGITS.items()},
            Action.up: lambda: self._move_row(-1),
            Action.down: lambda: self._move_row(1),
            Action.page_up: lambda: self._move_row(-1),
            Action.page_down: lambda: self._move_row(1),
            Action.left: lambda: self._move_col(-1),
            Action.right: lambda: self._move_col(1),
            Action.select: lambda: self.press(self.focused_key()),
            Action.red: lambda: self.press(ERASE),
            Action.green: lambda: self.press(SPACE),
            Action.yellow: lambda: self.press(SHIFT),
            Action.blue: lambda: self.press(DONE),
        }

    def handle_action(self, action: Action) -> bool:
        if not run_action(self.action_table, action):
            return False
        self.update()
        return True

    # -- drawing -----------------------------------------------------------------------------------------------
    def set_theme(self, theme: th.Theme) -> None:
        self.theme = theme
        self.setFixedHeight(self.sizeHint().height())
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(self.theme.px(900), len(self.rows) * self.theme.px(72))

    def _key_rects(self) -> list[list[QRect]]:
        gap = self.theme.px(8)
        row_h = self.height() // len(self.rows)
        rects: list[list[QRect]] = []
        widest = max(len(r) for r in self.rows)
        unit = (self.width() - gap * (widest - 1)) / widest
        for r, keys in enumerate(self.rows):
            y = r * row_h
            if len(keys) == widest:
                widths = [unit] * len(keys)
            else:  # a row of wide keys spans the keyboard
                widths = [(self.width() - gap * (len(keys) - 1)) / len(keys)] * len(keys)
            x = 0.0
            row: list[QRect] = []
            for w in widths:
                row.append(QRect(round(x), y, round(w), row_h - gap))
                x += w + gap
            rects.append(row)
        return rects

    def paintEvent(self, event: QPaintEvent | None) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        radius = self.theme.size("smallradius")
        border = self.theme.size("border")
        for r, row in enumerate(self._key_rects()):
            for c, rect in enumerate(row):
                key = self.rows[r][c]
                focused = (r, c) == (self.row, self.col)
                path = QPainterPath()
                inner = QRectF(rect).adjusted(border / 2, border / 2, -border / 2, -border / 2)
                path.addRoundedRect(inner, radius, radius)
                painter.fillPath(path, th.ACCENT if focused else QColor(255, 255, 255, 30))
                if focused:
                    painter.setPen(QPen(QColor("#ffffff"), border))
                    painter.drawPath(path)
                active = key == SHIFT and self.shift
                painter.setPen(th.ACCENT_LIGHT if active and not focused else th.TEXT)
                painter.setFont(self.theme.font("body", bold=focused))
                label = key.upper() if self.shift and len(key) == 1 else _(key) if key in (SPACE, CLEAR, DONE) else key
                painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, label)
        painter.end()
