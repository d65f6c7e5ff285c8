"""Leniency (line ends, junk, broken entries, encodings) and stream scheme checks with relative URL resolution."""

from __future__ import annotations

from pathlib import Path

import pytest

from settop.core.playlist.m3u import decode, parse, parse_bytes, split_lines


@pytest.mark.parametrize(
    ("text", "names", "lines", "warnings"),
    [
        pytest.param("\ufeff#EXTM3U\n#EXTINF:-1,A\nhttp://a/\n", ["A"], [3], [], id="bom"),
        pytest.param(
            "#EXTM3U\r\n#EXTINF:-1,A\rhttp://a/\n#EXTINF:-1,B\r\nhttp://b/", ["A", "B"], [3, 5], [], id="crlf-cr-lf-mix"
        ),
        pytest.param("#EXTINF:-1,A\nhttp://a/\n", ["A"], [2], [(1, "missing #EXTM3U header")], id="no-header"),
        pytest.param("\n\n#EXTM3U\n\n#EXTINF:-1,A\n\n\nhttp://a/\n\n", ["A"], [8], [], id="blank-lines"),
        pytest.param("  #EXTM3U  \n\t#EXTINF:-1,A \n  http://a/  \n", ["A"], [3], [], id="surrounding-space"),
        pytest.param("#extm3u\n#extinf:-1,A\nhttp://a/\n", ["A"], [3], [], id="lower-case-tags"),
        pytest.param(
            "#EXTM3U\n=====\n#EXTINF:-1,A\n-----\nhttp://a/\nSome prose here\n",
            ["A"],
            [5],
            [
                (2, "not a URL or a tag; line skipped"),
                (4, "not a URL or a tag; line skipped"),
                (6, "not a URL or a tag; line skipped"),
            ],
            id="junk-lines",
        ),
        pytest.param(
            "#EXTM3U\n#EXTINF:-1,A\n#EXTINF:-1,B\nhttp://b/\n#EXTINF:-1,C\n",
            ["B"],
            [4],
            [
                (2, "#EXTINF without a URL; entry skipped"),
                (5, "#EXTINF without a URL at the end of the playlist; entry skipped"),
            ],
            id="extinf-without-url",
        ),
        pytest.param(
            "#EXTM3U\nhttp://h/x/news.m3u8\n",
            ["news"],
            [2],
            [(2, "URL without #EXTINF; called 'news' after its URL")],
            id="url-without-extinf",
        ),
        pytest.param(
            "#EXTM3U\n#EXTINF:-1,A\nhttp://a/\n#EXTM3U\n#EXTINF:-1,B\nhttp://b/\n",
            ["A", "B"],
            [3, 6],
            [(4, "another #EXTM3U header (joined playlists?); its guide URLs are added")],
            id="second-header",
        ),
        pytest.param(
            "#EXTM3U\n#EXTHTTP:{}\n#EXTINF:-1,A\nhttp://a/\n#EXTHTTP:{}\n#EXTINF:-1,B\nhttp://b/\n",
            ["A", "B"],
            [4, 7],
            [(2, "tag #EXTHTTP is not supported; ignored")],
            id="unknown-tag-once",
        ),
        pytest.param("#EXTM3U\n# a comment\n#EXTINF:-1,A\nhttp://a/\n", ["A"], [4], [], id="comment"),
        pytest.param(
            "#EXTM3U\n#EXTINF:-1,A\u2028B\x0cC\x85D\nhttp://a/\n",
            ["A\u2028B\x0cC\x85D"],
            [3],
            [],
            id="unicode-separators-inside-name",
        ),
        pytest.param("", [], [], [], id="empty"),
        pytest.param("#EXTM3U", [], [], [], id="header-only"),
        pytest.param("#EXTM3U\n#EXTINF:-1,A\nchannel.ts\n", ["A"], [3], [], id="relative-file-is-a-url"),
    ],
)
def test_lenient(text: str, names: list[str], lines: list[int], warnings: list[tuple[int, str]]) -> None:
    playlist = parse(text)
    assert [c.name for c in playlist.channels] == names
    assert [c.line for c in playlist.channels] == lines
    assert [(w.line, w.message) for w in playlist.warnings] == warnings


def test_second_header_adds_guide_urls() -> None:
    text = '#EXTM3U x-tvg-url="http://e/1.xml"\n#EXTINF:-1,A\nhttp://a/\n#EXTM3U url-tvg="http://e/2.xml"\n'
    assert parse(text).epg_urls == ("http://e/1.xml", "http://e/2.xml")


