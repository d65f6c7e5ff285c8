"""The reconnect rule, row by row, on a fake clock."""

from __future__ import annotations

import pytest

from settop.i18n import set_language
from settop.player.reconnect import DELAYS, SLOW_RETRY_S, Action, Failure, ReconnectPolicy, backoff, failure_message


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def make(clock: FakeClock, live: bool = True) -> ReconnectPolicy:
    policy = ReconnectPolicy(stall_seconds=10, open_timeout_s=20, stable_seconds=10, clock=clock)
    policy.begin(live)
    policy.started()
    return policy


def fail_and_wait(policy: ReconnectPolicy, clock: FakeClock, failure: Failure = Failure.ERROR) -> float:
    """Fail, check the retry is not due before its delay, then let it come due and restart."""
    decision = policy.failure(failure)
    assert decision.action is Action.RETRY
    clock.advance(decision.delay_s - 0.01)
    assert not policy.due()
    clock.advance(0.01)
    assert policy.due()
    assert not policy.due()  # only once
    policy.started()
    return decision.delay_s


@pytest.mark.parametrize("failure", list(Failure), ids=lambda f: f.value)
def test_live_failure_retries_with_backoff_then_gives_up(clock: FakeClock, failure: Failure) -> None:
    policy = make(clock)
    delays = []
    for attempt in range(1, 6):
        decision = policy.failure(failure)
        assert decision.action is Action.RETRY
        assert (decision.attempt, decision.attempts) == (attempt, 5)
        assert decision.message == f"Stream stopped; reconnecting {attempt}/5"
        delays.append(decision.delay_s)
        clock.advance(decision.delay_s)
        assert policy.due()
        policy.started()
    assert tuple(delays) == DELAYS == (0.5, 1.0, 2.0, 4.0, 8.0)
    final = policy.failure(failure)
    assert final.action is Action.SLOW_RETRY  # an error on screen, and the stream is still tried slowly
    assert final.retryable
    assert "Reconnecting failed" in final.message
    assert final.delay_s == SLOW_RETRY_S == 30.0


def test_after_giving_up_a_live_stream_is_tried_every_30_s_while_the_viewer_stays(clock: FakeClock) -> None:
    """Issue 18: a 40 s outage gave up after 17 s and nothing retried until Retry was pressed."""
    policy = make(clock)
    for _ in DELAYS:
        fail_and_wait(policy, clock)
    for _ in range(3):  # an outage of many minutes: a try every 30 s, each failing
        decision = policy.failure(Failure.ERROR, 503)
        assert (decision.action, decision.delay_s) == (Action.SLOW_RETRY, 30.0)
        assert decision.message == "The server failed (HTTP 503). Reconnecting failed."
        assert policy.slow and policy.next_deadline() == clock.now + 30
        clock.advance(29.9)
        assert not policy.due()
        clock.advance(0.1)
        assert policy.due()
        policy.started()
    policy.progress()  # the outage is over: it plays
    clock.advance(10)
    policy.progress()  # ... steadily, so a later failure starts with the quick retries again
    assert not policy.slow
    assert policy.failure(Failure.ERROR).action is Action.RETRY


def test_a_zap_ends_the_slow_retries(clock: FakeClock) -> None:
    policy = make(clock)
    for _ in DELAYS:
        fail_and_wait(policy, clock)
    assert policy.failure(Failure.STALL).action is Action.SLOW_RETRY
    policy.cancel()  # the viewer zapped away or stopped
    clock.advance(60)
    assert not policy.due()
    policy.begin(True)
    policy.started()
    assert not policy.slow and policy.failure(Failure.ERROR).attempt == 1


def test_slow_retries_can_be_turned_off(clock: FakeClock) -> None:
    policy = ReconnectPolicy(delays=(0.5,), slow_retry_s=0, clock=clock)
    policy.begin(True)
    policy.started()
    fail_and_wait(policy, clock)
    final = policy.failure(Failure.ERROR)
    assert final.action is Action.GIVE_UP and not policy.retry_pending


