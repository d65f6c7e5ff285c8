"""Logos: magic-byte check, size cap, no local files for remote playlists, bounded parallel downloads."""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from settop.core.net.logos import LogoCache, sniff_image
from tests.helpers.faultserver import FaultServer, wait_until

PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)
IMAGES = {
    "png": (PNG, "image/png"),
    "jpeg": (b"\xff\xd8\xff\xe0" + bytes(64), "image/jpeg"),
    "gif": (b"GIF89a" + bytes(64), "image/gif"),
    "webp": (b"RIFF\x00\x00\x00\x00WEBPVP8 " + bytes(64), "image/webp"),
    "svg": (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>', "image/svg+xml"),
    "html": (b"<!DOCTYPE html><html>nope</html>", "text/html"),
    "big": (PNG + bytes(300_000), "image/png"),
}


@pytest.fixture(scope="module")
def server() -> Iterator[FaultServer]:
    with FaultServer() as running:
        yield running


@pytest.fixture
def logos(server: FaultServer) -> Iterator[LogoCache]:
    server.reset()
    server.files.update(IMAGES)
    cache = LogoCache(workers=3, max_bytes=200_000)
    yield cache
    cache.close()


@pytest.mark.parametrize(
    ("head", "expected"),
    [(IMAGES[name][0], name) for name in ("png", "jpeg", "gif", "webp", "svg")]
    + [(b"<svg width='1'/>", "svg"), (b"RIFF\x00\x00\x00\x00WAVEfmt ", None), (b"", None), (b"<html>", None)],
    ids=["png", "jpeg", "gif", "webp", "svg-xml", "svg-bare", "riff-wave", "empty", "html"],
)
def test_sniff_image(head: bytes, expected: str | None) -> None:
    assert sniff_image(head) == expected


@pytest.mark.parametrize(
    ("name", "ok"),
    [("png", True), ("jpeg", True), ("gif", True), ("webp", True), ("svg", True), ("html", False),
     ("big", False), ("missing", False)],
    ids=["png", "jpeg", "gif", "webp", "svg", "not-an-image", "over-the-cap", "404"],
)
def test_remote_logo(logos: LogoCache, server: FaultServer, name: str, ok: bool) -> None:
    path = logos.get(server.url(f"/file/{name}"), remote_playlist=True)
    assert (path is not None) is ok
    if path is not None:
        assert path.read_bytes() == IMAGES[name][0]


def test_local_logo_only_for_a_local_playlist(logos: LogoCache, tmp_path: Path) -> None:
    image = tmp_path / "logo.png"
    image.write_bytes(PNG)
    for source in (str(image), image.as_uri()):
        assert logos.get(source, remote_playlist=True) is None
        assert logos.get(source, remote_playlist=False) == image


def test_data_uri_logo(logos: LogoCache) -> None:
    path = logos.get("data:image/png;base64," + base64.b64encode(PNG).decode(), remote_playlist=True)
    assert path is not None and path.read_bytes() == PNG
    assert logos.get("data:text/plain;base64,aGVsbG8=", remote_playlist=True) is None


def test_failures_are_remembered(logos: LogoCache, server: FaultServer) -> None:
    url = server.url("/status/404")
    assert logos.get(url, remote_playlist=True) is None
    assert logos.get(url, remote_playlist=True) is None
    assert server.counts["/status/404"] == 1


def test_cached_logo_is_not_fetched_again(server: FaultServer) -> None:
    server.reset()
    server.files.update(IMAGES)
    first, second = LogoCache(), LogoCache()
    try:
        assert first.get(server.url("/file/png"), remote_playlist=True) is not None
        assert second.get(server.url("/file/png"), remote_playlist=True) is not None
    finally:
        first.close()
        second.close()
    assert server.counts["/file/png"] == 1


def test_parallel_downloads_are_bounded(logos: LogoCache, server: FaultServer) -> None:
    lock = threading.Lock()
    release = threading.Event()
    active = [0, 0]  # now, most at once

    def slow_png(handler: BaseHTTPRequestHandler) -> None:
        with lock:
            active[0] += 1
            active[1] = max(active[1], active[0])
        release.wait(10)
        with lock:
            active[0] -= 1
        handler._send(200, PNG, "image/png")  # type: ignore[attr-defined]

    for n in range(8):
        server.routes[f"/slow/{n}.png"] = slow_png
    done: list[tuple[str, Path | None]] = []
    futures = [logos.submit(server.url(f"/slow/{n}.png"), remote_playlist=True,
                            callback=lambda url, path: done.append((url, path))) for n in range(8)]
    assert logos.submit(server.url("/slow/0.png"), remote_playlist=True) is futures[0]  # shared download
    assert wait_until(lambda: active[0] == 3)
    release.set()
    paths = [f.result(timeout=10) for f in futures]
    assert all(p is not None for p in paths)
    assert active[1] == 3
    assert wait_until(lambda: len(done) == 8)
