"""The M3U parser: #EXTM3U header, the #EXTINF tokenizer, names, numbers, radio, shifts, groups, media, attrs."""

from __future__ import annotations

from pathlib import Path

import pytest

from settop.core.models import Channel, Playlist
from settop.core.playlist.m3u import parse

DATA = Path(__file__).parents[2] / "data" / "m3u"


def one(extinf: str, url: str = "http://s.example/x.ts", header: str = "#EXTM3U") -> tuple[Channel, Playlist]:
    playlist = parse(f"{header}\n{extinf}\n{url}\n")
    assert len(playlist.channels) == 1, playlist
    return playlist.channels[0], playlist


def messages(playlist: Playlist) -> list[str]:
    return [w.message for w in playlist.warnings]


@pytest.mark.parametrize(
    ("extinf", "name", "tvg_id", "tvg_name", "attrs"),
    [
        pytest.param('#EXTINF:-1 tvg-id="a" tvg-name="A",Name', "Name", "a", "A", (), id="double-quoted"),
        pytest.param("#EXTINF:-1 tvg-id='a' tvg-name='A B',Name", "Name", "a", "A B", (), id="single-quoted"),
        pytest.param("#EXTINF:-1 tvg-id=a x-y=z,Name", "Name", "a", "", (("x-y", "z"),), id="unquoted"),
        pytest.param(
            '#EXTINF:-1 tvg-name="A, B" x="l,1",Name', "Name", "", "A, B", (("x", "l,1"),), id="comma-in-value"
        ),
        pytest.param('#EXTINF:-1 x="a=b&c=d",Name', "Name", "", "", (("x", "a=b&c=d"),), id="equals-in-value"),
        pytest.param(
            '#EXTINF:-1 tvg-name="It\'s" x=\'say "hi"\',Name',
            "Name",
            "",
            "It's",
            (("x", 'say "hi"'),),
            id="other-quote-inside",
        ),
        pytest.param('#EXTINF:-1 tvg-ID="a" TVG-Name="A",Name', "Name", "a", "A", (), id="names-in-any-case"),
        pytest.param(
            '#EXTINF:-1 tvg-id="a",News, Weather, Sport', "News, Weather, Sport", "a", "", (), id="commas-in-name"
        ),
        pytest.param('#EXTINF:-1 tvg-id="a",The "Best" TV', 'The "Best" TV', "a", "", (), id="quotes-in-name"),
        pytest.param("#EXTINF: -1 ,  Spaced Name  ", "Spaced Name", "", "", (), id="spaces-around"),
        pytest.param("#EXTINF:-1,Name", "Name", "", "", (), id="no-attributes"),
        pytest.param("#EXTINF:0,Name", "Name", "", "", (), id="duration-0"),
        pytest.param('#EXTINF:123.5 tvg-id="a",Name', "Name", "a", "", (), id="duration-decimal"),
        pytest.param('#EXTINF:-1  tvg-id="a"\ttvg-name="b",Name', "Name", "a", "b", (), id="tabs-and-double-spaces"),
        pytest.param('#EXTINF:-1 tvg-id="a"tvg-name="b",Name', "Name", "a", "b", (), id="no-space-between"),
        pytest.param(
            '#EXTINF:-1 x-media="true" media-x="1",N',
            "N",
            "",
            "",
            (("x-media", "true"), ("media-x", "1")),
            id="no-substring-lookup",
        ),
        pytest.param('#extinf:-1 tvg-id="a",Lower tag', "Lower tag", "a", "", (), id="lower-case-tag"),
    ],
)
def test_extinf_tokenizer(
    extinf: str, name: str, tvg_id: str, tvg_name: str, attrs: tuple[tuple[str, str], ...]
) -> None:
    channel, playlist = one(extinf)
    assert (channel.name, channel.tvg_id, channel.tvg_name, channel.attrs) == (name, tvg_id, tvg_name, attrs)
    assert playlist.warnings == ()


@pytest.mark.parametrize(
    ("extinf", "name", "attrs", "warning"),
    [
        pytest.param('#EXTINF:tvg-id="a",Name', "Name", {"tvg_id": "a"}, "without a duration", id="no-duration"),
        pytest.param("#EXTINF:-1 Just A Name", "Just A Name", {}, "without a comma", id="no-comma"),
        pytest.param(
            '#EXTINF:-1 tvg-id="a tvg-name="b",Name',
            "Name",
            {"tvg_id": "a", "tvg_name": "b"},
            "unterminated quote",
            id="unterminated-quote-repaired",
        ),
        pytest.param(
            '#EXTINF:-1 tvg-id="a" tvg-id="b",Name',
            "Name",
            {"tvg_id": "a"},
            "given twice",
            id="repeated-attribute-first-wins",
        ),
        pytest.param('#EXTINF:-1 tvg-id="a" junk words,Name', "Name", {"tvg_id": "a"}, "stray text", id="stray-words"),
        pytest.param(
            '#EXTINF:-1 tvg-name="Open,Name',
            "Name",
            {"tvg_name": "Open"},
            "unterminated quote",
            id="unterminated-to-comma",
        ),
    ],
)
def test_extinf_repairs(extinf: str, name: str, attrs: dict[str, str], warning: str) -> None:
    channel, playlist = one(extinf)
    assert channel.name == name
    for field, value in attrs.items():
        assert getattr(channel, field) == value
    assert [w.line for w in playlist.warnings] == [2]
    assert warning in playlist.warnings[0].message


