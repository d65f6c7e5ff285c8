"""Every fault-server case ends in the documented error or fallback within its deadline, with memory bounded."""

from __future__ import annotations

import shutil
import socket
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from settop.core.net.fetch import FetchError, FetchLimits, fetch
from tests.helpers.faultserver import PLAYLIST, FaultServer, make_self_signed

MiB = 1024 * 1024
SHORT = FetchLimits(connect_timeout=1, read_timeout=1.5, total_timeout=2, max_bytes=MiB)
SLACK = 2.0  # a hang would take 10+ s; this only catches "did not stop near its deadline"


@pytest.fixture(scope="module")
def server() -> Iterator[FaultServer]:
    with FaultServer() as running:
        yield running


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FaultServer]:
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command makes the test certificate (scripts/system-deps.sh test installs it)")
    cert = make_self_signed(tmp_path_factory.mktemp("tls"))
    with FaultServer(tls_cert=cert) as running:
        yield running


@pytest.fixture(autouse=True)
def _clean(server: FaultServer) -> None:
    server.reset()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


FAULTS: list[tuple[str, str, str | None, str]] = [
    # id, route, expected kind (None: succeeds), message fragment
    ("drip-1-byte-per-second", "/drip?interval=1", "timeout", "Timed out after 2 s reading 127.0.0.1"),
    ("drip-fast", "/drip?interval=0.02", "timeout", "Timed out after 2 s reading"),
    ("no-headers", "/slow-headers?delay=5", "timeout", "Timed out after 1.5 s reading"),
    ("drip-headers", "/drip-headers?interval=0.2", "timeout", "Timed out after 2 s reading"),
    ("truncated", "/truncated", "reset", "Connection closed after 100 bytes of 1000 bytes"),
    ("reset", "/reset", "reset", "Connection reset by 127.0.0.1"),
    ("length-longer-than-body", "/wrong-length-long?hold=5", "timeout", "Timed out after"),
    ("length-shorter-than-body", "/wrong-length-short", None, ""),
    ("redirect-loop", "/redirect-loop", "redirect", "Too many redirects (more than 5)"),
    ("redirect-5", "/chain/5", None, ""),
    ("redirect-6", "/chain/6", "redirect", "Too many redirects"),
    ("redirect-to-file", "/redirect?to=" + quote("file:///etc/passwd"), "redirect", "Redirect to a file: address"),
    ("redirect-to-data", "/redirect?to=" + quote("data:text/plain,hi"), "redirect", "Redirect to a"),
    ("401", "/status/401", "http", "HTTP 401 Unauthorized from 127.0.0.1"),
    ("403", "/status/403", "http", "HTTP 403 Forbidden"),
    ("404", "/status/404", "http", "HTTP 404 Not Found from 127.0.0.1"),
    ("429", "/status/429", "http", "HTTP 429 Too Many Requests from 127.0.0.1:"),
    ("503", "/status/503", "http", "HTTP 503 Service Unavailable"),
    ("declared-too-big", "/big", "too_large", "Bigger than the 1 MiB limit for playlists"),
    ("bomb-content-encoding", "/bomb-ce", "too_large", "Bigger than the 1 MiB limit for playlists"),
]


@pytest.mark.parametrize(("route", "kind", "fragment"), [f[1:] for f in FAULTS], ids=[f[0] for f in FAULTS])
def test_fault(server: FaultServer, route: str, kind: str | None, fragment: str) -> None:
    started = time.monotonic()
    if kind is None:
        assert fetch(server.url(route), limits=SHORT, use_cache=False).read_bytes()
    else:
        with pytest.raises(FetchError) as info:
            fetch(server.url(route), limits=SHORT)
        assert info.value.kind == kind
        assert fragment in str(info.value)
    assert time.monotonic() - started < SHORT.total_timeout + SLACK


@pytest.mark.parametrize(("code", "retry_after"), [(401, None), (429, 7.0), (503, 7.0)], ids=["401", "429", "503"])
def test_http_status_details(server: FaultServer, code: int, retry_after: float | None) -> None:
    with pytest.raises(FetchError) as info:
        fetch(server.url(f"/status/{code}"), limits=SHORT)
    assert info.value.status == code
    assert info.value.retry_after == retry_after


def test_refused() -> None:
    with pytest.raises(FetchError) as info:
        fetch(f"http://127.0.0.1:{_closed_port()}/list.m3u", limits=SHORT)
    assert info.value.kind == "refused"
    assert "Connection refused by 127.0.0.1" in str(info.value)


def test_dns_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_such_host(*args: Any, **kwargs: Any) -> Any:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    with pytest.raises(FetchError) as info:
        fetch("http://tv.example.invalid/list.m3u", limits=SHORT)
    assert info.value.kind == "dns"
    assert "tv.example.invalid" in str(info.value)


def test_bomb_as_content_encoding_stops_at_the_cap_with_flat_memory(server: FaultServer) -> None:
    server.bomb()  # build the body before measuring
    tracemalloc.start()
    try:
        with pytest.raises(FetchError) as info:
            fetch(server.url("/bomb-ce"), limits=SHORT)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert info.value.kind == "too_large"
    assert peak < 16 * MiB  # the bomb decodes to 64 MiB


def test_bomb_as_gz_body_is_kept_compressed_and_capped_on_read(server: FaultServer) -> None:
    result = fetch(server.url("/bomb.gz"), limits=SHORT)
    assert result.path.stat().st_size < MiB
    tracemalloc.start()
    try:
        with pytest.raises(FetchError) as info:
            result.read_bytes()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert info.value.kind == "too_large"
    assert "once decompressed" in str(info.value)
    assert peak < 16 * MiB


