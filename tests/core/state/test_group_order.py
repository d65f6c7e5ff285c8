"""The viewer's group order: placed groups first, new ones after, gone ones keep their place (properties)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from settop.core.state import edits
from settop.core.state.edits import ChannelEdits, EditsError, from_json, ordered_groups, place_groups

names = st.lists(st.sampled_from("ABCDEFGHIJ"), unique=True, max_size=10)


def test_placed_groups_lead_and_new_ones_follow_in_their_own_order() -> None:
    assert ordered_groups(["News", "Sport", "Kids", "Films"], ["Films", "News"]) == ["Films", "News", "Sport", "Kids"]
    assert ordered_groups(["News", "Late"], ["Gone", "Late"]) == ["Late", "News"]  # Gone is skipped, not lost
    assert ordered_groups(["A", "B"], []) == ["A", "B"]


def test_a_group_gone_for_a_while_comes_back_where_it_was() -> None:
    before = ("Films", "Sport", "News")
    placed = place_groups(before, ["News", "Films"])  # Sport was not on screen (gone, or hidden) while moving
    assert placed == ("News", "Films", "Sport")
    assert ordered_groups(["Sport", "News", "Films", "Kids"], placed) == ["News", "Films", "Sport", "Kids"]
    assert place_groups(("Gone", "A", "B"), ["B", "A"]) == ("Gone", "B", "A")


@given(names, names)
def test_ordering_is_a_permutation_that_keeps_the_unplaced_in_their_order(shown: list[str], order: list[str]) -> None:
    result = ordered_groups(shown, order)
    assert sorted(result) == sorted(shown)
    placed = [n for n in order if n in shown]
    assert result[:len(placed)] == placed
    assert result[len(placed):] == [n for n in shown if n not in order]


@given(names, names, names)
def test_placing_keeps_what_is_shown_and_every_group_placed_before(before: list[str], shown: list[str],
                                                                   now: list[str]) -> None:
    placed = place_groups(before, shown)
    assert len(placed) == len(set(placed)) and set(placed) == set(before) | set(shown)
    assert [n for n in placed if n in shown] == shown  # the viewer's new order, exactly
    assert all(_follows(placed, shown, name) == _follows(before, shown, name) for name in before if name not in shown)
    assert ordered_groups(shown, placed) == shown  # what was on screen shows again as the viewer left it
    # whatever groups the playlists have later: the viewer's placed ones keep their relative order
    result = ordered_groups(now, placed)
    assert [n for n in result if n in shown] == [n for n in shown if n in now]


def _follows(order: Sequence[str], shown: list[str], name: str) -> str | None:
    """The group on screen that ``name`` comes after in ``order`` (None: before all of them)."""
    return next((n for n in reversed(order[:list(order).index(name)]) if n in shown), None)


def test_the_group_order_round_trips_through_the_file_and_is_checked(tmp_path: Path) -> None:
    saved = ChannelEdits(group_order=("Sport", "News")).with_group_order(["Kids", "Sport"])
    assert saved.group_order == ("Kids", "Sport", "News") and saved
    edits.save(saved, tmp_path / "channels.json")
    assert edits.load(tmp_path / "channels.json") == (saved, "")
    assert from_json({}).group_order == ()  # files from before group order still load
    for wrong in ("Sport", [1], [" "]):
        try:
            from_json({"group_order": wrong})
        except EditsError as exc:
            assert "group_order" in str(exc)
        else:
            raise AssertionError(f"{wrong!r} was taken")


def test_the_group_order_travels_in_a_backup(tmp_path: Path) -> None:
    from settop.core.state import backup
    from settop.core.state.store import StateStore

    box, other = tmp_path / "box", tmp_path / "new-box"
    box.mkdir()
    other.mkdir()
    edits.save(ChannelEdits(group_order=("Sport", "News")), box / edits.FILE_NAME)
    document = backup.export(StateStore(tmp_path / "a.db"), box)
    backup.write(tmp_path / "backup.json", document)
    report = backup.restore(backup.read(tmp_path / "backup.json"), StateStore(tmp_path / "b.db"), other)
    assert "channels" in report.restored
    assert edits.load(other / edits.FILE_NAME)[0].group_order == ("Sport", "News")
    document["channels"]["group_order"] = "Sport"  # a damaged order: that part is skipped and said
    assert [part for part, _why in backup.restore(document, StateStore(tmp_path / "b.db"), other).skipped] \
        == ["channels"]
