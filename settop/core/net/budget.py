"""Connection budget: how many streams each source may have open at once, asked before anything opens one."""

from __future__ import annotations

import threading
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Grant:
    """One stream the budget allowed: give it back with :meth:`ConnectionBudget.release`."""

    source: str
    purpose: str
    serial: int


class ConnectionBudget:
    """Per-source stream limits (a setting, or an Xtream account's ``max_connections``); says no rather than exceed.

    A source with no limit set may open ``default_limit`` streams (None: any number). Thread-safe.
    """

    def __init__(self, default_limit: int | None = None) -> None:
        self._lock = threading.Lock()
        self._limits: dict[str, int | None] = {}
        self._open: dict[str, list[Grant]] = {}
        self._serial = 0
        self.default_limit = default_limit

    def set_limit(self, source: str, limit: int | None) -> None:
        """At most ``limit`` streams at once for ``source`` (None: no limit; values below 1 count as 1)."""
        with self._lock:
            self._limits[source] = None if limit is None else max(1, limit)

    def limit(self, source: str) -> int | None:
        with self._lock:
            return self._limits.get(source, self.default_limit)

    def in_use(self, source: str) -> int:
        with self._lock:
            return len(self._open.get(source, ()))

    def try_acquire(self, source: str, purpose: str) -> Grant | None:
        """A grant for one more stream of ``source``, or None when that would exceed its limit."""
        with self._lock:
            limit = self._limits.get(source, self.default_limit)
            held = self._open.setdefault(source, [])
            if limit is not None and len(held) >= limit:
                return None
            self._serial += 1
            grant = Grant(source, purpose, self._serial)
            held.append(grant)
            return grant

    def release(self, grant: Grant | None) -> None:
        """Give a grant back (None and a grant already given back are ignored)."""
        if grant is None:
            return
        with self._lock:
            held = self._open.get(grant.source, [])
            if grant in held:
                held.remove(grant)

    def spare(self, source: str) -> int | None:
        """How many more streams ``source`` may open now (None: no limit)."""
        with self._lock:
            limit = self._limits.get(source, self.default_limit)
            return None if limit is None else max(0, limit - len(self._open.get(source, ())))
