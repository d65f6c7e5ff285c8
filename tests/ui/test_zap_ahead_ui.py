"""CH+ through the real dispatcher with the zap cache: HLS plays from loopback, the neighbours are fetched ahead."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PyQt6.QtCore import Qt

from settop import app as app_module
from settop.core.net.budget import ConnectionBudget, source_of
from settop.core.net.zapcache import ZapCache
from tests.helpers.wanserver import WanServer, stand_in_content
from tests.ui.conftest import load, press


def test_ch_plus_plays_hls_through_the_cache_and_fetches_only_playlists_ahead_with_one_connection(
        qtbot: Any, make_app: Callable[..., app_module.App], tmp_path: Path) -> None:
    with WanServer(stand_in_content(tmp_path / "wan", ("ch1", "ch2", "ch3")), rtt_s=0.02, rate_bps=50e6) as wan:
        playlist = tmp_path / "wan.m3u"
        urls = [wan.hls_url(name, 2) for name in ("ch1", "ch2", "ch3")] + [wan.ts_url("ch1")]
        playlist.write_text("#EXTM3U\n" + "".join(f"#EXTINF:-1,Channel {i}\n{url}\n" for i, url in enumerate(urls, 1)))
        budget = ConnectionBudget(1)
        cache = ZapCache(budget)
        try:
            app = make_app(zap_cache=cache)
            load(qtbot, app, playlist)
            qtbot.waitUntil(lambda: app.player.request is not None, timeout=5000)
            press(qtbot, app, Qt.Key.Key_Up)
            request = app.player.request
            assert request is not None and request.channel_key == app.live.current_key()
            assert request.url.startswith(f"http://127.0.0.1:{cache.port}/")  # channel 2, through the cache
            assert budget.in_use(source_of(urls[0])) == 1  # the player's stream
            # its neighbours (channel 3 next, channel 1 before and last) get their playlists fetched ahead
            qtbot.waitUntil(lambda: {"/hls2/ch3/low/index.m3u8", "/hls2/ch1/low/index.m3u8"} <= set(wan.paths()),
                            timeout=10000)
            assert not [p for p in wan.paths() if p.endswith(".ts")]  # one connection: no video ahead
            press(qtbot, app, Qt.Key.Key_Up, Qt.Key.Key_Up)
            request = app.player.request
            assert request is not None and request.url.startswith(f"http://127.0.0.1:{cache.port}/")  # TS too
        finally:
            cache.close()
