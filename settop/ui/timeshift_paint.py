"""How the time-shift banner looks: the channel and how far behind live, and a time line ending at the live edge
with the buffered span, the play point (its time and "−4:12") and the live edge."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PyQt6.QtCore import QRect, QRectF, Qt
from PyQt6.QtGui import QColor, QPainterPath

from settop.core.models import Programme
from settop.i18n import _
from settop.ui.widgets import theme as th
from settop.ui.widgets.localefmt import bidi, clock, digits, isolate, short_date
from settop.ui.widgets.seekbar import draw_heading, draw_hint_line, draw_knob

if TYPE_CHECKING:
    from settop.ui.timeshift_view import TimeshiftScreen

_A = Qt.AlignmentFlag
SHIFT_COLOUR = QColor("#e05a4a")
ARCHIVE_COLOUR = QColor("#e0a030")  # the catch-up colour
LEAST_WINDOW_S = 600.0  # the time line shows at least the last 10 minutes


def behind_text(seconds: float) -> str:
    """``−4:12`` (or ``−1:02:03``) behind live, with a true minus sign, kept left to right in any line."""
    whole = max(0, round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return "\u2066\u2212" + (f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}") + "\u2069"


def clock_seconds(epoch: float) -> str:
    return digits(time.strftime("%H:%M:%S", time.localtime(epoch)))


def when_text(programme: Programme, now: float) -> str:
    """``Today 20:00–21:00`` (or ``Sun 29 Nov 20:00–21:00``): when the programme at the play point is on."""
    same_day = time.localtime(programme.start)[:3] == time.localtime(now)[:3]
    day = _("Today") if same_day else short_date(programme.start)
    return f"{day} {clock(programme.start)}–{clock(programme.stop)}"


def paint_timeshift(screen: TimeshiftScreen) -> None:
    """Paint ``screen``: the channel, the programme at the play point and its time, how far behind live, and the
    time line (true UTC) from a while back to the live edge with the ring's and the archive's spans on it."""
    theme = screen.theme
    painter, _outline = th.begin_panel(screen, theme, 236)
    pad = theme.px(32)
    width = screen.width() - 2 * pad
    channel, programme, now = screen.channel, screen.programme(), time.time()
    behind = behind_text(screen.behind_s())
    words = ["❚❚  " + _("Paused") if screen.paused else "▶  " + _("Playing")]
    if programme is not None:
        words.append(when_text(programme, now))
    words.append(digits(_("{behind} behind live").format(behind=behind)))
    title = ""
    if channel is not None:
        title = bidi(isolate(channel.name) + (f"  ·  {isolate(programme.title)}" if programme is not None else ""))
    top_h = draw_heading(painter, screen, theme, badge_text=_("TIME SHIFT"), colour=SHIFT_COLOUR, title=title,
                         state="  ·  ".join(words))
    # The time line: its right end is the live edge, its left end ten minutes back or more (as far as needed).
    edge, moment = screen.edge(), screen.moment()
    ring = (screen.started_at + screen.buffer.span()[0], edge) if screen.buffer is not None else None
    part = screen.part
    window = max(LEAST_WINDOW_S, (edge - moment) * 1.25, ring[1] - ring[0] if ring else 0.0)
    low = edge - window
    small_h = theme.line_height("small")
    label_w = theme.px(110)
    bar = QRectF(pad + label_w, pad + top_h + theme.px(26), width - 2 * label_w, theme.px(14))

    def x_of(second: float) -> float:
        return bar.x() + bar.width() * max(0.0, min(1.0, (second - low) / window))

    def span(start: float, end: float, colour: QColor) -> None:
        if end > start:
            path = QPainterPath()
            path.addRoundedRect(QRectF(x_of(start), bar.y(), max(bar.height(), x_of(end) - x_of(start)),
                                       bar.height()), bar.height() / 2, bar.height() / 2)
            painter.fillPath(path, colour)

    span(low, edge, QColor(255, 255, 255, 40))
    if part is not None:
        span(part.base, min(part.end, now), ARCHIVE_COLOUR)  # the archive's programme
    if ring is not None:
        span(ring[0], ring[1], QColor(255, 255, 255, 110))  # the ring
        span(ring[0], moment, SHIFT_COLOUR)
    # The live edge: a red mark at the right end and the word next to it.
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#ff3b30"))
    painter.drawRoundedRect(QRectF(bar.right() - theme.px(4), bar.y() - theme.px(10), theme.px(8),
                                   bar.height() + theme.px(20)), theme.px(3), theme.px(3))
    knob_x = draw_knob(painter, theme, bar, (moment - low) / window)
    painter.setFont(theme.font("small", bold=True))
    painter.setPen(QColor("#ff8a80"))
    row = QRect(round(bar.right()) + theme.px(14), round(bar.center().y() - small_h / 2), label_w, small_h)
    painter.drawText(row, _A.AlignLeft | _A.AlignAbsolute | _A.AlignVCenter, _("LIVE"))
    painter.setFont(theme.font("small"))
    painter.setPen(th.TEXT)
    painter.drawText(QRect(pad, row.y(), label_w - theme.px(10), small_h), _A.AlignLeft | _A.AlignVCenter,
                     digits(behind_text(window)))
    if channel is not None:
        painter.setPen(QColor("#ffffff"))
        under = f"{clock_seconds(moment)}   {digits(behind)}"
        painter.drawText(QRect(round(knob_x) - theme.px(120), round(bar.bottom()) + theme.px(12), theme.px(240),
                               small_h), _A.AlignCenter, under)
    draw_hint_line(painter, screen, theme, screen.hint_text)
    painter.end()
