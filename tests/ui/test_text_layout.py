"""Text lines of guide cells, channel rows and the details panel laid out from font metrics: at 720p and 1080p, in
English, French and Arabic, the lines fit their cell or row, never overlap, and the drawn ink stays in its line."""

from __future__ import annotations

from typing import Any

import pytest
from PyQt6.QtCore import QRect, Qt
from PyQt6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter

from settop.ui.guide.model import SLOT, GridModel
from settop.ui.guide.paint import CELL_INSET, GridPanel, cell_lines
from settop.ui.live.channel_rows import row_height as list_row_height
from settop.ui.live.channel_rows import row_lines
from settop.ui.widgets import theme as th

SCREENS = [pytest.param(1280, 720, id="720p"), pytest.param(1920, 1080, id="1080p")]
# (programme title, channel name, time line) as each language shows them.
TEXTS = [
    pytest.param("Le journal de 20h", "France 24 Éditions", "13:00–13:30", id="fr"),
    pytest.param("Quarterly Report: Hyping Jugglers", "BBC One HD", "13:00–13:30", id="en"),
    pytest.param("نشرة الأخبار المسائية", "الجزيرة HD", "١٣:٠٠–١٣:٣٠", id="ar"),
    pytest.param("Match: الهلال vs Al-Nassr", "beIN Sports 1 عربي", "١٣:٣٠–١٤:٠٠  ⟲", id="ar-mixed"),
]


def _ink_rows(text: str, font: QFont, slot: QRect, rtl: bool) -> tuple[int, int] | None:
    """The first and last pixel rows with ink when ``text`` is drawn as the UI draws it, centred in ``slot``."""
    image = QImage(slot.right() + 40, slot.bottom() + 80, QImage.Format.Format_ARGB32)
    image.fill(QColor(0, 0, 0, 0))
    painter = QPainter(image)
    painter.setLayoutDirection(Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight)
    painter.setFont(font)
    painter.setPen(QColor("#ffffff"))
    painter.translate(0, 40)  # room above the slot: ink drawn above it must show up, not fall off the image
    # TextDontClip: Qt clips text whose line box overflows the rectangle (an Arabic line's always does), which would
    # hide ink that does not fit instead of showing it.
    painter.drawText(slot, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextDontClip, text)
    painter.end()
    data, stride = image.constBits(), image.bytesPerLine()
    assert data is not None
    pixels = data.asstring(image.sizeInBytes())
    # ARGB32 rows in memory order B, G, R, A: every fourth byte from the fourth is the alpha.
    rows = [y - 40 for y in range(image.height()) if max(pixels[y * stride + 3:(y + 1) * stride:4]) > 64]
    return (rows[0], rows[-1]) if rows else None


def _assert_ink_inside(text: str, font: QFont, slot: QRect, rtl: bool) -> None:
    ink = _ink_rows(text, font, slot, rtl)
    assert ink is not None
    assert slot.top() <= ink[0] and ink[1] <= slot.bottom(), (text, ink, slot)


def _grid(width: int, height: int) -> GridPanel:
    theme = th.Theme.for_height(height)
    panel = GridPanel(GridModel(lambda *_args: {}, clock=lambda: 0.0), lambda _url: None)
    panel.theme = theme
    safe = theme.safe_rect(width, height)
    panel.resize(safe.width(), round(safe.height() * 0.66))
    return panel


@pytest.mark.parametrize("width, height", SCREENS)
def test_body_text_is_readable_from_the_sofa(qapp: Any, width: int, height: int) -> None:
    theme = th.Theme.for_height(height)
    assert theme.size("small") * 1080 / height >= 24  # 24 px at 1080p and the same share of a 720p screen
    safe = theme.safe_rect(width, height)
    assert safe.x() >= width * 0.05 and safe.y() >= height * 0.05


@pytest.mark.parametrize("title, _name, when", TEXTS)
@pytest.mark.parametrize("width, height", SCREENS)
def test_guide_cell_title_and_time_do_not_overlap(qapp: Any, *, width: int, height: int, title: str, _name: str,
                                                  when: str) -> None:
    panel = _grid(width, height)
    theme = panel.theme
    half_hour = round(panel.x_of(panel.model.start + SLOT) - panel.x_of(panel.model.start))
    cell = QRect(0, 0, half_hour - 4, panel.row_height() - 2 * CELL_INSET)
    lines = cell_lines(cell, theme)
    assert lines is not None
    title_rect, when_rect = lines
    assert when_rect is not None, "a half-hour cell has room for the time"
    assert cell.contains(title_rect) and cell.contains(when_rect)
    assert not title_rect.intersects(when_rect)
    assert title_rect.bottom() < when_rect.top()
    rtl = title[0] >= "\u0600"
    lines_drawn = ((title, theme.font("body", bold=True), title_rect), (when, theme.font("small"), when_rect))
    for text, font, slot in lines_drawn:
        elided = QFontMetrics(font).elidedText(text, Qt.TextElideMode.ElideRight, slot.width())
        _assert_ink_inside(elided, font, slot, rtl)
    assert panel.rows_that_fit() >= 4


@pytest.mark.parametrize("height", [720, 1080])
def test_short_cell_keeps_the_title_only(qapp: Any, height: int) -> None:
    theme = th.Theme.for_height(height)
    lines = cell_lines(QRect(0, 0, theme.px(300), theme.line_height("body", bold=True)), theme)
    assert lines is not None and lines[1] is None
    assert cell_lines(QRect(0, 0, theme.px(30), theme.px(100)), theme) is None  # too narrow for any text


@pytest.mark.parametrize("title, name, _when", TEXTS)
@pytest.mark.parametrize("with_programme", [True, False], ids=["with-guide", "no-guide"])
@pytest.mark.parametrize("width, height", SCREENS)
def test_channel_row_lines_fit_and_do_not_overlap(qapp: Any, *, width: int, height: int, with_programme: bool,
                                                  title: str, name: str, _when: str) -> None:
    theme = th.Theme.for_height(height)
    row = QRect(0, theme.px(300), theme.px(860), list_row_height(theme, with_programme))
    left, right = theme.px(260), row.right() - theme.px(60)
    name_rect, programme_rect = row_lines(row, left, right, theme, with_programme)
    assert row.contains(name_rect)
    assert name_rect.top() - row.top() >= theme.px(6), "the name is not pushed against the top of the row"
    rtl = name[0] >= "\u0600" or title[0] >= "\u0600"
    _assert_ink_inside(name, theme.font("body", bold=True), name_rect, rtl)
    if not with_programme:
        assert programme_rect is None
        return
    assert programme_rect is not None and row.contains(programme_rect)
    assert not name_rect.intersects(programme_rect)
    assert row.bottom() - programme_rect.bottom() >= theme.px(6)
    _assert_ink_inside(title, theme.font("small"), programme_rect, rtl)


@pytest.mark.parametrize("name, bold", [("small", False), ("body", False), ("body", True), ("title", True)])
@pytest.mark.parametrize("height", [720, 1080])
def test_line_height_holds_latin_and_arabic(qapp: Any, height: int, name: str, bold: bool) -> None:
    theme = th.Theme.for_height(height)
    font = theme.font(name, bold)
    line = theme.line_height(name, bold)
    assert line >= QFontMetrics(font).height()
    slot = QRect(10, 10, 1200, line)
    for text in (th.INK_PROBE, "Ç'est l'été: Jaguar", "إذاعة الأخبار جيّد"):
        _assert_ink_inside(text, font, slot, text[0] >= "\u0600")
