"""The live-pause buffer on a real loopback live stream: the ring keeps to its duration and size caps (oldest
segments leave the playlist and the disk), the playlist is a live one naming only files that exist, clear() empties
the folder, and no connection left refuses a start."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from settop.core.recording.recorder import Refused
from settop.core.recording.timeshift import RingCaps, TimeshiftBuffer
from tests.helpers.livets import LiveTsServer

pytestmark = pytest.mark.slow


@pytest.fixture
def live() -> Iterator[LiveTsServer]:
    with LiveTsServer() as server:
        yield server


def listed(buffer: TimeshiftBuffer) -> list[str]:
    return [line for line in buffer.playlist.read_text().splitlines() if line and not line.startswith("#")]


def test_ring_keeps_to_its_caps_and_clear_empties_it(live: LiveTsServer, tmp_path: Path) -> None:
    by_time = TimeshiftBuffer(live.url, tmp_path / "time", RingCaps(seconds=4.5, size=10**9))
    by_size = TimeshiftBuffer(live.url, tmp_path / "size", RingCaps(seconds=3600, size=100_000))
    by_time.start()
    by_size.start()
    try:
        assert by_time.wait_for(10.0, timeout=30) and by_size.wait_for(10.0, timeout=30)
        start, end = by_time.span()
        assert end >= 10.0 and end - start <= 4.5 and start > 0, (start, end)
        assert 0 < by_size.size() <= 100_000 and by_size.span()[0] > 0
        for buffer in (by_time, by_size):
            names = listed(buffer)
            on_disk = sorted(p.name for p in buffer.folder.glob("seg*.ts"))
            assert names == [s.name for s in buffer.segments()]
            assert set(names) <= set(on_disk) and len(on_disk) <= len(names) + 1  # + the one being written
            text = buffer.playlist.read_text()
            assert "#EXT-X-MEDIA-SEQUENCE:0\n" not in text and "#EXT-X-ENDLIST" not in text
            assert buffer.folder.stat().st_mode & 0o777 == 0o700
    finally:
        by_time.clear()
        by_size.clear()
    assert not by_time.folder.exists() and not by_size.folder.exists()
    assert not by_time.running


def test_no_connection_left_refuses_before_anything_runs(tmp_path: Path) -> None:
    released: list[bool] = []
    buffer = TimeshiftBuffer("http://127.0.0.1:9/live.ts", tmp_path / "ts", connection=lambda: None)
    with pytest.raises(Refused, match="No connection left"):
        buffer.start()
    assert not buffer.running and not buffer.folder.exists()
    granted = TimeshiftBuffer("http://127.0.0.1:9/live.ts", tmp_path / "ts2",
                              connection=lambda: lambda: released.append(True))
    granted.start()  # nothing listens there: ffmpeg ends at once, the grant is given back on clear
    granted.clear()
    assert released == [True]
