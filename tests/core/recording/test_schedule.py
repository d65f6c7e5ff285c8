"""Scheduled recordings on a fake clock: padding, due once, on now starts at once, missed while closed, settled
after a restart, kept across a save and load (timers.json), damaged files reported and set aside."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from settop.core.recording.schedule import (
    DONE,
    INTERRUPTED,
    MISSED,
    RECORDING,
    SCHEDULED,
    Schedule,
    Scheduled,
    from_json,
)
from settop.core.timers import saved
from settop.core.timers.reminders import Reminder, Reminders
from tests.core.timers.test_timers import Clock


def match(start: float, stop: float, key: str = "k1", before: float = 120, after: float = 300) -> Scheduled:
    return Scheduled(key, "Red One", "The Match", start, stop, before, after)


def test_padding_sets_when_it_records_and_it_is_due_once() -> None:
    clock = Clock()
    schedule = Schedule(clock)
    item = match(clock.now + 3600, clock.now + 7200)
    assert item.begin == clock.now + 3600 - 120 and item.end == clock.now + 7200 + 300
    assert schedule.add(item) and schedule.has("k1", item.start)
    assert schedule.due() == [] and schedule.next_check() == item.begin
    clock.now = item.begin - 1
    assert schedule.due() == []
    clock.now = item.begin
    assert schedule.due() == [item]
    assert schedule.due() == [] and schedule.get("k1", item.start).state == RECORDING
    assert schedule.next_check() is None and schedule.has("k1", item.start)
    schedule.mark("k1", item.start, DONE)
    assert not schedule.has("k1", item.start) and schedule.items()[0].state == DONE


def test_a_programme_on_now_is_due_at_once_and_an_ended_one_is_refused() -> None:
    clock = Clock()
    schedule = Schedule(clock)
    on_now = match(clock.now - 600, clock.now + 1200)
    assert schedule.add(on_now) and schedule.due() == [on_now]
    assert not schedule.add(match(clock.now - 3600, clock.now - 400, "k2"))  # ended, padding over too
    assert schedule.add(match(clock.now - 3600, clock.now - 60, "k3"))  # ended, but the padding after is still on
    assert [i.channel_key for i in schedule.due()] == ["k3"]


def test_a_refused_start_is_tried_again_later_until_the_end() -> None:
    clock = Clock()
    schedule = Schedule(clock)
    item = match(clock.now, clock.now + 600, before=0, after=0)
    schedule.add(item)
    assert schedule.due() == [item]
    schedule.defer("k1", item.start, clock.now + 30, "no connection left")
    assert schedule.due() == [] and schedule.next_check() == clock.now + 30
    assert schedule.get("k1", item.start).message == "no connection left"
    clock.now += 30
    assert [i.key for i in schedule.due()] == [item.key]
    schedule.defer("k1", item.start, clock.now + 30, "no connection left")
    clock.now = item.end
    assert schedule.due() == [] and schedule.items()[0].state == MISSED


def test_missed_while_not_checked_and_cancel() -> None:
    clock = Clock()
    schedule = Schedule(clock)
    early, late = match(clock.now + 60, clock.now + 120, before=0, after=0), match(clock.now + 600, clock.now + 900,
                                                                                    "k2")
    schedule.add(early)
    schedule.add(late)
    assert [i.channel_key for i in schedule.items()] == ["k1", "k2"]  # soonest first
    clock.now += 3600  # nothing looked in between
    assert schedule.due() == [] and {i.state for i in schedule.items()} == {MISSED}
    assert schedule.cancel("k2", late.start) is not None and schedule.cancel("k2", late.start) is None
    clock.now += 8 * 86400
    assert schedule.items() == []  # finished entries go after a week


def test_settle_after_a_restart() -> None:
    clock = Clock()
    past, running, cut, ahead = (match(clock.now - 7200, clock.now - 3600, "past"),
                                 match(clock.now - 600, clock.now + 600, "running"),
                                 match(clock.now - 7200, clock.now - 3600, "cut"),
                                 match(clock.now + 600, clock.now + 1200, "ahead"))
    schedule = Schedule(clock, [past, replace(running, state=RECORDING), replace(cut, state=RECORDING), ahead])
    changed = schedule.settle()
    assert [(i.channel_key, i.state) for i in changed] == [("past", MISSED), ("cut", INTERRUPTED)]
    states = {i.channel_key: i.state for i in schedule.items()}
    assert states == {"past": MISSED, "running": SCHEDULED, "cut": INTERRUPTED, "ahead": SCHEDULED}
    assert [i.channel_key for i in schedule.due()] == ["running"]  # records what is left


def test_overlapping() -> None:
    clock = Clock()
    schedule = Schedule(clock)
    schedule.add(match(clock.now + 600, clock.now + 1200, "a"))
    schedule.add(match(clock.now + 3600, clock.now + 4000, "b"))
    found = schedule.overlapping(clock.now + 1000, clock.now + 2000, lambda _i: True)
    assert [i.channel_key for i in found] == ["a"]
    assert schedule.overlapping(clock.now + 1000, clock.now + 2000, lambda i: i.channel_key != "a") == []


def test_saved_and_read_back(tmp_path: Path) -> None:
    clock = Clock()
    path = tmp_path / "timers.json"
    reminder = Reminder("k1", "Red One", "News", clock.now + 600, clock.now + 1200, "cid-7")
    item = match(clock.now + 3600, clock.now + 7200)
    saved.save(path, [reminder], [item])
    assert path.stat().st_mode & 0o777 == 0o600
    back = saved.load(path)
    assert back == saved.SavedTimers((reminder,), (item,), "")
    assert Reminders(clock, items=back.reminders).has("k1", reminder.start)
    assert saved.load(tmp_path / "none.json") == saved.SavedTimers()


@pytest.mark.allow_warnings("timers.json unreadable")
def test_a_damaged_file_is_set_aside_and_said(tmp_path: Path) -> None:
    path = tmp_path / "timers.json"
    settings = tmp_path / "settings.toml"
    settings.write_text("[ui]\nlanguage = \"fr\"\n", encoding="utf-8")
    path.write_text('{"reminders": [', encoding="utf-8")
    back = saved.load(path)
    assert back.reminders == () and back.recordings == () and "damaged" in back.problem
    assert not path.exists() and len(list(tmp_path.glob("timers.json.corrupt-*"))) == 1
    assert settings.read_text(encoding="utf-8") == "[ui]\nlanguage = \"fr\"\n"  # nothing else touched


@pytest.mark.allow_warnings("left out")
def test_one_bad_entry_is_left_out_and_said(tmp_path: Path) -> None:
    path = tmp_path / "timers.json"
    good = match(1000.0, 2000.0).to_json()
    path.write_text(json.dumps({"reminders": [{"channel_key": "k", "start": "soon"}],
                                "recordings": [good, {**good, "state": "weird"}, {**good, "stop": 10}]}),
                    encoding="utf-8")
    back = saved.load(path)
    assert back.recordings == (from_json(good),) and back.reminders == ()
    assert back.problem == "3 damaged reminders or scheduled recordings were left out"
