"""Real libVLC + frames backend around the real UI, on loopback test streams (see tests/helpers/streams.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from settop import app as app_module
from settop.core.playlist import m3u
from tests.helpers.streams import CHANNELS, stream_dir
from tests.helpers.streamserver import StreamServer

RED, GREEN, BLUE = (c.rgb for c in CHANNELS)


@pytest.fixture(scope="session")
def stream_server() -> Iterator[StreamServer]:
    with StreamServer(stream_dir()) as server:
        yield server


def write_playlist(folder: Path, server: StreamServer, name: str = "tv.m3u") -> Path:
    """Channels 1-3 are live HLS in red, green and blue; 4 has two audio languages and subtitles; 5 is refused."""
    server.fail("forbidden/*", 403)
    lines = [
        "#EXTM3U",
        f'#EXTINF:-1 tvg-chno="1" group-title="Colours",Red One\n{server.live_url("ch1")}',
        f'#EXTINF:-1 tvg-chno="2" group-title="Colours",Green Two\n{server.live_url("ch2")}',
        f'#EXTINF:-1 tvg-chno="3" group-title="Colours;Blues",Blue Three\n{server.live_url("ch3")}',
        f'#EXTINF:-1 tvg-chno="4" group-title="Languages",Multi Lingual\n{server.url("multi.mkv")}',
        f'#EXTINF:-1 tvg-chno="5" group-title="Broken",Locked Out\n{server.url("forbidden/index.m3u8")}',
    ]
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def keys_of(path: Path) -> dict[str, str]:
    """Channel name -> channel key, as the parser assigns them."""
    return {c.name: c.key for c in m3u.parse(path.read_text(), base_url=str(path)).channels}


@pytest.fixture
def vlc_app(make_app: Callable[..., app_module.App]) -> Callable[..., app_module.App]:
    """Builds the app around a real VlcPlayer drawing into a FramesSurface."""
    from settop.player.vlc import VlcPlayer
    from settop.ui.bridge import PlayerBridge
    from settop.ui.video import FramesSurface

    def make(**kwargs: Any) -> app_module.App:
        player = VlcPlayer(instance_options=("--aout=dummy",), reconnect_delays=(0.2, 0.2), stall_seconds=3)
        surface = FramesSurface(frame_size=(160, 90))
        app = make_app(player=player, events=PlayerBridge(player), surface=surface, **kwargs)
        surface.attach(player)
        return app

    return make


def pixel(app: app_module.App) -> tuple[int, int, int] | None:
    """The colour near the top-left corner of the latest decoded frame (away from the burnt-in number)."""
    from settop.ui.video import FramesSurface

    assert isinstance(app.surface, FramesSurface)
    image = app.surface.latest_frame()
    if image is None or image.isNull():
        return None
    colour = image.pixelColor(8, 8)
    return colour.red(), colour.green(), colour.blue()


def showing(app: app_module.App, rgb: tuple[int, int, int], tolerance: int = 45) -> bool:
    seen = pixel(app)
    return seen is not None and all(abs(a - b) <= tolerance for a, b in zip(seen, rgb, strict=True))


def wait_picture(qtbot: Any, app: app_module.App, rgb: tuple[int, int, int], timeout: int = 15000) -> None:
    """Wait until the decoded picture is the colour of a test channel."""
    qtbot.waitUntil(lambda: showing(app, rgb), timeout=timeout)
