"""Reminders and scheduled recordings kept across restarts: ``timers.json`` in the state folder.

Written atomically (the old file or the new one, never half), readable by the viewer only. A damaged file is moved
aside and reported, and settop goes on with none; settings and the other state files are not touched. One damaged
entry in an otherwise good file is left out and reported, the others are kept.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from settop.core.recording.schedule import Scheduled, ScheduleError
from settop.core.recording.schedule import from_json as scheduled_from_json
from settop.core.state.paths import private_file
from settop.core.state.tomlfile import move_aside, write_atomic
from settop.core.timers.reminders import Reminder, ReminderError
from settop.core.timers.reminders import from_json as reminder_from_json
from settop.i18n import _, ngettext

log = logging.getLogger("settop.state")

FILE_NAME = "timers.json"
VERSION = 1


@dataclass(frozen=True, slots=True)
class SavedTimers:
    """What ``timers.json`` holds, and a problem to tell the viewer ("" when none)."""

    reminders: tuple[Reminder, ...] = ()
    recordings: tuple[Scheduled, ...] = ()
    problem: str = ""


def load(path: Path) -> SavedTimers:
    """Read ``path``; a missing file is no timers, a damaged one is moved aside and said."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return SavedTimers()
    except OSError as exc:
        return SavedTimers(problem=_("Reminders and scheduled recordings could not be read: {why}").format(
            why=exc.strerror or exc))
    try:
        document = json.loads(text)
        if not isinstance(document, dict) or not isinstance(document.get("reminders", []), list) \
                or not isinstance(document.get("recordings", []), list):
            raise ValueError("not the shape settop writes")
    except (ValueError, RecursionError) as exc:
        aside = move_aside(path)
        log.warning("timers: %s unreadable (%s); moved to %s", path.name, exc, aside.name)
        return SavedTimers(problem=_("Saved reminders and scheduled recordings were damaged: the file is kept as "
                                     "{name} and settop starts with none.").format(name=aside.name))
    reminders, recordings, bad = [], [], 0
    for entry in document.get("reminders", []):
        try:
            reminders.append(reminder_from_json(entry))
        except ReminderError as exc:
            bad += 1
            log.warning("timers: a reminder left out: %s", exc)
    for entry in document.get("recordings", []):
        try:
            recordings.append(scheduled_from_json(entry))
        except ScheduleError as exc:
            bad += 1
            log.warning("timers: a scheduled recording left out: %s", exc)
    problem = ngettext("{n} damaged reminder or scheduled recording was left out",
                       "{n} damaged reminders or scheduled recordings were left out", bad).format(n=bad) if bad else ""
    return SavedTimers(tuple(reminders), tuple(recordings), problem)


def path_in(folder: Path) -> Path:
    """Where the file is: beside ``state.db`` in the state folder."""
    return folder / FILE_NAME


def save(path: Path, reminders: Sequence[Reminder], recordings: Sequence[Scheduled]) -> None:
    """Write atomically, readable by the viewer only."""
    document = {"version": VERSION, "reminders": [r.to_json() for r in reminders],
                "recordings": [r.to_json() for r in recordings]}
    write_atomic(path, json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8"))
    private_file(path)


def save_quietly(path: Path, reminders: Sequence[Reminder], recordings: Sequence[Scheduled],
                 tell: Callable[[str], object]) -> bool:
    """:func:`save`, telling the viewer in words when the file cannot be written (a full or read-only disk)."""
    try:
        save(path, reminders, recordings)
    except OSError as exc:
        log.warning("timers: %s not written: %s", path.name, exc)
        tell(_("Reminders and scheduled recordings could not be saved: {why}").format(why=exc.strerror or exc))
        return False
    return True