@pytest.mark.parametrize(
    ("data", "name", "warning"),
    [
        pytest.param("#EXTM3U\n#EXTINF:-1,Café\nhttp://a/\n".encode(), "Café", None, id="utf8"),
        pytest.param(b"\xef\xbb\xbf#EXTM3U\n#EXTINF:-1,Caf\xc3\xa9\nhttp://a/\n", "Café", None, id="utf8-bom"),
        pytest.param("#EXTM3U\n#EXTINF:-1,Café\nhttp://a/\n".encode("utf-16"), "Café", None, id="utf16-bom"),
        pytest.param(
            b"#EXTM3U\n#EXTINF:-1,Caf\xe9 \x85\nhttp://a/\n",
            "Café …",
            (2, "the playlist is not valid UTF-8; read as cp1252"),
            id="cp1252",
        ),
        pytest.param(
            b"#EXTM3U\n\n#EXTINF:-1,A\x81\nhttp://a/\n",
            "A\x81",
            (3, "the playlist is not valid UTF-8; read as latin-1"),
            id="latin-1",
        ),
    ],
)
def test_decoding(data: bytes, name: str, warning: tuple[int, str] | None) -> None:
    playlist = parse_bytes(data)
    assert [c.name for c in playlist.channels] == [name]
    assert [(w.line, w.message) for w in playlist.warnings] == ([warning] if warning else [])


def test_decode_and_split_lines() -> None:
    assert decode(b"\xef\xbb\xbfx") == ("x", None)
    assert split_lines("a\r\nb\rc\nd\x85e\n") == ["a", "b", "c", "d\x85e"]
    assert split_lines("a\nb") == ["a", "b"]


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 8], ids=lambda c: f"chunk{c}")
@pytest.mark.parametrize(
    "text",
    ["a\r\nb\r\n\r\ncc\rd\n", "\n\n\nab", "x\ry\r\r\nz", "one line no end", "\r\n" * 6, ""],
    ids=["crlf-mix", "leading-blank", "cr-before-crlf", "single", "only-crlf", "empty"],
)
def test_split_lines_in_slices_matches_one_split(monkeypatch: pytest.MonkeyPatch, text: str, chunk: int) -> None:
    from settop.core.playlist import m3u

    monkeypatch.setattr(m3u, "SPLIT_CHUNK", chunk)
    assert split_lines(text) == text.splitlines()


@pytest.mark.parametrize(
    ("url", "remote", "base", "expected"),
    [
        pytest.param("http://s/x", True, "", "http://s/x", id="http"),
        pytest.param("HTTPS://s/x", True, "", "HTTPS://s/x", id="https-upper"),
        pytest.param("udp://@239.0.0.1:1234", True, "", "udp://@239.0.0.1:1234", id="udp"),
        pytest.param("rtp://239.0.0.1:5000", True, "", "rtp://239.0.0.1:5000", id="rtp"),
        pytest.param("rtsp://cam/1", True, "", "rtsp://cam/1", id="rtsp"),
        pytest.param("rtmp://s/live/x", True, "", "rtmp://s/live/x", id="rtmp"),
        pytest.param("srt://s:9000", True, "", "srt://s:9000", id="srt"),
        pytest.param("mms://s/x", True, "", "mms://s/x", id="mms"),
        pytest.param("mmsh://s/x", True, "", "mmsh://s/x", id="mmsh"),
        pytest.param("rtmps://s/live/x", True, "", "rtmps://s/live/x", id="rtmps"),
        pytest.param("smb://nas/x.ts", False, "", None, id="smb-refused"),
        pytest.param("data:video/mp2t;base64,AAAA", False, "", None, id="data-refused"),
        pytest.param("v4l2:///dev/video0", False, "", None, id="v4l2-refused-even-local"),
        pytest.param("screen://", False, "", None, id="screen-refused-even-local"),
        pytest.param("C:/../../../../../../etc/passwd", True, "http://h/a/list.m3u", None, id="drive-path-remote"),
        pytest.param("C:/../../../../../../etc/passwd", True, "", None, id="drive-path-remote-no-base"),
        pytest.param("c:\\windows\\x.ts", True, "https://h/l.m3u", None, id="drive-backslash-remote"),
        pytest.param("\\\\server\\share\\x.ts", True, "", None, id="unc-remote"),
        pytest.param("plugin://plugin.video.x/play", False, "", None, id="plugin-refused"),
        pytest.param("javascript:alert(1)", False, "", None, id="javascript-refused"),
        pytest.param("ftp://s/x.ts", False, "", None, id="ftp-refused"),
        pytest.param("file:///media/x.ts", False, "", "file:///media/x.ts", id="file-local-ok"),
        pytest.param("file:///etc/passwd", True, "", None, id="file-remote-refused"),
        pytest.param("/media/x.ts", False, "", "/media/x.ts", id="absolute-path-local-ok"),
        pytest.param("/etc/passwd", True, "", None, id="absolute-path-remote-refused"),
        pytest.param("C:\\tv\\x.ts", False, "", "C:\\tv\\x.ts", id="windows-path-local-ok"),
        pytest.param("C:\\tv\\x.ts", True, "", None, id="windows-path-remote-refused"),
        pytest.param("sub/x.ts", True, "http://h/lists/a.m3u", "http://h/lists/sub/x.ts", id="relative-to-url"),
        pytest.param("../up.ts", True, "http://h/a/b/list.m3u", "http://h/a/up.ts", id="parent-relative-to-url"),
        pytest.param("/abs.ts", True, "https://h/a/list.m3u", "https://h/abs.ts", id="rooted-relative-to-url"),
        pytest.param("//cdn/x.ts", True, "https://h/a/list.m3u", "https://cdn/x.ts", id="scheme-relative"),
    ],
)
def test_schemes(url: str, remote: bool, base: str, expected: str | None) -> None:
    playlist = parse(f"#EXTM3U\n#EXTINF:-1,N\n{url}\n", base_url=base, remote=remote)
    assert [c.url for c in playlist.channels] == ([expected] if expected else [])
    if expected is None:
        (warning,) = playlist.warnings
        assert warning.line == 3 and "channel 'N' dropped" in warning.message


