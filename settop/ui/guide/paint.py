"""Painting the guide grid and the programme details: one QPainter pass per panel, no widget per programme."""

from __future__ import annotations

import time
from collections.abc import Callable

from PyQt6.QtCore import QRect, QRectF, Qt
from PyQt6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPen, QPixmap
from PyQt6.QtWidgets import QWidget

from settop.core.models import Channel, Programme
from settop.i18n import _
from settop.ui.guide.info import clock
from settop.ui.guide.model import SLOT, GridModel, floor_slot
from settop.ui.live.channel_rows import CATCHUP_MARK
from settop.ui.widgets import theme as th
from settop.ui.widgets.localefmt import digits, isolate, locale_number, short_date
from settop.ui.widgets.overlay import Panel

NOW_LINE = QColor("#ff5a4d")
RECORD_MARK = QColor("#e0201b")  # a programme scheduled to record (a reminder is gold)
CELL = QColor(255, 255, 255, 26)
CELL_NOW = QColor(90, 130, 200, 70)
CELL_PAST = QColor(255, 255, 255, 12)
BACKDROP = QColor(8, 11, 18, 236)

_A = Qt.AlignmentFlag
CELL_INSET = 3  # px between a programme cell and its row's edge
CELL_PAD_X, CELL_PAD_Y = 12, 4  # at 1080p: text inside a cell


def day_label(moment: float, now: float | None = None) -> str:
    """``Today``, ``Tomorrow``, ``Yesterday`` or ``Sun 29 Nov``."""
    today = time.localtime(now if now is not None else time.time())
    then = time.localtime(moment)
    delta = (time.mktime((then.tm_year, then.tm_mon, then.tm_mday, 12, 0, 0, 0, 0, -1))
             - time.mktime((today.tm_year, today.tm_mon, today.tm_mday, 12, 0, 0, 0, 0, -1)))
    days = round(delta / 86400)
    names = {0: _("Today"), 1: _("Tomorrow"), -1: _("Yesterday")}
    return names.get(days) or short_date(moment)


def fit_font(painter: QPainter, text: str, width: int, smallest: float = 0.75) -> None:
    """Shrink the painter's font (down to ``smallest`` of its size) so ``text`` fits ``width`` on one line: a key
    hint line is whole in every language rather than cut."""
    needed = painter.fontMetrics().horizontalAdvance(text)
    if needed <= width or needed <= 0:
        return
    font = painter.font()
    font.setPixelSize(max(1, int(font.pixelSize() * max(smallest, width / needed))))
    painter.setFont(font)


def row_height(theme: th.Theme) -> int:
    """A grid row: a cell's inset and padding around a title line (bold when focused) over a time line."""
    return max(theme.px(86), 2 * CELL_INSET + 2 * theme.px(CELL_PAD_Y) + theme.line_height("body", bold=True)
               + theme.line_height("small"))


