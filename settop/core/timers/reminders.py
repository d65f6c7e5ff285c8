"""Reminders as a pure, clock-driven policy (no threads, no Qt): what is due now, and when to look again.

Rule: a reminder set on a future programme is due ``lead`` seconds (a minute) before it starts and is said once;
it stays until the programme ends (a late viewer can still be offered it), then goes. Setting one on a programme
that has ended does nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

LEAD: Final = 60.0


@dataclass(frozen=True, slots=True)
class Reminder:
    """A programme to be reminded of: the lineup channel's key and name, the programme's title and times, and its
    guide ``catchup_id`` (for "Watch from the start" through catch-up when the viewer is late)."""

    channel_key: str
    channel_name: str
    title: str
    start: float
    stop: float
    catchup_id: str = ""

    @property
    def key(self) -> tuple[str, float]:
        return self.channel_key, self.start

    def to_json(self) -> dict[str, Any]:
        return {"channel_key": self.channel_key, "channel_name": self.channel_name, "title": self.title,
                "start": self.start, "stop": self.stop, "catchup_id": self.catchup_id}


class ReminderError(ValueError):
    """A saved reminder that is not usable; the message says what is wrong."""


def from_json(document: Any) -> Reminder:
    """One reminder as :meth:`Reminder.to_json` writes it; ReminderError for anything else."""
    if not isinstance(document, Mapping):
        raise ReminderError("a reminder must be a JSON object")
    texts = [document.get(name, "") for name in ("channel_key", "channel_name", "title", "catchup_id")]
    times = [document.get(name) for name in ("start", "stop")]
    if not all(isinstance(t, str) for t in texts) or not texts[0]:
        raise ReminderError("a reminder needs a channel key and texts for its names")
    if not all(isinstance(t, int | float) and not isinstance(t, bool) for t in times):
        raise ReminderError("a reminder's times must be numbers")
    start, stop = float(times[0]), float(times[1])  # type: ignore[arg-type]
    if stop <= start:
        raise ReminderError("a reminder's programme must end after it starts")
    return Reminder(texts[0], texts[1], texts[2], start, stop, texts[3])


class Reminders:
    """The reminders set (the app keeps them across restarts: settop.core.timers.saved). ``due()`` hands each one
    out once, from ``lead`` seconds before it starts."""

    def __init__(self, clock: Callable[[], float] = time.time, lead: float = LEAD, items: Iterable[Reminder] = ()
                 ) -> None:
        self.clock = clock
        self.lead = lead
        self._items: dict[tuple[str, float], Reminder] = {item.key: item for item in items}
        self._said: set[tuple[str, float]] = set()
        self._started: set[tuple[str, float]] = set()

    def add(self, reminder: Reminder) -> bool:
        """Set ``reminder``; False (and nothing set) when its programme has already ended."""
        if reminder.stop <= self.clock():
            return False
        self._items[reminder.key] = reminder
        self._said.discard(reminder.key)
        self._started.discard(reminder.key)
        return True

    def remove(self, channel_key: str, start: float) -> bool:
        self._said.discard((channel_key, start))
        self._started.discard((channel_key, start))
        return self._items.pop((channel_key, start), None) is not None

    def toggle(self, reminder: Reminder) -> bool:
        """Set it if it was not, remove it if it was; True when it is set afterwards."""
        if self.remove(reminder.channel_key, reminder.start):
            return False
        return self.add(reminder)

    def has(self, channel_key: str, start: float) -> bool:
        return (channel_key, start) in self._items

    def items(self) -> list[Reminder]:
        """The reminders still to come or on now, soonest first (ended ones are dropped)."""
        self._expire()
        return sorted(self._items.values(), key=lambda r: (r.start, r.channel_name))

    def due(self) -> list[Reminder]:
        """The reminders to say now (each once): from ``lead`` seconds before the start until the end."""
        now = self.clock()
        self._expire()
        found = [r for r in self._items.values() if r.key not in self._said and r.start - self.lead <= now]
        self._said.update(r.key for r in found)
        return sorted(found, key=lambda r: r.start)

    def starting(self) -> list[Reminder]:
        """The reminders whose programme began within ``lead`` seconds (each once): for tuning by itself at the start
        (a programme that began longer ago, say when settop started late, is left to the viewer)."""
        now = self.clock()
        self._expire()
        found = [r for r in self._items.values() if r.key not in self._started and r.start <= now < r.start + self.lead]
        self._started.update(r.key for r in self._items.values() if r.start <= now)
        return sorted(found, key=lambda r: r.start)

    def next_start(self) -> float | None:
        """When ``starting()`` next has something (epoch seconds), or None."""
        moments = [r.start for r in self._items.values() if r.key not in self._started]
        return min(moments) if moments else None

    def next_check(self) -> float | None:
        """When ``due()`` or the expiry next changes something (epoch seconds), or None with nothing set."""
        moments = [r.stop for r in self._items.values()]
        moments += [r.start - self.lead for r in self._items.values() if r.key not in self._said]
        return min(moments) if moments else None

    def _expire(self) -> None:
        now = self.clock()
        for key in [k for k, r in self._items.items() if r.stop <= now]:
            del self._items[key]
            self._said.discard(key)
            self._started.discard(key)
