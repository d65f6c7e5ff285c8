"""XMLTV time forms: every one real guides use, to UTC epoch seconds."""

from __future__ import annotations

import pytest

from settop.core.timeparse import TimeFormatError, TimeParser, parse_xmltv_time

NOON = 1767268800  # 2026-01-01 12:00:00 UTC


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20260101120000 +0000", NOON),
        ("20260101120000 +0100", NOON - 3600),
        ("20260101120000 -0530", NOON + 5 * 3600 + 1800),
        ("20260101120000+0200", NOON - 7200),
        ("20260101120000 +02:00", NOON - 7200),
        ("20260101120000 +02", NOON - 7200),
        ("20260101120000", NOON),
        ("202601011200", NOON),
        ("202601011200 +0100", NOON - 3600),
        ("2026010112", NOON),
        ("20260101", NOON - 12 * 3600),
        ("202601", NOON - 12 * 3600),
        ("2026", NOON - 12 * 3600),
        ("20260101120000 UTC", NOON),
        ("20260101120000 GMT", NOON),
        ("20260101120000 Z", NOON),
        ("20260101120000 BST", NOON - 3600),
        ("20260101120000 EST", NOON + 5 * 3600),
        ("20260101120000 cest", NOON - 7200),
        ("20260101120000.50 +0000", NOON),
        ("  20260101120000 +0000  ", NOON),
        ("20251231240000 +0000", NOON - 12 * 3600),
        ("20240229120000 +0000", 1709208000),
    ],
    ids=[
        "14-utc", "14-plus-one", "14-minus-half-hours", "no-space", "colon", "hours-only", "14-no-zone", "12-digits",
        "12-with-zone", "10-digits", "date-only", "month-only", "year-only", "UTC", "GMT", "Z", "BST", "EST",
        "lower-case-name", "fraction", "padded", "hour-24", "leap-day",
    ],
)  # fmt: skip
def test_time_forms(text: str, expected: int) -> None:
    assert parse_xmltv_time(text) == expected
    parser = TimeParser()
    assert parser.parse(text) == expected
    assert parser.parse(text) == expected  # the cached path agrees


@pytest.mark.parametrize(
    "text",
    [
        "", "tomorrow", "2026-01-01 12:00", "20261301120000 +0000", "20260230120000 +0000", "20260101126000 +0000",
        "20260101120000 XYZ", "20260101120000 +1", "20260101120000 +2500", "202601011200000 +0000", "20260101120",
    ],
    ids=[
        "empty", "word", "iso", "month-13", "feb-30", "minute-60", "unknown-zone", "one-digit-offset",
        "offset-too-big", "15-digits", "11-digits",
    ],
)  # fmt: skip
def test_bad_times(text: str) -> None:
    with pytest.raises(TimeFormatError):
        TimeParser().parse(text)


def test_default_offset_and_count() -> None:
    parser = TimeParser(default_offset=-3600)
    assert parser.parse("20260101120000") == NOON + 3600
    assert parser.parse("202601011200") == NOON + 3600
    assert parser.parse("20260101120000 +0000") == NOON
    assert parser.missing_zone == 2


def test_fast_path_rejects_garbage_after_warm_cache() -> None:
    parser = TimeParser()
    parser.parse("20260101120000 +0000")
    with pytest.raises(TimeFormatError):
        parser.parse("20260101 20000 +0000")
    with pytest.raises(TimeFormatError):
        parser.parse("20260101129900 +0000")