def cell_lines(cell: QRect, theme: th.Theme) -> tuple[QRect, QRect | None] | None:
    """Where a programme cell's title and its time line go, one under the other, each as tall as its font's line and
    the pair centred in the cell; the time is left out (``None``) when the cell is too short for both, and nothing
    fits (``None``) in a cell narrower than a few characters. Rectangles are left to right: mirror them with the
    cell for right to left."""
    inner = cell.adjusted(theme.px(CELL_PAD_X), theme.px(CELL_PAD_Y), -theme.px(CELL_PAD_X), -theme.px(CELL_PAD_Y))
    if inner.width() < theme.px(24) or inner.height() <= 0:
        return None
    title_h, time_h = theme.line_height("body", bold=True), theme.line_height("small")
    if inner.height() < title_h + time_h:
        title_h = min(title_h, inner.height())
        return QRect(inner.x(), inner.y() + (inner.height() - title_h) // 2, inner.width(), title_h), None
    top = inner.y() + (inner.height() - title_h - time_h) // 2
    return (QRect(inner.x(), top, inner.width(), title_h),
            QRect(inner.x(), top + title_h, inner.width(), time_h))


def _rounded(painter: QPainter, rect: QRectF, radius: float, fill: QColor, pen: QPen | None = None) -> None:
    path = QPainterPath()
    path.addRoundedRect(rect, radius, radius)
    painter.fillPath(path, fill)
    if pen is not None:
        painter.setPen(pen)
        painter.drawPath(path)


class GridPanel(Panel):
    """The grid itself: a time header with half-hour marks, a channel column with logos, programme cells, the now
    line and a key hint. It paints from ``model`` and asks ``logo(url)`` for channel logos."""

    def __init__(self, model: GridModel, logo: Callable[[str], QPixmap | None], parent: QWidget | None = None) -> None:
        super().__init__("GuideGrid", parent)
        self.model = model
        self.logo = logo
        self.theme = th.Theme()
        self.hint = ""
        self.catchup: Callable[[Channel, Programme], bool] = lambda _c, _p: False
        self.reminded: Callable[[Channel, Programme], bool] = lambda _c, _p: False
        self.recorded: Callable[[Channel, Programme], bool] = lambda _c, _p: False
        self.clock: Callable[[], float] = time.time

    # geometry helpers (shared with tests and the screen)
    def header_height(self) -> int:
        return max(self.theme.px(64), self.theme.line_height("body", bold=True) + self.theme.px(20))

    def hint_height(self) -> int:
        return max(self.theme.px(52), self.theme.line_height("small") + self.theme.px(12))

    def row_height(self) -> int:
        return row_height(self.theme)

    def channel_width(self) -> int:
        return min(self.theme.px(420), self.width() // 3)

    def rows_that_fit(self) -> int:
        return max(1, (self.height() - self.header_height() - self.hint_height()) // self.row_height())

    def flip(self, rect: QRectF) -> QRectF:
        """``rect`` mirrored across the panel in a right-to-left language (time then runs right to left)."""
        if not self.isRightToLeft():
            return rect
        return QRectF(self.width() - rect.x() - rect.width(), rect.y(), rect.width(), rect.height())

    def _flipped(self, rect: QRect) -> QRect:
        return self.flip(QRectF(rect)).toRect()

    def flip_x(self, x: float) -> float:
        return self.width() - x if self.isRightToLeft() else x

    def x_of(self, moment: float) -> float:
        """Where ``moment`` is drawn, left to right (``flip_x`` gives the on-screen place in right-to-left)."""
        left = self.channel_width()
        width = self.width() - left - self.theme.px(16)
        return left + (moment - self.model.start) / self.model.span * width

    def paintEvent(self, event: QPaintEvent | None) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        _rounded(painter, QRectF(self.rect()), self.theme.size("radius"), BACKDROP)
        now = self.clock()
        self._paint_header(painter, now)
        bottom = self._paint_rows(painter, now)
        self._paint_now_line(painter, now, bottom)
        self._paint_hint(painter)
        painter.end()

    def _paint_header(self, painter: QPainter, now: float) -> None:
        """The day and the half-hour marks (their lines run down the whole grid)."""
        theme, model = self.theme, self.model
        left, header = self.channel_width(), self.header_height()
        painter.setFont(theme.font("body", bold=True))
        painter.setPen(th.TEXT)
        painter.drawText(self.flip(QRectF(theme.px(24), 0, left - theme.px(24), header)).toRect(),
                         _A.AlignLeft | _A.AlignVCenter,
                         day_label(model.start + model.span / 2, now))
        painter.setFont(theme.font("small", bold=True))
        mark = model.start
        while mark < model.start + model.span:
            x = round(self.flip_x(self.x_of(mark)))
            painter.setPen(QPen(QColor(255, 255, 255, 70), theme.size("hairline")))
            painter.drawLine(x, header - theme.px(14), x, self.height() - self.hint_height())
            painter.setPen(th.TEXT_DIM)
            label = self.flip(QRectF(self.x_of(mark) + theme.px(8), 0, theme.px(160), header)).toRect()
            painter.drawText(label, _A.AlignLeft | _A.AlignVCenter, clock(mark))
            mark += SLOT

    def _paint_rows(self, painter: QPainter, now: float) -> int:
        """Each visible channel with its programmes in the time span; returns the y below the last row."""
        model = self.model
        left, row_h = self.channel_width(), self.row_height()
        programmes = model.programmes()
        y = self.header_height()
        end = model.start + model.span
        for row in model.visible_rows():
            channel = model.channels[row]
            is_row = row == model.row
            self._paint_channel(painter, QRect(0, y, left, row_h), channel, digits(model.numbers[row]), is_row)
            visible = [p for p in programmes.get(channel.key, []) if p.stop > model.start and p.start < end]
            if not visible:
                self._paint_no_guide(painter, y, is_row)
            focused = model.focused() if is_row else None
            for programme in visible:
                is_focus = focused is not None and programme.start == focused.start
                self._paint_programme(painter, channel, programme, y, is_focus=is_focus, now=now)
            if is_row and focused is None and visible:  # the focus is on a gap between programmes: show it
                self._paint_gap_focus(painter, y, left, self.width() - self.theme.px(16))
            y += row_h
        return y

    def _paint_no_guide(self, painter: QPainter, y: int, on: bool) -> None:
        """A row-wide cell saying the channel has no guide data."""
        theme = self.theme
        left, right, row_h, pad = self.channel_width(), self.width() - theme.px(16), self.row_height(), theme.px(12)
        cell = self.flip(QRectF(left + 2, y + 3, right - left - 4, row_h - 6))
        _rounded(painter, cell, theme.size("smallradius"), th.ACCENT if on else CELL_PAST,
                 QPen(QColor("#ffffff"), theme.size("border")) if on else None)
        painter.setFont(theme.font("small"))
        painter.setPen(QColor("#ffffff") if on else th.TEXT_DIM)
        painter.drawText(cell.toRect().adjusted(pad, 0, -pad, 0), _A.AlignLeft | _A.AlignVCenter,
                         _("No guide information"))

    def _paint_programme(self, painter: QPainter, channel: Channel, programme: Programme, y: int, *,
                         is_focus: bool, now: float) -> None:
        """One programme's cell: coloured by past / on air / future / focus, the title and, if it fits, the time."""
        theme = self.theme
        left, right, row_h = float(self.channel_width()), float(self.width() - theme.px(16)), self.row_height()
        x0 = max(left, self.x_of(programme.start))
        x1 = min(right, self.x_of(programme.stop))
        box = QRectF(x0 + 2, y + CELL_INSET, max(2.0, x1 - x0 - 4), row_h - 2 * CELL_INSET)
        airing = programme.start <= now < programme.stop
        fill = th.ACCENT if is_focus else CELL_NOW if airing else CELL_PAST if programme.stop <= now else CELL
        pen = QPen(QColor("#ffffff"), theme.size("border")) if is_focus else None
        _rounded(painter, self.flip(box), theme.size("smallradius"), fill, pen)
        if programme.start > now and self.reminded(channel, programme):
            self._paint_reminder(painter, self.flip(box))
        if programme.stop > now and self.recorded(channel, programme):
            self._paint_recording(painter, self.flip(box), beside=programme.start > now and self.reminded(channel,
                                                                                                        programme))
        lines = cell_lines(box.toRect(), theme)
        if lines is None:
            return
        title_rect, when_rect = lines
        painter.setFont(theme.font("body", bold=is_focus))
        painter.setPen(QColor("#ffffff") if is_focus else th.TEXT if programme.stop > now else th.TEXT_DIM)
        title = painter.fontMetrics().elidedText(isolate(programme.title), Qt.TextElideMode.ElideRight,
                                                 title_rect.width())
        painter.drawText(self._flipped(title_rect), _A.AlignLeft | _A.AlignVCenter, title)
        if when_rect is None:
            return
        painter.setFont(theme.font("small"))
        painter.setPen(QColor("#dfe9ff") if is_focus else th.TEXT_DIM)
        when = f"{clock(programme.start)}–{clock(programme.stop)}"
        if programme.stop <= now and self.catchup(channel, programme):
            when += "  " + CATCHUP_MARK
        painter.drawText(self._flipped(when_rect), _A.AlignLeft | _A.AlignVCenter,
                         painter.fontMetrics().elidedText(when, Qt.TextElideMode.ElideRight, when_rect.width()))

    def _paint_now_line(self, painter: QPainter, now: float, bottom: int) -> None:
        """The red line at the current time, from the header down to ``bottom``."""
        theme, model, header = self.theme, self.model, self.header_height()
        if not model.start <= now < model.start + model.span:
            return
        x = round(self.flip_x(self.x_of(now)))
        painter.setPen(QPen(NOW_LINE, theme.px(4)))
        painter.drawLine(x, header - theme.px(10), x, bottom)
        painter.setBrush(NOW_LINE)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawEllipse(QRectF(x - theme.px(8), header - theme.px(18), theme.px(16), theme.px(16)))

    def _paint_hint(self, painter: QPainter) -> None:
        """The key hint along the bottom."""
        theme = self.theme
        painter.setFont(theme.font("small"))
        painter.setPen(th.TEXT_DIM)
        hint_rect = QRect(theme.px(24), self.height() - self.hint_height(), self.width() - theme.px(48),
                          self.hint_height())
        fit_font(painter, self.hint, hint_rect.width())
        painter.drawText(hint_rect, _A.AlignLeft | _A.AlignVCenter,
                         painter.fontMetrics().elidedText(self.hint, Qt.TextElideMode.ElideRight, hint_rect.width()))

    def _paint_reminder(self, painter: QPainter, cell: QRectF) -> None:
        """The reminder mark: a small gold dot in the cell's top trailing corner."""
        size = self.theme.px(14)
        gap = self.theme.px(8)
        x = cell.left() + gap if self.isRightToLeft() else cell.right() - gap - size
        painter.save()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(th.FAVORITE)
        painter.drawEllipse(QRectF(x, cell.top() + gap, size, size))
        painter.restore()

    def _paint_recording(self, painter: QPainter, cell: QRectF, *, beside: bool) -> None:
        """The recording mark: a red dot ringed in white in the cell's top trailing corner (left of a reminder's
        gold dot when both are set), as recorders mark a timer."""
        size = self.theme.px(16)
        gap = self.theme.px(8) + (self.theme.px(22) if beside else 0)
        x = cell.left() + gap if self.isRightToLeft() else cell.right() - gap - size
        painter.save()
        painter.setPen(QPen(QColor("#ffffff"), self.theme.px(2)))
        painter.setBrush(RECORD_MARK)
        painter.drawEllipse(QRectF(x, cell.top() + self.theme.px(7), size, size))
        painter.restore()

    def _paint_gap_focus(self, painter: QPainter, y: int, left: int, right: int) -> None:
        """The focused half hour where the guide has nothing (before its first programme, after its last)."""
        theme, model = self.theme, self.model
        start = floor_slot(model.focus_time)
        x0, x1 = max(float(left), self.x_of(start)), min(float(right), self.x_of(start + SLOT))
        box = QRectF(x0 + 2, y + CELL_INSET, max(2.0, x1 - x0 - 4), self.row_height() - 2 * CELL_INSET)
        cell = self.flip(box)
        _rounded(painter, cell, theme.size("smallradius"), th.ACCENT, QPen(QColor("#ffffff"), theme.size("border")))
        painter.setFont(theme.font("small"))
        painter.setPen(QColor("#ffffff"))
        text_rect = cell.toRect().adjusted(theme.px(12), 0, -theme.px(12), 0)
        painter.drawText(text_rect, _A.AlignLeft | _A.AlignVCenter, painter.fontMetrics().elidedText(
            _("No guide information"), Qt.TextElideMode.ElideRight, text_rect.width()))

    def _paint_channel(self, painter: QPainter, rect: QRect, channel: Channel, number: str, focused: bool) -> None:
        theme = self.theme
        if focused:
            _rounded(painter, self.flip(QRectF(rect).adjusted(theme.px(8), 3, -4, -3)), theme.size("smallradius"),
                     QColor(47, 111, 219, 90))
        x = rect.x() + theme.px(20)
        painter.setFont(theme.font("body", bold=True))
        painter.setPen(th.ACCENT_LIGHT)
        number_w = theme.px(80)
        painter.drawText(self._flipped(QRect(x, rect.y(), number_w, rect.height())), _A.AlignLeft | _A.AlignVCenter,
                         number)
        x += number_w
        logo_w, logo_h = theme.px(96), rect.height() - theme.px(20)
        logo_rect = self._flipped(QRect(x, rect.y() + theme.px(10), logo_w, logo_h))
        pixmap = self.logo(channel.logo) if channel.logo else None
        if pixmap is not None and not pixmap.isNull():
            scaled = pixmap.scaled(logo_rect.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                   Qt.TransformationMode.SmoothTransformation)
            painter.drawPixmap(logo_rect.x() + (logo_w - scaled.width()) // 2,
                               logo_rect.y() + (logo_h - scaled.height()) // 2, scaled)
        else:
            _rounded(painter, QRectF(logo_rect), theme.size("smallradius"), QColor(255, 255, 255, 30))
            painter.setFont(theme.font("small", bold=True))
            painter.setPen(th.TEXT_DIM)
            initials = "".join(word[:1] for word in channel.name.split()[:2]).upper()
            painter.drawText(logo_rect, _A.AlignCenter, initials)
        x += logo_w + theme.px(14)
        painter.setFont(theme.font("body", bold=focused))
        painter.setPen(QColor("#ffffff") if focused else th.TEXT)
        name_rect = self._flipped(QRect(x, rect.y(), rect.right() - x - theme.px(8), rect.height()))
        painter.drawText(name_rect, _A.AlignLeft | _A.AlignVCenter,
                         painter.fontMetrics().elidedText(isolate(channel.name), Qt.TextElideMode.ElideRight,
                                                          name_rect.width()))


class DetailsPanel(Panel):
    """The focused programme: title, day and time, episode, description, categories, and what OK does."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("GuideDetails", parent)
        self.theme = th.Theme()
        self.channel: Channel | None = None
        self.programme: Programme | None = None
        self.action = ""
        self.clock: Callable[[], float] = time.time

    def show_programme(self, channel: Channel | None, programme: Programme | None, action: str) -> None:
        self.channel, self.programme, self.action = channel, programme, action
        self.update()

    def paintEvent(self, event: QPaintEvent | None) -> None:
        theme = self.theme
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        _rounded(painter, QRectF(self.rect()), theme.size("radius"), BACKDROP)
        pad = theme.px(28)
        width = self.width() - 2 * pad
        y = pad
        programme = self.programme
        painter.setFont(theme.font("title", bold=True))
        painter.setPen(QColor("#ffffff"))
        title = isolate(programme.title) if programme is not None else _("No guide information")
        title_h = theme.line_height("title", bold=True)
        painter.drawText(QRect(pad, y, width, title_h), _A.AlignLeft | _A.AlignVCenter,
                         painter.fontMetrics().elidedText(title, Qt.TextElideMode.ElideRight, width))
        y += title_h + theme.px(4)
        if programme is not None:
            now = self.clock()
            parts = [f"{day_label(programme.start, now)}  {clock(programme.start)}–{clock(programme.stop)}",
                     _("{minutes} min").format(minutes=locale_number(max(1, (programme.stop - programme.start) // 60)))]
            if programme.episode:
                parts.append(programme.episode)
            if programme.sub_title:
                parts.append(programme.sub_title)
            if programme.is_new:
                parts.append(_("New"))
            if self.channel is not None:
                parts.append(isolate(self.channel.name))
            painter.setFont(theme.font("body"))
            painter.setPen(th.ACCENT_LIGHT)
            meta_h = theme.line_height("body")
            painter.drawText(QRect(pad, y, width, meta_h), _A.AlignLeft | _A.AlignVCenter,
                             painter.fontMetrics().elidedText("  ·  ".join(parts), Qt.TextElideMode.ElideRight,
                                                              width))
            y += meta_h + theme.px(8)
            foot_h = theme.line_height("small", bold=True)
            bottom = self.height() - pad - foot_h
            if programme.desc:
                painter.setFont(theme.font("small"))
                painter.setPen(th.TEXT)
                desc_rect = QRect(pad, y, width, max(0, bottom - y - theme.px(8)))
                painter.save()
                painter.setClipRect(desc_rect)  # a long description stops above the categories
                painter.drawText(desc_rect, _A.AlignLeft | _A.AlignTop | Qt.TextFlag.TextWordWrap, programme.desc)
                painter.restore()
            if programme.categories:
                painter.setFont(theme.font("small", bold=True))
                painter.setPen(th.TEXT_DIM)
                painter.drawText(QRect(pad, bottom, width, foot_h), _A.AlignLeft | _A.AlignVCenter,
                                 painter.fontMetrics().elidedText("  ·  ".join(programme.categories),
                                                                  Qt.TextElideMode.ElideRight, width // 2))
        if self.action:
            painter.setFont(theme.font("small", bold=True))
            painter.setPen(QColor("#ffffff"))
            foot_h = theme.line_height("small", bold=True)
            painter.drawText(QRect(pad, self.height() - pad - foot_h, width, foot_h),
                             _A.AlignRight | _A.AlignVCenter, self.action)
        painter.end()
