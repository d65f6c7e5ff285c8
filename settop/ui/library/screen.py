"""The Movies and Series screens: categories on one side ("Continue watching" first), the poster grid beside them.

Context ``library``. Up/Down move in the focused column, Left/Right between the categories and the grid (and along
a row), P+/P- a page, OK opens the detail page, Back closes. Built once per load from a :class:`LibraryIndex`, so
opening it with 50,000 titles paints the first page only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cached_property

from PyQt6.QtCore import QRect, Qt, pyqtSignal
from PyQt6.QtGui import QColor, QPainter, QPaintEvent, QPixmap
from PyQt6.QtWidgets import QWidget

from settop.core.sources.library_index import LibraryIndex
from settop.core.sources.ondemand import Title
from settop.i18n import _
from settop.input.buttons import Action, Context
from settop.ui.library.grid import PosterGrid
from settop.ui.screen import ActionTable, Screen, run_action
from settop.ui.widgets import theme as th
from settop.ui.widgets.localefmt import bidi, digits
from settop.ui.widgets.overlay import Panel

_A = Qt.AlignmentFlag
BACKGROUND = QColor(11, 14, 21)  # opaque: the library covers the video and the live OSD


def paint_hint(painter: QPainter, widget: QWidget, theme: th.Theme, text: str) -> None:
    """The keys of a library page, on one line at its foot."""
    safe = theme.safe_rect(widget.width(), widget.height())
    painter.setFont(theme.font("small"))
    painter.setPen(th.TEXT_DIM)
    height = theme.line_height("small")
    painter.drawText(QRect(safe.x(), safe.bottom() - height, safe.width(), height), _A.AlignCenter, bidi(text))


class LibraryScreen(Panel, Screen):
    """Films or series of the loaded sources. Signals: ``close_requested``, ``opened_title(Title)`` on OK,
    ``moved`` after every focus change (tests wait on it)."""

    context = Context.library
    covers_video = True
    close_requested = pyqtSignal()
    opened_title = pyqtSignal(object)
    moved = pyqtSignal()

    search_requested = pyqtSignal()

    def __init__(self, index: LibraryIndex, poster: Callable[[str], QPixmap | None],
                 progress: Callable[[str], float], continuing: Callable[[], list[int]],
                 parent: QWidget | None = None) -> None:
        super().__init__("LibraryPanel", parent)
        self.index = index
        self.continuing = continuing
        self.query = ""
        self.theme = th.Theme()
        self.grid = PosterGrid(poster, progress, self)
        self.rows: list[tuple[str, Sequence[int]]] = []
        self.category = 0
        self.in_grid = False
        self.refresh()

    @property
    def heading(self) -> str:
        return _("Movies") if self.index.kind == "movie" else _("Series")

    def refresh(self) -> None:
        """Rebuild the category list (after playback "Continue watching" changes) keeping the category."""
        current = self.rows[self.category][0] if self.rows else ""
        rows: list[tuple[str, Sequence[int]]] = []
        continuing = self.continuing()
        if self.query:
            rows.append((_("Search: “{text}”").format(text=self.query), self.index.search(self.query)))
        if continuing:
            rows.append((_("Continue watching"), continuing))
        rows.append((_("All"), self.index.all))
        rows += [(name, self.index.in_category(name)) for name in self.index.categories]
        self.rows = rows
        names = [name for name, _view in rows]
        self.category = names.index(current) if current in names else 0
        self.grid.set_view(self.index.titles, rows[self.category][1])
        self.update()

    # -- keys ----------------------------------------------------------------------------------------------------
    @cached_property
    def action_table(self) -> ActionTable:
        return {
            Action.up: lambda: self._vertical(-1),
            Action.down: lambda: self._vertical(1),
            Action.left: lambda: self._horizontal(-1),
            Action.right: lambda: self._horizontal(1),
            Action.page_up: lambda: self._page(-1),
            Action.page_down: lambda: self._page(1),
            Action.select: self._select,
            Action.back: self.close_requested.emit,
            Action.search: self.search_requested.emit,
        }

    def show_search(self, text: str) -> None:
        """Add (or replace) the row of titles whose name contains ``text`` and show it."""
        self.query = text.strip()
        self.refresh()
        self.category = 0
        self.grid.set_view(self.index.titles, self.rows[0][1])
        self._set_in_grid(bool(self.rows[0][1]))
        self.moved.emit()

    def handle_action(self, action: Action) -> bool:
        if run_action(self.action_table, action):
            self.moved.emit()
            return True
        return action not in (Action.volume_up, Action.volume_down, Action.mute, Action.quit, Action.fullscreen,
                              Action.menu, Action.guide)

    def _vertical(self, delta: int) -> None:
        if self.in_grid:
            self.grid.step(0, delta)
            return
        target = max(0, min(len(self.rows) - 1, self.category + delta))
        if target != self.category:
            self.category = target
            self.grid.set_view(self.index.titles, self.rows[target][1])
            self.update()

    def _horizontal(self, delta: int) -> None:
        forward = -delta if self.layoutDirection() == Qt.LayoutDirection.RightToLeft else delta
        if self.in_grid:
            if not self.grid.step(forward, 0) and forward < 0:
                self._set_in_grid(False)
        elif forward > 0 and self.grid.view:
            self._set_in_grid(True)

    def _set_in_grid(self, in_grid: bool) -> None:
        self.in_grid = in_grid
        self.grid.active = in_grid
        self.grid.update()
        self.update()

    def _page(self, direction: int) -> None:
        if self.in_grid:
            self.grid.page(direction)
        else:
            self._vertical(direction * 5)

    def _select(self) -> None:
        if not self.in_grid:
            if self.grid.view:
                self._set_in_grid(True)
            return
        title = self.grid.focused()
        if title is not None:
            self.opened_title.emit(title)

    def focused_title(self) -> Title | None:
        return self.grid.focused() if self.in_grid else None

    # -- layout and drawing ----------------------------------------------------------------------------------------
    def geometry_for(self, rect: QRect, theme: th.Theme) -> list[tuple[QWidget, QRect]]:
        self.theme = theme
        self.grid.theme = theme
        safe = theme.safe_rect(rect.width(), rect.height())
        column = theme.px(420)
        top = theme.px(110)
        rtl = self.layoutDirection() == Qt.LayoutDirection.RightToLeft
        grid_x = safe.x() if rtl else safe.x() + column
        self.grid.setGeometry(QRect(grid_x, safe.y() + top, safe.width() - column, safe.height() - top))
        return [(self, rect)]

    def paintEvent(self, event: QPaintEvent | None) -> None:
        painter = QPainter(self)
        theme = self.theme
        painter.fillRect(self.rect(), BACKGROUND)
        safe = theme.safe_rect(self.width(), self.height())
        rtl = self.layoutDirection() == Qt.LayoutDirection.RightToLeft
        column = theme.px(420)
        painter.setFont(theme.font("title", bold=True))
        painter.setPen(th.TEXT)
        count = len(self.rows[self.category][1]) if self.rows else 0
        heading = (f"{self.heading}  ·  {self.rows[self.category][0]} ({digits(str(count))})" if self.rows
                   else self.heading)
        painter.drawText(QRect(safe.x(), safe.y(), safe.width(), theme.px(80)),
                         _A.AlignLeft | _A.AlignVCenter, heading)  # the leading edge (mirrored in right to left)
        painter.setFont(theme.font("body"))
        row_h = theme.line_height("body") + theme.px(18)
        x = safe.right() - column + theme.px(20) if rtl else safe.x()
        visible = max(1, (safe.height() - theme.px(110)) // row_h)
        first = max(0, min(self.category - visible // 2, len(self.rows) - visible))
        for position, (name, _view) in enumerate(self.rows[first:first + visible], start=first):
            rect = QRect(x, safe.y() + theme.px(110) + (position - first) * row_h, column - theme.px(20), row_h)
            if position == self.category:
                if self.in_grid:
                    painter.fillRect(rect.adjusted(0, 2, 0, -2), th.ACCENT.darker(160))
                else:
                    th.paint_focus(painter, rect, theme)
            painter.setPen(th.TEXT)
            inner = rect.adjusted(theme.px(16), 0, -theme.px(16), 0)
            painter.drawText(inner, _A.AlignLeft | _A.AlignVCenter,
                             painter.fontMetrics().elidedText(name, Qt.TextElideMode.ElideRight, inner.width()))
        paint_hint(painter, self, theme, _("▲▼◀▶  move  ·  OK  open  ·  P+/P−  page  ·  Blue  search  ·  Back  close"))
        if not self.index.titles:
            painter.setPen(th.TEXT_DIM)
            painter.drawText(self.grid.geometry(), _A.AlignCenter | Qt.TextFlag.TextWordWrap,
                             _("Nothing here yet: a provider account or a playlist with films and series fills it"))
        painter.end()
