"""What a recording is before it runs: its length from "30m"-style text, its file names, and the disk margin."""

from __future__ import annotations

import os
import re
import shutil
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import platformdirs

from settop.i18n import _

#: Characters no file system takes (or that a shell makes awkward), folded to a space.
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*([hms]?)", re.IGNORECASE)
NAME_LIMIT: Final = 150
SUFFIX: Final = ".ts"
MIB: Final = 1024 * 1024


class PlanError(ValueError):
    """A recording that cannot be planned: the message says why, in the viewer's language."""


def parse_duration(text: str) -> float:
    """Seconds of ``30m``, ``1h30m``, ``90s``, ``2h``, ``1.5h`` (a bare number is minutes). PlanError otherwise."""
    cleaned = text.strip().replace(" ", "")
    total, position = 0.0, 0
    for match in _DURATION.finditer(cleaned):
        if match.start() != position or (not match.group(2) and match.group(0) != cleaned):
            position = -1  # a gap, or a bare number beside others ("5m30": seconds or minutes?)
            break
        value, unit = float(match.group(1)), match.group(2).lower() or "m"
        total += value * {"h": 3600, "m": 60, "s": 1}[unit]
        position = match.end()
    if not cleaned or position != len(cleaned) or total <= 0:
        raise PlanError(_("“{text}” is not a length: write it like 30m, 1h30m or 90s").format(text=text))
    return total


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    return " ".join(_UNSAFE.sub(" ", text).split()).strip(" .")


def file_name(channel: str, title: str, start: float) -> str:
    """``Channel - Title - 2026-12-04 20-00.ts`` in local time; unsafe characters become spaces."""
    when = time.strftime("%Y-%m-%d %H-%M", time.localtime(start))
    parts = [p for p in (_clean(channel), _clean(title)) if p]
    stem = " - ".join(parts)[:NAME_LIMIT].rstrip(" .-") or _("Recording")
    return f"{stem} - {when}{SUFFIX}"


def part_path(first: Path, part: int) -> Path:
    """Where part ``part`` (1 is the first) of the recording ``first`` goes: ``name (part 2).ts`` and so on."""
    return first if part <= 1 else first.with_name(f"{first.stem} (part {part}){first.suffix}")


def recordings_folder(configured: str) -> Path:
    """The ``recording.folder`` setting, or by default ``settop`` in the Videos folder (``$SETTOP_HOME/recordings``
    when settop keeps everything under SETTOP_HOME)."""
    if configured.strip():
        return Path(configured.strip()).expanduser()
    home = os.environ.get("SETTOP_HOME", "").strip()
    return Path(home).expanduser() / "recordings" if home else Path(platformdirs.user_videos_dir()) / "settop"


def free_bytes(folder: Path) -> int:
    """Free space where ``folder`` is (its nearest existing parent)."""
    probe = folder
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    return shutil.disk_usage(probe).free


@dataclass(frozen=True, slots=True)
class DiskMargin:
    """A recording starts only with ``margin`` bytes free, and stops cleanly once less than a quarter of it is
    left (what stays for the rest of the system)."""

    margin: int

    @property
    def floor(self) -> int:
        return self.margin // 4

    def refusal(self, free: int) -> str | None:
        """Why a recording may not start with ``free`` bytes, or None when it may."""
        if free >= self.margin:
            return None
        return _("Not enough free disk space to record: {free} MiB free, {margin} MiB needed").format(
            free=free // MIB, margin=self.margin // MIB)

    def full(self, free: int) -> bool:
        return free < self.floor
