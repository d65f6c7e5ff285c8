"""Recording plans: lengths from text, file names, parts, the disk margin."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from settop.core.recording.plan import DiskMargin, PlanError, file_name, free_bytes, parse_duration, part_path


@pytest.mark.parametrize(("text", "seconds"), [("30m", 1800), ("1h30m", 5400), ("90s", 90), ("2h", 7200),
                                               ("1.5h", 5400), ("45", 2700), (" 1h 5m 10s ", 3910), ("10M", 600)])
def test_durations(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "abc", "30x", "m", "0m", "-5m", "1h-", "5m30"])
def test_bad_durations_say_how_to_write_them(text: str) -> None:
    with pytest.raises(PlanError, match="30m, 1h30m or 90s") as error:
        parse_duration(text)
    assert text in str(error.value)


def test_file_names_are_safe_and_dated() -> None:
    start = time.mktime((2026, 12, 4, 20, 0, 0, 0, 0, -1))
    assert file_name("Red One", "News", start) == "Red One - News - 2026-12-04 20-00.ts"
    assert file_name("A/B: C*", 'What? "Now" <|>', start) == "A B C - What Now - 2026-12-04 20-00.ts"
    assert file_name("الجزيرة HD", "", start) == "الجزيرة HD - 2026-12-04 20-00.ts"
    assert file_name("..", "\x00", start) == "Recording - 2026-12-04 20-00.ts"
    assert len(file_name("x" * 500, "y" * 500, start)) < 180


def test_parts_follow_the_first_file(tmp_path: Path) -> None:
    first = tmp_path / "Show - 2026-12-04 20-00.ts"
    assert part_path(first, 1) == first
    assert part_path(first, 3).name == "Show - 2026-12-04 20-00 (part 3).ts"


def test_margin_refuses_and_stops_at_a_quarter(tmp_path: Path) -> None:
    margin = DiskMargin(400 * 1024 * 1024)
    assert margin.refusal(400 * 1024 * 1024) is None
    assert margin.refusal(100 * 1024 * 1024) == "Not enough free disk space to record: 100 MiB free, 400 MiB needed"
    assert not margin.full(100 * 1024 * 1024) and margin.full(100 * 1024 * 1024 - 1)
    assert free_bytes(tmp_path / "not" / "there") > 0
