"""Pause and rewind of live TV through real libVLC: the buffer's local playlist over a loopback live TS stream."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("vlc")

from settop.core.recording.timeshift import RingCaps, TimeshiftBuffer
from tests.helpers.livets import LiveTsServer
from tests.player.conftest import Rig, make_rig, needs_ffmpeg

pytestmark = [pytest.mark.vlc, pytest.mark.slow]


@pytest.fixture
def rig(qtbot: Any) -> Iterator[Rig]:
    yield from make_rig(qtbot, stall_seconds=5.0)


@pytest.fixture
def live() -> Iterator[LiveTsServer]:
    needs_ffmpeg()
    with LiveTsServer() as server:
        yield server


def test_pause_resume_rewind_and_back_to_live(rig: Rig, live: LiveTsServer, qtbot: Any, tmp_path: Path) -> None:
    first = rig.play(live.url, live=True)
    rig.wait_frame(first, timeout=20)
    rig.player.pause(True)
    buffer = TimeshiftBuffer(live.url, tmp_path / "timeshift", RingCaps(seconds=60))
    buffer.start()
    try:
        assert buffer.wait_for(8.0, timeout=30), "the buffer did not fill while paused"
        # Play: the buffer from where it paused, not the live edge (8 s and more ahead by now).
        since = rig.events.mark()
        resumed = rig.play(buffer.playlist.as_uri(), live=False, local_ok=True, channel_key="k")
        rig.wait_frame(resumed, since, timeout=20)
        qtbot.waitUntil(lambda: rig.player.position()[0] >= 1000, timeout=10000)
        position, live_edge = rig.player.position()[0], buffer.span()[1]
        assert position < 4000 and live_edge - position / 1000 >= 5.0, (position, live_edge)

        # Back within the buffer: it plays on from the earlier point (not a moment's zero while seeking).
        qtbot.waitUntil(lambda: rig.player.position()[0] >= 7000, timeout=15000)
        ahead = rig.player.position()[0]
        rig.player.seek(ahead - 4000)
        qtbot.waitUntil(lambda: 1000 < rig.player.position()[0] < ahead - 2000, timeout=10000)
        back = rig.player.position()[0]
        qtbot.waitUntil(lambda: rig.player.position()[0] > back + 1000, timeout=10000)
        assert rig.player.position()[0] < ahead
        assert buffer.running and buffer.span()[1] - rig.player.position()[0] / 1000 >= 8.0

        # Back to live: the buffer stops and is emptied; the live URL plays again.
        buffer.clear()
        assert not buffer.folder.exists()
        since = rig.events.mark()
        again = rig.play(live.url, live=True)
        rig.wait_frame(again, since, timeout=20)
    finally:
        buffer.clear()


def test_steps_stay_inside_a_ring_that_rolled(rig: Rig, live: LiveTsServer, qtbot: Any, tmp_path: Path) -> None:
    """libVLC's time is stream time since buffering began even after the oldest segments left (a seek before the
    ring's start would end playback): a long step back lands at the ring's start and plays on."""
    buffer = TimeshiftBuffer(live.url, tmp_path / "timeshift", RingCaps(seconds=10))
    buffer.start()
    try:
        assert buffer.wait_for(4.0, timeout=30)
        request = rig.play(buffer.playlist.as_uri(), live=False, local_ok=True)
        rig.wait_frame(request, timeout=20)
        qtbot.waitUntil(lambda: buffer.span()[0] >= 4.0, timeout=30000)  # the ring rolled
        rig.player.seek(buffer.seek_target(rig.player.position()[0], 600_000))  # to the live edge, far from the start
        qtbot.waitUntil(lambda: rig.player.position()[0] >= buffer.span()[0] * 1000 + 5000, timeout=15000)
        start, end = buffer.span()
        position = rig.player.position()[0]
        assert start * 1000 - 4000 <= position <= end * 1000, (position, start, end)  # the ring's own seconds
        target = buffer.seek_target(position, -60_000)
        assert target == int((start + 2.0) * 1000)
        rig.player.seek(target)
        qtbot.waitUntil(lambda: target - 1000 <= rig.player.position()[0] < position - 1000, timeout=10000)
        landed = rig.player.position()[0]
        qtbot.waitUntil(lambda: rig.player.position()[0] > landed + 1000, timeout=10000)
        assert rig.player.state.value == "playing"
        assert buffer.seek_target(rig.player.position()[0], 600_000) == int((buffer.span()[1] - 1.0) * 1000)
    finally:
        buffer.clear()
