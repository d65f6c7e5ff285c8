"""When to refresh each playlist and guide: per-source interval, on-demand requests, backoff after failures.

Pure policy with the clock passed in (epoch or monotonic seconds, as long as one kind is used); the UI runs the
fetches on workers and reports back with :meth:`RefreshSchedule.started`, ``succeeded`` and ``failed``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

MINUTE = 60.0
HOUR = 3600.0


@dataclass(frozen=True, slots=True)
class RefreshPolicy:
    """How one source refreshes.

    interval_s: seconds between successful refreshes (0 or less: only on demand).
    first_retry_s: the wait after the first failure; it doubles per failure up to ``max_retry_s`` (and never
        beyond the interval, so a failing source is not checked less often than a working one).
    min_gap_s: on-demand requests closer than this to the last attempt wait for it (protects servers from
        impatient presses).
    """

    interval_s: float = 6 * HOUR
    first_retry_s: float = MINUTE
    max_retry_s: float = HOUR
    min_gap_s: float = 5.0

    def retry_delay(self, failures: int, retry_after: float | None = None) -> float:
        """Seconds to wait after ``failures`` consecutive failures; a server's Retry-After is honoured."""
        if failures <= 0:
            return max(0.0, self.interval_s)
        delay = self.first_retry_s * math.pow(2, min(failures - 1, 30))
        cap = self.max_retry_s if self.interval_s <= 0 else min(self.max_retry_s, self.interval_s)
        delay = min(delay, max(cap, self.first_retry_s))
        if retry_after is not None:
            delay = max(delay, min(retry_after, 24 * HOUR))
        return delay


@dataclass(frozen=True, slots=True)
class SourceState:
    """What the schedule knows about one source.

    next_due: when it should refresh next (None: only on demand); in_flight: a refresh is running;
    failures: consecutive failures; last_error: the redacted reason of the last failure ("" after a success).
    """

    policy: RefreshPolicy
    next_due: float | None
    last_attempt: float | None = None
    last_success: float | None = None
    failures: int = 0
    last_error: str = ""
    in_flight: bool = False
    requested: bool = False

    @property
    def ok(self) -> bool:
        return self.failures == 0


class RefreshSchedule:
    """The refresh plan of every source, keyed by an id the caller chooses (e.g. a playlist's cache key)."""

    def __init__(self) -> None:
        self._sources: dict[str, SourceState] = {}

    def add(self, source_id: str, policy: RefreshPolicy, now: float, *, last_success: float | None = None) -> None:
        """Track a source; it is due now unless ``last_success`` (e.g. the cache's age) says it is still fresh."""
        if last_success is None or policy.interval_s <= 0:
            due: float | None = now if last_success is None else None
        else:
            due = max(now, last_success + policy.interval_s)
        self._sources[source_id] = SourceState(policy=policy, next_due=due, last_success=last_success)

    def remove(self, source_id: str) -> None:
        self._sources.pop(source_id, None)

    def set_policy(self, source_id: str, policy: RefreshPolicy, now: float) -> None:
        """Change the interval; the next due time is recomputed from the last success."""
        state = self._sources[source_id]
        due = state.next_due
        if state.failures == 0 and not state.requested:
            base = state.last_success if state.last_success is not None else now
            due = None if policy.interval_s <= 0 else max(now, base + policy.interval_s)
        self._sources[source_id] = replace(state, policy=policy, next_due=due)

    def state(self, source_id: str) -> SourceState:
        return self._sources[source_id]

    def sources(self) -> tuple[str, ...]:
        return tuple(self._sources)

    def request(self, source_id: str, now: float) -> None:
        """Refresh on demand: due now, or once the minimum gap after the last attempt has passed (a user's request
        overrides a failure backoff)."""
        state = self._sources[source_id]
        due = now
        if state.last_attempt is not None:
            due = max(now, state.last_attempt + state.policy.min_gap_s)
        self._sources[source_id] = replace(state, next_due=due, requested=True)

    def due(self, now: float) -> list[str]:
        """Sources to start now, earliest first; sources already refreshing are never returned."""
        ready = [(s.next_due, sid) for sid, s in self._sources.items()
                 if not s.in_flight and s.next_due is not None and s.next_due <= now]
        return [sid for _, sid in sorted(ready)]

    def next_due(self) -> float | None:
        """The earliest time a source becomes due (for a single timer), None when nothing is scheduled."""
        times = [s.next_due for s in self._sources.values() if not s.in_flight and s.next_due is not None]
        return min(times) if times else None

    def seconds_until_next(self, now: float) -> float | None:
        """How long a timer should sleep: 0 when something is due, None when nothing is scheduled."""
        upcoming = self.next_due()
        return None if upcoming is None else max(0.0, upcoming - now)

    def started(self, source_id: str, now: float) -> None:
        state = self._sources[source_id]
        self._sources[source_id] = replace(state, in_flight=True, last_attempt=now, requested=False)

    def succeeded(self, source_id: str, now: float) -> None:
        """The source answered (new data or "not modified"): back to the regular interval."""
        state = self._sources[source_id]
        due = None if state.policy.interval_s <= 0 else now + state.policy.interval_s
        self._sources[source_id] = replace(state, in_flight=False, last_success=now, failures=0, last_error="",
                                           next_due=due)

    def failed(self, source_id: str, now: float, reason: str, *, retry_after: float | None = None,
               permanent: bool = False) -> None:
        """The refresh failed (the old data stays in use); retry with backoff.

        permanent: an error retrying will not fix (401/403, not found): wait the full interval instead.
        """
        state = self._sources[source_id]
        failures = state.failures + 1
        if permanent:
            delay = state.policy.interval_s if state.policy.interval_s > 0 else None
        else:
            delay = state.policy.retry_delay(failures, retry_after)
        due = None if delay is None else now + delay
        self._sources[source_id] = replace(state, in_flight=False, failures=failures, last_error=reason,
                                           next_due=due)
