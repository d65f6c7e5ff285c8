"""Backup and restore of everything the viewer set up, as one JSON file.

What a backup holds: ``settings.toml`` (playlists and accounts with their addresses and passwords, every setting),
``parental.toml`` (the PIN hash and locked groups and channels), ``keymap.toml`` (the viewer's key changes),
``channels.json`` (own order, numbers, names, hidden, groups), and from ``state.db`` the favorites, the guide
mappings and the source chosen for merged channels. The secrets are the viewer's own and stay in the file, which is
written 0600; the screen that writes it says it holds passwords.

Restore reads the whole file first and checks every part (TOML that parses and settings that validate, a keymap
file's text, channel edits of the right shape, lists and maps of texts); it writes only the parts that pass, each
atomically, and reports the parts it skipped and why. A file that is not a settop backup at all changes nothing.
"""

from __future__ import annotations

import json
import logging
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from settop.core.state import edits as edits_file
from settop.core.state import parental
from settop.core.state.paths import config_dir, private_file
from settop.core.state.store import StateStore
from settop.core.state.tomlfile import write_atomic
from settop.i18n import _

log = logging.getLogger("settop.state")

MAGIC = "settop-backup"
DEFAULT_FILE = "settop-backup.json"
VERSION = 1
MAX_BYTES = 16 * 1024 * 1024
TEXT_FILES = {"settings": "settings.toml", "parental": parental.FILE_NAME, "keymap": "keymap.toml"}
PARTS = (*TEXT_FILES, "channels", "favorites", "guide_mappings")  # in the order they are restored


class BackupError(Exception):
    """The file cannot be used at all; nothing was changed. The message says why."""


@dataclass(frozen=True, slots=True)
class RestoreReport:
    """The parts written and the parts skipped (part, reason)."""

    restored: tuple[str, ...] = ()
    skipped: tuple[tuple[str, str], ...] = field(default_factory=tuple)


def export(state: StateStore, folder: Path | None = None) -> dict[str, Any]:
    """The backup document of the setup in ``folder`` (the config folder by default) and ``state``."""
    folder = folder or config_dir()
    document: dict[str, Any] = {MAGIC: VERSION, "written": int(time.time())}
    for part, name in TEXT_FILES.items():
        try:
            document[part] = (folder / name).read_text(encoding="utf-8")
        except FileNotFoundError:
            continue
    loaded, _problem = edits_file.load(folder / edits_file.FILE_NAME)
    document["channels"] = loaded.to_json()
    document["favorites"] = state.favorites()
    document["guide_mappings"] = state.guide_mappings()
    return document


def dumps(document: dict[str, Any]) -> bytes:
    """The file's bytes (what :func:`write` writes and the phone page serves)."""
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def write(path: Path, document: dict[str, Any]) -> None:
    """Write ``document`` to ``path`` atomically, readable by the viewer only (it holds passwords)."""
    write_atomic(path, dumps(document))
    private_file(path)


def read(path: Path) -> dict[str, Any]:
    """The backup document in ``path``; BackupError when it is not one (too big, not JSON, not settop's)."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise BackupError(_("{name} is too big to be a settop backup").format(name=path.name))
        data = path.read_bytes()
    except FileNotFoundError:
        raise BackupError(_("{path} does not exist").format(path=path)) from None
    except OSError as exc:
        raise BackupError(_("{name} cannot be read: {error}").format(name=path.name,
                                                                     error=exc.strerror or exc)) from None
    return loads(data, path.name)


def loads(data: bytes, name: str) -> dict[str, Any]:
    """The backup document in ``data`` (a file called ``name``, for the messages); BackupError when it is not one."""
    if len(data) > MAX_BYTES:
        raise BackupError(_("{name} is too big to be a settop backup").format(name=name))
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BackupError(_("{name} is not a settop backup (not JSON)").format(name=name)) from None
    if not isinstance(document, dict) or document.get(MAGIC) != VERSION:
        raise BackupError(_("{name} is not a settop backup").format(name=name))
    return document


def preview(document: dict[str, Any]) -> RestoreReport:
    """What :func:`restore` would write and skip, checked without writing anything."""
    problems = _problems(document)
    return RestoreReport(tuple(p for p in PARTS if p in document and p not in problems),
                         tuple((p, problems[p]) for p in PARTS if p in problems))


def restore(document: dict[str, Any], state: StateStore, folder: Path | None = None) -> RestoreReport:
    """Write every part of ``document`` that checks out; see the module docstring."""
    folder = folder or config_dir()
    report = preview(document)
    for part in report.restored:
        if part in TEXT_FILES:
            write_atomic(folder / TEXT_FILES[part], document[part].encode("utf-8"))
            private_file(folder / TEXT_FILES[part])
        elif part == "channels":
            edits_file.save(edits_file.from_json(document["channels"]), folder / edits_file.FILE_NAME)
        elif part == "favorites":
            state.set_favorites(list(dict.fromkeys(document["favorites"])))
        elif part == "guide_mappings":
            for key, guide_id in document["guide_mappings"].items():
                state.set_guide_mapping(key, guide_id)
    log.info("restore: %s restored, %d skipped", ", ".join(report.restored) or "nothing", len(report.skipped))
    return report


def _problems(document: dict[str, Any]) -> dict[str, str]:
    """Why each part of ``document`` that is present cannot be restored (parts that check out are not named)."""
    problems: dict[str, str] = {}
    for part in TEXT_FILES:
        if part in document:
            problem = _check_text(part, document[part])
            if problem:
                problems[part] = problem
    if "channels" in document:
        try:
            edits_file.from_json(document["channels"])
        except edits_file.EditsError as exc:
            problems["channels"] = str(exc)
    favorites = document.get("favorites")
    if "favorites" in document and not (isinstance(favorites, list) and all(isinstance(k, str) for k in favorites)):
        problems["favorites"] = _("not a list of channel keys")
    mappings = document.get("guide_mappings")
    if "guide_mappings" in document and not (isinstance(mappings, dict) and all(
            isinstance(k, str) and isinstance(v, str) for k, v in mappings.items())):
        problems["guide_mappings"] = _("not a map of channel keys to guide ids")
    return problems


def _check_text(part: str, text: Any) -> str:
    """Why the text of ``part`` cannot be restored ("" when it can)."""
    if not isinstance(text, str):
        return _("not text")
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return _("not valid TOML ({error})").format(error=exc)
    with tempfile.TemporaryDirectory(prefix="settop-restore-") as scratch:
        candidate = Path(scratch) / TEXT_FILES[part]
        candidate.write_text(text, encoding="utf-8")
        if part == "settings":
            from settop.core.state.settings import Settings

            _settings, messages = Settings.load(candidate)
            messages = [m for m in messages if "parental" not in m.casefold()]
            if messages:
                return "; ".join(messages[:3])
        if part == "parental":
            state, _migrate = parental.read(candidate, None)
            if state.damaged:
                return state.message or _("the parental lock file is damaged")
    if part == "keymap" and not isinstance(document, dict):
        return _("not a keymap")
    return ""
