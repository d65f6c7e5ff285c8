"""How the time-shift banner looks: the channel and how far behind live, and a time line ending at the live edge
with the buffered span, the play point (its time and "−4:12") and the live edge."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PyQt6.QtCore import QRect, QRectF, Qt
from PyQt6.QtGui import QColor, QPainterPath

from settop.i18n import _
from settop.ui.widgets import theme as th
from settop.ui.widgets.localefmt import bidi, digits, isolate
from settop.ui.widgets.seekbar import draw_heading, draw_hint_line, draw_knob

if TYPE_CHECKING:
    from settop.ui.timeshift_view import TimeshiftScreen

_A = Qt.AlignmentFlag
SHIFT_COLOUR = QColor("#e05a4a")
LEAST_WINDOW_S = 600.0  # the time line shows at least the last 10 minutes (a short ring is a short stretch)


def behind_text(seconds: float) -> str:
    """``−4:12`` (or ``−1:02:03``) behind live, with a true minus sign, kept left to right in any line."""
    whole = max(0, round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return "\u2066\u2212" + (f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}") + "\u2069"


def clock_seconds(epoch: float) -> str:
    return digits(time.strftime("%H:%M:%S", time.localtime(epoch)))


def paint_timeshift(screen: TimeshiftScreen, span: tuple[float, float]) -> None:
    """Paint ``screen`` (its ring holds ``span``, stream seconds since the ring began)."""
    theme = screen.theme
    painter, _outline = th.begin_panel(screen, theme, 236)
    pad = theme.px(32)
    width = screen.width() - 2 * pad
    channel = screen.channel
    behind = behind_text(screen.behind_s())
    state = ("❚❚  " + _("Paused") if screen.paused else "▶  " + _("Playing")) + "  ·  " + digits(
        _("{behind} behind live").format(behind=behind))
    title = bidi(isolate(channel.name)) if channel is not None else ""
    top_h = draw_heading(painter, screen, theme, badge_text=_("TIME SHIFT"), colour=SHIFT_COLOUR, title=title,
                         state=state)
    # The time line: its right end is the live edge, its left end the ring's cap (or ten minutes).
    start, end = span
    caps = screen.buffer.caps.seconds if screen.buffer is not None else LEAST_WINDOW_S
    window = min(caps, max(LEAST_WINDOW_S, end - start))
    low = end - window
    small_h = theme.line_height("small")
    label_w = theme.px(110)
    bar = QRectF(pad + label_w, pad + top_h + theme.px(26), width - 2 * label_w, theme.px(14))

    def x_of(second: float) -> float:
        return bar.x() + bar.width() * max(0.0, min(1.0, (second - low) / window)) if window > 0 else bar.right()

    track = QPainterPath()
    track.addRoundedRect(bar, bar.height() / 2, bar.height() / 2)
    painter.fillPath(track, QColor(255, 255, 255, 40))
    position_s = screen.position_ms / 1000
    if end > start:
        buffered = QPainterPath()
        buffered.addRoundedRect(QRectF(x_of(start), bar.y(), max(bar.height(), x_of(end) - x_of(start)),
                                       bar.height()), bar.height() / 2, bar.height() / 2)
        painter.fillPath(buffered, QColor(255, 255, 255, 110))
        played = QPainterPath()
        played.addRoundedRect(QRectF(x_of(start), bar.y(), max(bar.height(), x_of(position_s) - x_of(start)),
                                     bar.height()), bar.height() / 2, bar.height() / 2)
        painter.fillPath(played, SHIFT_COLOUR)
    # The live edge: a red mark at the right end and the word under it.
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#ff3b30"))
    edge = QRectF(bar.right() - theme.px(4), bar.y() - theme.px(10), theme.px(8), bar.height() + theme.px(20))
    painter.drawRoundedRect(edge, theme.px(3), theme.px(3))
    knob_x = draw_knob(painter, theme, bar, (position_s - low) / window if window > 0 else 1.0)
    painter.setFont(theme.font("small", bold=True))
    painter.setPen(QColor("#ff8a80"))
    row = QRect(round(bar.right()) + theme.px(14), round(bar.center().y() - small_h / 2), label_w, small_h)
    painter.drawText(row, _A.AlignLeft | _A.AlignAbsolute | _A.AlignVCenter, _("LIVE"))
    painter.setFont(theme.font("small"))
    painter.setPen(th.TEXT)
    painter.drawText(QRect(pad, row.y(), label_w - theme.px(10), small_h), _A.AlignLeft | _A.AlignVCenter,
                     digits(behind_text(window)))
    if screen.buffer is not None:
        painter.setPen(QColor("#ffffff"))
        under = f"{clock_seconds(screen.started_at + position_s)}   {digits(behind)}"
        painter.drawText(QRect(round(knob_x) - theme.px(120), round(bar.bottom()) + theme.px(12), theme.px(240),
                               small_h), _A.AlignCenter, under)
    draw_hint_line(painter, screen, theme, screen.hint_text)
    painter.end()
