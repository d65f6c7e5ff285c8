"""The reconnect rule for live streams as a pure, clock-driven policy (no threads, no libVLC).

Rule (DESIGN.md): an unexpected end, an error, or no progress for ``stall_seconds`` while playing leads to a retry of
the same stream after 0.5, 1, 2, 4, 8 s ("Reconnecting 2/5"), then an error the user can retry; after that a live
stream is still tried again every ``slow_retry_s`` (30 s) while the viewer stays on it, so a box left on a channel
through an outage recovers by itself; 401/403 are given up at once instead of being retried in a loop, and so are
404/410 on a stream that has not played since the request (a final answer: "not found" at once); a user's zap
or stop cancels a pending retry; VOD and catch-up end normally at their end. A stream that played steadily for
``stable_seconds`` starts again at attempt 1.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from settop.i18n import N_, _

DELAYS = (0.5, 1.0, 2.0, 4.0, 8.0)
SLOW_RETRY_S = 30.0
MAX_DELAY_S = 8.0


def backoff(attempts: int) -> tuple[float, ...]:
    """The waits before each of ``attempts`` retries (``playback.reconnect_attempts``): 0.5, 1, 2, 4, 8, 8, ... s."""
    return tuple(min(MAX_DELAY_S, 0.5 * 2**i) for i in range(max(0, attempts)))


class Failure(enum.Enum):
    """What went wrong with the stream that was playing or opening."""

    ENDED = "ended"  # the stream ended (normal for VOD, unexpected for live)
    ERROR = "error"  # libVLC reported an error
    STALL = "stall"  # no new frames for stall_seconds while playing
    OPEN_TIMEOUT = "open_timeout"  # no picture within open_timeout_s of starting
    NO_PICTURE = "no_picture"  # the stream plays (data arrives) but no picture came within open_timeout_s


class Action(enum.Enum):
    RETRY = "retry"  # start the same stream again after delay_s
    GIVE_UP = "give_up"  # show message as an error (retryable: offer Retry)
    SLOW_RETRY = "slow_retry"  # show message as an error, and start the same stream again after delay_s
    END = "end"  # the stream ended normally


@dataclass(frozen=True, slots=True)
class Decision:
    """What to do about a failure; message is user-readable and contains no URL."""

    action: Action
    delay_s: float = 0.0
    attempt: int = 0
    attempts: int = 0
    message: str = ""
    retryable: bool = True


NETWORK_MESSAGES = {
    "refused": N_("The server refused the connection"),
    "timeout": N_("The server did not answer in time"),
    "dns": N_("The server's name could not be found"),
    "unreachable": N_("The server could not be reached"),
}


def failure_message(failure: Failure, http_status: int | None = None, network: str | None = None) -> str:
    """The reason for an error in words a viewer understands (``network``: a key of NETWORK_MESSAGES)."""
    if http_status == 401:
        return _("The server asked for a login (HTTP 401)")
    if http_status == 403:
        return _("The server refused access (HTTP 403)")
    if http_status == 404:
        return _("The stream was not found (HTTP 404)")
    if http_status == 410:
        return _("The stream is gone (HTTP 410)")
    if http_status is not None and http_status >= 500:
        return _("The server failed (HTTP {status})").format(status=http_status)
    if http_status is not None and http_status >= 400:
        return _("The server refused the stream (HTTP {status})").format(status=http_status)
    if network in NETWORK_MESSAGES:
        return _(NETWORK_MESSAGES[network])
    if failure is Failure.STALL:
        return _("The stream stopped sending pictures")
    if failure is Failure.OPEN_TIMEOUT:
        return _("No picture: the stream did not start in time")
    if failure is Failure.NO_PICTURE:
        return _("No picture: the stream could not be decoded")
    if failure is Failure.ENDED:
        return _("The stream ended unexpectedly")
    return _("The stream could not be played")


class ReconnectPolicy:
    """Counts attempts, schedules retries and watches for stalls for one request at a time.

    The owner reports what happens (``begin``, ``started``, ``progress``, ``failure``, ``cancel``) and asks when to act
    (``due``, ``stalled``, ``next_deadline``). Times come from ``clock`` (seconds, monotonic).
    """

    def __init__(self, *, delays: Sequence[float] = DELAYS, stall_seconds: float = 10.0, open_timeout_s: float = 20.0,
                 stable_seconds: float = 10.0, slow_retry_s: float = SLOW_RETRY_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.delays = tuple(delays)
        self.slow_retry_s = slow_retry_s
        """After the quick retries, a live stream is tried again this often (0: never)."""
        self._slow = False
        self.stall_seconds = stall_seconds
        self.open_timeout_s = open_timeout_s
        self.stable_seconds = stable_seconds
        self._clock = clock
        self._live = True
        self._failures = 0
        self._retry_at: float | None = None
        self._opened_at: float | None = None  # when the current try started, until its first progress
        self._playing_since: float | None = None
        self._last_progress = 0.0
        self._paused = False
        self._played = False  # the stream gave frames since the request began

    @property
    def attempts(self) -> int:
        return len(self.delays)

    @property
    def failures(self) -> int:
        """Failures since the stream last played steadily."""
        return self._failures

    @property
    def retry_pending(self) -> bool:
        return self._retry_at is not None

    @property
    def slow(self) -> bool:
        """The quick retries are used up: the stream is tried again every ``slow_retry_s``."""
        return self._slow

    def begin(self, live: bool) -> None:
        """A new request (a zap, or the user's Retry): forget earlier failures and any pending retry."""
        self._live = live
        self._failures = 0
        self._slow = False
        self._retry_at = None
        self._opened_at = None
        self._playing_since = None
        self._paused = False
        self._played = False

    def on_demand(self) -> None:
        """The request playing turned out to be on demand: its end is an end from now on (nothing else changes)."""
        self._live = False

    def cancel(self) -> None:
        """The user stopped or zapped away: nothing is pending any more."""
        self._retry_at = None
        self._opened_at = None
        self._playing_since = None

    def started(self) -> None:
        """A try of the stream (first or retry) has just been started."""
        self._retry_at = None
        self._opened_at = self._clock()
        self._playing_since = None

    def progress(self) -> None:
        """New frames (or audio) arrived."""
        now = self._clock()
        self._last_progress = now
        self._played = True
        if self._opened_at is not None or self._playing_since is None:
            self._opened_at = None
            self._playing_since = now
        elif self._failures and now - self._playing_since >= self.stable_seconds:
            self._failures = 0
            self._slow = False

    def paused(self, paused: bool) -> None:
        """While paused nothing counts as a stall; after it, the stall clock starts afresh."""
        self._paused = paused
        if not paused:
            self._last_progress = self._clock()

    def stalled(self) -> Failure | None:
        """A stall (playing, no progress for stall_seconds) or an open timeout, if one is due now."""
        if self._paused or self._retry_at is not None:
            return None
        now = self._clock()
        if self._opened_at is not None:
            return Failure.OPEN_TIMEOUT if now - self._opened_at >= self.open_timeout_s else None
        if self._playing_since is not None and now - self._last_progress >= self.stall_seconds:
            return Failure.STALL
        return None

    def failure(self, failure: Failure, http_status: int | None = None, network: str | None = None) -> Decision:
        """Decide what to do about ``failure``; a RETRY decision is also remembered as pending."""
        self._opened_at = None
        self._playing_since = None
        if failure is Failure.ENDED and not self._live:
            return Decision(Action.END)
        message = failure_message(failure, http_status, network)
        if http_status in (401, 403) or (http_status in (404, 410) and not self._played):
            self._failures = 0
            return Decision(Action.GIVE_UP, message=message, retryable=True)
        if not self._live:
            return Decision(Action.GIVE_UP, message=message, retryable=True)
        if self._slow or self._failures >= len(self.delays):
            final = _("{reason}. Reconnecting failed.").format(reason=message) if self.delays else message
            if self.slow_retry_s <= 0:
                self._failures = 0
                return Decision(Action.GIVE_UP, attempts=len(self.delays),
                                message=final, retryable=True)
            self._slow = True
            self._failures = len(self.delays)
            self._retry_at = self._clock() + self.slow_retry_s
            return Decision(Action.SLOW_RETRY, delay_s=self.slow_retry_s, attempts=len(self.delays),
                            message=final, retryable=True)
        delay = self.delays[self._failures]
        self._failures += 1
        self._retry_at = self._clock() + delay
        return Decision(Action.RETRY, delay_s=delay, attempt=self._failures, attempts=len(self.delays),
                        message=_("Stream stopped; reconnecting {attempt}/{attempts}").format(
                            attempt=self._failures, attempts=len(self.delays)))

    def due(self) -> bool:
        """True once when a pending retry's time has come (the owner then starts the stream and calls started())."""
        if self._retry_at is None or self._clock() < self._retry_at:
            return False
        self._retry_at = None
        return True

    def next_deadline(self) -> float | None:
        """The clock time of the next thing to check (a retry, a stall or an open timeout), None when idle."""
        if self._retry_at is not None:
            return self._retry_at
        if self._paused:
            return None
        if self._opened_at is not None:
            return self._opened_at + self.open_timeout_s
        if self._playing_since is not None:
            return self._last_progress + self.stall_seconds
        return None
