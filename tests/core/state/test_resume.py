"""Resume points: saved every few seconds and on stop, watched past 95 %, kept in state.db across a restart."""

from __future__ import annotations

from pathlib import Path

import pytest

from settop.core.state.resume import MIN_RESUME_MS, ResumePoint, ResumeTracker, is_watched
from settop.core.state.store import RESUME_LIMIT, StateStore


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_positions_are_saved_every_few_seconds_and_on_stop() -> None:
    clock = Clock()
    tracker = ResumeTracker("film", every_s=5, clock=clock, wall=lambda: 1000.0)
    saved = []
    for second in range(1, 13):
        clock.now += 1
        point = tracker.position(second * 1000, 600_000)
        if point is not None:
            saved.append(point.position_ms)
    assert saved == [1000, 6000, 11000]
    stopped = tracker.stopped()
    assert stopped is not None and stopped.position_ms == 12000 and not stopped.watched


@pytest.mark.parametrize(("position", "length", "watched"), [
    (94_000, 100_000, False), (95_000, 100_000, True), (50_000, 0, False),
], ids=["94%", "95%", "unknown-length"])
def test_watched_past_95_percent(position: int, length: int, watched: bool) -> None:
    assert is_watched(position, length) is watched


def test_the_end_marks_watched_and_a_short_start_is_not_resumable() -> None:
    tracker = ResumeTracker("film", clock=Clock())
    tracker.position(1000, 6000)
    assert tracker.ended().watched
    assert not ResumePoint("k", MIN_RESUME_MS - 1, 600_000, 0).resumable
    assert ResumePoint("k", MIN_RESUME_MS, 600_000, 0).resumable


def test_points_survive_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    with StateStore(path) as store:
        store.save_resume(ResumePoint("xc:h:movie:1", 120_000, 600_000, 10.0))
        store.save_resume(ResumePoint("xc:h:movie:1", 180_000, 600_000, 20.0))
        store.save_resume(ResumePoint("xc:h:movie:2", 590_000, 600_000, 30.0, watched=True))
    with StateStore(path) as again:
        assert again.resume_point("xc:h:movie:1") == ResumePoint("xc:h:movie:1", 180_000, 600_000, 20.0)
        assert [p.key for p in again.resume_points()] == ["xc:h:movie:2", "xc:h:movie:1"]
        assert again.resume_point("nope") is None


def test_the_oldest_points_go_beyond_the_limit(tmp_path: Path) -> None:
    with StateStore(tmp_path / "state.db") as store:
        for n in range(RESUME_LIMIT + 3):
            store.save_resume(ResumePoint(f"k{n}", 60_000, 600_000, float(n)))
        keys = {p.key for p in store.resume_points()}
        assert len(keys) == RESUME_LIMIT and "k0" not in keys and f"k{RESUME_LIMIT + 2}" in keys
