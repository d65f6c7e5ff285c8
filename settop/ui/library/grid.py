"""The poster grid: only the visible cells are painted, posters come from the logo cache (fetched lazily, kept as
pixmaps), and a placeholder tile with the title's initials stands in until a poster arrives or when there is none."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PyQt6.QtCore import QRect, QRectF, Qt
from PyQt6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPen, QPixmap
from PyQt6.QtWidgets import QWidget

from settop.core.sources.ondemand import Title
from settop.ui.widgets import theme as th

_A = Qt.AlignmentFlag
POSTER_RATIO = 1.5  # height / width of a film poster


_TILES = ("#3b4a6b", "#4b3b6b", "#2f5d62", "#5d4a2f", "#2f4f7f", "#5a2f4f", "#3f5a2f")


def paint_poster(painter: QPainter, rect: QRect, pixmap: QPixmap | None, name: str, theme: th.Theme) -> None:
    """The poster fitted into ``rect``, or placeholder art: a tile in a colour of the title with its name."""
    if pixmap is not None and not pixmap.isNull():
        scaled = pixmap.scaled(rect.size(), Qt.AspectRatioMode.KeepAspectRatio,
                               Qt.TransformationMode.SmoothTransformation)
        painter.drawPixmap(rect.x() + (rect.width() - scaled.width()) // 2,
                           rect.y() + (rect.height() - scaled.height()) // 2, scaled)
        return
    path = QPainterPath()
    radius = theme.size("smallradius")
    path.addRoundedRect(QRectF(rect), radius, radius)
    painter.fillPath(path, QColor(_TILES[sum(map(ord, name[:12])) % len(_TILES)]))
    painter.fillRect(QRect(rect.x(), rect.bottom() - rect.height() // 3, rect.width(), rect.height() // 3),
                     QColor(0, 0, 0, 60))
    painter.save()
    painter.setPen(QColor("#e8eef8"))
    painter.setFont(theme.font("title" if rect.width() > theme.px(300) else "body", bold=True))
    inner = rect.adjusted(theme.px(14), theme.px(14), -theme.px(14), -theme.px(14))
    painter.drawText(inner, _A.AlignCenter | Qt.TextFlag.TextWordWrap, name)
    painter.restore()


class PosterGrid(QWidget):
    """Titles ``titles[i] for i in view`` in rows of posters with the focused one outlined.

    ``poster(url)`` returns a pixmap or None (and starts loading it); ``progress(key)`` the watched fraction
    (0 when none) drawn as a bar under the poster.
    """

    def __init__(self, poster: Callable[[str], QPixmap | None], progress: Callable[[str], float],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.poster = poster
        self.progress = progress
        self.theme = th.Theme()
        self.titles: Sequence[Title] = ()
        self.view: Sequence[int] = ()
        self.focus = 0
        self.top_row = 0
        self.active = False  # the focus is in the grid (else in the categories)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, False)

    # -- geometry ------------------------------------------------------------------------------------------------
    @property
    def columns(self) -> int:
        return max(1, (self.width() - self.theme.px(16)) // self.cell_width)

    @property
    def cell_width(self) -> int:
        return self.theme.px(220)

    @property
    def cell_height(self) -> int:
        return round((self.cell_width - self.theme.px(24)) * POSTER_RATIO) + self.theme.px(70)

    @property
    def rows_visible(self) -> int:
        return max(1, self.height() // self.cell_height)

    def set_view(self, titles: Sequence[Title], view: Sequence[int]) -> None:
        self.titles, self.view = titles, view
        self.focus = 0
        self.top_row = 0
        self.update()

    def focused(self) -> Title | None:
        return self.titles[self.view[self.focus]] if 0 <= self.focus < len(self.view) else None

    def step(self, columns: int, rows: int) -> bool:
        """Move the focus; False when it would leave the grid (the caller may move to the categories)."""
        if not self.view:
            return False
        cols = self.columns
        column = self.focus % cols
        if columns and not 0 <= column + columns < cols:
            return False
        target = self.focus + columns + rows * cols
        if rows and not 0 <= target < len(self.view):
            target = max(0, min(len(self.view) - 1, target))
            if target == self.focus:
                return False
        if not 0 <= target < len(self.view):
            return False
        self.focus = target
        self._scroll_to_focus()
        return True

    def page(self, direction: int) -> None:
        if self.view:
            step = self.rows_visible * self.columns * direction
            self.focus = max(0, min(len(self.view) - 1, self.focus + step))
            self._scroll_to_focus()

    def _scroll_to_focus(self) -> None:
        row = self.focus // self.columns
        if row < self.top_row:
            self.top_row = row
        elif row >= self.top_row + self.rows_visible:
            self.top_row = row - self.rows_visible + 1
        self.update()

    # -- drawing -------------------------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent | None) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        theme = self.theme
        cols, cell_w, cell_h = self.columns, self.cell_width, self.cell_height
        rtl = self.layoutDirection() == Qt.LayoutDirection.RightToLeft
        first = self.top_row * cols
        last = min(len(self.view), first + (self.rows_visible + 1) * cols)
        painter.setFont(theme.font("small"))
        metrics = painter.fontMetrics()
        for position in range(first, last):
            title = self.titles[self.view[position]]
            row, column = divmod(position - first, cols)
            x = (self.width() - (column + 1) * cell_w) if rtl else column * cell_w
            cell = QRect(x, row * cell_h, cell_w, cell_h)
            poster_rect = QRect(cell.x() + theme.px(12), cell.y() + theme.px(12), cell_w - theme.px(24),
                                round((cell_w - theme.px(24)) * POSTER_RATIO))
            paint_poster(painter, poster_rect, self.poster(title.poster) if title.poster else None, title.name, theme)
            done = self.progress(title.key)
            if done > 0:
                bar = QRectF(poster_rect.x(), poster_rect.bottom() - theme.px(8), poster_rect.width() * done,
                             theme.px(8))
                painter.fillRect(bar, th.ACCENT_LIGHT)
            label = QRect(poster_rect.x(), poster_rect.bottom() + theme.px(6), poster_rect.width(), theme.px(56))
            painter.setPen(th.TEXT if position == self.focus and self.active else th.TEXT_DIM)
            painter.drawText(label, _A.AlignHCenter | _A.AlignTop | Qt.TextFlag.TextWordWrap,
                             metrics.elidedText(title.name, Qt.TextElideMode.ElideRight, label.width() * 2))
            if position == self.focus and self.active:
                outline = QPainterPath()
                outline.addRoundedRect(QRectF(poster_rect).adjusted(-5, -5, 5, 5), 12, 12)
                painter.strokePath(outline, QPen(QColor("#ffffff"), theme.px(5)))
        painter.end()
