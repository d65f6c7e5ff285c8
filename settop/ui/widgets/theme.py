"""The 10-foot look: sizes scaled to the window height, the style sheet from assets/theme.qss, and paint colours."""

from __future__ import annotations

import string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PyQt6.QtCore import QRect, QRectF, Qt
from PyQt6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter, QPainterPath, QPen
from PyQt6.QtWidgets import QWidget

from settop.core.state.paths import assets_dir

# Sizes in pixels at 1080p; everything on screen is derived from these.
BASE_SIZES: dict[str, int] = {
    "small": 26,
    "body": 30,
    "title": 40,
    "huge": 96,
    "pad": 10,
    "bigpad": 24,
    "border": 4,
    "hairline": 1,
    "radius": 16,
    "smallradius": 8,
    "barheight": 10,
}

# Latin first, then Arabic script (fonts-noto-core) before DejaVu, whose few Arabic glyphs look out of place.
FONT_FAMILIES = ("Noto Sans", "Noto Sans Arabic", "Noto Naskh Arabic", "DejaVu Sans")
ACCENT = QColor("#2f6fdb")
ACCENT_LIGHT = QColor("#7fb2ff")
TEXT = QColor("#eef2f7")
TEXT_DIM = QColor("#a8b4c8")
PANEL = QColor(14, 18, 28, 224)
FAVORITE = QColor("#ffc94d")
WARNING = QColor("#ffb4a8")
# The tallest ink of the scripts settop shows (Latin capital accents and descenders; Arabic hamza above and below
# alef, lam, a shadda, the tails of ya, jim and ain): what one line of text needs, whatever its language.
INK_PROBE = "ÁÉÇjgyÅ لأإ يجعّ"
LATIN_PROBE = "ÁÉÇjgyÅ"


@dataclass(frozen=True, slots=True)
class Theme:
    """Sizes for one window height. ``scale`` is height / 1080, bounded so tiny windows stay legible."""

    scale: float = 1.0

    @classmethod
    def for_height(cls, height: int) -> Theme:
        return cls(scale=max(0.45, min(2.5, height / 1080.0)))

    def px(self, size_at_1080: float) -> int:
        """``size_at_1080`` scaled to this window, at least 1 px."""
        return max(1, round(size_at_1080 * self.scale))

    def size(self, name: str) -> int:
        return self.px(BASE_SIZES[name])

    def font(self, name: str = "body", bold: bool = False) -> QFont:
        font = QFont()
        font.setFamilies(list(FONT_FAMILIES))
        font.setPixelSize(self.size(name))
        font.setBold(bold)
        return font

    def line_height(self, name: str = "body", bold: bool = False) -> int:
        """The height of one line of ``name`` text, from the font's metrics: the font's own line height, or the ink of
        the tallest Latin or Arabic glyphs plus a little air when that is taller.

        Lines are drawn vertically centred in a slot this high: Qt gives a line with Arabic in it the fallback font's
        much taller line box (Noto Sans Arabic: about 2.1 em against 1.36 em), and centring puts its baseline within
        a pixel or two of a Latin line's, so only the ink has to fit, and it does.
        """
        return _line_height(self.size(name), bold)

    def safe_rect(self, width: int, height: int) -> QRect:
        """The title-safe area: 5 % in from every edge (what TVs that overscan still show)."""
        mx, my = round(width * 0.05), round(height * 0.05)
        return QRect(mx, my, width - 2 * mx, height - 2 * my)

    def stylesheet(self) -> str:
        return _render(self.scale)


def begin_panel(widget: QWidget, theme: Theme, alpha: int) -> tuple[QPainter, QPainterPath]:
    """Start painting ``widget`` as a dark rounded panel (``alpha``: 255 is opaque); returns painter and outline."""
    painter = QPainter(widget)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    outline = QPainterPath()
    outline.addRoundedRect(QRectF(widget.rect()), theme.size("radius"), theme.size("radius"))
    painter.fillPath(outline, QColor(10, 14, 22, alpha))
    return painter, outline


DIALOG = QColor(46, 60, 90)
"""A dialog's face (PIN, text entry, details): lighter than the panels it opens over, with an accent edge."""


def begin_dialog(widget: QWidget, theme: Theme) -> tuple[QPainter, QPainterPath]:
    """Start painting ``widget`` as a dialog raised above the panels behind it (lighter face, accent edge)."""
    painter = QPainter(widget)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    edge = theme.size("border")
    outline = QPainterPath()
    outline.addRoundedRect(QRectF(widget.rect()).adjusted(edge / 2, edge / 2, -edge / 2, -edge / 2),
                           theme.size("radius"), theme.size("radius"))
    painter.fillPath(outline, DIALOG)
    painter.setPen(QPen(ACCENT_LIGHT, edge))
    painter.drawPath(outline)
    return painter, outline


def paint_focus(painter: QPainter, rect: QRect, theme: Theme) -> None:
    """The focused row of a menu or settings page: an accent rounded box with a thin white edge."""
    path = QPainterPath()
    path.addRoundedRect(QRectF(rect).adjusted(2, 2, -2, -2), theme.size("smallradius"), theme.size("smallradius"))
    painter.fillPath(path, ACCENT)
    painter.setPen(QPen(QColor("#ffffff"), theme.size("border") * 0.75))
    painter.drawPath(path)


def repolish(widget: QWidget) -> None:
    """Re-apply the style sheet after a dynamic property (``focused``, ``active``) changed."""
    style = widget.style()
    if style is not None:
        style.unpolish(widget)
        style.polish(widget)
    widget.update()


def theme_path() -> Path:
    return assets_dir() / "theme.qss"


@lru_cache(maxsize=8)
def _template() -> string.Template:
    return string.Template(theme_path().read_text(encoding="utf-8"))


@lru_cache(maxsize=64)
def _line_height(pixels: int, bold: bool) -> int:
    font = QFont()
    font.setFamilies(list(FONT_FAMILIES))
    font.setPixelSize(pixels)
    font.setBold(bold)
    # Drawn, not asked: QFontMetrics' ink boxes only know the first font, and Arabic comes from a fallback one.
    height = 6 * pixels
    middle = height // 2
    image = QImage(8 * pixels * len(INK_PROBE) // 5, height, QImage.Format.Format_Alpha8)
    image.fill(0)
    painter = QPainter(image)
    painter.setFont(font)
    painter.setPen(QColor("#ffffff"))
    flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextDontClip
    slot = QRect(0, middle - pixels // 2, image.width(), 2 * (pixels // 2))  # centred on ``middle``
    painter.drawText(slot, flags, INK_PROBE)  # a line with Arabic in it: the fallback font's taller line box
    painter.drawText(slot, flags, LATIN_PROBE)  # a Latin line: its baseline sits lower
    painter.end()
    data = image.constBits()
    assert data is not None
    pixels_ = data.asstring(image.sizeInBytes())
    stride = image.bytesPerLine()
    rows = [y for y in range(height) if max(pixels_[y * stride:y * stride + image.width()]) > 32]
    half = max(middle - rows[0], rows[-1] + 1 - middle) if rows else pixels // 2
    return max(QFontMetrics(font).height(), 2 * half + max(2, pixels // 10))


@lru_cache(maxsize=16)
def _render(scale: float) -> str:
    theme = Theme(scale)
    values = {name: f"{theme.size(name)}px" for name in BASE_SIZES}
    return _template().safe_substitute(values)