@pytest.mark.parametrize(
    ("extinf", "url", "name", "warned"),
    [
        pytest.param('#EXTINF:-1 tvg-name="From Attr",', "http://h/x.ts", "From Attr", False, id="tvg-name"),
        pytest.param("#EXTINF:-1,", "http://h/live/News%20One.m3u8?t=1", "News One", True, id="url-file-stem"),
        pytest.param("#EXTINF:-1,  ", "http://host.example/", "host.example", True, id="url-host"),
    ],
)
def test_empty_name_fallbacks(extinf: str, url: str, name: str, warned: bool) -> None:
    channel, playlist = one(extinf, url)
    assert channel.name == name
    assert bool(playlist.warnings) == warned


@pytest.mark.parametrize(
    ("attrs", "number", "minor", "warned"),
    [
        pytest.param('tvg-chno="7"', 7, None, False, id="plain"),
        pytest.param('tvg-chno="5.1"', 5, 1, False, id="sub-number"),
        pytest.param('ch-number="12"', 12, None, False, id="ch-number"),
        pytest.param('tvg-chno="3" ch-number="4"', 3, None, False, id="tvg-chno-first"),
        pytest.param('tvg-chno="" ch-number="4"', 4, None, False, id="empty-chno-falls-back"),
        pytest.param('tvg-chno=" 9 "', 9, None, False, id="spaces"),
        pytest.param('tvg-chno="abc"', None, None, True, id="not-a-number"),
        pytest.param('tvg-chno="-3"', None, None, True, id="negative"),
        pytest.param('tvg-chno="²"', None, None, True, id="unicode-digit"),
        pytest.param("", None, None, False, id="none"),
    ],
)
def test_channel_numbers(attrs: str, number: int | None, minor: int | None, warned: bool) -> None:
    channel, playlist = one(f"#EXTINF:-1 {attrs},N")
    assert (channel.number, channel.number_minor) == (number, minor)
    assert channel.attrs == ()
    assert bool(playlist.warnings) == warned


@pytest.mark.parametrize(
    ("value", "radio"),
    [("true", True), ("TRUE", True), (" True ", True), ("false", False), ("1", False), ("", False)],
    ids=["true", "upper", "spaces", "false", "one-is-not-true", "empty"],
)
def test_radio(value: str, radio: bool) -> None:
    assert one(f'#EXTINF:-1 radio="{value}",N')[0].radio is radio


@pytest.mark.parametrize(
    ("header", "attrs", "shift", "warned"),
    [
        pytest.param("#EXTM3U", 'tvg-shift="-3.5"', -3.5, False, id="channel"),
        pytest.param("#EXTM3U", 'tvg-shift="+2"', 2.0, False, id="plus-sign"),
        pytest.param("#EXTM3U", 'tvg-shift="-0,5"', -0.5, False, id="decimal-comma"),
        pytest.param('#EXTM3U tvg-shift="1.5"', "", 1.5, False, id="header-default"),
        pytest.param('#EXTM3U tvg-shift="1.5"', 'tvg-shift="0"', 0.0, False, id="channel-beats-header"),
        pytest.param('#EXTM3U tvg-shift="1.5"', 'tvg-shift="soon"', 1.5, True, id="bad-value-keeps-default"),
        pytest.param("#EXTM3U", 'tvg-shift="nan"', 0.0, True, id="nan"),
        pytest.param("#EXTM3U", 'tvg-shift="1000"', 0.0, True, id="out-of-range"),
    ],
)
def test_tvg_shift(header: str, attrs: str, shift: float, warned: bool) -> None:
    channel, playlist = one(f"#EXTINF:-1 {attrs},N", header=header)
    assert channel.tvg_shift == shift
    assert bool(playlist.warnings) == warned


def test_group_title_and_extgrp_persistence() -> None:
    """#EXTGRP persists until an empty #EXTGRP or a group-title; after an #EXTINF it adds to that entry."""
    playlist = parse((DATA / "groups.m3u").read_text(encoding="utf-8"))
    got = {c.name: c.groups for c in playlist.channels}
    assert got == {
        "Zero": (),
        "A": ("News", "Local"),
        "B": ("News", "Local"),
        "C": ("Sport",),
        "D": (),
        "E": ("Kids",),
        "F": (),
        "G": ("Movies", "Cinema"),
        "H": ("Cinema",),
        "I": ("Music", "Radio"),
    }
    assert playlist.groups == ("News", "Local", "Sport", "Kids", "Movies", "Cinema", "Music", "Radio")
    assert playlist.warnings == ()


