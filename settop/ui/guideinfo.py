"""The hook through which the guide reaches the live UI: now/next for a channel, and how it is shown.

The live UI works without a guide. When the composition root has a guide store it passes a ``NowNextSource``
(``settop.app`` adapts ``GuideStore.now_next``); the OSD banner and the channel list rows then show the current
and next programme with a progress bar.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from settop.core.models import Channel, Programme


@dataclass(frozen=True, slots=True)
class NowNext:
    """The programme on air and the one after it (either may be missing)."""

    now: Programme | None = None
    next: Programme | None = None

    def progress(self, at: float | None = None) -> float:
        """How far ``now`` has run, 0.0 to 1.0 (0.0 without a programme)."""
        if self.now is None or self.now.stop <= self.now.start:
            return 0.0
        moment = time.time() if at is None else at
        return min(1.0, max(0.0, (moment - self.now.start) / (self.now.stop - self.now.start)))


NowNextSource = Callable[[Channel], "NowNext | None"]


class GuideNowNext:
    """A ``NowNextSource`` over anything with ``now_next(keys, now) -> {key: (now, next)}`` (``GuideStore``).

    Answers are kept until the programme on air ends (at most ``ttl`` seconds), so painting list rows does not
    query the database for every frame.
    """

    def __init__(self, store: object, ttl: float = 60.0) -> None:
        self.store = store
        self.ttl = ttl
        self._cache: dict[str, tuple[float, NowNext | None]] = {}

    def __call__(self, channel: Channel) -> NowNext | None:
        now = time.time()
        hit = self._cache.get(channel.key)
        if hit is not None and now < hit[0]:
            return hit[1]
        try:
            found = self.store.now_next([channel.key], now).get(channel.key)  # type: ignore[attr-defined]
        except Exception:  # a guide problem must never break painting
            found = None
        info = NowNext(*found) if found else None
        until = now + self.ttl
        if info is not None and info.now is not None:
            until = min(until, info.now.stop)
        self._cache[channel.key] = (until, info)
        return info

    def clear(self) -> None:
        self._cache.clear()


def clock(epoch: int) -> str:
    """``"20:15"`` in local time."""
    return time.strftime("%H:%M", time.localtime(epoch))


def programme_line(programme: Programme) -> str:
    """``"20:15–21:00  Title"``."""
    return f"{clock(programme.start)}–{clock(programme.stop)}  {programme.title}"
