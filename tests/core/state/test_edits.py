"""The viewer's channel edits file: round trip, a damaged file moved aside, and the merge applying them."""

from __future__ import annotations

from pathlib import Path

import pytest

from settop.core.models import Channel, Playlist
from settop.core.sources.merge import SourcePart, merge
from settop.core.state import edits
from settop.core.state.edits import ChannelEdits, EditsError, from_json


def test_round_trip_is_private(tmp_path: Path) -> None:
    saved = ChannelEdits(("b", "a"), {"a": "7"}, {"b": "Bee"}, frozenset({"c"}))
    edits.save(saved, tmp_path / "channels.json")
    assert (tmp_path / "channels.json").stat().st_mode & 0o777 == 0o600
    assert edits.load(tmp_path / "channels.json") == (saved, "")


@pytest.mark.allow_warnings
def test_a_damaged_file_is_moved_aside_and_said(tmp_path: Path) -> None:
    (tmp_path / "channels.json").write_text('{"order": "not a list"}', encoding="utf-8")
    loaded, problem = edits.load(tmp_path / "channels.json")
    assert loaded == ChannelEdits() and "order must be a list" in problem
    assert list(tmp_path.glob("channels.json.corrupt-*"))


@pytest.mark.parametrize("document", [[], {"numbers": {"a": "x"}}, {"names": {"a": 1}}, {"hidden": "a"}])
def test_wrong_shapes_are_refused(document: object) -> None:
    with pytest.raises(EditsError):
        from_json(document)


def test_the_merge_applies_order_numbers_and_names() -> None:
    channels = tuple(Channel(f"name:{n}|", n, f"http://127.0.0.1:9/{n}", number=i + 1) for i, n in enumerate("abc"))
    merged = merge([SourcePart("", "A", Playlist(channels))],
                   edits=ChannelEdits(("name:c|",), {"name:a|": "9"}, {"name:b|": "Bee"}))
    assert [(c.name, c.number_text) for c in merged.playlist.channels] == [("c", "3"), ("a", "9"), ("Bee", "2")]


def test_the_merge_moves_channels_into_the_viewers_groups(tmp_path: Path) -> None:
    channels = tuple(Channel(f"name:{n}|", n, f"http://127.0.0.1:9/{n}", groups=("G",)) for n in "ab")
    moved = ChannelEdits().with_group("name:b|", " Mine ")
    edits.save(moved, tmp_path / "channels.json")
    assert edits.load(tmp_path / "channels.json") == (moved, "") and moved.groups == {"name:b|": "Mine"}
    merged = merge([SourcePart("", "A", Playlist(channels))], edits=moved)
    assert [c.groups for c in merged.playlist.channels] == [("G",), ("Mine",)]
    assert not moved.with_group("name:b|", "")
    with pytest.raises(EditsError):
        from_json({"groups": {"name:b|": "  "}})
