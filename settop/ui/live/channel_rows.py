"""The channel list's rows: a model of lineup indices and the delegate that paints each row.

A ``QAbstractListModel`` holds only a list of channel indices into the ``Lineup``; the delegate paints number, logo,
name and the programme line at fixed row heights, so the list stays instant at 100,000 channels.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PyQt6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PyQt6.QtGui import QColor, QPainter, QPainterPath, QPen
from PyQt6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from settop.core.models import Channel
from settop.core.playlist.lineup import Lineup
from settop.ui.guide.info import NowNext, NowNextSource
from settop.ui.widgets import theme as th
from settop.ui.widgets.localefmt import digits, isolate, locale_number
from settop.ui.widgets.logos import LogoCache, paint_logo

ChannelRole = Qt.ItemDataRole.UserRole + 1
LineupIndexRole = Qt.ItemDataRole.UserRole + 2
NumberRole = Qt.ItemDataRole.UserRole + 3
SourcesRole = Qt.ItemDataRole.UserRole + 4  # how many sources carry the row's channel (1 unless merged duplicates)


class ChannelListModel(QAbstractListModel):
    """Rows are lineup indices; ``set_rows`` swaps them in O(1) (the list is referenced, not copied)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lineup: Lineup | None = None
        self.rows: Sequence[int] = ()

    def set_rows(self, lineup: Lineup | None, rows: Sequence[int]) -> None:
        self.beginResetModel()
        self.lineup = lineup
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        if parent is not None and parent.isValid():
            return 0
        return len(self.rows)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self.lineup is None or not index.isValid() or index.row() >= len(self.rows):
            return None
        lineup_index = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.lineup.channels[lineup_index].name
        if role == ChannelRole:
            return self.lineup.channels[lineup_index]
        if role == LineupIndexRole:
            return lineup_index
        if role == NumberRole:
            return self.lineup.numbers[lineup_index]
        if role == SourcesRole:
            return max(1, len(self.lineup.choices(lineup_index)))
        return None

    def row_of(self, lineup_index: int) -> int:
        if self.lineup is not None and self.rows is self.lineup.all:
            return lineup_index
        try:
            return list(self.rows).index(lineup_index) if not isinstance(self.rows, list) else self.rows.index(
                lineup_index)
        except ValueError:
            return -1


ROW_PAD_Y = 8  # px at 1080p above and below a row's text (the focus frame is drawn inside it)
LINE_GAP = 2  # px at 1080p between the channel name and the programme line


def channel_table(parent: QWidget, model: ChannelListModel,
                  delegate: ChannelDelegate) -> tuple[QTableView, QHeaderView]:
    """The one-column table of channel rows (fixed row heights: no layout pass over every row after a reset),
    without headers, grid, scroll bars or keyboard focus (the dispatcher moves the focus); and its row header."""
    view = QTableView(parent)
    view.setModel(model)
    view.setItemDelegate(delegate)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.setCornerButtonEnabled(False)
    horizontal, vertical = view.horizontalHeader(), view.verticalHeader()
    assert horizontal is not None and vertical is not None
    horizontal.hide()
    vertical.hide()
    horizontal.setStretchLastSection(True)
    vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    vertical.setMinimumSectionSize(1)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    view.setMouseTracking(False)
    return view, vertical


def list_rect(rect: QRect, theme: th.Theme) -> QRect:
    """Where the channel list (and group move mode over it) goes in a window of ``rect``: the side of the screen."""
    safe = theme.safe_rect(rect.width(), rect.height())
    width = min(safe.width(), max(theme.px(860), round(rect.width() * 0.42)))
    return QRect(safe.x(), safe.y(), width, safe.height())


def row_height(theme: th.Theme, with_programme: bool) -> int:
    """A list row: the channel name's line (bold when focused), and the programme line under it when a guide is
    plugged in, each as tall as its font's line, with padding above and below."""
    lines = theme.line_height("body", bold=True)
    if with_programme:
        lines += theme.px(LINE_GAP) + theme.line_height("small")
    return max(theme.px(92 if with_programme else 72), lines + 2 * theme.px(ROW_PAD_Y))


