"""Catch-up URLs for every mode and placeholder of notes/formats.md, including the live edge and Kodi's quirks."""

from __future__ import annotations

from datetime import UTC, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from settop.core.models import Catchup, Channel
from settop.core.playlist.catchup import catchup_template, catchup_url, fill_placeholders

NOON = 1767268800  # 2026-01-01 12:00:00 UTC
HOUR = 3600
NOW = NOON + 3 * HOUR  # programme NOON..NOON+1h ended two hours ago


def tv(url: str, mode: str, source: str = "", days: int = 0, correction: float = 0.0) -> Channel:
    return Channel(key="k", name="TV", url=url, catchup=Catchup(mode=mode, days=days, source=source,
                                                                correction=correction))  # fmt: skip


@pytest.mark.parametrize(
    ("channel", "expected"),
    [
        (tv("http://h/ch.m3u8", "default", "http://h/archive/{utc}-{utcend}.m3u8"),
         f"http://h/archive/{NOON}-{NOON + HOUR}.m3u8"),
        (tv("http://h/ch.m3u8", "append", "?start=${start}&end=${end}"),
         f"http://h/ch.m3u8?start={NOON}&end={NOON + HOUR}"),
        (tv("http://h/ch.m3u8", "shift"), f"http://h/ch.m3u8?utc={NOON}&lutc={NOW}"),
        (tv("http://h/ch.m3u8?token=t", "shift"), f"http://h/ch.m3u8?token=t&utc={NOON}&lutc={NOW}"),
        (tv("http://h/ch.m3u8", "timeshift"), f"http://h/ch.m3u8?utc={NOON}&lutc={NOW}"),
        (tv("http://h:8080/ch1/mpegts?token=abc", "flussonic"), f"http://h:8080/ch1/timeshift_abs-{NOON}.ts?token=abc"),
        (tv("http://h/ch1/index.m3u8?token=abc", "flussonic"), "http://h/ch1/timeshift_rel-10800.m3u8?token=abc"),
        (tv("http://h/ch1/video.m3u8?token=abc", "fs"), "http://h/ch1/video-timeshift_rel-10800.m3u8?token=abc"),
        (tv("https://h/a/b/ch1/mono.m3u8", "flussonic-hls"), "https://h/a/b/ch1/mono-timeshift_rel-10800.m3u8"),
        (tv("http://h/ch1/stream", "flussonic-ts"), f"http://h/ch1/timeshift_abs-{NOON}.ts"),
        (tv("http://h/ch1/stream?x=1", "flussonic-hls"), "http://h/ch1/timeshift_rel-10800.m3u8?x=1"),
        (tv("http://h:8080/live/user/pass/1234.m3u8", "xc"),
         "http://h:8080/timeshift/user/pass/60/2026-01-01:12-00/1234.m3u8"),
        (tv("http://h:8080/user/pass/1234", "xc"), "http://h:8080/timeshift/user/pass/60/2026-01-01:12-00/1234.ts"),
        (tv("http://h:8080/live/user/pass/1234.ts", "xc"), "http://h:8080/timeshift/user/pass/60/2026-01-01:12-00/1234.ts"),
        (tv("http://h/ch.m3u8", "vod"), "plugin-id-42"),
        (tv("http://h/ch.m3u8", "vod", "http://h/vod/{catchup-id}.mp4"), "http://h/vod/plugin-id-42.mp4"),
        (tv("http://h/ch.m3u8", "XC", "http://h/custom/{utc}"), f"http://h/custom/{NOON}"),
    ],
    ids=[
        "default", "append", "shift", "shift-with-query", "legacy-timeshift", "flussonic-mpegts", "flussonic-index",
        "fs-named-playlist", "flussonic-hls-deep-path", "flussonic-ts-other-path", "flussonic-hls-other-path",
        "xc-live-m3u8", "xc-bare-id", "xc-ts", "vod-catchup-id", "vod-source", "explicit-source-wins",
    ],
)  # fmt: skip
def test_modes(channel: Channel, expected: str) -> None:
    assert catchup_url(channel, NOON, NOON + HOUR, NOW, "plugin-id-42", tz=UTC) == expected


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{utc} ${start}", f"{NOON} {NOON}"),
        ("{utcend} ${end}", f"{NOON + HOUR} {NOON + HOUR}"),
        ("{lutc} ${now} ${timestamp}", f"{NOW} {NOW} {NOW}"),
        ("{Y}-{m}-{d} {H}:{M}:{S}", "2026-01-01 12:00:00"),
        ("{duration} ${duration} {duration:60}", "3600 3600 60"),
        ("{offset:1} {offset:60} ${offset}", "10800 180 10800"),
        ("id={catchup-id}", "id=ep-7"),
        ("{utc:YmdHMS} ${start:Y-m-d}", "20260101120000 2026-01-01"),
        ("{utcend:H-M} ${end:YmdHMS}", "13-00 20260101130000"),
        ("{lutc:YmdHMS} ${now:Y} ${timestamp:H}", "20260101150000 2026 15"),
        ("{unknown} ${token} {{shift:start:+1h}}", "{unknown} ${token} {{shift:start:+1h}}"),
    ],
    ids=[
        "start", "end", "now", "start-fields", "duration", "offset", "catchup-id", "start-formats", "end-formats",
        "now-formats", "unknown-left-alone",
    ],
)  # fmt: skip
def test_placeholders(template: str, expected: str) -> None:
    assert fill_placeholders(template, start=NOON, end=NOON + HOUR, now=NOW, catchup_id="ep-7", tz=UTC) == expected


