"""The fetcher on local files, plain http, conditional refresh, the stale fallback, cancel, progress and peek."""

from __future__ import annotations

import gzip
import json
import lzma
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from settop.core.net.fetch import FetchError, FetchLimits, fetch, limits_for, open_decompressed, peek, prune_cache
from settop.core.state import paths
from tests.helpers.faultserver import PLAYLIST, FaultServer

SHORT = FetchLimits(connect_timeout=1, read_timeout=1, total_timeout=3, max_bytes=1024 * 1024)


@pytest.fixture(scope="module")
def server() -> Iterator[FaultServer]:
    with FaultServer() as running:
        yield running


@pytest.fixture(autouse=True)
def _clean(server: FaultServer) -> None:
    server.reset()


# ------------------------------------------------------------------------------------------------ local files


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("plain.m3u", b"#EXTM3U\nhello", "#EXTM3U\nhello"),
        ("bom.m3u", b"\xef\xbb\xbf#EXTM3U\nhi", "#EXTM3U\nhi"),
        ("cp1252.m3u", "caf\u00e9 \u20ac".encode("cp1252"), "caf\u00e9 \u20ac"),
        ("latin1.m3u", b"x\x81y", "x\x81y"),
        ("packed.m3u.gz", gzip.compress(b"#EXTM3U\ngz"), "#EXTM3U\ngz"),
        ("packed.xml.xz", lzma.compress(b"<tv/>"), "<tv/>"),
    ],
    ids=["plain", "bom", "cp1252", "latin1-fallback", "gzip", "xz"],
)
def test_local_file(tmp_path: Path, name: str, content: bytes, expected: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = fetch(str(path))
    assert result.path == path
    assert result.display == name
    assert result.final_url == ""
    assert not result.stale
    assert result.read_text() == expected
    assert fetch(path.as_uri()).read_text() == expected


@pytest.mark.parametrize(
    ("source", "kwargs", "kind"),
    [
        ("/no/such/file.m3u", {}, "not_found"),
        ("file:///no/such/file.m3u", {}, "not_found"),
        ("/etc/hostname", {"allow_local": False}, "scheme"),
        ("file:///etc/hostname", {"allow_local": False}, "scheme"),
        ("ftp://example.com/list.m3u", {}, "scheme"),
        ("javascript:alert(1)", {"allow_local": False}, "scheme"),
    ],
    ids=["missing", "missing-file-url", "local-refused", "file-url-refused", "ftp", "javascript"],
)
def test_local_refused_or_missing(source: str, kwargs: dict[str, bool], kind: str) -> None:
    with pytest.raises(FetchError) as info:
        fetch(source, **kwargs)  # type: ignore[arg-type]
    assert info.value.kind == kind


def test_local_too_large(tmp_path: Path) -> None:
    path = tmp_path / "huge.m3u"
    path.write_bytes(b"x" * 2048)
    with pytest.raises(FetchError, match="Bigger than the 1 KiB limit for playlists") as info:
        fetch(str(path), limits=FetchLimits(max_bytes=1024))
    assert info.value.kind == "too_large"


def test_open_decompressed_caps_a_local_bomb(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xml.gz"
    path.write_bytes(gzip.compress(bytes(8 * 1024 * 1024)))
    with pytest.raises(FetchError) as info, open_decompressed(path, 1024 * 1024) as stream:
        while stream.read(65536):
            pass
    assert info.value.kind == "too_large"


def test_corrupt_gzip_is_an_io_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.gz"
    path.write_bytes(gzip.compress(b"hello world" * 100)[:40])
    with pytest.raises(FetchError) as info:
        fetch(str(path)).read_bytes()
    assert info.value.kind == "io"


def test_limits_per_kind() -> None:
    assert limits_for("playlist").max_bytes == 128 * 1024 * 1024
    assert limits_for("guide").max_bytes == 2 * 1024**3
    assert limits_for("logo").max_bytes == 2 * 1024 * 1024
    assert limits_for("manifest").max_bytes == 4 * 1024 * 1024


# ------------------------------------------------------------------------------------------------ http


def test_http_fetch_and_conditional_refresh(server: FaultServer) -> None:
    url = server.url("/etag/list.m3u")
    first = fetch(url, limits=SHORT)
    assert first.read_bytes() == PLAYLIST
    assert not first.from_cache
    assert first.display == f"127.0.0.1:{server.port}/…/list.m3u"
    second = fetch(url, limits=SHORT)
    assert second.from_cache and not second.stale
    assert second.read_bytes() == PLAYLIST
    sent = [headers for path, headers in server.seen_headers if path == "/etag/list.m3u"]
    assert sent[1].get("If-None-Match") == '"v1"'
    assert sent[1].get("If-Modified-Since")
    server.version = 2
    server.files["list.m3u"] = (b"#EXTM3U\nnew", "audio/x-mpegurl")
    third = fetch(url, limits=SHORT)
    assert not third.from_cache
    assert third.read_bytes() == b"#EXTM3U\nnew"


@pytest.mark.allow_warnings("^Using the copy from")
def test_failure_serves_last_good_copy(server: FaultServer, caplog: pytest.LogCaptureFixture) -> None:
    url = server.url("/flaky/list.m3u")
    fetch(url, limits=SHORT)
    server.failing = True
    result = fetch(url, limits=SHORT)
    assert result.stale and result.from_cache
    assert "HTTP 503 Service Unavailable" in result.stale_reason
    assert result.read_bytes() == PLAYLIST
    assert result.age_s >= 0
    assert any("Using the copy from" in r.getMessage() for r in caplog.records)


def test_failure_without_cache_raises(server: FaultServer) -> None:
    server.failing = True
    with pytest.raises(FetchError) as info:
        fetch(server.url("/flaky/other.m3u"), limits=SHORT)
    assert (info.value.kind, info.value.status, info.value.retry_after) == ("http", 503, 7.0)


def test_use_cache_false_sends_no_validators_and_keeps_no_sidecar(server: FaultServer) -> None:
    url = server.url("/etag/nc.m3u")
    fetch(url, limits=SHORT, use_cache=False)
    fetch(url, limits=SHORT, use_cache=False)
    assert all("If-None-Match" not in h for _, h in server.seen_headers)
    assert not list((paths.cache_dir() / "fetch").glob("*.json"))


def test_prune_cache(server: FaultServer) -> None:
    kept = fetch(server.url("/etag/keep.m3u"), limits=SHORT)
    volatile = fetch(server.url("/etag/once.m3u"), limits=SHORT, use_cache=False)
    assert volatile.path.parent.name == "volatile"
    assert prune_cache(max_age_s=3600, volatile_age_s=3600) == 0
    assert prune_cache(max_age_s=3600, volatile_age_s=-1) == 1
    assert kept.path.exists() and not volatile.path.exists()
    assert prune_cache(max_age_s=-1) == 2  # body and sidecar
    assert not kept.path.exists()


def test_max_age_serves_the_cache_without_a_request(server: FaultServer) -> None:
    url = server.url("/etag/fresh.m3u")
    fetch(url, limits=SHORT)
    again = fetch(url, limits=SHORT, max_age=3600)
    assert again.from_cache
    assert server.counts["/etag/fresh.m3u"] == 1


def test_progress_reports_bytes_and_total(server: FaultServer) -> None:
    server.files["p.m3u"] = (b"#" * 200_000, "audio/x-mpegurl")
    seen: list[tuple[int, int | None]] = []
    fetch(server.url("/file/p.m3u"), limits=SHORT, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (200_000, 200_000)


def test_cancel_stops_a_download(server: FaultServer) -> None:
    cancel = threading.Event()
    with pytest.raises(FetchError) as info:
        fetch(server.url("/drip?interval=0.05"), limits=SHORT, cancel=cancel, progress=lambda *_: cancel.set())
    assert info.value.kind == "cancelled"


def test_cancel_before_start() -> None:
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(FetchError) as info:
        fetch("http://127.0.0.1:9/x.m3u", cancel=cancel)
    assert info.value.kind == "cancelled"


def test_custom_headers_are_sent(server: FaultServer) -> None:
    result = fetch(server.url("/headers"), limits=SHORT, use_cache=False, headers={"User-Agent": "Box/1.0"})
    assert json.loads(result.read_text())["User-Agent"] == "Box/1.0"


@pytest.mark.parametrize(
    ("route", "max_bytes", "complete", "first_byte"),
    [("/stream.ts", 4096, False, 0x47), ("/file/small", 4096, True, ord("#"))],
    ids=["endless-stream", "small-file"],
)
def test_peek(server: FaultServer, route: str, max_bytes: int, complete: bool, first_byte: int) -> None:
    server.files["small"] = (PLAYLIST, "audio/x-mpegurl")
    result = peek(server.url(route), max_bytes, timeout=3)
    assert result.complete is complete
    assert result.data[0] == first_byte
    assert len(result.data) <= max_bytes
    assert result.ttfb_s >= 0
