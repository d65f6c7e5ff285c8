"""The 10-foot look: sizes scaled to the window height, the style sheet from assets/theme.qss, and paint colours."""

from __future__ import annotations

import string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PyQt6.QtCore import QRect
from PyQt6.QtGui import QColor, QFont
from PyQt6.QtWidgets import QWidget

from settop.core.paths import assets_dir

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

    def safe_rect(self, width: int, height: int) -> QRect:
        """The title-safe area: 5 % in from every edge (what TVs that overscan still show)."""
        mx, my = round(width * 0.05), round(height * 0.05)
        return QRect(mx, my, width - 2 * mx, height - 2 * my)

    def stylesheet(self) -> str:
        return _render(self.scale)


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


@lru_cache(maxsize=16)
def _render(scale: float) -> str:
    theme = Theme(scale)
    values = {name: f"{theme.size(name)}px" for name in BASE_SIZES}
    return _template().safe_substitute(values)
