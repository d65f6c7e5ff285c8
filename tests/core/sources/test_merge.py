"""The merge of several sources: folding, numbering by the documented rule, keys that never collide, stability."""

from __future__ import annotations

from collections import Counter
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from settop.core.models import Channel, Playlist
from settop.core.playlist.channel import assign_keys, make_channel
from settop.core.playlist.lineup import Lineup
from settop.core.sources.base import derived_source_id, source_key, split_key
from settop.core.sources.merge import SourcePart, merge

QUICK = settings(max_examples=200, deadline=None, database=None, suppress_health_check=list(HealthCheck))


def playlist(*entries: tuple[str, str, str, int | None], epg: tuple[str, ...] = ()) -> Playlist:
    """Entries of (name, tvg-id, group, number) keyed as the parser keys them."""
    rows = [(name, f"http://x/{i}", tvg_id, "", "", (group,) if group else (), number)
            for i, (name, tvg_id, group, number) in enumerate(entries)]
    keys = assign_keys(rows)
    return Playlist(tuple(Channel(key, r[0], r[1], r[2], groups=r[5], number=r[6]) for key, r in zip(keys, rows,
                                                                                                       strict=True)),
                    epg_urls=epg)


ENTRY = st.tuples(st.sampled_from(["One", "Two", "three", "THREE ", "Four", "Five"]),
                  st.sampled_from(["", "", "one.uk", "two.uk", "ONE.uk"]),
                  st.sampled_from(["", "News", "Sport"]),
                  st.one_of(st.none(), st.integers(1, 8)))
PARTS = st.lists(st.tuples(st.lists(ENTRY, max_size=8), st.sampled_from([0, 0, 5, 1000])), min_size=1, max_size=4)


def parts_of(drawn: list[tuple[list[tuple[str, str, str, int | None]], int]]) -> list[SourcePart]:
    return [SourcePart("" if i == 0 else f"s{i:08x}", f"Source {i}", playlist(*entries), start)
            for i, (entries, start) in enumerate(drawn)]


@QUICK
@given(PARTS)
def test_every_channel_is_in_one_row_and_keys_never_collide(drawn: list[Any]) -> None:
    parts = parts_of(drawn)
    merged = merge(parts)
    rows = merged.playlist.channels
    alternates = [alt.channel for found in merged.alternates.values() for alt in found]
    assert len(rows) + len(alternates) == sum(len(p.playlist.channels) for p in parts)
    keys = [c.key for c in rows] + [c.key for c in alternates]
    assert len(set(keys)) == len(keys)
    for part in parts:  # every channel of every source is found by its merged key
        for channel in part.playlist.channels:
            assert split_key(source_key(part.source_id, channel.key)) == (part.source_id, channel.key)
    assert list(merged.row_part) == sorted(merged.row_part)  # the viewer's order of sources
    for row, found in merged.alternates.items():  # an alternate comes from a later, different source
        parts_seen = [merged.row_part[row], *(alt.part for alt in found)]
        assert len(set(parts_seen)) == len(parts_seen) and parts_seen == sorted(parts_seen)
    lineup = Lineup(merged.playlist, merged)
    for key in keys:
        assert lineup.index_of(key) is not None


@QUICK
@given(PARTS)
def test_numbers_are_unique_and_follow_the_rule(drawn: list[Any]) -> None:
    parts = parts_of(drawn)
    merged = merge(parts)
    texts = list(Lineup(merged.playlist, merged).numbers)
    alone = merged.playlist is parts[0].playlist  # one playlist alone is numbered as before the merge existed
    assert all(texts) and (alone or len(set(texts)) == len(texts))
    own_taken: set[int] = set()
    for row, channel in enumerate(merged.playlist.channels):
        number = int(texts[row].partition(".")[0])
        part = parts[merged.row_part[row]]
        original = part.playlist.channels[[source_key(part.source_id, c.key) for c in part.playlist.channels]
                                           .index(channel.key)]
        if part.start_number:
            assert number >= part.start_number
        elif original.number is not None and original.number not in own_taken:
            assert number == original.number  # a source's own number is kept when free
            own_taken.add(original.number)


