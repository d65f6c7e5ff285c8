"""Fixtures for real-libVLC tests: the test streams, their server, a player drawing into a frames surface."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from settop.player.base import PlayerEvent, PlayRequest
from tests.helpers.streams import CHANNELS, TestChannel, stream_dir
from tests.helpers.streamserver import StreamServer

if TYPE_CHECKING:
    from settop.player.vlc import VlcPlayer
    from settop.ui.video import FramesSurface

TEST_INSTANCE_OPTIONS = ("--aout=adummy", "--no-xlib")


class Recorder:
    """A player listener that keeps every event and lets a test wait for one (no sleeps)."""

    def __init__(self) -> None:
        self.events: list[PlayerEvent] = []
        self._cv = threading.Condition()

    def __call__(self, event: PlayerEvent) -> None:
        with self._cv:
            self.events.append(event)
            self._cv.notify_all()

    def wait_for(self, predicate: Callable[[PlayerEvent], bool], timeout: float = 10.0,
                 since: int = 0) -> PlayerEvent | None:
        """The first event from index ``since`` on that matches, waiting up to ``timeout``; None if none came."""
        deadline = time.monotonic() + timeout
        with self._cv:
            while True:
                for event in self.events[since:]:
                    if predicate(event):
                        return event
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self._cv.wait(left)

    def mark(self) -> int:
        with self._cv:
            return len(self.events)

    def kinds(self, since: int = 0) -> list[str]:
        with self._cv:
            return [e.kind for e in self.events[since:] if e.kind not in ("buffering", "position")]


def closest_channel(rgb: tuple[int, int, int]) -> tuple[TestChannel, float]:
    """The test channel whose colour is nearest to ``rgb``, and the distance."""
    def distance(channel: TestChannel) -> float:
        return float(sum((a - b) ** 2 for a, b in zip(channel.rgb, rgb, strict=True)) ** 0.5)

    best = min(CHANNELS, key=distance)
    return best, distance(best)


def needs_ffmpeg() -> None:
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg is not installed")


@pytest.fixture(scope="session")
def streams() -> Path:
    needs_ffmpeg()
    return stream_dir()


@pytest.fixture
def server(streams: Path) -> Iterator[StreamServer]:
    with StreamServer(streams) as srv:
        yield srv


class Rig:
    """A player, its frames surface and an event recorder."""

    def __init__(self, player: VlcPlayer, surface: FramesSurface) -> None:
        self.player = player
        self.surface = surface
        self.events = Recorder()
        player.add_listener(self.events)

    def play(self, url: str, **kwargs: Any) -> PlayRequest:
        request = PlayRequest(url, **kwargs)
        self.player.play(request)
        return request

    def wait_frame(self, request: PlayRequest, since: int = 0, timeout: float = 10.0) -> None:
        event = self.events.wait_for(lambda e: e.kind == "first_frame" and e.request is request, timeout, since)
        assert event is not None, f"no first frame; events: {self.events.kinds(since)}"

    def channel_on_screen(self) -> tuple[int, float]:
        image = self.surface.latest_frame()
        assert image is not None
        colour = image.pixelColor(8, 8)  # a corner: away from the burnt-in number
        channel, distance = closest_channel((colour.red(), colour.green(), colour.blue()))
        return channel.number, distance


def make_rig(qtbot: Any, **options: Any) -> Iterator[Rig]:
    """A rig whose player takes ``options``; closed when the generator ends (use from a fixture)."""
    from settop.player.vlc import VlcPlayer
    from settop.ui.video import FramesSurface

    player = VlcPlayer(TEST_INSTANCE_OPTIONS, **options)
    surface = FramesSurface(frame_size=(160, 90))
    qtbot.addWidget(surface)
    surface.attach(player)
    try:
        yield Rig(player, surface)
    finally:
        surface.detach()
        player.close()
