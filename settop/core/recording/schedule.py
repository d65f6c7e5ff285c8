"""Scheduled recordings as a pure, clock-driven policy (no threads, no Qt): what to start now, what was missed.

Rule: a programme recorded from the guide records from ``before`` seconds before its start to ``after`` seconds
after its end (the padding, set in Settings). A programme on now starts at once and records to its end plus the
padding. settop records only while it runs: a schedule whose whole time passed while settop was closed is kept
as *missed* (said, never silently dropped); one whose time is under way when settop starts records what is left.
Finished entries (done, missed, failed, interrupted) stay listed for :data:`KEEP_FINISHED` seconds after their
end, then go.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Final

#: States of a scheduled recording. ``scheduled`` and ``recording`` are still to do; the rest are finished.
SCHEDULED: Final = "scheduled"
RECORDING: Final = "recording"
DONE: Final = "done"
MISSED: Final = "missed"
FAILED: Final = "failed"
INTERRUPTED: Final = "interrupted"
STATES: Final = frozenset({SCHEDULED, RECORDING, DONE, MISSED, FAILED, INTERRUPTED})
ACTIVE: Final = frozenset({SCHEDULED, RECORDING})
#: Seconds a finished entry stays in the list after its end.
KEEP_FINISHED: Final = 7 * 86400.0
#: Less than this left before the end is not worth starting.
MIN_LEFT: Final = 2.0


@dataclass(frozen=True, slots=True)
class Scheduled:
    """One programme to record: the lineup channel's key and name, the programme's title and guide times (epoch
    seconds), the padding before and after (seconds), its state, a message (why it failed or waits) in words, and
    ``not_before``: no start before then (a refused start tries again later; not saved)."""

    channel_key: str
    channel_name: str
    title: str
    start: float
    stop: float
    before: float = 0.0
    after: float = 0.0
    state: str = SCHEDULED
    message: str = ""
    not_before: float = 0.0

    @property
    def key(self) -> tuple[str, float]:
        return self.channel_key, self.start

    @property
    def begin(self) -> float:
        """When recording starts: the programme's start less the padding before."""
        return self.start - self.before

    @property
    def end(self) -> float:
        """When recording stops: the programme's end plus the padding after."""
        return self.stop + self.after

    @property
    def active(self) -> bool:
        return self.state in ACTIVE

    def to_json(self) -> dict[str, Any]:
        return {"channel_key": self.channel_key, "channel_name": self.channel_name, "title": self.title,
                "start": self.start, "stop": self.stop, "before": self.before, "after": self.after,
                "state": self.state, "message": self.message}


class ScheduleError(ValueError):
    """A saved schedule that is not usable; the message says what is wrong."""


def from_json(document: Any) -> Scheduled:
    """One entry as :meth:`Scheduled.to_json` writes it; ScheduleError for anything else."""
    if not isinstance(document, Mapping):
        raise ScheduleError("a scheduled recording must be a JSON object")
    texts = {name: document.get(name, "") for name in ("channel_key", "channel_name", "title", "state", "message")}
    numbers = {name: document.get(name, 0.0) for name in ("start", "stop", "before", "after")}
    if not all(isinstance(v, str) for v in texts.values()) or not texts["channel_key"]:
        raise ScheduleError("a scheduled recording needs a channel key and texts for its names")
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in numbers.values()):
        raise ScheduleError("a scheduled recording's times must be numbers")
    if texts["state"] not in STATES:
        raise ScheduleError(f"unknown state {texts['state']!r}")
    if numbers["stop"] <= numbers["start"] or numbers["before"] < 0 or numbers["after"] < 0:
        raise ScheduleError("a scheduled recording must end after it starts")
    return Scheduled(texts["channel_key"], texts["channel_name"], texts["title"], float(numbers["start"]),
                     float(numbers["stop"]), float(numbers["before"]), float(numbers["after"]), texts["state"],
                     texts["message"])


