"""The recorder on a real loopback live stream: the file plays back with the right length (ffprobe), a dropped
stream goes on into a new part, the disk margin refuses a start and stops a recording cleanly."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from settop.core.recording.plan import DiskMargin
from settop.core.recording.recorder import Progress, Recorder, Refused
from tests.helpers.livets import LiveTsServer

MIB = 1024 * 1024


@pytest.fixture
def live() -> Iterator[LiveTsServer]:
    with LiveTsServer() as server:
        yield server


def probe(path: Path) -> tuple[float, set[str]]:
    """(duration in seconds, codec types) as ffprobe reads the file."""
    out = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration:stream=codec_type", "-of",
                          "json", str(path)], capture_output=True, text=True, check=True, timeout=30).stdout
    data = json.loads(out)
    return float(data["format"]["duration"]), {s["codec_type"] for s in data["streams"]}


def plenty(_folder: Path) -> int:
    return 100 * 1024 * MIB


def test_recording_plays_back_with_the_right_length(live: LiveTsServer, tmp_path: Path) -> None:
    seen: list[Progress] = []
    out = tmp_path / "rec" / "Red One - News - 2026-12-04 20-00.ts"
    result = Recorder(live.url, out, 5.0, on_progress=seen.append, free=plenty).run()
    assert result.state == "done" and result.parts == (out,), result
    duration, kinds = probe(out)
    assert 4.0 <= duration <= 6.0 and kinds == {"video", "audio"}
    assert abs(result.seconds - duration) < 1.0 and result.size == out.stat().st_size
    states = {p.state for p in seen}
    assert "recording" in states and seen[-1] == result
    assert [p.seconds for p in seen if p.state == "recording"] == sorted(p.seconds for p in seen if p.state ==
                                                                          "recording")


def test_a_dropped_stream_goes_on_in_a_new_part(live: LiveTsServer, tmp_path: Path) -> None:
    dropped = False

    def progress(p: Progress) -> None:
        nonlocal dropped
        if p.state == "recording" and p.seconds >= 4 and not dropped:
            dropped = True
            live.drop()

    out = tmp_path / "rec.ts"
    result = Recorder(live.url, out, 10.0, on_progress=progress, free=plenty, delays=(0.3,)).run()
    assert result.state == "done" and result.parts == (out, tmp_path / "rec (part 2).ts"), result
    first, _ = probe(result.parts[0])
    second, kinds = probe(result.parts[1])
    assert 3.5 <= first <= 5.5 and second >= 2.0 and kinds == {"video", "audio"}
    assert 8.0 <= first + second <= 10.5  # the plan's 10 s less the time it took to connect again
    assert live.connections == 2


def test_too_little_disk_refuses_to_start(live: LiveTsServer, tmp_path: Path) -> None:
    recorder = Recorder(live.url, tmp_path / "x.ts", 5.0, margin=DiskMargin(512 * MIB), free=lambda _f: 100 * MIB)
    with pytest.raises(Refused, match="100 MiB free, 512 MiB needed"):
        recorder.run()
    assert not (tmp_path / "x.ts").exists() and live.connections == 0


def test_a_filling_disk_stops_the_recording_cleanly(live: LiveTsServer, tmp_path: Path) -> None:
    out = tmp_path / "full.ts"

    def free(_folder: Path) -> int:  # the disk "fills" as the file grows past 200 KiB
        return 512 * MIB if not out.exists() or out.stat().st_size < 200 * 1024 else 10 * MIB

    result = Recorder(live.url, out, 30.0, margin=DiskMargin(64 * MIB), free=free).run()
    assert result.state == "disk_full" and result.parts == (out,)
    duration, _kinds = probe(out)
    assert 0.5 < duration < 25


def test_stop_keeps_what_was_recorded(live: LiveTsServer, tmp_path: Path) -> None:
    out = tmp_path / "stop.ts"
    recorder: Recorder

    def progress(p: Progress) -> None:
        if p.state == "recording" and p.seconds >= 2.0:
            recorder.stop()

    recorder = Recorder(live.url, out, 60.0, on_progress=progress, free=plenty)
    result = recorder.run()
    assert result.state == "stopped" and result.parts == (out,)
    assert 1.5 <= probe(out)[0] <= 4.0


def test_no_connection_left_refuses(live: LiveTsServer, tmp_path: Path) -> None:
    with pytest.raises(Refused, match="No connection left"):
        Recorder(live.url, tmp_path / "x.ts", 5.0, free=plenty, connection=lambda: None).run()
    released: list[bool] = []
    Recorder(live.url, tmp_path / "y.ts", 1.5, free=plenty, connection=lambda: lambda: released.append(True)).run()
    assert released == [True]


def test_a_stream_that_never_answers_fails_plainly(tmp_path: Path) -> None:
    result = Recorder("http://127.0.0.1:9/none.ts", tmp_path / "n.ts", 2.0, free=plenty, delays=(0.2,)).run()
    assert result.state == "failed" and result.parts == () and "did not answer" in result.message
    assert not (tmp_path / "n.ts").exists()
