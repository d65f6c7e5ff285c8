"""The emulated distant provider really delays each answer and caps each connection's bandwidth."""

from __future__ import annotations

import http.client
import threading
import time
from pathlib import Path

import pytest

from tests.helpers.wanserver import WAN_SECONDS, WanServer

SEGMENT = 500_000  # bytes


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A stand-in content tree (bytes, not video: the server does not look inside)."""
    for variant in ("low", "mid", "high"):
        folder = tmp_path / "ch1" / "hls2" / variant
        folder.mkdir(parents=True)
        (folder / "index.m3u8").write_text("#EXTM3U\n#EXTINF:2,\nseg000.ts\n#EXTINF:2,\nseg001.ts\n")
        for name in ("seg000.ts", "seg001.ts"):
            (folder / name).write_bytes(bytes(SEGMENT))
        (tmp_path / "ch1" / f"{variant}.ts").write_bytes((b"\x47" + bytes(187)) * 1000 * WAN_SECONDS)
    return tmp_path


def _get(conn: http.client.HTTPConnection, path: str) -> tuple[float, bytes]:
    began = time.monotonic()
    conn.request("GET", path)
    body = conn.getresponse().read()
    return time.monotonic() - began, body


def test_every_answer_waits_a_round_trip_and_a_new_connection_one_more(root: Path) -> None:
    with WanServer(root, rtt_s=0.15, rate_bps=1e9) as server:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        first, master = _get(conn, "/hls2/ch1/master.m3u8")
        second, media = _get(conn, "/hls2/ch1/low/index.m3u8")
        conn.close()
    assert master.count(b"#EXT-X-STREAM-INF") == 3
    assert b"s0.ts" in media or b".ts" in media
    assert first >= 0.30  # handshake + request
    assert 0.15 <= second < first


def test_bandwidth_is_capped_per_connection_and_media_connections_are_counted(root: Path) -> None:
    rate = 4_000_000  # 500,000 bytes take 1 s
    with WanServer(root, rtt_s=0.0, rate_bps=rate) as server:
        times: list[float] = []

        def fetch() -> None:
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
            elapsed, body = _get(conn, "/hls2/ch1/low/s1.ts")
            conn.close()
            assert len(body) == SEGMENT
            times.append(elapsed)

        threads = [threading.Thread(target=fetch) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(20)
        assert len(times) == 2
        assert min(times) >= SEGMENT * 8 / rate * 0.95  # each connection at the cap, not faster
        assert min(times) < 3.0  # two connections do not share one cap
        assert server.peaks()[1] == 2
        assert server.bytes_sent() == 2 * SEGMENT


def test_ts_streams_from_a_packet_boundary_then_in_real_time(root: Path) -> None:
    with WanServer(root, rtt_s=0.0, rate_bps=50_000_000) as server:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        conn.request("GET", "/ts/ch1.ts")
        response = conn.getresponse()
        began = time.monotonic()
        data = response.read(188 * 1000 * 3)  # the 1 s burst, then 2 s of content at its bitrate
        elapsed = time.monotonic() - began
        assert server.open_now()[1] == 1
        conn.close()
    assert data[0] == 0x47 and data[188] == 0x47
    assert elapsed >= 1.5
