"""The recordings on disk: the files in the recordings folder, what their names say, and their length."""

from __future__ import annotations

import json
import re
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from settop.core.recording.plan import SUFFIX

_NAME: Final = re.compile(r"^(?P<stem>.*?) - (?P<date>\d{4}-\d{2}-\d{2} \d{2}-\d{2})(?: \(part (?P<part>\d+)\))?$")


@dataclass(frozen=True, slots=True)
class RecordingFile:
    """One recording file: ``channel`` and ``title`` as its name gives them (title may be empty), when it started
    (epoch seconds, from the name or else the file's time), its part number, size in bytes and length in seconds
    (None until measured, or when ffprobe cannot read it)."""

    path: Path
    channel: str
    title: str
    start: float
    part: int
    size: int
    seconds: float | None = None


def read_name(path: Path, size: int, mtime: float) -> RecordingFile:
    """What ``Channel - Title - 2026-12-04 20-00 (part 2).ts`` says; other names keep their stem as the title."""
    match = _NAME.match(path.stem)
    if match is None:
        return RecordingFile(path, "", path.stem, mtime, 1, size)
    channel, _sep, title = match.group("stem").partition(" - ")
    start = time.mktime(time.strptime(match.group("date"), "%Y-%m-%d %H-%M"))
    return RecordingFile(path, channel, title, start, int(match.group("part") or 1), size)


def scan(folder: Path) -> list[RecordingFile]:
    """The ``.ts`` files of ``folder``, newest first (parts of one recording in order)."""
    found = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    for path in entries:
        if path.suffix != SUFFIX or not path.is_file():
            continue
        try:
            info = path.stat()
        except OSError:
            continue
        found.append(read_name(path, info.st_size, info.st_mtime))
    return sorted(found, key=lambda r: (-r.start, r.channel, r.part, r.path.name))


def measure(path: Path, ffprobe: str = "ffprobe") -> float | None:
    """The file's length in seconds as ffprobe reads it, or None."""
    try:
        out = subprocess.run([ffprobe, "-v", "error", "-show_entries", "format=duration", "-of", "json", str(path)],
                             capture_output=True, text=True, timeout=20, check=False).stdout
        return float(json.loads(out)["format"]["duration"])
    except (OSError, subprocess.SubprocessError, ValueError, KeyError):
        return None
