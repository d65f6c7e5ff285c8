"""Seeking on-demand with the remote: skips that grow while a key is pressed again and again, digits as percent.

Pure (no Qt): the clock is injected so the growth is tested row by row.
"""

from __future__ import annotations

import time
from collections.abc import Callable

STEPS_MS = (10_000, 30_000, 60_000, 300_000, 600_000)
"""Skip sizes: the first press skips 10 s; each press within :data:`GROW_WINDOW_S` of the one before takes the next."""
GROW_WINDOW_S = 1.2
PRESSES_PER_STEP = 3
END_MARGIN_MS = 3000


class SeekSteps:
    """The size of the next skip in one direction; a pause or a change of direction starts again at 10 s."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._last = -1e9
        self._direction = 0
        self._presses = 0

    def next(self, direction: int) -> int:
        """Milliseconds to skip for a press towards ``direction`` (+1 forward, -1 back), signed."""
        now = self._clock()
        if direction != self._direction or now - self._last > GROW_WINDOW_S:
            self._presses = 0
        self._direction = direction
        self._last = now
        step = STEPS_MS[min(self._presses // PRESSES_PER_STEP, len(STEPS_MS) - 1)]
        self._presses += 1
        return direction * step


def target(position_ms: int, delta_ms: int, length_ms: int) -> int:
    """Where a skip lands: never before the start, never in the last seconds (a skip must not end the film)."""
    landed = max(0, position_ms + delta_ms)
    if length_ms > 0:
        landed = min(landed, max(0, length_ms - END_MARGIN_MS))
    return landed


def percent_target(digit: int, length_ms: int) -> int:
    """Digit ``n`` jumps to n×10 % of the film (0 to the start)."""
    return max(0, min(length_ms, length_ms * digit // 10)) if length_ms > 0 else 0
