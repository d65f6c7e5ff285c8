"""Connection budget: how many streams each source may have open at once, asked before anything opens one."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from settop.i18n import _, ngettext

#: What a grant's purpose is called in a refusal (the viewer reads it).
PURPOSES = {"player": lambda: _("watching"), "recording": lambda: _("a recording"),
            "prefetch": lambda: _("zapping ahead")}


def source_of(url: str) -> str:
    """The budget's name for the provider of ``url``: its scheme and host (an account is one host); "" for an
    address without a host (a local file), which no budget limits."""
    parts = urlsplit(url)
    if not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}".lower()


@dataclass(frozen=True, slots=True)
class Grant:
    """One stream the budget allowed: give it back with :meth:`ConnectionBudget.release`."""

    source: str
    purpose: str
    serial: int


class ConnectionBudget:
    """Per-source stream limits (a setting, or an Xtream account's ``max_connections``); says no rather than exceed.

    A source's limit is the one the source states (:meth:`set_known`, an account's ``max_connections``), else one
    set for it (:meth:`set_limit`), else ``default_limit`` (the setting; None: any number). Thread-safe; one
    instance in the app, shared by the player, the recorder and the zap cache.
    """

    def __init__(self, default_limit: int | None = None) -> None:
        self._lock = threading.Lock()
        self._limits: dict[str, int | None] = {}
        self._known: dict[str, int] = {}
        self._open: dict[str, list[Grant]] = {}
        self._serial = 0
        self.default_limit = default_limit

    def set_limit(self, source: str, limit: int | None) -> None:
        """At most ``limit`` streams at once for ``source`` (None: no limit; values below 1 count as 1)."""
        with self._lock:
            self._limits[source] = None if limit is None else max(1, limit)

    def set_known(self, limits: Mapping[str, int]) -> None:
        """The limits the sources state themselves (source -> streams), replacing those known before; they win
        over the setting. Streams already open stay open (a lower limit only refuses the next ones)."""
        with self._lock:
            self._known = {source: max(1, n) for source, n in limits.items()}

    def _limit(self, source: str) -> int | None:
        if not source:
            return None
        if source in self._known:
            return self._known[source]
        return self._limits.get(source, self.default_limit)

    def limit(self, source: str) -> int | None:
        with self._lock:
            return self._limit(source)

    def in_use(self, source: str) -> int:
        with self._lock:
            return len(self._open.get(source, ()))

    def try_acquire(self, source: str, purpose: str) -> Grant | None:
        """A grant for one more stream of ``source``, or None when that would exceed its limit."""
        with self._lock:
            limit = self._limit(source)
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
            limit = self._limit(source)
            return None if limit is None else max(0, limit - len(self._open.get(source, ())))

    def refusal(self, source: str) -> str:
        """Why one more stream of ``source`` is not opened, in the viewer's words."""
        with self._lock:
            limit = self._limit(source) or 0
            purposes = sorted({g.purpose for g in self._open.get(source, ())})
        what = ", ".join(PURPOSES[p]() if p in PURPOSES else p for p in purposes)
        return ngettext("This provider allows {n} stream at once, in use by {what}",
                        "This provider allows {n} streams at once, all in use by {what}",
                        limit).format(n=limit, what=what)


class StreamSlot:
    """One holder's one stream at a time (the player, a recording): taking a stream gives the last one back first,
    so zapping never counts twice. Not thread-safe by itself: one owner (the GUI thread) uses it."""

    def __init__(self, budget: ConnectionBudget, purpose: str) -> None:
        self.budget = budget
        self.purpose = purpose
        self.grant: Grant | None = None

    def take(self, url: str) -> str:
        """Hold a stream of ``url``'s source: "" when granted (or its source has no limit), else the refusal
        (and then nothing is held)."""
        self.release()
        source = source_of(url)
        if not source:
            return ""
        self.grant = self.budget.try_acquire(source, self.purpose)
        return "" if self.grant is not None else self.budget.refusal(source)

    def release(self) -> None:
        self.budget.release(self.grant)
        self.grant = None
