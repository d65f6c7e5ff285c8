"""Through real libVLC, the zap cache and key events: an address in the live lineup that is a finished HLS playlist
(``#EXT-X-ENDLIST``, no PLAYLIST-TYPE, behind a master) plays as on demand: the seek bar shows, Right skips, and the
end of the video is an end (no reconnect, no "Reconnecting failed"); a live HLS channel beside it stays live."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PyQt6.QtCore import Qt

from settop import app as app_module
from settop.core.net.budget import ConnectionBudget
from settop.core.net.zapcache import ZapCache
from settop.player.base import PlayerEvent, PlayerState
from settop.ui.live.ondemand import LiveVodScreen
from tests.helpers.streams import finished_hls, stream_dir
from tests.helpers.streamserver import StreamServer
from tests.ui.conftest import load, press
from tests.ui.vlcfixtures import GREEN, RED, wait_picture

pytestmark = pytest.mark.vlc


def test_a_finished_playlist_in_the_live_lineup_plays_as_on_demand_and_its_end_is_an_end(
        qtbot: Any, vlc_app: Callable[..., app_module.App], tmp_path: Path) -> None:
    root = finished_hls(tmp_path / "provider")  # one provider (one connection) for the live channel and the film
    shutil.copytree(stream_dir() / "ch1" / "live", root / "ch1" / "live")
    with StreamServer(root) as provider:
        playlist = tmp_path / "tv.m3u"
        playlist.write_text(f"#EXTM3U\n#EXTINF:-1,Red Live\n{provider.live_url('ch1')}\n"
                            f"#EXTINF:-1,Green Film\n{provider.url('film/master.m3u8')}\n")
        cache = ZapCache(ConnectionBudget(1))
        try:
            app = vlc_app(zap_cache=cache)
            events: list[PlayerEvent] = []
            app.player.add_listener(events.append)
            load(qtbot, app, playlist)
            wait_picture(qtbot, app, RED)  # channel 1: live HLS (a sliding window, no ENDLIST)
            qtbot.waitUntil(lambda: app.live.has_picture, timeout=5000)
            request = app.player.request
            assert request is not None and request.live and not app.window.has(app.live.vod)

            press(qtbot, app, Qt.Key.Key_Up)  # channel 2: the film
            wait_picture(qtbot, app, GREEN)
            vod = app.live.vod
            assert isinstance(vod, LiveVodScreen)
            qtbot.waitUntil(lambda: app.window.active() is vod and vod.isVisible(), timeout=5000)
            request = app.player.request
            assert request is not None and not request.live and request.channel_key == app.live.current_key()
            qtbot.waitUntil(lambda: vod.length_ms >= 15_000, timeout=10000)  # the seek bar knows the length (16 s)

            played_ms = app.player.position()[0]
            assert played_ms < 4000
            pressed = time.monotonic()
            press(qtbot, app, Qt.Key.Key_Right)  # 10 s on
            assert vod.position_ms >= 10_000
            qtbot.waitUntil(lambda: not app.window.has(vod), timeout=25000)  # the end, a few seconds on
            assert time.monotonic() - pressed < 12  # sooner than the 12+ s left without the skip
            film = [e for e in events if e.request is not None and e.request.channel_key == app.live.current_key()]
            assert any(e.kind == "ended" and e.state is PlayerState.ENDED for e in film)
            assert not [e for e in film if e.kind in ("reconnecting", "error")]
            assert app.live.status.kind == "ended" and app.live.status.isVisible()
            assert app.live.status.text.text() == "The end"
            assert app.player.state is not PlayerState.RECONNECTING

            press(qtbot, app, Qt.Key.Key_Down)  # back to the live channel: it stays live
            wait_picture(qtbot, app, RED)
            qtbot.waitUntil(lambda: app.live.has_picture, timeout=5000)
            request = app.player.request
            assert request is not None and request.live and not app.window.has(vod)
        finally:
            cache.close()