@pytest.mark.parametrize(("status", "message"), [
    (401, "The server asked for a login (HTTP 401)"),
    (403, "The server refused access (HTTP 403)"),
], ids=["401", "403"])
def test_auth_refusal_is_not_retried(clock: FakeClock, status: int, message: str) -> None:
    policy = make(clock)
    decision = policy.failure(Failure.ERROR, status)
    assert decision.action is Action.GIVE_UP
    assert decision.message == message
    assert decision.retryable  # the user may press Retry; the player does not loop
    assert not policy.retry_pending
    clock.advance(60)
    assert not policy.due()


def test_auth_refusal_during_reconnect_stops_the_loop(clock: FakeClock) -> None:
    policy = make(clock)
    fail_and_wait(policy, clock)
    assert policy.failure(Failure.ERROR, 403).action is Action.GIVE_UP


@pytest.mark.parametrize(("failure", "message"), [
    (Failure.ENDED, "The stream ended unexpectedly"),
    (Failure.STALL, "The stream stopped sending pictures"),
    (Failure.OPEN_TIMEOUT, "No picture: the stream did not start in time"),
    (Failure.NO_PICTURE, "No picture: the stream could not be decoded"),
    (Failure.ERROR, "The stream could not be played"),
], ids=lambda v: v.value if isinstance(v, Failure) else None)
def test_failure_messages_are_words(failure: Failure, message: str) -> None:
    assert failure_message(failure) == message


@pytest.mark.parametrize(("status", "network", "message"), [
    (None, "refused", "The server refused the connection"),
    (None, "timeout", "The server did not answer in time"),
    (None, "dns", "The server's name could not be found"),
    (None, "unreachable", "The server could not be reached"),
    (None, "other", "The stream could not be played"),
    (503, "refused", "The server failed (HTTP 503)"),  # given both, the HTTP answer says more
], ids=["refused", "timeout", "dns", "unreachable", "unknown", "http-first"])
def test_network_failures_are_words(clock: FakeClock, status: int | None, network: str, message: str) -> None:
    assert failure_message(Failure.ERROR, status, network) == message
    decision = make(clock).failure(Failure.ERROR, status, network)
    assert decision.action is Action.RETRY


@pytest.mark.parametrize(("status", "words"), [
    (404, "The stream was not found (HTTP 404)"), (410, "The stream is gone (HTTP 410)"),
], ids=["404", "410"])
def test_not_found_on_the_first_request_is_a_final_answer(clock: FakeClock, status: int, words: str) -> None:
    policy = make(clock)
    policy.begin(live=True)
    policy.started()
    decision = policy.failure(Failure.ERROR, status)
    assert (decision.action, decision.message, decision.retryable) == (Action.GIVE_UP, words, True)
    assert not policy.retry_pending and not policy.slow


def test_not_found_after_playing_retries_as_any_drop(clock: FakeClock) -> None:
    """A live stream that played and then answers 404 (a segment, a restart on the server side) is reconnected."""
    policy = make(clock)
    policy.begin(live=True)
    policy.started()
    policy.progress()
    assert policy.failure(Failure.ERROR, 404).action is Action.RETRY


@pytest.mark.parametrize(("status", "words"), [
    (500, "server failed (HTTP 500)"), (503, "server failed (HTTP 503)"), (None, "could not be played"),
], ids=["500", "503", "none"])
def test_other_errors_retry(clock: FakeClock, status: int | None, words: str) -> None:
    policy = make(clock)
    assert policy.failure(Failure.ERROR, status).action is Action.RETRY
    assert words in failure_message(Failure.ERROR, status)


@pytest.mark.parametrize(("failure", "action"), [
    (Failure.ENDED, Action.END),
    (Failure.ERROR, Action.GIVE_UP),
    (Failure.STALL, Action.GIVE_UP),
], ids=["end-is-normal", "error", "stall"])
def test_vod_and_catchup_are_not_reconnected(clock: FakeClock, failure: Failure, action: Action) -> None:
    policy = make(clock, live=False)
    decision = policy.failure(failure)
    assert decision.action is action
    assert not policy.retry_pending


