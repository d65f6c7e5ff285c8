"""The zap cache against an emulated distant provider: what it fetches ahead, what it serves, what the budget allows."""

from __future__ import annotations

import http.client
import logging
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from settop.core.net.budget import ConnectionBudget, source_of
from settop.core.net.zapcache import PREFETCH_SEGMENTS, Wanted, ZapCache
from tests.helpers.streams import finished_hls, stream_dir
from tests.helpers.streamserver import StreamServer
from tests.helpers.wanserver import WanServer, stand_in_content

SEGMENT = 20_000


@pytest.fixture
def server(tmp_path: Path) -> Iterator[WanServer]:
    """Two channels of stand-in content (the server does not look inside segments), 30 ms away."""
    with WanServer(stand_in_content(tmp_path, segment_bytes=SEGMENT), rtt_s=0.03, rate_bps=50e6) as wan:
        yield wan


def _get(url: str) -> tuple[int, bytes]:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=10)
    try:
        conn.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""))
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def _wait(predicate: object, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_a_predicted_channel_plays_from_the_cache_without_asking_the_provider(server: WanServer) -> None:
    cache = ZapCache(ConnectionBudget(2))
    try:
        master = server.hls_url("ch2", 2)
        cache.predict([Wanted(master)], after_s=0)
        _wait(lambda: cache.stats.segment_prefetches == PREFETCH_SEGMENTS)
        asked = len(server.paths())
        local = cache.play_url(master)
        assert local.startswith(f"http://127.0.0.1:{cache.port}/")
        status, body = _get(local)
        assert status == 200
        variants = [line for line in body.decode().splitlines() if line and not line.startswith("#")]
        assert len(variants) == 3 and all(v.startswith(f"http://127.0.0.1:{cache.port}/") for v in variants)
        low = variants[0]  # the master lists low, mid, high
        status, media = _get(low)
        segments = [line for line in media.decode().splitlines() if line and not line.startswith("#")]
        assert status == 200 and segments
        status, data = _get(segments[-1])
        assert status == 200 and data.startswith(b"low") and len(data) >= SEGMENT - 3
        assert len(server.paths()) == asked  # all three answers came from the cache
        assert cache.stats.hits == 3
    finally:
        cache.close()


def test_with_one_connection_the_player_holds_it_and_only_playlists_are_fetched_ahead(server: WanServer) -> None:
    budget = ConnectionBudget(1)
    cache = ZapCache(budget)
    try:
        cache.play_url(server.hls_url("ch1", 2))
        assert budget.in_use(source_of(server.url("/"))) == 1
        cache.predict([Wanted(server.hls_url("ch2", 2))], after_s=0)
        _wait(lambda: cache.stats.skipped_for_budget >= 1)
        paths = server.paths()
        assert "/hls2/ch2/master.m3u8" in paths and "/hls2/ch2/low/index.m3u8" in paths
        assert not [p for p in paths if p.endswith(".ts")]
        assert server.peaks()[1] == 0
        assert cache.stats.segment_prefetches == 0
    finally:
        cache.close()


def test_a_channel_not_predicted_is_fetched_through_and_errors_pass_on(server: WanServer) -> None:
    cache = ZapCache(ConnectionBudget(1))
    try:
        status, body = _get(cache.play_url(server.hls_url("ch1", 2)))
        assert status == 200 and b"#EXT-X-STREAM-INF" in body
        assert cache.stats.misses == 1
        status, _body = _get(cache.local_url(server.url("hls2/nowhere/master.m3u8")))
        assert status == 404
        assert cache.local_url(server.url("vod/film.mp4")) == server.url("vod/film.mp4")  # HLS and TS only
        status, _body = _get(cache.local_url(server.url("ts/nowhere.ts")))
        assert status == 404
    finally:
        cache.close()


def test_the_budget_says_no_rather_than_exceed() -> None:
    budget = ConnectionBudget(2)
    budget.set_limit("http://b", 1)
    first, second = budget.try_acquire("http://a", "player"), budget.try_acquire("http://a", "prefetch")
    assert first is not None and second is not None
    assert budget.try_acquire("http://a", "prefetch") is None
    only = budget.try_acquire("http://b", "player")
    assert only is not None and budget.try_acquire("http://b", "prefetch") is None
    budget.release(second)
    budget.release(second)  # twice is harmless
    assert budget.in_use("http://a") == 1 and budget.spare("http://a") == 1


def test_a_finished_playlist_is_told_apart_from_a_live_one_through_its_master(tmp_path: Path) -> None:
    """What libVLC fetches through the cache is enough: a master whose variant ends with #EXT-X-ENDLIST (no
    PLAYLIST-TYPE) is finished, so is that variant; the server's live sliding window is not."""
    with StreamServer(finished_hls(tmp_path)) as films, StreamServer(stream_dir()) as live:
        cache = ZapCache(ConnectionBudget(1))
        try:
            master, live_url = films.url("film/master.m3u8"), live.live_url("ch1")
            assert not cache.finished(master)
            status, body = _get(cache.play_url(master))
            assert status == 200 and not cache.finished(master)  # a master alone says nothing yet
            variant = next(line for line in body.decode().splitlines() if line and not line.startswith("#"))
            assert _get(variant)[0] == 200
            assert cache.finished(master) and cache.finished(films.url("film/v/index.m3u8"))
            assert _get(cache.play_url(live_url))[0] == 200
            assert not cache.finished(live_url)
            asked = len(films.requests()) + len(live.requests())
            assert cache.finished(master) and asked == len(films.requests()) + len(live.requests())  # asks no one
        finally:
            cache.close()


def _open_stream(url: str) -> tuple[http.client.HTTPResponse, bytes]:
    """Start reading an endless TS answer as libVLC does; returns the answer (open while it is kept) and its
    first bytes."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=10)
    conn.request("GET", parts.path)
    response = conn.getresponse()
    assert response.status == 200 and response.getheader("Content-Length") is None
    return response, response.read(188 * 10)


def test_a_predicted_ts_channel_has_a_connection_waiting_and_its_stream_goes_out_on_it(server: WanServer) -> None:
    cache = ZapCache(ConnectionBudget(1))
    try:
        cache.play_url(server.hls_url("ch1", 2))
        server.reset_counts()
        cache.predict([Wanted(server.ts_url("ch2"))], after_s=0)
        _wait(lambda: cache.stats.preconnects == 1)
        _wait(lambda: server.connections() == 1)
        assert server.paths() == [] and server.peaks()[1] == 0  # connected, nothing asked: no stream
        local = cache.play_url(server.ts_url("ch2"))
        assert local.startswith(f"http://127.0.0.1:{cache.port}/") and "ch2" in local
        stream, data = _open_stream(local)
        try:
            assert data.startswith(b"Gch2")
            assert server.paths() == ["/ts/ch2.ts"]
            assert server.connections() == 1  # the stream went out on the connection made ahead
        finally:
            stream.close()
    finally:
        cache.close()


def test_the_player_s_ts_streams_never_overlap_at_the_provider(server: WanServer) -> None:
    cache = ZapCache(ConnectionBudget(1))
    try:
        first, data = _open_stream(cache.play_url(server.ts_url("ch1")))
        assert data.startswith(b"Gch1")
        _wait(lambda: server.open_now()[1] == 1)
        server.reset_counts()
        # libVLC asks for the next channel before the old answer is noticed gone: the cache ends the old one first
        second, data = _open_stream(cache.play_url(server.ts_url("ch2")))
        try:
            assert data.startswith(b"Gch2")
            _wait(lambda: server.open_now()[1] == 1)
            assert server.peaks()[1] == 1, "two streams at the provider at once"
            # on to an HLS channel: its first request ends the TS stream before its segment is asked for
            status, master = _get(cache.play_url(server.hls_url("ch1", 2)))
            low = next(line for line in master.decode().splitlines() if line and not line.startswith("#"))
            status, media = _get(low)
            segment = [line for line in media.decode().splitlines() if line and not line.startswith("#")][-1]
            status, body = _get(segment)
            assert status == 200 and body.startswith(b"low")
            assert server.peaks()[1] == 1, "a segment asked for while the TS stream was still open"
        finally:
            first.close()
            second.close()
    finally:
        cache.close()


def test_a_ts_answer_passes_on_ranges_and_headers_and_a_dropped_one_ends_for_the_player(tmp_path: Path) -> None:
    data = bytes(range(256)) * 1000
    (tmp_path / "film.ts").write_bytes(data)
    with StreamServer(tmp_path) as origin:
        cache = ZapCache(ConnectionBudget(1))
        try:
            local = urlsplit(cache.play_url(origin.url("film.ts"), [("User-Agent", "settop-test"), ("X-No", "1")]))
            conn = http.client.HTTPConnection("127.0.0.1", local.port, timeout=10)
            conn.request("GET", local.path, headers={"Range": "bytes=1000-1999"})
            response = conn.getresponse()
            assert response.status == 206 and response.getheader("Content-Range") == f"bytes 1000-1999/{len(data)}"
            assert response.read() == data[1000:2000]
            conn.close()
            asked = origin.requests("*film.ts")[-1]
            assert asked.headers.get("user-agent") == "settop-test" and "x-no" not in asked.headers
            assert asked.headers.get("range") == "bytes=1000-1999"
            origin.drop("*film.ts", 5000)  # the provider drops the answer part-way: libVLC must see it end
            with pytest.raises(http.client.IncompleteRead):
                _get(cache.local_url(origin.url("film.ts")))
        finally:
            cache.close()


def test_a_predicted_ts_channel_whose_server_refuses_is_passed_over_quietly(
        server: WanServer, caplog: pytest.LogCaptureFixture) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}/live/dead.ts"
    cache = ZapCache(ConnectionBudget(1))
    try:
        with caplog.at_level(logging.DEBUG, logger="settop.net.zapcache"):
            cache.predict([Wanted(dead), Wanted(server.ts_url("ch2"))], after_s=0)
            _wait(lambda: cache.stats.preconnects == 1)  # the refusal did not stop the worker
        assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
        assert any("failed" in r.getMessage() for r in caplog.records)
        status, _body = _get(cache.local_url(dead))
        assert status == 502  # libVLC is told the stream is not there, and the player can ask why
        assert cache.network_failure(cache.local_url(dead)) == "refused"
        live = cache.local_url(server.ts_url("ch2"))
        assert cache.network_failure(live) is None
        _open_stream(live)[0].close()
        assert cache.network_failure(live) is None
    finally:
        cache.close()
