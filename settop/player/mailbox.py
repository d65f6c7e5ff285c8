"""The libVLC player's mailbox: GUI and libVLC threads post commands, targets and events; the worker takes them."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from settop.player.base import VideoTarget

Command = tuple[str, Any]  # ("play", request) / ("stop", None) / ("restart", None): open the current one again
Target = tuple[VideoTarget, threading.Event]
Event = tuple[int | None, str, Any]  # (epoch, name, data)


@dataclass(slots=True)
class Shared:
    """What GUI, libVLC threads and the worker exchange, always under the mailbox's condition lock."""

    command: Command | None = None
    target: Target | None = None
    events: list[Event] = field(default_factory=list)
    closed: bool = False


@dataclass(frozen=True, slots=True)
class Turn:
    """What the worker took for one turn: a new video target, a due command, libVLC's events."""

    target: Target | None
    command: Command | None
    events: list[Event]


class Mailbox:
    """One condition lock (reentrant: hold ``cv`` to change more with a post) over the shared slots.

    debounce_s: a ``play`` command waits this long for a newer one before it is due (0: due at once).
    """

    def __init__(self, debounce_s: float = 0.0) -> None:
        self.debounce_s = debounce_s
        self.cv = threading.Condition(threading.RLock())
        self.shared = Shared()
        self.requested_at = 0.0  # time.monotonic() of the last play command

    def send(self, command: Command) -> None:
        """Post ``command``; it replaces one not yet taken."""
        with self.cv:
            if command[0] == "play":
                self.requested_at = time.monotonic()
            self.shared.command = command
            self.cv.notify_all()

    def send_target(self, target: Target) -> bool:
        """Post a new video target; False when the mailbox is closed."""
        with self.cv:
            if self.shared.closed:
                return False
            self.shared.target = target
            self.cv.notify_all()
        return True

    def post(self, epoch: int | None, name: str, data: Any = None) -> None:
        """Post a libVLC event of ``epoch`` (None: no media is live, the event is dropped)."""
        if epoch is None:
            return
        with self.cv:
            self.shared.events.append((epoch, name, data))
            self.cv.notify_all()

    def close(self) -> None:
        """Tell the worker to stop."""
        with self.cv:
            self.shared.closed = True
            self.cv.notify_all()

    def take(self, deadlines: Callable[[], list[float]]) -> Turn | None:
        """Wait until something is due or the earliest of ``deadlines()`` (time.monotonic()), then take it.

        Returns None once the mailbox is closed.
        """
        with self.cv:
            if not self._actionable():
                due = deadlines()
                if self.shared.command is not None and self.debounce_s > 0:
                    due.append(self.requested_at + self.debounce_s)
                timeout = max(0.0, min(due) - time.monotonic()) if due else None
                if timeout is None or timeout > 0:
                    self.cv.wait(timeout)
            shared = self.shared
            if shared.closed:
                return None
            target, shared.target = shared.target, None
            command = shared.command if self._command_ready() else None
            if command is not None:
                shared.command = None
            events, shared.events = shared.events, []
        return Turn(target, command, events)

    def _command_ready(self) -> bool:
        command = self.shared.command
        if command is None:
            return False
        # With a debounce, a zap waits until no newer one came for debounce_s (number entry, held CH+).
        return command[0] != "play" or time.monotonic() - self.requested_at >= self.debounce_s

    def _actionable(self) -> bool:
        shared = self.shared
        return shared.closed or shared.target is not None or bool(shared.events) or self._command_ready()


__all__ = ["Mailbox", "Shared", "Turn"]
