"""One timeline from live into the archive, through the real UI with real libVLC: a step back past the start of the
live-pause ring plays the provider's catch-up archive (the loopback recorded clip) of the programme on air then, at
that moment; the banner names the programme and its time; a step ahead past the archive's end comes back to live."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
from PyQt6.QtCore import Qt

from settop import app as app_module
from settop.ui.timeshift_paint import when_text
from tests.helpers.streamserver import StreamServer
from tests.player.conftest import needs_ffmpeg
from tests.ui.conftest import load, press
from tests.ui.guidefixtures import make_store, vlc_guide_app, write_on_air_guide, write_playlist

pytestmark = [pytest.mark.vlc, pytest.mark.slow]

ON_AIR_FOR = 25  # the programme on air started this long before the test: the archive clip (40 s) holds it


def test_rewind_past_the_ring_plays_the_archive_and_ahead_comes_back_to_live(
        qtbot: Any, tmp_path: Path, stream_server: StreamServer, make_app: Callable[..., app_module.App]) -> None:
    needs_ffmpeg()
    now = int(time.time())
    guide = write_on_air_guide(tmp_path / "guide.xml", now, ON_AIR_FOR)
    playlist = write_playlist(tmp_path, stream_server, guide)
    app = vlc_guide_app(make_app, make_store(tmp_path, playlist, guide))
    shift = app.timeshift
    assert shift is not None and shift.archive is not None
    load(qtbot, app, playlist)
    qtbot.waitUntil(lambda: app.live.has_picture, timeout=20000)
    with qtbot.waitSignal(shift.ring_started, timeout=20000):
        press(qtbot, app, Qt.Key.Key_MediaPause)
    buffer = shift.buffer
    assert buffer is not None
    qtbot.waitUntil(lambda: buffer.span()[1] >= 2.0, timeout=20000)
    programme = shift.programme()
    assert programme is not None and programme.title == "Now show"  # the banner names it in the ring already
    stream_server.clear_log()

    # 10 s back from the ring's first second: the archive of "Now show", at that moment.
    wanted = shift.moment() - 10
    press(qtbot, app, Qt.Key.Key_Left)
    assert shift.part is not None and shift.buffer is None and not buffer.folder.exists()
    qtbot.waitUntil(lambda: bool(stream_server.requests("/ch1/live/index.m3u8")), timeout=10000)
    query = parse_qs(stream_server.requests("/ch1/live/index.m3u8")[0].query)
    assert query["utc"] == [str(now - ON_AIR_FOR)]
    request = app.player.request
    assert request is not None and not request.live and request.url == shift.part.url
    assert abs(request.start_position_ms - (wanted - (now - ON_AIR_FOR)) * 1000) < 1500
    press(qtbot, app, Qt.Key.Key_MediaPlay)
    qtbot.waitUntil(lambda: app.player.position()[0] >= request.start_position_ms + 500, timeout=15000)
    assert 9.0 <= shift.behind_s() <= 40.0 and abs(shift.moment() - wanted) < 5
    assert when_text(programme, time.time()).endswith(f"–{time.strftime('%H:%M', time.localtime(now + 3600))}")

    # Back again inside the same programme: a seek in the same archive, not a new address.
    position = app.player.position()[0]
    press(qtbot, app, Qt.Key.Key_Left)
    qtbot.waitUntil(lambda: app.player.position()[0] < position - 5000, timeout=15000)
    assert app.player.request is request

    # 30 s ahead is past the archive's end (now): back to live.
    with qtbot.waitSignal(shift.left_timeshift, timeout=10000):
        press(qtbot, app, Qt.Key.Key_Right, Qt.Key.Key_Right)
    assert not shift.active and not app.window.has(shift)
    qtbot.waitUntil(lambda: app.live.has_picture and app.player.request is not None
                    and app.player.request.live, timeout=20000)
    assert app.player.request.url == stream_server.live_url("ch1")
