"""The settings screen (Menu): pages of rows with values, changed with arrows and OK, validated on entry."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

from PyQt6.QtCore import QRect, Qt, pyqtSignal
from PyQt6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PyQt6.QtWidgets import QWidget

from settop.i18n import N_, _
from settop.input.buttons import Action, Context
from settop.ui.screen import WINDOW_ACTIONS, ActionTable, Screen, run_action
from settop.ui.widgets import theme as th
from settop.ui.widgets.hints import Hint
from settop.ui.widgets.localefmt import locale_number
from settop.ui.widgets.overlay import Panel

log = logging.getLogger("settop.ui.settings")

_A = Qt.AlignmentFlag


@dataclass(frozen=True, slots=True)
class Row:
    """One line of a page.

    value: shown on the right. select: OK (opens a page, an editor, or toggles). adjust(delta): left/right change
    the value in place (-1 or +1). help: the focused row's explanation at the bottom. header: a section title.
    """

    label: str
    value: str = ""
    select: Callable[[], object] | None = None
    adjust: Callable[[int], object] | None = None
    help: str = ""
    header: bool = False


@dataclass(slots=True)
class Page:
    """A titled list of rows, rebuilt by ``build()`` after every change."""

    title: str
    build: Callable[[], Sequence[Row]]
    focus: int = 0
    top: int = 0


class SettingsScreen(Panel, Screen):
    """Context ``settings``: a stack of pages; Back leaves a page, and the screen from the first one.

    ``message(text, error)`` shows a line under the rows (validation errors in the warning colour).
    Signals: ``close_requested``, ``changed`` after each shown rebuild (tests wait on it).
    """

    close_requested = pyqtSignal()
    changed = pyqtSignal()
    context = Context.settings
    hints = (
        Hint.of(N_("choose"), Action.up, Action.down),
        Hint.of(N_("change"), Action.left, Action.right),
        Hint.of(N_("open / edit"), Action.select),
        Hint.of(N_("return"), Action.back),
    )
    hint_text = ""

    def show_hint(self, text: str) -> None:
        self.hint_text = text
        self.update()

    def __init__(self, root: Page, parent: QWidget | None = None) -> None:
        super().__init__("SettingsPanel", parent)
        self.pages: list[Page] = [root]
        self.rows: list[Row] = []
        self.note = ""
        self.note_error = False
        self.theme = th.Theme()
        self.rebuild()

    # -- pages -------------------------------------------------------------------------------------------------
    @property
    def page(self) -> Page:
        return self.pages[-1]

    def open_page(self, page: Page) -> None:
        self.pages.append(page)
        self.note = ""
        self.rebuild()

    def back(self) -> None:
        if len(self.pages) > 1:
            self.pages.pop()
            self.note = ""
            self.rebuild()
        else:
            self.close_requested.emit()

    def to_root(self) -> None:
        del self.pages[1:]
        self.note = ""
        self.rebuild()

    def rebuild(self) -> None:
        self.rows = list(self.page.build())
        page = self.page
        if self.rows:
            page.focus = min(page.focus, len(self.rows) - 1)
            if self.rows[page.focus].header:
                self._move(1)
        self.update()
        self.changed.emit()

    def message(self, text: str, error: bool = False) -> None:
        self.note = text
        self.note_error = error
        self.update()

    def focused(self) -> Row | None:
        return self.rows[self.page.focus] if 0 <= self.page.focus < len(self.rows) else None

    def focus_label(self, label: str) -> bool:
        """Focus the first row whose label starts with ``label`` (tests and deep links)."""
        for index, row in enumerate(self.rows):
            if row.label.startswith(label) and not row.header:
                self.page.focus = index
                self.update()
                return True
        return False

    # -- actions -----------------------------------------------------------------------------------------------
    def _move(self, delta: int) -> None:
        if not any(not r.header for r in self.rows):
            return
        index = self.page.focus
        for _step in range(len(self.rows)):
            index = (index + delta) % len(self.rows)
            if not self.rows[index].header:
                self.page.focus = index
                return

    def _to_end(self, direction: int) -> None:
        """Home: the first row; End: the last (headers skipped)."""
        rows = [i for i, row in enumerate(self.rows) if not row.header]
        if rows:
            self.page.focus = rows[-1] if direction > 0 else rows[0]

    def hidden_rows(self) -> tuple[int, int]:
        """Keep the focused row in view; returns how many rows are hidden (above, below) the visible ones."""
        page, visible = self.page, self.visible_rows()
        if page.focus < page.top:
            page.top = page.focus
        elif page.focus >= page.top + visible:
            page.top = page.focus - visible + 1
        page.top = max(0, min(page.top, max(0, len(self.rows) - visible)))
        return page.top, max(0, len(self.rows) - page.top - visible)

    def _page_move(self, delta: int) -> None:
        for _step in range(max(1, self.visible_rows() - 1)):
            self._move(delta)

    def _sideways(self, delta: int) -> None:
        """Left/right change the focused value; without one, Left goes back and Right opens the row."""
        row = self.focused()
        if row is not None and row.adjust is not None:
            self.note = ""
            row.adjust(delta)
            self.rebuild()
        elif delta < 0:
            self.back()
        elif row is not None and row.select is not None:
            row.select()

    def _select(self) -> None:
        row = self.focused()
        if row is not None and row.select is not None:
            self.note = ""
            row.select()
            if self.rows:
                self.rebuild()

    @cached_property
    def action_table(self) -> ActionTable:
        return {
            Action.up: lambda: self._move(-1),
            Action.down: lambda: self._move(1),
            Action.page_up: lambda: self._page_move(-1),
            Action.page_down: lambda: self._page_move(1),
            Action.home: lambda: self._to_end(-1),
            Action.end: lambda: self._to_end(1),
            Action.left: lambda: self._sideways(-1),
            Action.right: lambda: self._sideways(1),
            Action.select: self._select,
            Action.back: self.back,
            Action.menu: self.close_requested.emit,
        }

    def handle_action(self, action: Action) -> bool:
        """Modal: every action it does not use stops here, except volume, full screen and quit."""
        if not run_action(self.action_table, action):
            return action not in WINDOW_ACTIONS
        self.update()
        return True

    # -- drawing -----------------------------------------------------------------------------------------------
    def _row_height(self) -> int:
        return self.theme.px(72)

    def _rows_top(self) -> int:
        return self.theme.px(32) + self.theme.px(76) + self._more_h()

    def _more_h(self) -> int:
        """The line above and below the rows that says more rows are hidden there."""
        return self.theme.px(30)

    def _footer(self) -> int:
        return self.theme.px(150)

    def visible_rows(self) -> int:
        return max(1, (self.height() - self._rows_top() - self._footer() - self._more_h()) // self._row_height())

    def _paint_more(self, painter: QPainter, above: int, below: int, pad: int, width: int) -> None:
        """"▲ 2 more" above the first row and "▼ 5 more" below the last when the list goes on."""
        theme = self.theme
        painter.save()
        painter.setFont(theme.font("small", bold=True))
        painter.setPen(th.ACCENT_LIGHT)
        edge = _A.AlignLeft if self.isRightToLeft() else _A.AlignRight
        if above:
            painter.drawText(QRect(pad, self._rows_top() - self._more_h(), width, self._more_h()),
                             edge | _A.AlignVCenter, _("▲ {count} more").format(count=locale_number(above)))
        if below:
            bottom = self._rows_top() + self.visible_rows() * self._row_height()
            painter.drawText(QRect(pad, bottom, width, self._more_h()), edge | _A.AlignVCenter,
                             _("▼ {count} more").format(count=locale_number(below)))
        painter.restore()

    def paintEvent(self, event: QPaintEvent | None) -> None:
        theme = self.theme
        painter, _outline = th.begin_panel(self, theme, 240)
        pad = theme.px(32)
        width = self.width() - 2 * pad
        painter.setFont(theme.font("title", bold=True))
        painter.setPen(QColor("#ffffff"))
        separator = "  ‹  " if self.isRightToLeft() else "  ›  "
        trail = separator.join(_(p.title) for p in self.pages)  # titles are catalogue ids: retranslated live
        painter.drawText(QRect(pad, pad, width, theme.px(60)), _A.AlignLeft | _A.AlignVCenter,
                         painter.fontMetrics().elidedText(trail, Qt.TextElideMode.ElideLeft, width))
        page = self.page
        visible = self.visible_rows()
        above, below = self.hidden_rows()
        y = self._rows_top()
        row_h = self._row_height()
        self._paint_more(painter, above, below, pad, width)
        for index in range(page.top, min(len(self.rows), page.top + visible)):
            row = self.rows[index]
            rect = QRect(pad, y, width, row_h)
            if row.header:
                painter.setFont(theme.font("small", bold=True))
                painter.setPen(th.TEXT_DIM)
                painter.drawText(rect.adjusted(theme.px(12), 0, 0, -theme.px(8)), _A.AlignLeft | _A.AlignBottom,
                                 row.label.upper())
                y += row_h
                continue
            focused = index == page.focus
            if focused:
                th.paint_focus(painter, rect, theme)
            inner = rect.adjusted(theme.px(20), 0, -theme.px(20), 0)
            painter.setFont(theme.font("body", bold=True))
            value_w = min(painter.fontMetrics().horizontalAdvance(row.value) + theme.px(8), inner.width() // 2)
            arrows = row.adjust is not None and focused
            rtl = self.isRightToLeft()  # right to left: label on the right, value (and "‹" to open) on the left
            shown = "‹" if rtl and row.value == "›" else row.value
            value = ("◀ " + shown + " ▶") if arrows else shown
            value_w = min(painter.fontMetrics().horizontalAdvance(value) + theme.px(8), inner.width() // 2)
            painter.setPen(QColor("#ffffff") if focused else th.ACCENT_LIGHT)
            value_x = inner.x() if rtl else inner.right() - value_w
            painter.drawText(QRect(value_x, inner.y(), value_w, inner.height()),
                             _A.AlignRight | _A.AlignVCenter,
                             painter.fontMetrics().elidedText(value, Qt.TextElideMode.ElideMiddle, value_w))
            painter.setFont(theme.font("body", bold=focused))
            painter.setPen(QColor("#ffffff") if focused else th.TEXT)
            label_x = inner.x() + value_w + theme.px(16) if rtl else inner.x()
            label_rect = QRect(label_x, inner.y(), inner.width() - value_w - theme.px(16), inner.height())
            painter.drawText(label_rect, _A.AlignLeft | _A.AlignVCenter,
                             painter.fontMetrics().elidedText(row.label, Qt.TextElideMode.ElideRight,
                                                              label_rect.width()))
            y += row_h
        # Footer: the focused row's help, then the note (errors stand out), then the keys.
        footer_y = self.height() - self._footer()
        painter.setPen(QPen(QColor(255, 255, 255, 40), theme.size("hairline")))
        painter.drawLine(pad, footer_y, self.width() - pad, footer_y)
        focused_row = self.focused()
        painter.setFont(theme.font("small"))
        if self.note:
            painter.setFont(theme.font("small", bold=True))
            painter.setPen(th.WARNING if self.note_error else QColor("#9be7a0"))
            text = self.note
        else:
            painter.setPen(th.TEXT_DIM)
            text = focused_row.help if focused_row is not None else ""
        painter.drawText(QRect(pad, footer_y + theme.px(10), width, theme.px(80)),
                         _A.AlignLeft | _A.AlignTop | Qt.TextFlag.TextWordWrap, text)
        painter.setFont(theme.font("small"))
        painter.setPen(th.TEXT_DIM)
        painter.drawText(QRect(pad, self.height() - theme.px(52), width, theme.px(40)), _A.AlignLeft | _A.AlignVCenter,
                         self.hint_text)
        painter.end()

    def geometry_for(self, rect: QRect, theme: th.Theme) -> list[tuple[QWidget, QRect]]:
        self.theme = theme
        safe = theme.safe_rect(rect.width(), rect.height())
        width = min(safe.width(), theme.px(1240))
        return [(self, QRect(safe.right() - width, safe.y(), width, safe.height()))]
