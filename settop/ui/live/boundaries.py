"""Now/next that refreshes by itself: one precise timer at the earliest programme start or end on screen."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PyQt6.QtCore import QObject, Qt, QTimer

from settop.ui.guide.info import GuideNowNext, NowNextSource

log = logging.getLogger("settop.ui.live.screen")

BOUNDARY_SLACK_MS = 250  # refresh just after a programme boundary, so the next programme is the one on air
MAX_BOUNDARY_MS = 6 * 3600 * 1000


class ProgrammeBoundaries(QObject):
    """Hears of every programme boundary the guide's answers show (``GuideNowNext.on_boundary``) and calls
    ``refresh`` just after the earliest one; the repaint then reports the next boundary."""

    def __init__(self, source: NowNextSource | None, refresh: Callable[[], None], parent: QObject | None = None
                 ) -> None:
        super().__init__(parent)
        self.source = source
        self.refresh = refresh
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)  # a coarse timer may fire 5 % early
        self.timer.timeout.connect(self._reached)
        self._at: float | None = None
        if isinstance(source, GuideNowNext):
            source.on_boundary = self.note

    def note(self, when: float) -> None:
        """A programme shown in the banner or a list row starts or ends at ``when`` (epoch): refresh then."""
        now = time.time()
        if when <= now or (self._at is not None and self._at <= when and self.timer.isActive()):
            return
        self._at = when
        self.timer.start(min(MAX_BOUNDARY_MS, round((when - now) * 1000) + BOUNDARY_SLACK_MS))

    def _reached(self) -> None:
        self._at = None
        log.debug("programme boundary: now/next refreshed")
        self.refresh()  # repainted rows and the banner ask again and report their own next boundary
        source = self.source
        upcoming = source.next_boundary() if isinstance(source, GuideNowNext) else None
        if upcoming is not None:
            self.note(upcoming)
