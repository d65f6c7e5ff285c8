"""A live HLS stream that breaks while it plays: real libVLC, a loopback server that turns hostile mid-play.

DESIGN.md's rule: no progress for ``stall_seconds`` while playing (or an error, or an unexpected end) leads to
"Reconnecting n/N" with backoff, then an error the user can retry; 401/403 are given up without a retry loop.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

pytest.importorskip("vlc")

from settop.player.base import PlayerEvent, PlayerState
from tests.helpers.streamserver import StreamServer
from tests.player.conftest import Rig, make_rig
from tests.player.tcpproxy import CutProxy

pytestmark = pytest.mark.vlc

DELAYS = (0.2, 0.2)  # two short retries keep each test to a few seconds


@pytest.fixture
def rig(qtbot: Any) -> Iterator[Rig]:
    yield from make_rig(qtbot, stall_seconds=2.0, reconnect_delays=DELAYS, open_timeout_s=5.0)


def _is(kind: str) -> Callable[[PlayerEvent], bool]:
    return lambda event: event.kind == kind


# (what the server starts doing mid-play, the error shown once reconnecting failed)
RETRIED = [
    pytest.param(lambda s: s.fail("/live/ch1/index.m3u8", 503), "The server failed (HTTP 503)", id="playlist-503"),
    pytest.param(lambda s: s.fail("/live/ch1/*", 503), "The server failed (HTTP 503)", id="playlist-and-segments-503"),
    pytest.param(lambda s: s.fail("/live/ch1/*.ts", 404), "The stream was not found (HTTP 404)", id="segments-404"),
]


@pytest.mark.parametrize(("break_server", "reason"), RETRIED)
def test_live_stream_failing_mid_play_reconnects_then_errors(rig: Rig, server: StreamServer,
                                                              break_server: Callable[[StreamServer], None],
                                                              reason: str) -> None:
    request = rig.play(server.live_url("ch1"), live=True)
    rig.wait_frame(request)
    mark = rig.events.mark()
    break_server(server)
    reconnecting = rig.events.wait_for(_is("reconnecting"), timeout=10, since=mark)
    assert reconnecting is not None, rig.events.kinds(mark)
    assert (reconnecting.attempt, reconnecting.attempts) == (1, 2)
    error = rig.events.wait_for(_is("error"), timeout=10, since=mark)
    assert error is not None, rig.events.kinds(mark)
    assert error.message == f"{reason}. Reconnecting failed."
    assert error.retryable and rig.player.state is PlayerState.ERROR
    assert [(e.attempt, e.attempts) for e in rig.events.events[mark:] if e.kind == "reconnecting"] == [(1, 2), (2, 2)]
    assert "127.0.0.1" not in error.message
    after = rig.events.mark()
    server.clear()
    rig.player.retry()  # the user's Retry plays again
    rig.wait_frame(request, since=after)
    assert rig.channel_on_screen()[0] == 1


@pytest.mark.parametrize("status", [401, 403])
def test_live_stream_refused_mid_play_errors_without_retry_loop(rig: Rig, server: StreamServer, status: int) -> None:
    request = rig.play(server.live_url("ch1"), live=True)
    rig.wait_frame(request)
    mark = rig.events.mark()
    server.fail("/live/ch1/*", status)
    error = rig.events.wait_for(_is("error"), timeout=10, since=mark)
    assert error is not None, rig.events.kinds(mark)
    assert f"(HTTP {status})" in error.message
    asked = len(server.requests())
    # Longer than both backoff steps: a retry loop would have asked the server again by now.
    assert rig.events.wait_for(_is("reconnecting"), timeout=1.0, since=rig.events.mark()) is None
    assert len(server.requests()) == asked
    assert "reconnecting" not in rig.events.kinds(mark)  # given up at once: a retry would be refused again


def test_server_gone_mid_play_reconnects_then_errors(rig: Rig, server: StreamServer) -> None:
    with CutProxy(server.port) as proxy:
        request = rig.play(proxy.url("live/ch1/index.m3u8"), live=True)
        rig.wait_frame(request)
        mark = rig.events.mark()
        proxy.cut()  # every connection closed, and new ones refused
        reconnecting = rig.events.wait_for(_is("reconnecting"), timeout=10, since=mark)
        assert reconnecting is not None, rig.events.kinds(mark)
        error = rig.events.wait_for(_is("error"), timeout=10, since=mark)
        assert error is not None, rig.events.kinds(mark)
        assert error.message == "The server refused the connection. Reconnecting failed."
        assert error.retryable and rig.player.state is PlayerState.ERROR


def test_after_giving_up_the_stream_comes_back_by_itself(qtbot: Any, server: StreamServer) -> None:
    """Issue 18: after the quick retries a live stream is tried again slowly (here every second) while the viewer
    stays on it, and the picture comes back without anyone pressing Retry."""
    for rig in make_rig(qtbot, stall_seconds=2.0, reconnect_delays=DELAYS, open_timeout_s=5.0, slow_retry_s=1.0):
        request = rig.play(server.live_url("ch1"), live=True)
        rig.wait_frame(request)
        mark = rig.events.mark()
        server.fail("/live/ch1/*", 503)
        error = rig.events.wait_for(_is("error"), timeout=15, since=mark)
        assert error is not None, rig.events.kinds(mark)
        assert error.extra.get("retry_in_s") == "1" and error.message.endswith("Reconnecting failed.")
        asked = len(server.requests())
        again = rig.events.wait_for(_is("error"), timeout=5, since=rig.events.mark())
        assert again is not None and again.extra.get("retry_in_s") == "1"  # a slow try came, and failed again
        assert len(server.requests()) > asked
        after = rig.events.mark()
        server.clear()  # the outage ends
        rig.wait_frame(request, since=after, timeout=15)  # no retry() call: it recovered by itself
        assert rig.player.state is PlayerState.PLAYING and rig.channel_on_screen()[0] == 1


@pytest.mark.parametrize("status", [404, 410])
def test_a_stream_not_found_on_its_first_request_is_said_at_once(rig: Rig, server: StreamServer, status: int) -> None:
    """Issue 12: 404/410 before the stream ever played is a final answer: no "Reconnecting 1/N" first."""
    request = rig.play(server.live_url("ch1"), live=True)
    rig.wait_frame(request)
    server.fail("/live/ch2/*", status)
    mark = rig.events.mark()
    rig.play(server.live_url("ch2"), live=True)  # the viewer zaps to a channel that is gone
    error = rig.events.wait_for(_is("error"), timeout=10, since=mark)
    assert error is not None, rig.events.kinds(mark)
    assert f"(HTTP {status})" in error.message and "Reconnecting" not in error.message
    assert error.retryable and rig.player.state is PlayerState.ERROR
    assert "reconnecting" not in rig.events.kinds(mark)
    asked = len(server.requests())
    assert rig.events.wait_for(_is("reconnecting"), timeout=1.0, since=rig.events.mark()) is None
    assert len(server.requests()) == asked  # and no retry loop after it


@pytest.mark.parametrize("path", ["live/ch1/index.m3u8", "live/ch1.ts"], ids=["hls", "ts"])
def test_through_the_zap_cache_a_refused_provider_is_said_so_not_its_502(rig: Rig, path: str) -> None:
    """libVLC plays HLS and TS channels through the app's zap cache, which answers 502 when the provider cannot be
    reached: the error says why, as it does when libVLC itself connects."""
    import socket

    from settop.core.net.budget import ConnectionBudget
    from settop.core.net.zapcache import ZapCache

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}/{path}"
    cache = ZapCache(ConnectionBudget(1))
    try:
        rig.player.network_failure = cache.network_failure
        mark = rig.events.mark()
        rig.play(cache.play_url(dead), live=True)
        error = rig.events.wait_for(_is("error"), timeout=15, since=mark)
        assert error is not None, rig.events.kinds(mark)
        assert error.message.startswith("The server refused the connection"), error.message
        assert "502" not in error.message and "127.0.0.1" not in error.message
    finally:
        cache.close()