@pytest.mark.allow_warnings("^Using the copy from")
def test_failed_download_keeps_the_previous_good_copy(server: FaultServer, caplog: pytest.LogCaptureFixture) -> None:
    server.routes["/swap"] = lambda handler: handler._send(200, PLAYLIST, "audio/x-mpegurl")  # type: ignore[attr-defined]
    good = fetch(server.url("/swap"), limits=SHORT)
    server.routes["/swap"] = lambda handler: handler._route(server, "/truncated", {})  # type: ignore[attr-defined]
    stale = fetch(server.url("/swap"), limits=SHORT)
    assert stale.stale
    assert "Connection closed after" in stale.stale_reason
    assert stale.path == good.path
    assert stale.read_bytes() == PLAYLIST
    assert not list(good.path.parent.glob(".part-*"))


def test_credentials_are_not_sent_to_another_host(server: FaultServer) -> None:
    target = server.url("/headers", host="localhost")
    url = server.url("/redirect?to=" + quote(target), userinfo="alice:S3cretPw")
    body = fetch(url, limits=SHORT, use_cache=False, headers={"Cookie": "sid=abc"}).read_text()
    assert "Authorization" not in body
    assert "Cookie" not in body
    assert server.seen_headers[0][1].get("Authorization", "").startswith("Basic ")


def test_credentials_follow_a_same_host_redirect(server: FaultServer) -> None:
    url = server.url("/redirect?to=" + quote("/headers"), userinfo="alice:S3cretPw")
    assert "Authorization" in fetch(url, limits=SHORT, use_cache=False).read_text()


def test_self_signed_certificate_is_refused_with_advice(tls_server: FaultServer) -> None:
    tls_server.files["list.m3u"] = (PLAYLIST, "audio/x-mpegurl")
    with pytest.raises(FetchError) as info:
        fetch(tls_server.url("/file/list.m3u"), limits=SHORT)
    assert info.value.kind == "tls"
    assert "Certificate not trusted (self-signed)" in str(info.value)
    assert "allow insecure" in str(info.value)


@pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")
def test_allow_insecure_accepts_self_signed(tls_server: FaultServer) -> None:
    tls_server.files["list.m3u"] = (PLAYLIST, "audio/x-mpegurl")
    assert fetch(tls_server.url("/file/list.m3u"), limits=SHORT, allow_insecure=True).read_bytes() == PLAYLIST


@pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")
def test_https_to_http_redirect_is_refused(tls_server: FaultServer, server: FaultServer) -> None:
    server.files["list.m3u"] = (PLAYLIST, "audio/x-mpegurl")
    url = tls_server.url("/redirect?to=" + quote(server.url("/file/list.m3u")))
    with pytest.raises(FetchError) as info:
        fetch(url, limits=SHORT, allow_insecure=True)
    assert info.value.kind == "redirect"
    assert "https to plain http" in str(info.value)


def test_cache_folder_holds_no_url(server: FaultServer, settop_home: Path) -> None:
    url = server.url("/etag/list.m3u?username=alice&password=S3cretQ", userinfo="bob:S3cretU")
    fetch(url, limits=SHORT)
    fetch(url, limits=SHORT)
    for path in settop_home.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert b"S3cret" not in data, path
            assert b"alice" not in data, path


def test_default_playlist_cap_is_named_in_the_message(server: FaultServer) -> None:
    with pytest.raises(FetchError) as info:
        fetch(server.url("/big"))
    assert str(info.value).startswith("Bigger than the 128 MiB limit for playlists (1 GiB): 127.0.0.1")


def test_result_repr_holds_no_url(server: FaultServer) -> None:
    result = fetch(server.url("/etag/r.m3u?password=Q7repr", userinfo="u:Q7pw"), limits=SHORT)
    assert "Q7" not in repr(result)
    assert "Q7" in result.final_url  # the caller still gets the real address to play or resolve against


SLOW_WINDOW = FetchLimits(connect_timeout=1, read_timeout=5, total_timeout=20, max_bytes=MiB,
                          low_speed_bytes=1000, low_speed_time=1.0)
"""The low-speed limit with a one-second window (30 s in use), so the drip test is quick."""


def test_a_drip_fails_within_the_low_speed_window(server: FaultServer) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError) as info:
        fetch(server.url("/drip?interval=0.05"), limits=SLOW_WINDOW, use_cache=False)
    assert info.value.kind == "timeout"
    assert "The server is sending too slowly" in str(info.value) and "127.0.0.1" in str(info.value)
    assert time.monotonic() - started < 2 * SLOW_WINDOW.low_speed_time + SLACK


def test_a_slow_but_steady_download_succeeds(server: FaultServer) -> None:
    body = fetch(server.url("/trickle?rate=4000&size=10000"), limits=SLOW_WINDOW, use_cache=False).read_bytes()
    assert body == b"#" * 10000


@pytest.mark.parametrize(
    ("arrivals", "fails_at"),
    [
        pytest.param([(10, 0), (20, 400), (30, 800)], 30, id="drip-cut-after-one-window"),
        pytest.param([(10, 500), (31, 40_000), (50, 40_100), (62, 40_200)], 62, id="stall-after-a-good-window"),
        pytest.param([(10, 30_000), (30, 90_000), (60, 160_000)], None, id="steady"),
    ],
)
def test_low_speed_policy(arrivals: list[tuple[float, int]], fails_at: float | None) -> None:
    from settop.core.net.http import LowSpeed

    now = [0.0]
    speed = LowSpeed(1024, 30, "h", clock=lambda: now[0])
    for at, done in arrivals:
        now[0] = at
        if at == fails_at:
            with pytest.raises(FetchError, match="The server is sending too slowly"):
                speed.check(done)
            return
        speed.check(done)
    assert fails_at is None