def row_lines(row: QRect, left: int, right: int, theme: th.Theme, with_programme: bool) -> tuple[QRect, QRect | None]:
    """The channel name's line and the programme line (progress bar and title) of a row between ``left`` and
    ``right``, one under the other and centred in the row; left to right (mirror them for right to left)."""
    name_h = theme.line_height("body", bold=True)
    if not with_programme:
        return QRect(left, row.y() + (row.height() - name_h) // 2, right - left, name_h), None
    gap, programme_h = theme.px(LINE_GAP), theme.line_height("small")
    top = row.y() + (row.height() - name_h - gap - programme_h) // 2
    return (QRect(left, top, right - left, name_h),
            QRect(left, top + name_h + gap, right - left, programme_h))


CATCHUP_MARK = "⟲"
"""Beside a channel that has catch-up (in the list) and a past programme that can be replayed (in the guide)."""


class ChannelDelegate(QStyledItemDelegate):
    """Paints one row: number, logo, name, favorite star, catch-up mark, and the current programme with progress."""

    def __init__(
        self,
        logos: LogoCache,
        is_favorite: Callable[[str], bool],
        now_next: NowNextSource | None,
        playing_key: Callable[[], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.logos = logos
        self.is_favorite = is_favorite
        self.now_next = now_next
        self.playing_key = playing_key
        self.held: Callable[[str], bool] = lambda _key: False  # the channel carried in move mode
        self.theme = th.Theme()
        self._frame: QRectF | None = None  # the row being painted, when it is mirrored (right to left)

    def row_height(self) -> int:
        return row_height(self.theme, self.now_next is not None)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        return QSize(option.rect.width(), self.row_height())

    def paint(self, painter: QPainter | None, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        channel: Channel | None = index.data(ChannelRole)
        if painter is None or channel is None:
            return
        theme = self.theme
        rect: QRect = option.rect
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        # Right-to-left: the row is laid out left to right below and every rectangle mirrored inside the row.
        self._frame = QRectF(rect) if option.direction == Qt.LayoutDirection.RightToLeft else None
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        inset = theme.px(3)
        box = QRectF(rect).adjusted(inset, inset, -inset, -inset)
        radius = theme.size("smallradius")
        if selected:
            path = QPainterPath()
            path.addRoundedRect(box, radius, radius)
            painter.fillPath(path, th.ACCENT)
            painter.setPen(QPen(QColor("#ffffff"), theme.size("border") * 0.75))
            painter.drawPath(path)
        pad = theme.px(16)
        x = rect.x() + pad
        # number
        number_w = theme.px(96)
        painter.setFont(theme.font("body", bold=True))
        painter.setPen(QColor("#ffffff") if selected else th.ACCENT_LIGHT)
        painter.drawText(self._m(QRect(x, rect.y(), number_w, rect.height())),
                         Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                         digits(index.data(NumberRole) or ""))
        x += number_w + pad
        # logo
        logo_h = min(rect.height() - 2 * theme.px(14), theme.px(64))
        logo_rect = QRect(x, rect.y() + (rect.height() - logo_h) // 2, round(logo_h * 1.6), logo_h)
        paint_logo(painter, self._m(logo_rect), self.logos.pixmap(channel.logo), channel.name)
        x = logo_rect.right() + pad
        right = rect.right() - pad
        # favorite star and "playing" mark on the right
        if self.is_favorite(channel.key):
            painter.setPen(th.FAVORITE)
            painter.setFont(theme.font("body", bold=True))
            star = QRect(right - theme.px(36), rect.y(), theme.px(36), rect.height())
            painter.drawText(self._m(star), Qt.AlignmentFlag.AlignCenter, "★")
            right = star.left() - theme.px(6)
        if channel.catchup is not None:  # the same mark as the guide's replayable programmes
            painter.setPen(QColor("#ffffff") if selected else th.TEXT_DIM)
            painter.setFont(theme.font("body", bold=True))
            replay = QRect(right - theme.px(36), rect.y(), theme.px(36), rect.height())
            painter.drawText(self._m(replay), Qt.AlignmentFlag.AlignCenter, CATCHUP_MARK)
            right = replay.left() - theme.px(6)
        sources = index.data(SourcesRole) or 1
        if sources > 1:  # the channel has copies from other sources (failover, Choose the source), as the banner says
            right = self._sources_badge(painter, rect, right, sources, selected)
        if channel.key == self.playing_key():
            painter.setPen(QColor("#ffffff") if selected else th.ACCENT_LIGHT)
            painter.setFont(theme.font("small", bold=True))
            mark = QRect(right - theme.px(40), rect.y(), theme.px(40), rect.height())
            painter.drawText(self._m(mark), Qt.AlignmentFlag.AlignCenter, "◀" if self._frame else "▶")
            right = mark.left() - theme.px(6)
        info = self.now_next(channel) if self.now_next else None
        painter.setPen(th.TEXT if not selected else QColor("#ffffff"))
        painter.setFont(theme.font("body", bold=selected))
        airing = info is not None and info.now is not None
        name_rect, programme_rect = row_lines(rect, x, right, theme, airing)
        self._elided(painter, name_rect, ("⇅  " + channel.name) if self.held(channel.key) else channel.name,
                     Qt.AlignmentFlag.AlignVCenter)
        if info is not None and programme_rect is not None:
            self._programme(painter, programme_rect, info, selected)
        painter.restore()

    def _sources_badge(self, painter: QPainter, rect: QRect, right: int, sources: int, selected: bool) -> int:
        """A small outlined box with the number of sources, ending at ``right``; the new right edge."""
        theme = self.theme
        painter.setFont(theme.font("small", bold=True))
        text = locale_number(sources)
        side = theme.line_height("small")
        width = max(side, painter.fontMetrics().horizontalAdvance(text) + theme.px(12))
        box = QRectF(right - width, rect.y() + (rect.height() - side) / 2, width, side)
        colour = QColor("#ffffff") if selected else th.ACCENT_LIGHT
        path = QPainterPath()
        path.addRoundedRect(self._mf(box), theme.px(6), theme.px(6))
        painter.setPen(QPen(colour, max(1.0, theme.size("border") * 0.5)))
        painter.drawPath(path)
        painter.drawText(self._mf(box), Qt.AlignmentFlag.AlignCenter, text)
        return round(box.left()) - theme.px(8)

    def _mf(self, box: QRectF) -> QRectF:
        """``box`` mirrored inside the row being painted when the layout runs right to left."""
        frame = self._frame
        if frame is None:
            return box
        return QRectF(2 * frame.x() + frame.width() - box.x() - box.width(), box.y(), box.width(), box.height())

    def _m(self, rect: QRect) -> QRect:
        return self._mf(QRectF(rect)).toRect()

    def _elided(self, painter: QPainter, rect: QRect, text: str, valign: Qt.AlignmentFlag) -> None:
        elided = painter.fontMetrics().elidedText(isolate(text), Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(self._m(rect), Qt.AlignmentFlag.AlignLeft | valign, elided)

    def _programme(self, painter: QPainter, rect: QRect, info: NowNext, selected: bool) -> None:
        assert info.now is not None
        theme = self.theme
        bar_w = theme.px(110)
        bar_h = theme.px(8)
        bar = QRectF(rect.x(), rect.center().y() - bar_h / 2, bar_w, bar_h)
        path = QPainterPath()
        path.addRoundedRect(self._mf(bar), bar_h / 2, bar_h / 2)
        painter.fillPath(path, QColor(255, 255, 255, 60))
        done = QPainterPath()
        done.addRoundedRect(self._mf(QRectF(bar.x(), bar.y(), bar_w * info.progress(), bar_h)), bar_h / 2, bar_h / 2)
        painter.fillPath(done, QColor("#ffffff") if selected else th.ACCENT_LIGHT)
        painter.setFont(theme.font("small"))
        painter.setPen(QColor(255, 255, 255, 220) if selected else th.TEXT_DIM)
        gap = theme.px(12)
        text_rect = QRect(round(bar.right()) + gap, rect.y(), rect.width() - bar_w - gap, rect.height())
        self._elided(painter, text_rect, info.now.title, Qt.AlignmentFlag.AlignVCenter)
