"""The sleep timer as a pure, clock-driven policy: stop playing after 30/60/90 minutes or at the end of the
programme, with a warning a minute before; any cancel ends it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

WARNING: Final = 60.0
CHOICES: Final = (30, 60, 90)


@dataclass(frozen=True, slots=True)
class SleepState:
    """What the timer asks for now: ``warn`` (once, a minute before), ``stop`` (once, at the end), and the seconds
    left (None when the timer is off)."""

    left: float | None = None
    warn: bool = False
    stop: bool = False


class SleepTimer:
    """Off until set; ``poll()`` tells the caller to warn and to stop, each once."""

    def __init__(self, clock: Callable[[], float] = time.time, warning: float = WARNING) -> None:
        self.clock = clock
        self.warning = warning
        self.end: float | None = None
        self.at_programme_end = False
        self._warned = False

    def set_minutes(self, minutes: float) -> None:
        self._set(self.clock() + minutes * 60, False)

    def set_until(self, moment: float) -> bool:
        """Stop at ``moment`` (the end of the programme on now); False when it has passed."""
        if moment <= self.clock():
            return False
        self._set(moment, True)
        return True

    def _set(self, end: float, programme: bool) -> None:
        self.end = end
        self.at_programme_end = programme
        self._warned = end - self.clock() <= self.warning  # under a minute left: no separate warning

    def cancel(self) -> None:
        self.end = None
        self.at_programme_end = False
        self._warned = False

    @property
    def active(self) -> bool:
        return self.end is not None

    def left(self) -> float | None:
        return None if self.end is None else max(0.0, self.end - self.clock())

    def poll(self) -> SleepState:
        left = self.left()
        if left is None:
            return SleepState()
        if left <= 0:
            self.cancel()
            return SleepState(0.0, stop=True)
        warn = not self._warned and left <= self.warning
        self._warned = self._warned or warn
        return SleepState(left, warn=warn)

    def next_check(self) -> float | None:
        """When ``poll()`` next has something to say (epoch seconds), or None when off."""
        if self.end is None:
            return None
        return self.end if self._warned else self.end - self.warning
