"""Bounds whatever the content: problems and attributes per line, line length, NUL characters, UTF-16 without BOM."""

from __future__ import annotations

import tracemalloc

import pytest

from settop.core.playlist.attrs import MAX_ATTRIBUTES, MAX_LINE_PROBLEMS, split_extinf
from settop.core.playlist.m3u import parse, parse_bytes
from settop.core.playlist.m3u_text import MAX_LINE_CHARS

PEAK_MULTIPLE = 8
"""Peak traced memory of a parse, as a multiple of the playlist's size, for the hostile lines below (docs:
docs/performance.md, "Memory bounds"): the bytes, their text, the lines, and per-line work that is bounded."""


def _quote_bomb(size: int) -> bytes:
    """Issue 18's reproduction, ``size`` bytes of ``a="b `` inside one #EXTINF line."""
    return b'#EXTM3U\n#EXTINF:-1 tvg-name="' + b'a="b ' * (size // 5) + b',X\nhttp://h/a.ts\n'


def _peak(data: bytes) -> int:
    tracemalloc.start()
    try:
        parse_bytes(data)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_quote_bomb_line_reports_a_bounded_number_of_problems() -> None:
    attrs, _, problems = split_extinf('-1 tvg-name="' + 'a="b ' * 20_000 + ",X")
    assert len(problems) == MAX_LINE_PROBLEMS + 1
    assert problems[-1] == "more problems on this line not shown"
    assert len(attrs) <= MAX_ATTRIBUTES


@pytest.mark.parametrize("size", [100_000, 120_000], ids=["100k", "120k"])
def test_quote_bomb_memory_stays_within_a_multiple_of_its_size(size: int) -> None:
    data = _quote_bomb(size)
    playlist = parse_bytes(data)
    assert len(playlist.warnings) <= MAX_LINE_PROBLEMS + 2
    assert _peak(data) < PEAK_MULTIPLE * len(data)


def test_many_bomb_lines_stay_bounded_by_the_warning_cap() -> None:
    line = b'#EXTINF:-1 tvg-name="' + b'a="b ' * 1_000 + b',X\nhttp://h/a.ts\n'
    data = b"#EXTM3U\n" + line * 150
    playlist = parse_bytes(data)
    assert len(playlist.channels) == 150
    assert len(playlist.warnings) == 1001  # 1,000 kept and one line that counts the rest
    assert playlist.warnings[-1].message == f"{150 * (MAX_LINE_PROBLEMS + 1) - 1000} more warnings not shown"
    few = b"#EXTM3U\n" + line * 30
    assert _peak(few) < PEAK_MULTIPLE * len(few)


@pytest.mark.parametrize(
    "line",
    [
        pytest.param("http://h/" + "a" * (MAX_LINE_CHARS + 1), id="url"),
        pytest.param('#EXTINF:-1 tvg-id="' + "x" * MAX_LINE_CHARS + '",Long', id="extinf"),
    ],
)
def test_an_over_long_line_is_skipped_with_a_warning(line: str) -> None:
    playlist = parse(f"#EXTM3U\n{line}\n#EXTINF:-1,Next\nhttp://h/next.ts\n")
    assert [c.name for c in playlist.channels] == ["Next"]
    assert playlist.warnings[0].line == 2
    assert f"longer than {MAX_LINE_CHARS:,}; skipped" in playlist.warnings[0].message


def test_a_100_mb_class_url_line_costs_about_its_size() -> None:
    data = b"#EXTM3U\n#EXTINF:-1,Huge\nhttp://h/" + b"a" * 3_000_000 + b"\n"
    playlist = parse_bytes(data)
    assert playlist.channels == ()
    assert _peak(data) < 4 * len(data)


def test_nul_characters_are_removed_with_a_warning() -> None:
    data = b'#EXTM3U\n#EXTINF:-1 tvg-id="a\x00b",Na\x00me\nhttp://h/x\x00y.ts\n'
    playlist = parse_bytes(data)
    (channel,) = playlist.channels
    assert (channel.name, channel.tvg_id, channel.url) == ("Name", "ab", "http://h/xy.ts")
    assert [(w.line, w.message) for w in playlist.warnings] == [
        (2, "NUL characters removed from the line"),
        (3, "NUL characters removed from the line"),
    ]
    assert parse(data.decode()).channels == playlist.channels


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_decoded(encoding: str) -> None:
    text = '#EXTM3U\n#EXTINF:-1 tvg-id="news.fr" group-title="Infos",Télé Info أخبار\nhttp://h/a.ts\n'
    playlist = parse_bytes(text.encode(encoding))
    (channel,) = playlist.channels
    assert (channel.name, channel.tvg_id, channel.groups) == ("Télé Info أخبار", "news.fr", ("Infos",))
    assert playlist.warnings[0].message == f"the playlist is {encoding.upper()} without a byte order mark; read as such"
    assert "\x00" not in channel.url


def test_utf8_with_a_few_nuls_is_not_taken_for_utf16() -> None:
    playlist = parse_bytes(b"#EXTM3U\n#EXTINF:-1,A\x00\nhttp://h/a.ts\n")
    assert [c.name for c in playlist.channels] == ["A"]
