"""The Record key on live TV records the channel playing in the background (real libVLC playing a loopback live
TS, real ffmpeg recording it) until Record again; the file plays back with its length (ffprobe)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PyQt6.QtCore import Qt

from settop import app as app_module
from settop.player.base import PlayerState
from tests.core.recording.test_recorder import probe
from tests.helpers.livets import LiveTsServer
from tests.ui.conftest import load, press


@pytest.fixture
def live_ts() -> Iterator[LiveTsServer]:
    with LiveTsServer() as server:
        yield server


def test_record_key_records_the_channel_until_pressed_again(qtbot: Any, vlc_app: Callable[..., app_module.App],
                                                            live_ts: LiveTsServer, tmp_path: Path,
                                                            settop_home: Path) -> None:
    playlist = tmp_path / "live.m3u"
    playlist.write_text(f"#EXTM3U\n#EXTINF:-1,Test Live\n{live_ts.url}\n", encoding="utf-8")
    app = vlc_app()
    recorder = app.recorder
    assert recorder is not None and recorder.budget is not None
    recorder.budget.default_limit = 2  # Connections per provider: 2 (watching and recording)
    load(qtbot, app, playlist)
    qtbot.waitUntil(lambda: app.player.state is PlayerState.PLAYING, timeout=15000)
    press(qtbot, app, Qt.Key.Key_MediaRecord)
    assert recorder.recording
    qtbot.waitUntil(lambda: recorder.last is not None and recorder.last.seconds >= 3, timeout=20000)
    assert app.player.state is PlayerState.PLAYING  # watching goes on
    with qtbot.waitSignal(recorder.finished, timeout=15000) as finished:
        press(qtbot, app, Qt.Key.Key_MediaRecord)
    result = finished.args[0]
    assert result.state == "stopped" and not recorder.recording
    (path,) = result.parts
    assert path.parent == settop_home / "recordings" and path.name.startswith("Test Live - ")
    duration, kinds = probe(path)
    assert duration >= 2.5 and kinds == {"video", "audio"}
    assert live_ts.connections == 2  # the player's and the recorder's


def test_nothing_playing_says_so(qtbot: Any, vlc_app: Callable[..., app_module.App]) -> None:
    app = vlc_app()
    assert app.recorder is not None
    app.recorder.toggle()
    assert not app.recorder.recording


def test_record_in_the_channel_list_records_the_focused_channel(qtbot: Any, make_app: Callable[..., app_module.App],
                                                                live_ts: LiveTsServer, tmp_path: Path) -> None:
    playlist = tmp_path / "two.m3u"
    playlist.write_text(f"#EXTM3U\n#EXTINF:-1,Watched\nhttp://127.0.0.2:9/watched.ts\n#EXTINF:-1,Test Live\n"
                        f"{live_ts.url}\n", encoding="utf-8")
    app = make_app()
    recorder = app.recorder
    assert recorder is not None
    load(qtbot, app, playlist)
    assert app.live.current == 0
    press(qtbot, app, Qt.Key.Key_Return, Qt.Key.Key_Down)  # the list, on the second channel
    assert app.window.has(app.live.channel_list)
    press(qtbot, app, Qt.Key.Key_MediaRecord)
    assert recorder.recording and recorder.channel is not None and recorder.channel.name == "Test Live"
    assert app.live.current == 0  # still watching the first
    qtbot.waitUntil(lambda: recorder.last is not None and recorder.last.seconds >= 1, timeout=20000)
    with qtbot.waitSignal(recorder.finished, timeout=15000) as finished:
        press(qtbot, app, Qt.Key.Key_MediaRecord)
    assert finished.args[0].state == "stopped" and finished.args[0].parts
