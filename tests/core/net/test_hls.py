"""Stream probing: containers by magic bytes, HLS master/media playlists, and the reasons a stream is dead."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from settop.core.net.hls import probe, sniff_container
from tests.helpers.faultserver import FaultServer

MASTER = b"""#EXTM3U
#EXT-X-STREAM-INF:BANDWIDTH=2500000,RESOLUTION=1280x720,CODECS="avc1.4d401f,mp4a.40.2",FRAME-RATE=25
media.m3u8
#EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=640x360
media.m3u8
"""
MEDIA = b"#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\nseg1.ts\n#EXTINF:2,\nseg2.ts\n"
TS = (b"\x47" + bytes(187)) * 4


@pytest.fixture(scope="module")
def server() -> Iterator[FaultServer]:
    with FaultServer() as running:
        yield running


@pytest.fixture(autouse=True)
def _files(server: FaultServer) -> None:
    server.reset()
    server.files.update({
        "master.m3u8": (MASTER, "application/vnd.apple.mpegurl"),
        "media.m3u8": (MEDIA, "application/vnd.apple.mpegurl"),
        "broken-master.m3u8": (MASTER.replace(b"media.m3u8", b"gone.m3u8"), "application/vnd.apple.mpegurl"),
        "empty.m3u8": (b"#EXTM3U\n#EXT-X-TARGETDURATION:2\n", "application/vnd.apple.mpegurl"),
        "page.html": (b"<!DOCTYPE html><html><body>login</body></html>", "text/html"),
        "clip.mp4": (bytes(4) + b"ftypisom" + bytes(64), "video/mp4"),
        "raw.ts": (TS, "application/octet-stream"),
        "text.txt": (b"hello", "text/plain"),
    })


@pytest.mark.parametrize(
    ("head", "content_type", "expected"),
    [
        (b"#EXTM3U\n", "", "hls"),
        (b"\xef\xbb\xbf#EXTM3U\n", "", "hls"),
        (TS, "", "mpegts"),
        (bytes(5) + TS, "", "mpegts"),
        (bytes(4) + b"ftypisom", "", "mp4"),
        (b"\x1a\x45\xdf\xa3xxxx", "", "matroska"),
        (b"FLV\x01\x05", "", "flv"),
        (b"OggS\x00", "", "ogg"),
        (b"ID3\x04", "", "mp3"),
        (b"\xff\xf1\x50\x80", "", "aac"),
        (b'<?xml version="1.0"?><MPD>', "", "dash"),
        (b"\x00\x01\x02", "video/x-custom", "unknown"),
        (b"<html>", "video/mp2t", None),
        (b"hello", "text/plain", None),
    ],
    ids=["hls", "hls-bom", "ts", "ts-offset", "mp4", "mkv", "flv", "ogg", "mp3", "aac", "dash", "video-type",
         "html-as-video", "text"],
)
def test_sniff_container(head: bytes, content_type: str, expected: str | None) -> None:
    assert sniff_container(head, content_type) == expected


def test_master_playlist_variants(server: FaultServer) -> None:
    result = probe(server.url("/file/master.m3u8"), timeout=3)
    assert result.ok, result.reason
    assert result.container == "hls"
    assert [(v.resolution, v.bandwidth) for v in result.variants] == [((1280, 720), 2500000), ((640, 360), 800000)]
    assert result.variants[0].frame_rate == 25
    assert result.variants[0].label == "1280x720 2.5 Mbit/s"
    assert result.ttfb_s is not None
    assert server.counts["/file/media.m3u8"] == 1


@pytest.mark.parametrize(
    ("route", "expected", "fragment"),
    [
        ("/file/media.m3u8", ("ok", "hls", ""), ""),
        ("/stream.ts", ("ok", "mpegts", ""), ""),
        ("/file/raw.ts", ("ok", "mpegts", ""), ""),
        ("/file/clip.mp4", ("ok", "mp4", ""), ""),
        ("/file/broken-master.m3u8", ("error", "hls", "not_stream"), "First variant unreachable: HTTP 404"),
        ("/file/empty.m3u8", ("error", "hls", "not_stream"), "without segments"),
        ("/file/page.html", ("error", "", "not_stream"), "web page"),
        ("/file/text.txt", ("error", "", "not_stream"), "unrecognised data (text/plain)"),
        ("/status/404", ("error", "", "http"), "HTTP 404 Not Found"),
        ("/status/403", ("error", "", "http"), "HTTP 403 Forbidden"),
        ("/slow-headers?delay=5", ("error", "", "timeout"), "Timed out after 1 s"),
        ("/reset", ("error", "", "reset"), "Connection reset"),
    ],
    ids=["media-playlist", "endless-ts", "ts-file", "mp4", "dead-variant", "empty-hls", "html", "text", "404",
         "403", "timeout", "reset"],
)
def test_probe(server: FaultServer, route: str, expected: tuple[str, str, str], fragment: str) -> None:
    result = probe(server.url(route), timeout=1)
    assert (result.status, result.container, result.error_kind) == expected, result.reason
    assert fragment in result.reason


def test_probe_refused() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = probe(f"http://127.0.0.1:{port}/x.ts", timeout=1)
    assert (result.status, result.error_kind) == ("error", "refused")


@pytest.mark.parametrize(
    ("url", "status", "error_kind"),
    [("rtsp://cam.local/stream", "skipped", ""), ("udp://@239.0.0.1:1234", "skipped", ""),
     ("file:///etc/passwd", "error", "scheme"), ("/etc/passwd", "error", "scheme")],
    ids=["rtsp", "udp", "file-url", "local-path"],
)
def test_probe_other_schemes(url: str, status: str, error_kind: str) -> None:
    result = probe(url, timeout=1)
    assert (result.status, result.error_kind) == (status, error_kind)


def test_variant_pointing_to_a_local_file_is_refused(server: FaultServer) -> None:
    server.files["evil.m3u8"] = (b"#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nfile:///etc/passwd\n", "audio/mpegurl")
    result = probe(server.url("/file/evil.m3u8"), timeout=1)
    assert result.status == "error"
    assert "unsupported address" in result.reason
