"""A playlist as the viewer uses it: channel numbers to tune by, groups, zapping order and name search.

Pure Python (no Qt) so it can be built on a worker thread while the playlist loads.
"""

from __future__ import annotations

from collections.abc import Sequence

from settop.core.models import Channel, Playlist


class Lineup:
    """Numbers, groups and a search index for one playlist.

    Channels keep the playlist's own number (``tvg-chno``); channels without one are numbered after the highest
    given number, in file order, so every channel can be tuned by digits. The first channel with a number wins.
    """

    def __init__(self, playlist: Playlist) -> None:
        self.playlist = playlist
        self.channels: tuple[Channel, ...] = playlist.channels
        given = [c.number for c in self.channels if c.number is not None]
        next_free = (max(given) if given else 0) + 1
        self.numbers: list[str] = []
        self.by_number: dict[str, int] = {}
        self.by_key: dict[str, int] = {}
        self.folded: list[str] = []
        groups: dict[str, list[int]] = {}
        for index, channel in enumerate(self.channels):
            if channel.number is None:
                text = str(next_free)
                next_free += 1
            else:
                text = channel.number_text
            self.numbers.append(text)
            self.by_number.setdefault(text, index)
            self.by_key.setdefault(channel.key, index)
            self.folded.append(channel.name.casefold())
            for group in channel.groups:
                groups.setdefault(group, []).append(index)
        self.groups: dict[str, list[int]] = groups
        self.all: list[int] = list(range(len(self.channels)))

    def __len__(self) -> int:
        return len(self.channels)

    def find_number(self, number: str) -> int | None:
        """The index of the channel tuned by ``number`` (digits as typed, maybe with a "." and a sub-number;
        leading zeros of either part ignored)."""
        major, dot, minor = number.partition(".")
        key = major.lstrip("0") or "0"
        if dot and minor:
            key += "." + (minor.lstrip("0") or "0")
        return self.by_number.get(key)

    def index_of(self, key: str) -> int | None:
        return self.by_key.get(key)

    def step(self, index: int, delta: int, order: Sequence[int] | None = None) -> int:
        """The channel ``delta`` places from ``index`` in ``order`` (default: the whole playlist), wrapping."""
        sequence = order if order else self.all
        if not sequence:
            return index
        try:
            position = sequence.index(index) if sequence is not self.all else index
        except ValueError:
            return sequence[0] if delta > 0 else sequence[-1]
        return sequence[(position + delta) % len(sequence)]

    def search(self, query: str, within: Sequence[int]) -> list[int]:
        """Indices in ``within`` whose name contains ``query`` (case-insensitive), in the same order."""
        needle = query.casefold().strip()
        if not needle:
            return list(within)
        folded = self.folded
        return [i for i in within if needle in folded[i]]