@QUICK
@given(PARTS, st.lists(ENTRY, max_size=3), st.integers(0, 3))
def test_numbers_stay_put_when_a_source_changes(drawn: list[Any], extra: list[Any], where: int) -> None:
    before = merge(parts_of(drawn))
    remembered = dict(zip((c.key for c in before.playlist.channels), Lineup(before.playlist, before).numbers,
                          strict=True))
    changed = [(list(entries), start) for entries, start in drawn]
    entries, start = changed[where % len(changed)]
    changed[where % len(changed)] = ([*extra, *entries], start)
    changed_parts = parts_of(changed)
    after = merge(changed_parts, remembered=remembered)
    again = merge(parts_of(drawn), remembered=remembered)
    assert list(Lineup(again.playlist, again).numbers) == list(remembered.values())  # the same input: the same
    kept = dict(zip((c.key for c in after.playlist.channels), Lineup(after.playlist, after).numbers, strict=True))
    if after.playlist is changed_parts[0].playlist:
        return  # one playlist alone: numbered as before the merge existed (its own numbers, the rest after them)
    assert all(n == 1 for n in Counter(kept.values()).values())
    own = {source_key(p.source_id, c.key) for p in parts_of(changed) if not p.start_number
           for c in p.playlist.channels if c.number is not None}
    for key, number in remembered.items():
        if key in kept and key not in own and number not in {kept[k] for k in own if k in kept}:
            assert kept[key] == number


def test_duplicates_fold_by_tvg_id_or_name_and_group() -> None:
    a = playlist(("BBC One", "bbc1.uk", "News", 1), ("Sport 1", "", "Sport", 2), ("Local", "", "", None))
    b = playlist(("BBC 1 HD", "BBC1.uk", "UK", 101), ("sport  1", "", "sport", 5), ("Other", "", "", None),
                 epg=("http://g/b.xml",))
    merged = merge([SourcePart("", "Operator", a), SourcePart("s0000000b", "Sports add-on", b, 1000)])
    rows = merged.playlist.channels
    assert [c.name for c in rows] == ["BBC One", "Sport 1", "Local", "Other"]
    assert [c.number_text for c in rows] == ["1", "2", "3", "1000"]
    assert [alt.channel.key for alt in merged.alternates[0]] == ["s0000000b/id:bbc1.uk"]
    assert [alt.channel.name for alt in merged.alternates[1]] == ["sport  1"]
    assert merged.source_name(3) == "Sports add-on"
    assert rows[0].key == "id:bbc1.uk"  # the first playlist keeps the plain keys saved state uses
    assert merged.playlist.epg_urls == ("http://g/b.xml",)
    lineup = Lineup(merged.playlist, merged)
    assert lineup.index_of("s0000000b/id:bbc1.uk") == 0  # state saved under the other source's key still finds it
    assert len(lineup.choices(0)) == 2 and lineup.source_name(3) == "Sports add-on"


def test_one_source_never_folds_and_different_ids_never_fold() -> None:
    a = playlist(("One", "one.uk", "", 1), ("One HD", "one.uk", "", 2), ("Two", "two.a", "G", 3))
    b = playlist(("Two", "two.b", "G", 3))
    merged = merge([SourcePart("", "A", a), SourcePart("s00000001", "B", b)])
    assert len(merged.playlist.channels) == 4 and not merged.alternates
    assert [c.number_text for c in merged.playlist.channels] == ["1", "2", "3", "4"]  # 3 collides: next after 3


def test_one_playlist_as_before_is_untouched() -> None:
    a = playlist(("One", "one.uk", "", None), ("Two", "", "", 7))
    merged = merge([SourcePart("", "A", a)])
    assert merged.playlist is a
    assert Lineup(merged.playlist, merged).numbers[:] == ["8", "7"]


def test_pinned_numbers_win() -> None:
    a = playlist(("One", "", "", 1), ("Two", "", "", 2))
    merged = merge([SourcePart("", "A", a)], pinned={"name:two|": "1"})
    assert [c.number_text for c in merged.playlist.channels] == ["2", "1"]  # 1 is taken: the next free


def test_minor_numbers_are_kept() -> None:
    channel = make_channel("id:a", "A", "http://x", "a", "", "", (), 5, 1, False, 0.0, None, (), (), (), (), False, 1)
    merged = merge([SourcePart("", "A", Playlist((channel,))), SourcePart("s1", "B", Playlist((channel,)))])
    assert merged.playlist.channels[0].number_text == "5.1" and len(merged.playlist.channels) == 1


def test_derived_ids_hide_the_address() -> None:
    source_id = derived_source_id("http://user:secret@host/list.m3u")
    assert source_id.startswith("s") and len(source_id) == 9 and "secret" not in source_id
