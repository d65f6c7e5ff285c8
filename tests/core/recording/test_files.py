"""Recording files: names read back, newest first, lengths from ffprobe."""

from __future__ import annotations

import time
from pathlib import Path

from settop.core.recording.files import measure, read_name, scan
from settop.core.recording.plan import file_name, part_path
from tests.helpers.streams import stream_dir


def test_names_read_back(tmp_path: Path) -> None:
    start = time.mktime((2026, 12, 4, 20, 0, 0, 0, 0, -1))
    first = tmp_path / file_name("Red One", "News at Eight", start)
    found = read_name(part_path(first, 2), 10, 0.0)
    assert (found.channel, found.title, found.start, found.part) == ("Red One", "News at Eight", start, 2)
    only_channel = read_name(tmp_path / file_name("Red One", "", start), 10, 0.0)
    assert (only_channel.channel, only_channel.title) == ("Red One", "")
    other = read_name(tmp_path / "holiday.ts", 5, 123.0)
    assert (other.title, other.start, other.channel) == ("holiday", 123.0, "")


def test_scan_lists_ts_files_newest_first_and_measures(tmp_path: Path) -> None:
    early, late = time.mktime((2026, 12, 3, 8, 0, 0, 0, 0, -1)), time.mktime((2026, 12, 4, 20, 0, 0, 0, 0, -1))
    source = stream_dir() / "ch1.ts"
    for name in (file_name("A", "", early), file_name("B", "Film", late)):
        (tmp_path / name).write_bytes(source.read_bytes())
    (tmp_path / "notes.txt").write_text("not a recording", encoding="utf-8")
    found = scan(tmp_path)
    assert [(r.channel, r.title) for r in found] == [("B", "Film"), ("A", "")]
    assert found[0].size == source.stat().st_size
    length = measure(found[0].path)
    assert length is not None and 5.0 <= length <= 7.0
    assert measure(tmp_path / "notes.txt") is None and scan(tmp_path / "missing") == []
