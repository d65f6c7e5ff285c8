"""The pure merge of every enabled source into one lineup: duplicates folded, numbers assigned, keys namespaced.

Folding: sources are taken in the viewer's order, each source's channels in its own order. A channel joins an
earlier row from another source when both have the same ``tvg-id`` (case-insensitive), or the same normalised name
and first group and no two different ``tvg-id`` values; the row's first channel is played, the others are its
*alternates* (in source order). Two entries of one source never fold (SD and HD feeds stay two rows).

Numbering, highest rule first; a number is never given twice and the first row in order wins:

1. the viewer's own numbers (``pinned``, set in move mode), by channel key;
2. a source without a start number keeps its channels' own numbers (``tvg-chno``, ``5.1`` included);
3. a row that was numbered automatically before keeps that number (``remembered``, by key; for a source with a
   start number only numbers from its start up), so numbers stay put when a playlist changes;
4. a source with a start number (``start_number = 1000``) numbers its other rows from the start up, in its order;
5. every row still without a number takes the next free number after the highest number rule 2 gave (1 when none),
   in row order.

Keys: see :mod:`settop.core.sources.base`; every alternate's key also finds its row (``aliases``), so state saved
under the key of a source that is now an alternate still reaches the channel.

The viewer's own edits (:class:`~settop.core.state.edits.ChannelEdits`, made in move mode) apply last: rows in the
viewer's order first, then the rest in merge order; the viewer's numbers are rule 1; the viewer's names replace the
playlists' names.
"""

from __future__ import annotations

from array import array
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from settop.core.models import Channel, ParseWarning, Playlist
from settop.core.playlist.channel import CHANNEL_FIELDS, make_channel, normalise
from settop.core.sources.base import source_key
from settop.core.state.edits import ChannelEdits

Number = tuple[int, int | None]
"""A channel number as (major, minor or None)."""

_KEY, _NAME, _NUMBER, _MINOR, _GROUPS = (CHANNEL_FIELDS.index(name)
                                         for name in ("key", "name", "number", "number_minor", "groups"))


@dataclass(frozen=True, slots=True)
class SourcePart:
    """One loaded source as the merge takes it."""

    source_id: str
    name: str
    playlist: Playlist
    start_number: int = 0


@dataclass(frozen=True, slots=True)
class Alternate:
    """Another source's copy of a row's channel (its key namespaced)."""

    part: int
    channel: Channel


@dataclass(frozen=True, slots=True)
class Merged:
    """The merge of the parts.

    playlist: one channel per row, the first source's copy with its merged key and its number set.
    parts: the sources merged, in order; ``row_part[row]`` the index into it of the row's channel.
    alternates: row -> the other sources' copies, in source order (rows without any are absent).
    aliases: every alternate's key -> its row.
    """

    playlist: Playlist
    parts: tuple[SourcePart, ...]
    row_part: Sequence[int]
    alternates: Mapping[int, tuple[Alternate, ...]] = field(default_factory=dict)
    aliases: Mapping[str, int] = field(default_factory=dict)

    def source_name(self, row: int) -> str:
        return self.parts[self.row_part[row]].name

    def choices(self, row: int) -> tuple[Alternate, ...]:
        """Every copy of the row's channel, the played one first."""
        return (Alternate(self.row_part[row], self.playlist.channels[row]), *self.alternates.get(row, ()))


def parse_number(text: str) -> Number | None:
    """``"5"`` -> (5, None), ``"5.1"`` -> (5, 1); None for anything else."""
    major, dot, minor = text.strip().partition(".")
    if not major.isdecimal() or (dot and not minor.isdecimal()):
        return None
    return int(major), (int(minor) if dot else None)


def number_text(number: Number) -> str:
    return str(number[0]) if number[1] is None else f"{number[0]}.{number[1]}"


def merge(parts: Sequence[SourcePart], *, pinned: Mapping[str, str] | None = None,
          remembered: Mapping[str, str] | None = None, edits: ChannelEdits | None = None) -> Merged:
    """Merge ``parts`` (in the viewer's order) into one lineup as the module docstring describes.

    edits: the viewer's own order, numbers (rule 1, with ``pinned``) and names, by key (move mode).
    """
    parts = tuple(parts)
    edits = edits or ChannelEdits()
    pinned = {**(pinned or {}), **edits.numbers}
    remembered = remembered or {}
    if len(parts) == 1 and not parts[0].source_id and not parts[0].start_number and not pinned \
            and not edits.order and not edits.names and not edits.groups:
        # The one-playlist case of before: nothing to fold, keys and numbers as the playlist says (the lineup
        # numbers unnumbered channels after the highest number, as rule 5 would).
        return Merged(parts[0].playlist, parts, _Repeat(0, len(parts[0].playlist.channels)))
    rows, row_part, alternates = _fold(parts)
    keys = [source_key(parts[row_part[r]].source_id, channel.key) for r, channel in enumerate(rows)]
    if edits.order:
        rows, row_part, alternates, keys = _reorder(edits.order, rows, row_part, alternates, keys)
    numbers = _number(parts, rows, row_part, keys, (pinned, remembered))
    names, groups = edits.names, edits.groups
    channels = tuple(_with(channel, key, number, names.get(key, ""), groups.get(key, ""))
                     for channel, key, number in zip(rows, keys, numbers, strict=True))
    named = {
        row: tuple(Alternate(p, _with(c, source_key(parts[p].source_id, c.key), None)) for p, c in found)
        for row, found in alternates.items()
    }
    aliases = {alt.channel.key: row for row, found in named.items() for alt in found}
    return Merged(_playlist(parts, channels), parts, row_part, named, aliases)


