"""Resume positions of films and episodes: when to save one (every few seconds and on stop) and when a title counts
as watched (past 95 %). Pure: the clock is injected; the positions live in ``state.db`` (StateStore)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

WATCHED_FRACTION = 0.95
SAVE_EVERY_S = 5.0
MIN_RESUME_MS = 30_000  # less than this from the start is not worth a "Resume" (starts over)


@dataclass(frozen=True, slots=True)
class ResumePoint:
    """Where a title was left: position and length in ms, when (epoch seconds), and whether it counts as watched."""

    key: str
    position_ms: int
    length_ms: int
    at: float
    watched: bool = False

    @property
    def fraction(self) -> float:
        return self.position_ms / self.length_ms if self.length_ms > 0 else 0.0

    @property
    def resumable(self) -> bool:
        """Worth offering "Resume": started, not finished."""
        return not self.watched and self.position_ms >= MIN_RESUME_MS


def is_watched(position_ms: int, length_ms: int) -> bool:
    """Past :data:`WATCHED_FRACTION` of a known length."""
    return length_ms > 0 and position_ms >= WATCHED_FRACTION * length_ms


class ResumeTracker:
    """Follows one title's playback and says when its position should be saved.

    ``position(ms, length)`` for every position report returns a point to save at most every ``every_s`` seconds;
    ``stopped()`` returns the last point (always, so a stop saves); ``ended()`` marks the title watched.
    """

    def __init__(self, key: str, *, every_s: float = SAVE_EVERY_S, clock: Callable[[], float] = time.monotonic,
                 wall: Callable[[], float] = time.time) -> None:
        self.key = key
        self.every_s = every_s
        self._clock = clock
        self._wall = wall
        self._last_save: float | None = None
        self._position = 0
        self._length = 0

    def _point(self, watched: bool = False) -> ResumePoint:
        watched = watched or is_watched(self._position, self._length)
        return ResumePoint(self.key, self._position, self._length, self._wall(), watched)

    def position(self, position_ms: int, length_ms: int) -> ResumePoint | None:
        if position_ms <= 0:
            return None
        self._position, self._length = position_ms, max(length_ms, 0)
        now = self._clock()
        if self._last_save is not None and now - self._last_save < self.every_s:
            return None
        self._last_save = now
        return self._point()

    def stopped(self) -> ResumePoint | None:
        return self._point() if self._position > 0 else None

    def ended(self) -> ResumePoint:
        self._position = max(self._position, self._length)
        return self._point(watched=True)
