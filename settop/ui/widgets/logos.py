"""Channel logos for the list and the banner: fetched and decoded on workers, kept as pixmaps in a small LRU.

The GUI thread only ever converts a finished QImage into a QPixmap; the network, disk and decoding happen in a
QThreadPool. A tidy placeholder (initials on a tile) is painted until a logo arrives or when there is none.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from PyQt6.QtCore import QObject, QRect, QRectF, QRunnable, Qt, QThreadPool, pyqtSignal
from PyQt6.QtGui import QColor, QFont, QImage, QPainter, QPainterPath, QPixmap

from settop.core.redact import redact

log = logging.getLogger("settop.ui.widgets.logos")

LogoResolver = Callable[[str], "Path | None"]
"""Turns a logo URL into a local file (the fetch helper's logo cache); runs on a worker; None when unavailable."""

DECODE_HEIGHT = 96  # pixels kept per logo: enough for a 1080p row and banner


class _Signals(QObject):
    loaded = pyqtSignal(str, QImage)
    failed = pyqtSignal(str)


class _LoadLogo(QRunnable):
    def __init__(self, url: str, resolver: LogoResolver, signals: _Signals) -> None:
        super().__init__()
        self.url = url
        self.resolver = resolver
        self.signals = signals

    def run(self) -> None:
        try:
            path = self.resolver(self.url)
            image = QImage(str(path)) if path is not None else QImage()
        except Exception as exc:  # a broken logo must never take the list down
            log.debug("logo %s failed: %s", redact(self.url), redact(str(exc)))
            image = QImage()
        if image.isNull():
            self.signals.failed.emit(self.url)
            return
        if image.height() > DECODE_HEIGHT:
            image = image.scaledToHeight(DECODE_HEIGHT, Qt.TransformationMode.SmoothTransformation)
        self.signals.loaded.emit(self.url, image.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied))


class LogoCache(QObject):
    """``pixmap(url)`` returns a cached logo or None and schedules a load; ``changed(url)`` fires when it arrives.

    resolver: None disables logos (only placeholders are drawn).
    """

    changed = pyqtSignal(str)

    def __init__(self, resolver: LogoResolver | None, capacity: int = 600, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.resolver = resolver
        self.capacity = capacity
        self._pixmaps: OrderedDict[str, QPixmap] = OrderedDict()
        self._pending: set[str] = set()
        self._failed: set[str] = set()
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(3)
        self._signals = _Signals()
        self._signals.loaded.connect(self._on_loaded, Qt.ConnectionType.QueuedConnection)  # type: ignore[call-arg]
        self._signals.failed.connect(self._on_failed, Qt.ConnectionType.QueuedConnection)  # type: ignore[call-arg]

    def pixmap(self, url: str) -> QPixmap | None:
        if not url or self.resolver is None or url in self._failed:
            return None
        pixmap = self._pixmaps.get(url)
        if pixmap is not None:
            self._pixmaps.move_to_end(url)
            return pixmap
        if url not in self._pending:
            self._pending.add(url)
            self._pool.start(_LoadLogo(url, self.resolver, self._signals))
        return None

    def _on_loaded(self, url: str, image: QImage) -> None:
        self._pending.discard(url)
        self._pixmaps[url] = QPixmap.fromImage(image)
        while len(self._pixmaps) > self.capacity:
            self._pixmaps.popitem(last=False)
        self.changed.emit(url)

    def _on_failed(self, url: str) -> None:
        self._pending.discard(url)
        self._failed.add(url)

    def shutdown(self) -> None:
        self._pool.clear()
        self._pool.waitForDone(2000)


_TILE_COLOURS = ("#3b4a6b", "#4b3b6b", "#2f5d62", "#5d4a2f", "#2f4f7f", "#5a2f4f")


def paint_logo(painter: QPainter, rect: QRect, pixmap: QPixmap | None, name: str) -> None:
    """Draw ``pixmap`` fitted into ``rect``, or a rounded tile with the channel's initials."""
    if pixmap is not None and not pixmap.isNull():
        scaled = pixmap.scaled(rect.size(), Qt.AspectRatioMode.KeepAspectRatio,
                               Qt.TransformationMode.SmoothTransformation)
        x = rect.x() + (rect.width() - scaled.width()) // 2
        y = rect.y() + (rect.height() - scaled.height()) // 2
        painter.drawPixmap(x, y, scaled)
        return
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    path = QPainterPath()
    radius = rect.height() * 0.18
    path.addRoundedRect(QRectF(rect), radius, radius)
    colour = QColor(_TILE_COLOURS[sum(map(ord, name[:8])) % len(_TILE_COLOURS)])
    painter.fillPath(path, colour)
    words = [w for w in name.replace("-", " ").split() if w[:1].isalnum()]
    initials = "".join(w[0] for w in words[:2]).upper() or "TV"
    font = QFont(painter.font())
    font.setPixelSize(max(8, int(rect.height() * 0.42)))
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor("#e8eef8"))
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, initials)
    painter.restore()