def _fold(parts: tuple[SourcePart, ...]) -> tuple[list[Channel], array[int], dict[int, list[tuple[int, Channel]]]]:
    rows: list[Channel] = []
    row_part = array("H")
    alternates: dict[int, list[tuple[int, Channel]]] = {}
    by_id: dict[str, int] = {}
    by_name: dict[tuple[str, str], int] = {}
    for index, part in enumerate(parts):
        first_row = len(rows)
        for channel in part.playlist.channels:
            tvg_id = channel.tvg_id.casefold()
            name_key = (normalise(channel.name), normalise(channel.groups[0]) if channel.groups else "")
            target = by_id.get(tvg_id) if tvg_id else None
            if target is None or target >= first_row or _has_part(alternates.get(target), index):
                target = by_name.get(name_key)
                if target is not None and (target >= first_row or _has_part(alternates.get(target), index)
                                           or (tvg_id and rows[target].tvg_id
                                               and rows[target].tvg_id.casefold() != tvg_id)):
                    target = None
            if target is None:
                row = len(rows)
                rows.append(channel)
                row_part.append(index)
                if tvg_id:
                    by_id.setdefault(tvg_id, row)
                by_name.setdefault(name_key, row)
            else:
                alternates.setdefault(target, []).append((index, channel))
    return rows, row_part, alternates


def _reorder(order: Sequence[str], rows: list[Channel], row_part: array[int],
             alternates: dict[int, list[tuple[int, Channel]]], keys: list[str],
             ) -> tuple[list[Channel], array[int], dict[int, list[tuple[int, Channel]]], list[str]]:
    """Rows whose key is in ``order`` first, in that order; the others after them in their own order."""
    position = {key: index for index, key in enumerate(order)}
    ranked = sorted(range(len(rows)), key=lambda r: (0, position[keys[r]]) if keys[r] in position else (1, r))
    new_row = {old: new for new, old in enumerate(ranked)}
    return ([rows[r] for r in ranked], array("H", (row_part[r] for r in ranked)),
            {new_row[old]: found for old, found in alternates.items()}, [keys[r] for r in ranked])


def _has_part(found: list[tuple[int, Channel]] | None, part: int) -> bool:
    return found is not None and any(p == part for p, _channel in found)


def _number(parts: tuple[SourcePart, ...], rows: list[Channel], row_part: Sequence[int], keys: list[str],
            given: tuple[Mapping[str, str], Mapping[str, str]]) -> list[Number | None]:
    pinned, remembered = given
    numbers: list[Number | None] = [None] * len(rows)
    taken: set[Number] = set()

    def give(row: int, number: Number | None) -> None:
        if number is not None and number not in taken and number[0] > 0:
            taken.add(number)
            numbers[row] = number

    for row, key in enumerate(keys):  # 1. the viewer's own numbers
        if key in pinned:
            give(row, parse_number(pinned[key]))
    highest = 0
    for row, channel in enumerate(rows):  # 2. the sources' own numbers
        if numbers[row] is None and channel.number is not None and not parts[row_part[row]].start_number:
            give(row, (channel.number, channel.number_minor))
            if numbers[row] is not None:
                highest = max(highest, channel.number)
    for row, key in enumerate(keys):  # 3. automatic numbers given before
        if numbers[row] is None and key in remembered:
            number = parse_number(remembered[key])
            if number is not None and number[0] >= parts[row_part[row]].start_number:
                give(row, number)
    cursors = [part.start_number for part in parts]
    for row in range(len(rows)):  # 4. numbered from a source's start
        part = row_part[row]
        if numbers[row] is None and cursors[part]:
            cursors[part] = _next_free(cursors[part], taken)
            give(row, (cursors[part], None))
    cursor = highest + 1
    for row in range(len(rows)):  # 5. the rest after the highest own number
        if numbers[row] is None:
            cursor = _next_free(cursor, taken)
            give(row, (cursor, None))
    return numbers


def _next_free(start: int, taken: set[Number]) -> int:
    while (start, None) in taken:
        start += 1
    return start


def _with(channel: Channel, key: str, number: Number | None, name: str = "", group: str = "") -> Channel:
    if number is None:
        number = (channel.number, channel.number_minor) if channel.number is not None else None
    if key == channel.key and number is not None and (channel.number, channel.number_minor) == number \
            and not name and not group:
        return channel
    values = [getattr(channel, field_name) for field_name in CHANNEL_FIELDS]
    values[_KEY] = key
    if name:
        values[_NAME] = name
    if group:
        values[_GROUPS] = (group,)
    if number is not None:
        values[_NUMBER], values[_MINOR] = number
    return make_channel(*values)


def _playlist(parts: tuple[SourcePart, ...], channels: tuple[Channel, ...]) -> Playlist:
    epg_urls = tuple(dict.fromkeys(url for part in parts for url in part.playlist.epg_urls))
    several = len(parts) > 1
    warnings = tuple(
        ParseWarning(w.line, f"{part.name}: {w.message}" if several and part.name else w.message)
        for part in parts for w in part.playlist.warnings
    )
    first = parts[0].playlist if parts else Playlist()
    return Playlist(channels, epg_urls, warnings, first.header, first.tvg_shift)


class _Repeat(Sequence[int]):
    """``value`` ``length`` times without a list (the one-source case at 100,000 channels)."""

    __slots__ = ("_length", "_value")

    def __init__(self, value: int, length: int) -> None:
        self._value = value
        self._length = length

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, index: int) -> int:  # type: ignore[override]
        if not -self._length <= index < self._length:
            raise IndexError(index)
        return self._value
