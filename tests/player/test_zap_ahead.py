"""Zapping ahead with real libVLC on an emulated distant provider: the connection limit holds, one player only."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from settop.core.net.budget import ConnectionBudget
from settop.core.net.zapcache import Wanted, ZapCache
from tests.helpers.wanserver import WanServer, wan_stream_dir
from tests.player.conftest import make_rig, needs_ffmpeg

pytestmark = [pytest.mark.vlc, pytest.mark.slow]

ORDER = ("ch1", "ch2", "ch3", "ch1")


def _wait(predicate: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


@pytest.mark.parametrize("limit", [1, 2])
def test_zapping_ahead_stays_within_the_connection_limit_and_opens_no_second_player(
        qtbot: Any, monkeypatch: pytest.MonkeyPatch, limit: int) -> None:
    needs_ffmpeg()
    import vlc

    players: list[object] = []
    new_player = vlc.Instance.media_player_new

    def counting(self: Any, *args: Any) -> Any:
        player = new_player(self, *args)
        players.append(player)
        return player

    monkeypatch.setattr(vlc.Instance, "media_player_new", counting)
    with WanServer(wan_stream_dir(small=True), rtt_s=0.04, rate_bps=20e6) as wan:
        cache = ZapCache(ConnectionBudget(limit))
        try:
            for rig in make_rig(qtbot):
                served_ahead: list[str] = []  # every round's requests while its channel plays (counts reset each round)
                for position, channel in enumerate(ORDER):
                    mark = rig.events.mark()
                    request = rig.play(cache.play_url(wan.hls_url(channel, 2)), channel_key=channel)
                    following = ORDER[(position + 1) % len(ORDER)]
                    cache.predict([Wanted(wan.hls_url(following, 2))])
                    rig.wait_frame(request, since=mark, timeout=15)
                    assert rig.channel_on_screen()[0] == int(channel[-1])
                    wan.reset_counts()  # from here: this channel plays while the next one is fetched ahead
                    done = cache.stats.prefetches
                    _wait(lambda done=done: cache.stats.prefetches > done)  # type: ignore[misc]
                    time.sleep(0.5)  # the round's segment fetches, if any, end within this
                    assert wan.peaks()[1] <= limit, f"{wan.peaks()[1]} media connections with a limit of {limit}"
                    served_ahead += wan.paths()
                # the last round predicts the channel on screen, whose segments may all be cached already: count all
                ahead = [p for p in served_ahead if "/hls2/" in p and p.endswith(".ts")]
                if limit == 1:
                    assert cache.stats.segment_prefetches == 0 and cache.stats.skipped_for_budget > 0
                else:
                    assert cache.stats.segment_prefetches > 0 and ahead
                assert cache.stats.hits > 0  # the predicted channels' playlists came from the cache
        finally:
            cache.close()
    assert len(players) == 1  # nothing ahead ever decodes, so sound can only come from the channel on screen


def test_ts_channels_play_through_the_cache_on_connections_made_ahead_one_stream_at_a_time(qtbot: Any) -> None:
    needs_ffmpeg()
    with WanServer(wan_stream_dir(small=True), rtt_s=0.04, rate_bps=20e6) as wan:
        cache = ZapCache(ConnectionBudget(1))
        try:
            for rig in make_rig(qtbot):
                wan.reset_counts()
                for position, channel in enumerate(ORDER):
                    mark = rig.events.mark()
                    request = rig.play(cache.play_url(wan.ts_url(channel)), channel_key=channel)
                    assert request.url.startswith(f"http://127.0.0.1:{cache.port}/")
                    rig.wait_frame(request, since=mark, timeout=15)
                    assert rig.channel_on_screen()[0] == int(channel[-1])
                    made = cache.stats.preconnects  # as the app does: the next channel is readied at the picture
                    cache.predict([Wanted(wan.ts_url(ORDER[(position + 1) % len(ORDER)]))], after_s=0)
                    _wait(lambda made=made: cache.stats.preconnects > made)  # type: ignore[misc]
                streams = [p for p in wan.paths() if p.startswith("/ts/")]
                assert streams == [f"/ts/{channel}.ts" for channel in ORDER]
                assert wan.peaks()[1] == 1, "two TS streams at the provider at once"
                # every zap after the first went out on the connection made ahead while the channel before played
                assert wan.connections() <= 1 + cache.stats.preconnects
                assert cache.stats.preconnects == len(ORDER)
        finally:
            cache.close()
