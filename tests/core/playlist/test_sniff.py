"""What a file given as a playlist is: each wrong kind said in words before any parse; channel lists pass."""

from __future__ import annotations

import gzip
import lzma
from pathlib import Path

import pytest

from settop.core.playlist.sniff import sniff

DATA = Path(__file__).parents[2] / "data"


@pytest.mark.parametrize(
    ("name", "kind", "words"),
    [
        pytest.param("guide.xml", "guide", "TV guide (XMLTV)", id="xmltv"),
        pytest.param("other.xml", "xml", "XML document", id="xml"),
        pytest.param("login.html", "html", "web page (HTML)", id="html"),
        pytest.param("account.json", "json", "JSON data", id="json"),
        pytest.param("clip.ts", "stream", "add it as a single channel?", id="mpeg-ts"),
        pytest.param("clip.mp4", "stream", "one video stream", id="mp4"),
        pytest.param("logo.png", "image", "image (PNG)", id="png"),
        pytest.param("master.m3u8", "stream", "one video stream", id="hls-master"),
        pytest.param("media.m3u8", "stream", "one video stream", id="hls-media"),
        pytest.param("empty.m3u", "empty", "The file is empty", id="empty"),
        pytest.param("archive.zip", "archive", "archive (ZIP)", id="zip"),
        pytest.param("noise.bin", "binary", "binary data", id="binary"),
    ],
)
def test_each_wrong_kind_is_named(name: str, kind: str, words: str) -> None:
    found = sniff((DATA / "sniff" / name).read_bytes())
    assert found is not None
    assert (found.kind, words in found.message) == (kind, True)
    assert found.single_stream == (kind == "stream")


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(DATA / "sniff" / "list_with_hls_tags.m3u", id="channel-list-with-hls-tags"),
        pytest.param(DATA / "m3u" / "kitchen_sink.m3u", id="kitchen-sink"),
        pytest.param(DATA / "m3u" / "options.m3u", id="options"),
    ],
)
def test_channel_lists_pass(path: Path) -> None:
    assert sniff(path.read_bytes()) is None


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"http://h/a.ts\nhttp://h/b.ts\n", id="bare-urls"),
        pytest.param("#EXTM3U\n#EXTINF:-1,A\nhttp://h/a\n".encode("utf-16"), id="utf16-bom"),
        pytest.param("#EXTM3U\n#EXTINF:-1,A\nhttp://h/a\n".encode("utf-16-le"), id="utf16-no-bom"),
        pytest.param(b"\xef\xbb\xbf#EXTM3U\n", id="bom-header-only"),
    ],
)
def test_other_playlists_pass(data: bytes) -> None:
    assert sniff(data) is None


def test_content_type_decides_only_when_bytes_do_not() -> None:
    assert sniff(b"whatever text", "text/html; charset=utf-8") is not None
    assert sniff(b"#EXTM3U\n#EXTINF:-1,A\nhttp://h/a\n", "text/html") is None


def test_compressed_bodies_are_sniffed_after_the_fetcher_undoes_them(tmp_path: Path) -> None:
    from settop.core.net.fetch import fetch

    for name, packed in (("g.xml.gz", gzip.compress((DATA / "sniff" / "guide.xml").read_bytes())),
                         ("p.xz", lzma.compress((DATA / "sniff" / "login.html").read_bytes()))):
        path = tmp_path / name
        path.write_bytes(packed)
        found = sniff(fetch(str(path), kind="playlist").read_bytes())
        assert found is not None and found.kind in ("guide", "html")
