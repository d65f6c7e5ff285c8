"""A small list menu over the video: track selection, the long-OK context menu, the playlist file picker.

A menu taller than the screen scrolls to keep the focus in view and says how many rows are above and below
("▲ 2 more", "▼ 5 more"), as the settings pages do: a group picker with fifty groups or a folder of playlists.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

from PyQt6.QtCore import QRect, Qt, pyqtSignal
from PyQt6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent
from PyQt6.QtWidgets import QWidget

from settop.i18n import _
from settop.input.buttons import Action, Context
from settop.ui.screen import ActionTable, Screen, run_action
from settop.ui.widgets import theme as th
from settop.ui.widgets.localefmt import locale_number
from settop.ui.widgets.overlay import Panel


@dataclass(frozen=True, slots=True)
class MenuItem:
    """One row. header rows are section titles and cannot be focused; ``checked`` draws a tick."""

    label: str
    run: Callable[[], object] | None = None
    checked: bool = False
    header: bool = False
    keep_open: bool = False


MENU_SWALLOWED = frozenset({Action.right, Action.left, Action.page_up, Action.page_down, Action.context_menu,
                            Action.info})


class MenuScreen(Panel, Screen):
    """A titled menu (context ``dialog``); OK runs the focused item and closes unless it keeps the menu open.

    Signal ``close_requested`` asks the window to pop it. ``side`` is ``"right"`` or ``"center"``.
    """

    close_requested = pyqtSignal()
    context = Context.dialog

    def __init__(self, title: str, items: Sequence[MenuItem], side: str = "right",
                 parent: QWidget | None = None) -> None:
        super().__init__("MenuPanel", parent)
        self.title = title
        self.items = list(items)
        self.side = side
        self.theme = th.Theme()
        self.focus = next((i for i, item in enumerate(self.items) if item.checked and not item.header),
                          next((i for i, item in enumerate(self.items) if not item.header), 0))
        self.top = 0  # the first row shown (a long menu scrolls)

    def set_items(self, items: Sequence[MenuItem]) -> None:
        self.items = list(items)
        self.focus = min(self.focus, max(0, len(self.items) - 1))
        if self.items and self.items[self.focus].header:
            self._move(1)
        self.update()

    def focused(self) -> MenuItem | None:
        return self.items[self.focus] if 0 <= self.focus < len(self.items) else None

    def _move(self, delta: int) -> None:
        if not any(not item.header for item in self.items):
            return
        index = self.focus
        for _step in range(len(self.items)):
            index = (index + delta) % len(self.items)
            if not self.items[index].header:
                self.focus = index
                return

    @cached_property
    def action_table(self) -> ActionTable:
        close = self.close_requested.emit
        return {
            Action.up: lambda: self._move(-1),
            Action.down: lambda: self._move(1),
            Action.select: self.activate,
            Action.back: close,
            # A side menu closes towards its side.
            **({Action.left: close} if self.side == "right" else {}),
        }

    def handle_action(self, action: Action) -> bool:
        if run_action(self.action_table, action):
            self.update()
            return True
        # The menu is modal for navigation; volume, mute and the like fall through.
        return action in MENU_SWALLOWED

    def activate(self) -> None:
        item = self.focused()
        if item is None or item.header:
            return
        if not item.keep_open:
            self.close_requested.emit()
        if item.run is not None:
            item.run()

    def _row_height(self) -> int:
        return self.theme.px(70)

    def _rows_top(self) -> int:
        return self.theme.px(28) + self.theme.px(64)

    def _bottom(self) -> int:
        """Below the rows: the panel's padding, and the "▼ more" line when the menu does not fit."""
        return self.theme.px(28) + self.theme.px(36)

    def visible_rows(self) -> int:
        """How many rows fit; all of them when the menu is not taller than the screen."""
        fit = (self.height() - self._rows_top() - self.theme.px(28)) // self._row_height()
        if fit >= len(self.items):
            return len(self.items)
        return max(1, (self.height() - self._rows_top() - self._bottom()) // self._row_height())

    def hidden_rows(self) -> tuple[int, int]:
        """Keep the focused row in view; how many rows are hidden above and below the ones shown."""
        visible = self.visible_rows()
        if self.focus < self.top:
            self.top = self.focus
        elif self.focus >= self.top + visible:
            self.top = self.focus - visible + 1
        self.top = max(0, min(self.top, len(self.items) - visible))
        return self.top, max(0, len(self.items) - self.top - visible)

    def mousePressEvent(self, event: QMouseEvent | None) -> None:
        if event is None:
            return
        row = (round(event.position().y()) - self._rows_top()) // self._row_height()
        row = row + self.top if 0 <= row < self.visible_rows() else -1
        if 0 <= row < len(self.items) and not self.items[row].header:
            self.focus = row
            self.activate()

    def paintEvent(self, event: QPaintEvent | None) -> None:
        super().paintEvent(event)
        theme = self.theme
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        pad = theme.px(28)
        painter.setFont(theme.font("title", bold=True))
        painter.setPen(QColor("#ffffff"))
        painter.drawText(QRect(pad, pad, self.width() - 2 * pad, theme.px(56)),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.title)
        y = self._rows_top()
        row_h = self._row_height()
        above, below = self.hidden_rows()
        self._paint_more(painter, above, below, pad)
        for index in range(self.top, self.top + self.visible_rows()):
            item = self.items[index]
            rect = QRect(pad, y, self.width() - 2 * pad, row_h)
            if item.header:
                painter.setFont(theme.font("small", bold=True))
                painter.setPen(th.TEXT_DIM)
                painter.drawText(rect.adjusted(theme.px(12), 0, 0, 0),
                                 Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, item.label.upper())
            else:
                focused = index == self.focus
                if focused:
                    th.paint_focus(painter, rect, theme)
                painter.setFont(theme.font("body", bold=focused))
                painter.setPen(QColor("#ffffff") if focused else th.TEXT)
                tick = "✓  " if item.checked else "    "
                text_rect = rect.adjusted(theme.px(16), 0, -theme.px(16), 0)
                text = painter.fontMetrics().elidedText(tick + item.label, Qt.TextElideMode.ElideRight,
                                                        text_rect.width())
                painter.drawText(text_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
            y += row_h
        painter.end()

    def _paint_more(self, painter: QPainter, above: int, below: int, pad: int) -> None:
        """"▲ 2 more" beside the title and "▼ 5 more" below the last row shown when the menu goes on."""
        theme = self.theme
        painter.setFont(theme.font("small", bold=True))
        painter.setPen(th.ACCENT_LIGHT)
        edge = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        width = self.width() - 2 * pad
        if above:
            painter.drawText(QRect(pad, pad, width, theme.px(56)), edge,
                             _("▲ {count} more").format(count=locale_number(above)))
        if below:
            bottom = self._rows_top() + self.visible_rows() * self._row_height()
            painter.drawText(QRect(pad, bottom, width, theme.px(36)), edge,
                             _("▼ {count} more").format(count=locale_number(below)))

    def geometry_for(self, rect: QRect, theme: th.Theme) -> list[tuple[QWidget, QRect]]:
        self.theme = theme
        safe = theme.safe_rect(rect.width(), rect.height())
        width = min(safe.width(), theme.px(720))
        height = min(safe.height(), self._rows_top() + len(self.items) * self._row_height() + theme.px(28))
        if self.side == "center":
            x, y = (rect.width() - width) // 2, (rect.height() - height) // 2
        else:
            x, y = safe.right() - width, safe.y()
        return [(self, QRect(x, y, width, height))]
