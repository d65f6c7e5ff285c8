"""Lineup: numbers to tune by, zapping order, groups and search."""

from __future__ import annotations

import pytest

from settop.core.models import Channel, Playlist
from settop.core.playlist.lineup import Lineup


def _lineup(*specs: tuple[str, int | None, tuple[str, ...]]) -> Lineup:
    channels = tuple(Channel(key=f"k{i}", name=name, url=f"http://127.0.0.1:9/{i}", number=number, groups=groups)
                     for i, (name, number, groups) in enumerate(specs))
    return Lineup(Playlist(channels=channels))


NUMBERED = _lineup(("One", 1, ("A",)), ("Ten", 10, ("B",)), ("Loose", None, ("A",)), ("Dup", 1, ()))


@pytest.mark.parametrize(("typed", "name"), [
    ("1", "One"), ("01", "One"), ("10", "Ten"), ("11", "Loose"), ("12", None), ("0", None),
], ids=["plain", "leading-zero", "two-digits", "numbered-after-highest", "missing", "zero"])
def test_find_number(typed, name):
    index = NUMBERED.find_number(typed)
    assert (NUMBERED.channels[index].name if index is not None else None) == name


def test_unnumbered_playlist_counts_from_one():
    lineup = _lineup(("a", None, ()), ("b", None, ()))
    assert list(lineup.numbers) == ["1", "2"]


@pytest.mark.parametrize(("start", "delta", "order", "expected"), [
    (0, 1, None, 1), (3, 1, None, 0), (0, -1, None, 3), (2, 1, [0, 2], 0), (1, 1, [0, 2], 0), (1, -1, [0, 2], 2),
], ids=["next", "wrap-end", "wrap-start", "in-group-wrap", "outside-group-next", "outside-group-prev"])
def test_step(start, delta, order, expected):
    assert NUMBERED.step(start, delta, order) == expected


def test_groups_and_search():
    assert NUMBERED.groups == {"A": [0, 2], "B": [1]}
    assert NUMBERED.search("o", NUMBERED.all) == [0, 2]
    assert NUMBERED.search("  ", [1, 2]) == [1, 2]
    assert NUMBERED.search("TEN", NUMBERED.all) == [1]
