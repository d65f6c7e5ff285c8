"""Reminders and the sleep timer on a fake clock."""

from __future__ import annotations

from settop.core.timers.reminders import Reminder, Reminders
from settop.core.timers.sleep import SleepTimer


class Clock:
    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def news(start: float, stop: float, key: str = "k1") -> Reminder:
    return Reminder(key, "Red One", "News", start, stop)


def test_a_reminder_fires_once_a_minute_before_and_goes_at_the_end() -> None:
    clock = Clock()
    reminders = Reminders(clock)
    item = news(clock.now + 600, clock.now + 1800)
    assert reminders.add(item) and reminders.has("k1", item.start)
    assert reminders.due() == [] and reminders.next_check() == item.start - 60
    clock.now = item.start - 61
    assert reminders.due() == []
    clock.now = item.start - 60
    assert reminders.due() == [item]
    assert reminders.due() == []  # said once
    assert reminders.next_check() == item.stop
    clock.now = item.stop
    assert reminders.items() == [] and reminders.next_check() is None


def test_late_reminders_still_fire_while_the_programme_is_on() -> None:
    clock = Clock()
    reminders = Reminders(clock)
    item = news(clock.now + 600, clock.now + 1800)
    reminders.add(item)
    clock.now = item.start + 300  # settop was busy, or the reminder was set late
    assert reminders.due() == [item]


def test_toggle_and_ended_programmes() -> None:
    clock = Clock()
    reminders = Reminders(clock)
    item = news(clock.now + 600, clock.now + 1800)
    assert reminders.toggle(item) is True and reminders.toggle(item) is False
    assert reminders.items() == []
    assert reminders.add(news(clock.now - 600, clock.now)) is False  # over already
    early, late = news(clock.now + 900, clock.now + 1000, "k2"), item
    reminders.add(late)
    reminders.add(early)
    assert reminders.items() == [late, early]  # soonest first
    clock.now = early.start
    assert reminders.due() == [late, early]


def test_sleep_timer_warns_a_minute_before_then_stops() -> None:
    clock = Clock()
    timer = SleepTimer(clock)
    assert timer.poll().left is None and timer.next_check() is None
    timer.set_minutes(30)
    assert timer.next_check() == clock.now + 30 * 60 - 60
    clock.now += 29 * 60 - 1
    state = timer.poll()
    assert not state.warn and not state.stop and state.left == 61
    clock.now += 1
    assert timer.poll().warn is True
    assert timer.poll().warn is False  # once
    assert timer.next_check() == timer.end
    clock.now += 60
    assert timer.poll().stop is True
    assert not timer.active and timer.poll().stop is False


def test_sleep_timer_cancel_and_end_of_programme() -> None:
    clock = Clock()
    timer = SleepTimer(clock)
    timer.set_minutes(60)
    clock.now += 59 * 60
    assert timer.poll().warn
    timer.cancel()
    clock.now += 3600
    assert timer.poll() == timer.poll() and not timer.poll().stop
    assert timer.set_until(clock.now - 1) is False and not timer.active
    assert timer.set_until(clock.now + 30) and timer.at_programme_end
    assert timer.poll().warn is False  # under a minute left: no warning, just the stop
    clock.now += 30
    assert timer.poll().stop


def test_starting_hands_out_each_programme_once_as_it_begins() -> None:
    clock = Clock()
    reminders = Reminders(clock)
    item, old = news(clock.now + 600, clock.now + 1800), news(clock.now - 300, clock.now + 900, "k2")
    reminders.add(item)
    reminders.add(old)
    assert reminders.starting() == []  # the one that began five minutes ago is left to the viewer
    assert reminders.next_start() == item.start
    clock.now = item.start + 59
    assert reminders.starting() == [item]
    assert reminders.starting() == [] and reminders.next_start() is None
    reminders.toggle(item)
    reminders.toggle(item)  # set again: it may tune again
    assert reminders.starting() == [item]