def test_zap_cancels_pending_retry(clock: FakeClock) -> None:
    policy = make(clock)
    policy.failure(Failure.ENDED)
    assert policy.retry_pending
    policy.cancel()  # the user zapped or stopped
    clock.advance(30)
    assert not policy.due()
    policy.begin(True)  # the new channel starts with a clean count
    policy.started()
    assert policy.failure(Failure.ERROR).attempt == 1


def test_new_request_resets_the_count(clock: FakeClock) -> None:
    policy = make(clock)
    fail_and_wait(policy, clock)
    fail_and_wait(policy, clock)
    policy.begin(True)
    policy.started()
    assert policy.failure(Failure.ERROR).attempt == 1


def test_stall_only_while_playing(clock: FakeClock) -> None:
    policy = make(clock)
    policy.progress()  # first frame
    clock.advance(9.9)
    assert policy.stalled() is None
    policy.progress()
    clock.advance(9.9)
    assert policy.stalled() is None
    clock.advance(0.1)
    assert policy.stalled() is Failure.STALL


def test_pause_suspends_stall_detection(clock: FakeClock) -> None:
    policy = make(clock)
    policy.progress()
    policy.paused(True)
    clock.advance(120)
    assert policy.stalled() is None
    assert policy.next_deadline() is None
    policy.paused(False)
    clock.advance(9)
    assert policy.stalled() is None
    clock.advance(1)
    assert policy.stalled() is Failure.STALL


def test_open_timeout_when_no_picture_arrives(clock: FakeClock) -> None:
    policy = make(clock)
    clock.advance(19.9)
    assert policy.stalled() is None
    clock.advance(0.1)
    assert policy.stalled() is Failure.OPEN_TIMEOUT


def test_no_stall_reported_while_a_retry_waits(clock: FakeClock) -> None:
    policy = make(clock)
    policy.progress()
    policy.failure(Failure.STALL)
    clock.advance(0.4)
    assert policy.stalled() is None


def test_steady_playback_resets_attempts(clock: FakeClock) -> None:
    policy = make(clock)
    fail_and_wait(policy, clock)
    fail_and_wait(policy, clock)
    policy.progress()  # picture back
    clock.advance(5)
    policy.progress()
    assert policy.failures == 2  # not steady long enough yet
    clock.advance(5)
    policy.progress()
    assert policy.failures == 0
    assert policy.failure(Failure.ENDED).attempt == 1


def test_next_deadline_follows_what_is_pending(clock: FakeClock) -> None:
    policy = make(clock)
    assert policy.next_deadline() == clock.now + 20  # open timeout
    policy.progress()
    assert policy.next_deadline() == clock.now + 10  # stall check
    decision = policy.failure(Failure.ERROR)
    assert policy.next_deadline() == clock.now + decision.delay_s
    policy.cancel()
    assert policy.next_deadline() is None


@pytest.mark.parametrize(("attempts", "delays"), [
    (0, ()),
    (1, (0.5,)),
    (5, (0.5, 1.0, 2.0, 4.0, 8.0)),
    (7, (0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0)),
], ids=["none", "one", "default", "capped"])
def test_backoff_for_the_reconnect_attempts_setting(attempts: int, delays: tuple[float, ...]) -> None:
    assert backoff(attempts) == delays


@pytest.mark.parametrize(("language", "words"), [
    ("fr", "Le serveur a échoué (HTTP 503). La reconnexion a échoué."),
    ("ar", "تعطّل الخادم (HTTP 503). فشلت إعادة الاتصال."),
])
def test_the_final_failure_is_said_in_the_viewers_language(language: str, words: str) -> None:
    set_language(language)
    try:
        policy = ReconnectPolicy(delays=(0.5,), slow_retry_s=0, clock=FakeClock())
        policy.begin(live=True)
        policy.failure(Failure.ERROR, http_status=503)
        assert policy.failure(Failure.ERROR, http_status=503).message == words
    finally:
        set_language("en")
