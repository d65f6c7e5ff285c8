"""The refresh policy: intervals, on-demand requests, backoff after failures, Retry-After, in-flight sources."""

from __future__ import annotations

import pytest

from settop.core.net.refresh import HOUR, MINUTE, RefreshPolicy, RefreshSchedule

POLICY = RefreshPolicy(interval_s=6 * HOUR, first_retry_s=MINUTE, max_retry_s=HOUR, min_gap_s=5)


@pytest.mark.parametrize(
    ("failures", "retry_after", "expected"),
    [(1, None, 60), (2, None, 120), (3, None, 240), (7, None, 3600), (40, None, 3600), (1, 600.0, 600),
     (3, 10.0, 240), (1, 10 * 24 * HOUR, 24 * HOUR)],
    ids=["first", "second", "third", "capped", "huge-count", "retry-after-longer", "retry-after-shorter",
         "retry-after-bounded"],
)
def test_retry_delay(failures: int, retry_after: float | None, expected: float) -> None:
    assert POLICY.retry_delay(failures, retry_after) == expected


def test_backoff_never_exceeds_a_short_interval() -> None:
    assert RefreshPolicy(interval_s=300, first_retry_s=60, max_retry_s=HOUR).retry_delay(10) == 300


def test_new_source_is_due_now_and_fresh_cache_waits() -> None:
    schedule = RefreshSchedule()
    schedule.add("new", POLICY, now=1000)
    schedule.add("cached", POLICY, now=1000, last_success=900)
    assert schedule.due(1000) == ["new"]
    assert schedule.state("cached").next_due == 900 + 6 * HOUR


def test_success_schedules_the_next_interval() -> None:
    schedule = RefreshSchedule()
    schedule.add("p", POLICY, now=0)
    schedule.started("p", 0)
    assert schedule.due(0) == []  # in flight: never started twice
    assert schedule.next_due() is None
    schedule.succeeded("p", 10)
    assert schedule.state("p").next_due == 10 + 6 * HOUR
    assert schedule.seconds_until_next(10) == 6 * HOUR
    assert schedule.due(10 + 6 * HOUR) == ["p"]


def test_failures_back_off_and_success_resets() -> None:
    schedule = RefreshSchedule()
    schedule.add("p", POLICY, now=0)
    for n, delay in enumerate([60, 120, 240], start=1):
        schedule.started("p", 0)
        schedule.failed("p", 0, "HTTP 503 Service Unavailable from h/…/x.m3u")
        state = schedule.state("p")
        assert (state.failures, state.next_due, state.ok) == (n, delay, False)
    assert schedule.state("p").last_error.startswith("HTTP 503")
    schedule.started("p", 240)
    schedule.succeeded("p", 240)
    assert schedule.state("p").ok and schedule.state("p").last_error == ""


def test_permanent_failure_waits_the_interval() -> None:
    schedule = RefreshSchedule()
    schedule.add("p", POLICY, now=0)
    schedule.started("p", 0)
    schedule.failed("p", 0, "HTTP 401", permanent=True)
    assert schedule.state("p").next_due == 6 * HOUR


def test_on_demand_respects_the_minimum_gap_but_beats_backoff() -> None:
    schedule = RefreshSchedule()
    schedule.add("p", POLICY, now=0)
    schedule.started("p", 0)
    schedule.failed("p", 1, "timeout")
    schedule.request("p", now=2)
    assert schedule.state("p").next_due == 5  # last attempt 0 + 5 s gap, not the 60 s backoff
    assert schedule.state("p").requested
    schedule.request("p", now=100)
    assert schedule.due(100) == ["p"]


def test_on_demand_only_sources() -> None:
    schedule = RefreshSchedule()
    manual = RefreshPolicy(interval_s=0)
    schedule.add("m", manual, now=0, last_success=0)
    assert schedule.next_due() is None
    schedule.request("m", now=50)
    assert schedule.due(50) == ["m"]
    schedule.started("m", 50)
    schedule.succeeded("m", 51)
    assert schedule.state("m").next_due is None


def test_due_lists_earliest_first_and_policy_changes() -> None:
    schedule = RefreshSchedule()
    schedule.add("a", POLICY, now=0, last_success=0)
    schedule.add("b", RefreshPolicy(interval_s=HOUR), now=0, last_success=0)
    assert schedule.due(7 * HOUR) == ["b", "a"]
    schedule.set_policy("a", RefreshPolicy(interval_s=MINUTE), now=0)
    assert schedule.next_due() == MINUTE
    schedule.remove("a")
    assert schedule.sources() == ("b",)