def test_placeholders_in_local_zone_fields() -> None:
    plus_two = timezone(timedelta(hours=2))
    assert fill_placeholders("{H}:{M} {utc}", start=NOON, end=NOON, now=NOW, tz=plus_two) == f"14:00 {NOON}"


def test_one_pass_replacement() -> None:
    """A catch-up id that looks like a placeholder stays as it is."""
    assert fill_placeholders("{catchup-id}/{utc}", start=1, end=2, now=3, catchup_id="{utc}") == "{utc}/1"


def test_days_limit_and_default() -> None:
    old = NOW - 4 * 86400
    assert catchup_url(tv("http://h/c", "shift", days=3), old, old + HOUR, NOW) is None
    assert catchup_url(tv("http://h/c", "shift", days=7), old, old + HOUR, NOW) is not None
    assert catchup_url(tv("http://h/c", "shift"), old, old + HOUR, NOW) is None  # default 3 days
    assert catchup_url(tv("http://h/c", "shift"), old, old + HOUR, NOW, default_days=5) is not None
    assert catchup_url(tv("http://h/c", "vod", days=1), old, old + HOUR, NOW, "id") == "id"  # vod ignores days


def test_correction_and_guide_shift() -> None:
    channel = tv("http://h/c", "default", "http://h/a?s={utc}&e=${end}&n={lutc}", correction=1.0)
    url = catchup_url(channel, NOON + 2 * HOUR, NOON + 3 * HOUR, NOW + HOUR, guide_shift=2 * HOUR)
    assert url == f"http://h/a?s={NOON + HOUR}&e={NOON + 2 * HOUR}&n={NOW + 2 * HOUR}"


def test_buffers_widen_the_programme() -> None:
    channel = tv("http://h/c", "default", "http://h/a?s={utc}&d={duration}")
    assert catchup_url(channel, NOON, NOON + HOUR, NOW, buffer_before=60, buffer_after=120) == (
        f"http://h/a?s={NOON - 60}&d={HOUR + 180}"
    )


def test_live_edge_plays_live_with_now_placeholders_only() -> None:
    channel = tv("http://h/c.m3u8?t={lutc}&s={utc}", "shift")
    assert catchup_url(channel, NOW - 3, NOW + HOUR, NOW) == f"http://h/c.m3u8?t={NOW}&s={{utc}}"
    assert catchup_url(channel, NOW + 600, NOW + HOUR, NOW) is None  # not aired yet


def test_end_of_a_running_programme_is_its_end_not_now() -> None:
    """pvr.iptvsimple#942: Kodi gives "now" for ${end} near the live edge."""
    channel = tv("http://h/c", "default", "http://h/a?s=${start}&e=${end}&d={duration}")
    url = catchup_url(channel, NOW - 600, NOW + 3000, NOW)
    assert url == f"http://h/a?s={NOW - 600}&e={NOW + 3000}&d=3600"


def test_unknown_end_means_an_hour() -> None:
    channel = tv("http://h/c", "default", "http://h/a?e={utcend}")
    assert catchup_url(channel, NOON, NOON, NOW) == f"http://h/a?e={NOON + HOUR}"


@pytest.mark.parametrize(
    ("url", "source", "expected"),
    [
        ("http://h/c.m3u8|User-Agent=x&Referer=y", "", f"http://h/c.m3u8?utc={NOON}&lutc={NOW}|User-Agent=x&Referer=y"),
        ("http://h/c.m3u8|User-Agent=x", "http://h/a/{utc}|User-Agent=z", f"http://h/a/{NOON}|User-Agent=z"),
    ],
    ids=["options-re-appended", "source-has-its-own"],
)
def test_pipe_options(url: str, source: str, expected: str) -> None:
    mode = "default" if source else "shift"
    assert catchup_url(tv(url, mode, source), NOON, NOON + HOUR, NOW) == expected


@pytest.mark.parametrize(
    ("channel", "query_format"),
    [
        (Channel(key="k", name="n", url="http://h/c"), ""),
        (tv("http://h/c", "append"), ""),
        (tv("http://h/c", "default"), ""),
        (tv("http://h/c", "archive"), ""),
        (tv("rtsp://h/c", "xc"), ""),
        (tv("http://h/c", "vod"), ""),
    ],
    ids=["no-catchup", "append-without-source", "default-without-source", "unknown-mode", "xc-unparsable", "vod-no-id"],
)
def test_no_catchup(channel: Channel, query_format: str) -> None:
    assert catchup_url(channel, NOON, NOON + HOUR, NOW, query_format=query_format) is None


def test_default_without_source_falls_back_to_append_query_format() -> None:
    channel = tv("http://h/c.m3u8", "default")
    assert catchup_template(channel, "?utc={utc}") == "http://h/c.m3u8?utc={utc}"
    assert catchup_url(channel, NOON, NOON + HOUR, NOW, query_format="?utc={utc}") == f"http://h/c.m3u8?utc={NOON}"


@given(st.text(alphabet="{}$:utcendlYmdHMSoffsetduratinmp-ixo0123456789 /?&=%", max_size=60))
@settings(max_examples=300, deadline=None)
def test_any_template_fills_without_error(template: str) -> None:
    filled = fill_placeholders(template, start=NOON, end=NOON + HOUR, now=NOW, catchup_id="id", tz=UTC)
    assert isinstance(filled, str)
    if "{" not in template:
        assert filled == template