class Schedule:
    """The scheduled recordings. ``due()`` hands out each one to start, once; the caller says how it went with
    :meth:`mark`. ``restored`` entries (read back from disk) are settled against the clock by :meth:`settle`."""

    def __init__(self, clock: Callable[[], float] = time.time, items: Iterable[Scheduled] = ()) -> None:
        self.clock = clock
        self._items: dict[tuple[str, float], Scheduled] = {item.key: item for item in items}

    def add(self, item: Scheduled) -> bool:
        """Schedule ``item`` (replacing a finished entry of the same programme); False when its time is over."""
        if item.end - MIN_LEFT <= self.clock():
            return False
        self._items[item.key] = replace(item, state=SCHEDULED, message="")
        return True

    def cancel(self, channel_key: str, start: float) -> Scheduled | None:
        """Take the entry out of the schedule (a recording under way is the caller's to stop); the entry or None."""
        return self._items.pop((channel_key, start), None)

    def get(self, channel_key: str, start: float) -> Scheduled | None:
        return self._items.get((channel_key, start))

    def has(self, channel_key: str, start: float) -> bool:
        """Whether the programme is scheduled or recording."""
        item = self._items.get((channel_key, start))
        return item is not None and item.active

    def mark(self, channel_key: str, start: float, state: str, message: str = "") -> None:
        """Say how an entry went (``recording``, ``done``, ``failed`` ...)."""
        item = self._items.get((channel_key, start))
        if item is not None:
            self._items[item.key] = replace(item, state=state, message=message)

    def defer(self, channel_key: str, start: float, until: float, message: str) -> None:
        """A start that could not happen now (no connection left): scheduled again, tried at ``until``."""
        item = self._items.get((channel_key, start))
        if item is not None:
            self._items[item.key] = replace(item, state=SCHEDULED, message=message, not_before=until)

    def items(self) -> list[Scheduled]:
        """Every entry, the ones still to do first (soonest first), then the finished ones (latest first)."""
        self._forget()
        active = sorted((i for i in self._items.values() if i.active), key=lambda i: (i.begin, i.channel_name))
        finished = sorted((i for i in self._items.values() if not i.active), key=lambda i: -i.begin)
        return active + finished

    def due(self) -> list[Scheduled]:
        """Entries to start now (marked ``recording``): scheduled, begun, and with time left before the end.
        Scheduled entries whose end has passed unstarted become ``missed``."""
        now = self.clock()
        found = []
        for item in list(self._items.values()):
            if item.state != SCHEDULED:
                continue
            if item.end - MIN_LEFT <= now:
                self._items[item.key] = replace(item, state=MISSED)
            elif max(item.begin, item.not_before) <= now:
                self._items[item.key] = replace(item, state=RECORDING, message="")
                found.append(item)
        return sorted(found, key=lambda i: i.begin)

    def settle(self) -> list[Scheduled]:
        """After reading the schedule back at start-up: an entry that was recording when settop closed is
        ``interrupted`` when its time is over, else scheduled again (it records what is left); entries whose time
        passed while settop was closed are ``missed``. Returns the newly missed or interrupted entries."""
        now = self.clock()
        changed = []
        for item in list(self._items.values()):
            if item.active and item.end - MIN_LEFT <= now:
                settled = replace(item, state=INTERRUPTED if item.state == RECORDING else MISSED)
                self._items[item.key] = settled
                changed.append(settled)
            elif item.state == RECORDING:
                self._items[item.key] = replace(item, state=SCHEDULED)
        return sorted(changed, key=lambda i: i.begin)

    def next_check(self) -> float | None:
        """When ``due()`` next has something to do (epoch seconds), or None."""
        moments = [max(i.begin, i.not_before) for i in self._items.values() if i.state == SCHEDULED]
        return min(moments) if moments else None

    def overlapping(self, begin: float, end: float, keys: Callable[[Scheduled], bool]) -> list[Scheduled]:
        """Active entries that record at some moment between ``begin`` and ``end`` and that ``keys`` picks."""
        return [i for i in self._items.values() if i.active and i.begin < end and begin < i.end and keys(i)]

    def _forget(self) -> None:
        now = self.clock()
        for key in [k for k, i in self._items.items() if not i.active and i.end + KEEP_FINISHED <= now]:
            del self._items[key]
