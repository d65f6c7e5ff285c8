"""Render assets/icons/settop.svg to the PNG sizes desktops want (Qt's SVG renderer, no extra tools).

Usage: .venv/bin/python scripts/render_icon.py   (rewrites assets/icons/settop-256.png)
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PyQt6.QtCore import Qt
from PyQt6.QtGui import QGuiApplication, QImage, QPainter
from PyQt6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parents[1] / "assets" / "icons"
SIZES = (256,)


def render(svg: Path, size: int, out: Path) -> None:
    """Draw ``svg`` into a transparent ``size`` x ``size`` PNG at ``out``."""
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {svg}")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    if not image.save(str(out), "PNG"):
        raise SystemExit(f"cannot write {out}")


def main() -> int:
    app = QGuiApplication(sys.argv[:1])
    for size in SIZES:
        out = ICONS / f"settop-{size}.png"
        render(ICONS / "settop.svg", size, out)
        print(out)
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