@pytest.mark.parametrize(
    ("extinf", "extra", "media"),
    [
        pytest.param('#EXTINF:-1 media="true",N', "", True, id="media-true"),
        pytest.param('#EXTINF:-1 media="false",N', "", False, id="media-false"),
        pytest.param('#EXTINF:-1 media-dir="/films",N', "", True, id="media-dir"),
        pytest.param('#EXTINF:-1 media-size="10",N', "", True, id="media-size"),
        pytest.param("#EXTINF:-1,N", "#EXT-X-PLAYLIST-TYPE:VOD\n", True, id="playlist-type-vod"),
        pytest.param("#EXTINF:-1,N", "#EXT-X-PLAYLIST-TYPE:EVENT\n", False, id="playlist-type-event"),
        pytest.param('#EXTINF:-1 realtime="false",N', "", False, id="realtime-false-is-not-vod"),
    ],
)
def test_media_entries(extinf: str, extra: str, media: bool) -> None:
    playlist = parse(f"#EXTM3U\n{extinf}\n{extra}http://s.example/x.mkv\n")
    assert playlist.channels[0].media is media


def test_kitchen_sink_fixture() -> None:
    playlist = parse((DATA / "kitchen_sink.m3u").read_text(encoding="utf-8"))
    news, radio, film, cyrillic, multicast = playlist.channels
    assert playlist.epg_urls == ("http://epg.example/guide.xml",)
    assert (news.name, news.tvg_id, news.tvg_name, news.logo) == (
        "News UK, 24h",
        "news.uk",
        "News UK",
        "http://logo.example/news.png",
    )
    assert (news.number, news.groups, news.tvg_shift, news.line) == (101, ("News", "UK"), 1.0, 4)
    assert news.catchup is not None and (news.catchup.mode, news.catchup.days) == ("shift", 7)
    assert news.headers == (("User-Agent", "Kitchen/1.0"),)
    assert news.attrs == (
        ("provider", "Example"),
        ("provider-type", "iptv"),
        ("provider-countries", "gb,ie"),
        ("tvg-country", "UK"),
    )
    assert (radio.number_text, radio.radio, radio.groups) == ("5.1", True, ("Radio",))
    assert (film.media, film.attrs) == (True, (("media-dir", "/films/scifi"), ("media-size", "1024")))
    assert (cyrillic.name, cyrillic.tvg_name, cyrillic.url) == (
        "Многоканал ТВ",
        "Многоканал",
        "rtsp://cam.example/stream1",
    )
    assert multicast.url == "udp://@239.0.0.1:1234"
    assert playlist.warnings == ()


@pytest.mark.parametrize(
    ("header", "epg_urls", "warned"),
    [
        pytest.param('#EXTM3U x-tvg-url="http://e/a.xml"', ("http://e/a.xml",), False, id="x-tvg-url"),
        pytest.param('#EXTM3U url-tvg="http://e/a.xml"', ("http://e/a.xml",), False, id="url-tvg"),
        pytest.param('#EXTM3U tvg-url="http://e/a.xml"', ("http://e/a.xml",), False, id="tvg-url"),
        pytest.param(
            '#EXTM3U x-tvg-url="http://e/a.xml, http://e/b.xml,"',
            ("http://e/a.xml", "http://e/b.xml"),
            False,
            id="comma-list",
        ),
        pytest.param(
            "#EXTM3U x-tvg-url=http://e/a.xml,http://e/b.xml",
            ("http://e/a.xml", "http://e/b.xml"),
            False,
            id="unquoted-comma-list",
        ),
        pytest.param(
            '#EXTM3U x-tvg-url="http://e/a.xml" url-tvg="http://e/a.xml,http://e/c.xml"',
            ("http://e/a.xml", "http://e/c.xml"),
            False,
            id="all-kept-no-repeats",
        ),
        pytest.param('#EXTM3U x-tvg-url=""', (), False, id="empty"),
        pytest.param(
            '#EXTM3U x-tvg-url="http://e/a.xml catchup-correction="-2.5"',
            ("http://e/a.xml",),
            True,
            id="kodi-readme-unterminated-quote",
        ),
    ],
)
def test_header_guide_urls(header: str, epg_urls: tuple[str, ...], warned: bool) -> None:
    playlist = parse(f"{header}\n#EXTINF:-1,N\nhttp://s.example/x.ts\n")
    assert playlist.epg_urls == epg_urls
    assert bool(playlist.warnings) == warned
    assert [w.line for w in playlist.warnings] == ([1] if warned else [])


def test_header_attributes_are_all_kept() -> None:
    playlist = parse('#EXTM3U x-tvg-url="http://e/a.xml" tvg-shift="-4.5" Refresh="3600" m3uautoload=1\n')
    assert playlist.header == (
        ("x-tvg-url", "http://e/a.xml"),
        ("tvg-shift", "-4.5"),
        ("refresh", "3600"),
        ("m3uautoload", "1"),
    )
    assert playlist.tvg_shift == -4.5