def test_relative_paths_resolve_against_the_playlist_folder(tmp_path: Path) -> None:
    playlist_file = tmp_path / "list.m3u"
    playlist_file.write_text("#EXTM3U\n#EXTINF:-1,A\nsub/a.ts\n#EXTINF:-1,B\n../b.ts\n", encoding="utf-8")
    text = playlist_file.read_text(encoding="utf-8")
    for base in (str(playlist_file), str(tmp_path)):
        urls = [c.url for c in parse(text, base_url=base).channels]
        assert urls == [str(tmp_path / "sub" / "a.ts"), str(tmp_path.parent / "b.ts")]


def test_remote_playlist_cannot_reach_local_files_even_relative() -> None:
    playlist = parse("#EXTM3U\n#EXTINF:-1,A\nsub/a.ts\n", remote=True)
    assert playlist.channels == ()
    assert "may not name local files" in playlist.warnings[0].message


def test_many_warnings_are_capped() -> None:
    playlist = parse("#EXTM3U\n" + "=====\n" * 1100)
    assert len(playlist.warnings) == 1001
    assert playlist.warnings[-1].message == "100 more warnings not shown"


@pytest.mark.parametrize(
    ("text", "base", "remote", "channels"),
    [
        pytest.param(
            "#EXTM3U\n#EXTINF:-1,A\n//]//j/j\n", "http://127.0.0.1/list.m3u", True, 0, id="urljoin-invalid-ipv6"
        ),
        pytest.param(f'#EXTM3U\n#EXTINF:-1 tvg-chno="{"9" * 5000}",A\nhttp://s/a\n', "", False, 1, id="huge-number"),
        pytest.param(
            f'#EXTM3U\n#EXTINF:-1 catchup="shift" catchup-days="{"9" * 5000}",A\nhttp://s/a\n',
            "",
            False,
            1,
            id="huge-days",
        ),
        pytest.param("#EXTM3U\n#EXTINF:-1,A\nsub/a.ts\n", "~no-such-user-here/list.m3u", False, 1, id="unknown-home"),
        pytest.param("#EXTM3U\n#EXTINF:-1,A\nsub/a.ts\n", "/tmp/\x00/list.m3u", False, 0, id="nul-in-base"),
        pytest.param(
            '#EXTM3U\n#EXTINF:-1 a="' + " " * 100_000 + 'k="b,N\nhttp://s/x\n',
            "",
            False,
            1,
            id="long-space-run-in-quotes-is-linear",
        ),
    ],
)
def test_hostile_input_never_raises(text: str, base: str, remote: bool, channels: int) -> None:
    playlist = parse(text, base_url=base, remote=remote)
    assert len(playlist.channels) == channels


def test_late_header_is_not_called_another() -> None:
    playlist = parse(
        '#EXTINF:-1,A\nhttp://a/\n#EXTM3U x-tvg-url="http://e/g.xml" tvg-shift="2"\n#EXTINF:-1,B\nhttp://b/\n'
    )
    assert [(w.line, w.message) for w in playlist.warnings] == [(1, "missing #EXTM3U header")]
    assert playlist.epg_urls == ("http://e/g.xml",)
    assert [c.tvg_shift for c in playlist.channels] == [0.0, 2.0]


def test_empty_address_before_pipe_is_skipped() -> None:
    playlist = parse("#EXTM3U\n#EXTINF:-1,A\n|User-Agent=x/1\n", base_url="http://h/list.m3u", remote=True)
    assert playlist.channels == ()
    assert [w.line for w in playlist.warnings] == [3]


def test_many_extgrp_lines_in_one_entry() -> None:
    text = "#EXTM3U\n#EXTINF:-1,A\n" + "".join(f"#EXTGRP:g{i};g{i + 1}\n" for i in range(20_000)) + "http://s/x\n"
    (channel,) = parse(text).channels
    assert channel.groups == tuple(f"g{i}" for i in range(20_001))
