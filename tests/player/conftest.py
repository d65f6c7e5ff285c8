"""Fixtures for real-libVLC tests: the test streams, their server, a player drawing into a frames surface."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from settop.player.base import PlayerEvent
from tests.helpers.streams import CHANNELS, TestChannel, stream_dir
from tests.helpers.streamserver import StreamServer

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
