"""XMLTV time forms: every one real guides use, to UTC epoch seconds."""

from __future__ import annotations

import calendar
import contextlib
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from settop.core.guide.timeparse import TimeFormatError, TimeParser, parse_xmltv_time

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
        "20260101²20000 +0000",
    ],
    ids=[
        "empty", "word", "iso", "month-13", "feb-30", "minute-60", "unknown-zone", "one-digit-offset",
        "offset-too-big", "15-digits", "11-digits", "superscript-digit",
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


@given(
    moment=st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2099, 12, 31)),
    offset_minutes=st.integers(min_value=-14 * 60, max_value=14 * 60),
    form=st.sampled_from(["{d} {z}", "{d}{z}", "{d} {zc}", "{d}"]),
)
@settings(max_examples=300, deadline=None)
def test_round_trip_against_the_standard_library(moment: datetime, offset_minutes: int, form: str) -> None:
    zone = timezone(timedelta(minutes=offset_minutes))
    local = moment.replace(microsecond=0, tzinfo=zone)
    sign = "-" if offset_minutes < 0 else "+"
    hours, minutes = divmod(abs(offset_minutes), 60)
    text = form.format(d=local.strftime("%Y%m%d%H%M%S"), z=f"{sign}{hours:02d}{minutes:02d}",
                       zc=f"{sign}{hours:02d}:{minutes:02d}")  # fmt: skip
    expected = int(local.timestamp()) if form != "{d}" else calendar.timegm(local.timetuple())
    parser = TimeParser()
    assert parser.parse(text) == expected
    assert parser.parse(text) == expected


@given(st.text(max_size=40))
@settings(max_examples=300, deadline=None)
def test_any_text_parses_or_raises_time_format_error(text: str) -> None:
    parser = TimeParser()
    parser.parse("20260101120000 +0000")  # warm the caches: the fast path must refuse oddities too
    for candidate in (text, "20260101" + text[:6] + " +0000"):
        with contextlib.suppress(TimeFormatError):
            parser.parse(candidate)
