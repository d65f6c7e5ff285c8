"""Pause and rewind of live TV through the real UI: real libVLC plays a loopback live TS, keys go through the real
dispatcher; Pause starts the ring (the live stream is given back first: one connection allowed), Play goes on from
the paused point (not the live edge), Left/Right step inside the ring, Stop goes back to live and a zap empties it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PyQt6.QtCore import Qt

from settop import app as app_module
from settop.core.recording.plan import MIB
from settop.ui.timeshift_view import TimeshiftScreen
from tests.helpers.livets import LiveTsServer
from tests.player.conftest import needs_ffmpeg
from tests.ui.conftest import load, press

pytestmark = [pytest.mark.vlc, pytest.mark.slow]


@pytest.fixture
def live_ts() -> Iterator[LiveTsServer]:
    needs_ffmpeg()
    with LiveTsServer() as server:
        yield server


def start(qtbot: Any, vlc_app: Callable[..., app_module.App], live_ts: LiveTsServer, tmp_path: Path,
          channels: int = 1) -> tuple[app_module.App, TimeshiftScreen]:
    playlist = tmp_path / "live.m3u"
    lines = [f"#EXTINF:-1 tvg-chno=\"{n}\",Live {n}\n{live_ts.url}?ch={n}" for n in range(1, channels + 1)]
    playlist.write_text("#EXTM3U\n" + "\n".join(lines) + "\n", encoding="utf-8")
    app = vlc_app()
    assert app.timeshift is not None
    load(qtbot, app, playlist)
    qtbot.waitUntil(lambda: app.live.has_picture, timeout=20000)
    return app, app.timeshift


def ring_position(app: app_module.App) -> int:
    return app.player.position()[0]


def test_pause_resume_rewind_and_back_to_live(qtbot: Any, vlc_app: Callable[..., app_module.App],
                                              live_ts: LiveTsServer, tmp_path: Path, settop_home: Path) -> None:
    app, shift = start(qtbot, vlc_app, live_ts, tmp_path)
    app.settings.set("timeshift.minutes", 7)  # Settings › Live TV: read at the pause
    app.settings.set("timeshift.max_mb", 300)
    with qtbot.waitSignal(shift.ring_started, timeout=20000):
        press(qtbot, app, Qt.Key.Key_MediaPause)
        assert app.window.on_top(shift) and shift.paused
    buffer = shift.buffer
    assert buffer is not None and buffer.running  # one stream allowed: the player gave its own back first
    assert buffer.caps.seconds == 7 * 60 and buffer.caps.size == 300 * MIB
    assert buffer.folder.parent == settop_home / "cache"
    assert shift.request is not None and shift.request.paused and not shift.request.live
    # Paused: the ring grows, the play point stays: "−0:06 behind live" and more.
    qtbot.waitUntil(lambda: buffer.span()[1] >= 6.0, timeout=30000)
    assert shift.behind_s() >= 5.0 and ring_position(app) < 1500

    # Play goes on from the paused point: seconds behind the live edge, not at it.
    press(qtbot, app, Qt.Key.Key_MediaPlay)
    assert not shift.paused
    qtbot.waitUntil(lambda: ring_position(app) >= 1000, timeout=15000)
    position = ring_position(app)
    assert position < 4000 and buffer.span()[1] - position / 1000 >= 4.0, (position, buffer.span())

    # Right: 30 s ahead is past live, so it stops a second before the live edge; Left: 10 s back from there.
    qtbot.waitUntil(lambda: buffer.span()[1] >= 14.0, timeout=30000)
    press(qtbot, app, Qt.Key.Key_Right)
    edge = buffer.span()[1]
    qtbot.waitUntil(lambda: ring_position(app) >= (edge - 3.0) * 1000, timeout=15000)
    assert shift.behind_s() < 4.0
    ahead = ring_position(app)
    press(qtbot, app, Qt.Key.Key_Left)
    qtbot.waitUntil(lambda: ahead - 12_000 <= ring_position(app) <= ahead - 7000, timeout=15000)
    back = ring_position(app)
    qtbot.waitUntil(lambda: ring_position(app) > back + 1000, timeout=15000)  # and plays on from there
    assert shift.behind_s() >= 7.0

    # Stop: back to live; the ring stops and its files go.
    with qtbot.waitSignal(shift.left_timeshift, timeout=10000):
        press(qtbot, app, Qt.Key.Key_MediaStop)
    assert not buffer.folder.exists() and not buffer.running and not app.window.has(shift)
    qtbot.waitUntil(lambda: app.live.has_picture and app.player.request is not None
                    and app.player.request.live, timeout=20000)


def test_a_zap_empties_the_ring(qtbot: Any, vlc_app: Callable[..., app_module.App], live_ts: LiveTsServer,
                                tmp_path: Path) -> None:
    app, shift = start(qtbot, vlc_app, live_ts, tmp_path, channels=2)
    with qtbot.waitSignal(shift.ring_started, timeout=20000):
        press(qtbot, app, Qt.Key.Key_MediaPause)
    buffer = shift.buffer
    assert buffer is not None
    qtbot.waitUntil(lambda: any(buffer.folder.glob("seg*.ts")), timeout=20000)
    with qtbot.waitSignal(app.live.tuned, timeout=10000) as tuned:
        press(qtbot, app, Qt.Key.Key_PageUp)  # P+
    assert tuned.args[0] == app.live.current_key() and app.live.current == 1
    assert not buffer.folder.exists() and not buffer.running and not shift.active
    qtbot.waitUntil(lambda: app.live.has_picture, timeout=20000)
    request = app.player.request
    assert request is not None and request.live and request.url.endswith("?ch=2")


def test_nothing_playing_pauses_nothing(qtbot: Any, vlc_app: Callable[..., app_module.App]) -> None:
    app = vlc_app()
    assert app.timeshift is not None and not app.timeshift.pause_live()
    press(qtbot, app, Qt.Key.Key_MediaPause)
    assert not app.timeshift.active


def test_closing_settop_empties_the_ring(qtbot: Any, vlc_app: Callable[..., app_module.App], live_ts: LiveTsServer,
                                         tmp_path: Path) -> None:
    app, shift = start(qtbot, vlc_app, live_ts, tmp_path)
    with qtbot.waitSignal(shift.ring_started, timeout=20000):
        press(qtbot, app, Qt.Key.Key_MediaPause)
    buffer = shift.buffer
    assert buffer is not None and buffer.running and buffer.folder.exists()
    app.close()
    assert not buffer.running and not buffer.folder.exists()
