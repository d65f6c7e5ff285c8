"""One timeline into the archive: the programme on a channel at a moment (from the guide) and its catch-up address,
so rewinding past the live-pause ring goes on in the provider's archive."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from settop.core.models import Channel, Programme


@dataclass(frozen=True, slots=True)
class ArchivePart:
    """One programme's archive: ``url`` plays it from ``base`` (true UTC seconds) at the player's second 0."""

    programme: Programme
    url: str
    base: float

    @property
    def end(self) -> float:
        """True UTC of the programme's end."""
        return self.base + max(0, self.programme.stop - self.programme.start)


@dataclass(frozen=True, slots=True)
class Archive:
    """The guide and catch-up of the app: ``programme_at(key, guide_time)``, ``url_for(channel, programme, now)``
    (None: no catch-up for it), ``shift(channel)`` (seconds the guide's times are ahead of true UTC)."""

    programme_at: Callable[[str, float], Programme | None]
    url_for: Callable[[Channel, Programme, float], str | None]
    shift: Callable[[Channel], int]

    def programme(self, channel: Channel, moment: float) -> Programme | None:
        """The programme on air at true UTC ``moment`` (its times as the guide shows them)."""
        return self.programme_at(channel.key, moment + self.shift(channel))

    def part(self, channel: Channel, moment: float, now: float) -> ArchivePart | None:
        """The archive that holds true UTC ``moment``, or None (no guide entry then, or no catch-up for it)."""
        if channel.catchup is None:
            return None
        programme = self.programme(channel, moment)
        if programme is None:
            return None
        url = self.url_for(channel, programme, now)
        if url is None or url == channel.url:  # a programme starting now: catch-up gives the live address
            return None
        return ArchivePart(programme, url, programme.start - self.shift(channel))
