"""A playlist as the viewer uses it: channel numbers to tune by, groups, zapping order and name search.

Pure Python (no Qt) so it can be built on a worker thread while the playlist loads.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from typing import TYPE_CHECKING, overload

from settop.core.models import Channel, Playlist

if TYPE_CHECKING:
    from settop.core.sources.merge import Alternate, Merged


class Lineup:
    """Numbers, groups and a search index for one playlist.

    Channels keep the playlist's own number (``tvg-chno``); channels without one are numbered after the highest
    given number, in file order, so every channel can be tuned by digits. The first channel with a number wins.

    merged: when the lineup is several sources merged (:func:`settop.core.sources.merge.merge`), which source each
    channel comes from and its alternates; ``playlist`` is then ``merged.playlist``.
    """

    def __init__(self, playlist: Playlist, merged: Merged | None = None, *, local_ok: bool = False) -> None:
        self.playlist = playlist
        self.merged = merged
        self.local_ok = local_ok
        """The playlist is a local file the viewer chose, so its entries may name local files (the address gate)."""
        self.channels: tuple[Channel, ...] = playlist.channels
        given = [c.number for c in self.channels if c.number is not None]
        next_free = (max(given) if given else 0) + 1
        auto = array("q", bytes(8 * len(self.channels)))  # the number given to an unnumbered channel (0: has its own)
        # Keys: the number as an int, or "major.minor" text; no text per channel is kept (100,000 strings: 6 MB).
        self.by_number: dict[int | str, int] = {}
        self.by_key: dict[str, int] = {}
        self.folded: list[str] = []
        groups: dict[str, list[int]] = {}
        for index, channel in enumerate(self.channels):
            number: int | str | None = channel.number
            if number is None:
                number = auto[index] = next_free
                next_free += 1
            elif channel.number_minor is not None:
                number = channel.number_text
            self.by_number.setdefault(number, index)
            self.by_key.setdefault(channel.key, index)
            self.folded.append(channel.name.casefold())
            for group in channel.groups:
                groups.setdefault(group, []).append(index)
        if merged is not None:
            for key, row in merged.aliases.items():
                self.by_key.setdefault(key, row)
        self.numbers: Sequence[str] = _Numbers(self.channels, auto)
        """The number shown for each channel (``"5"``, ``"5.1"``), made when asked for."""
        self.groups: dict[str, list[int]] = groups
        self.all: Sequence[int] = range(len(self.channels))
        self._prefixes: frozenset[str] | None = None  # every proper prefix of a channel number, made on first use

    def __len__(self) -> int:
        return len(self.channels)

    def source_name(self, index: int) -> str:
        """The name of the source the channel plays from ("" for a lineup of one playlist)."""
        return self.merged.source_name(index) if self.merged is not None and len(self.merged.parts) > 1 else ""

    def choices(self, index: int) -> tuple[Alternate, ...]:
        """Every source's copy of the channel, the one the lineup plays first (empty without a merge)."""
        return self.merged.choices(index) if self.merged is not None else ()

    def find_number(self, number: str) -> int | None:
        """The index of the channel tuned by ``number`` (digits as typed, maybe with a "." and a sub-number;
        leading zeros of either part ignored)."""
        major, dot, minor = number.partition(".")
        if not major.isdecimal() or (dot and minor and not minor.isdecimal()):
            return None
        if dot and minor:
            return self.by_number.get(f"{int(major)}.{int(minor)}")
        return self.by_number.get(int(major))

    def number_continues(self, number: str) -> bool:
        """Whether a longer channel number starts with ``number`` as typed so far (``"10"`` while 101 exists), so
        a number entry waits for more digits before saying there is no such channel."""
        major, dot, minor = number.partition(".")
        typed = major.lstrip("0") + dot + minor
        if not typed:
            return bool(self.by_number)  # leading zeros: any number may follow
        if self._prefixes is None:
            prefixes: set[str] = set()
            for key in self.by_number:
                text = str(key)
                prefixes.update(text[:end] for end in range(1, len(text)))
            self._prefixes = frozenset(prefixes)
        return typed in self._prefixes

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


class _Numbers(Sequence[str]):
    """Channel numbers as text, computed per call (only the visible rows ever ask)."""

    __slots__ = ("_auto", "_channels")

    def __init__(self, channels: tuple[Channel, ...], auto: array[int]) -> None:
        self._channels = channels
        self._auto = auto

    def __len__(self) -> int:
        return len(self._channels)

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        auto = self._auto[index]
        return str(auto) if auto else self._channels[index].number_text
