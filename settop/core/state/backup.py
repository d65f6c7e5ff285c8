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

log = logging.getLogger("settop.state")

MAGIC = "settop-backup"
VERSION = 1
MAX_BYTES = 16 * 1024 * 1024
TEXT_FILES = {"settings": "settings.toml", "parental": parental.FILE_NAME, "keymap": "keymap.toml"}


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


def write(path: Path, document: dict[str, Any]) -> None:
    """Write ``document`` to ``path`` atomically, readable by the viewer only (it holds passwords)."""
    write_atomic(path, json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8"))
    private_file(path)


def read(path: Path) -> dict[str, Any]:
    """The backup document in ``path``; BackupError when it is not one (too big, not JSON, not settop's)."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise BackupError(f"{path.name} is too big to be a settop backup")
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{path} does not exist") from None
    except OSError as exc:
        raise BackupError(f"{path.name} cannot be read: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BackupError(f"{path.name} is not a settop backup (not JSON)") from None
    if not isinstance(document, dict) or document.get(MAGIC) != VERSION:
        raise BackupError(f"{path.name} is not a settop backup")
    return document


def restore(document: dict[str, Any], state: StateStore, folder: Path | None = None) -> RestoreReport:
    """Write every part of ``document`` that checks out; see the module docstring."""
    folder = folder or config_dir()
    restored: list[str] = []
    skipped: list[tuple[str, str]] = []
    for part, name in TEXT_FILES.items():
        if part not in document:
            continue
        problem = _check_text(part, document[part])
        if problem:
            skipped.append((part, problem))
            continue
        write_atomic(folder / name, document[part].encode("utf-8"))
        private_file(folder / name)
        restored.append(part)
    if "channels" in document:
        try:
            edits_file.save(edits_file.from_json(document["channels"]), folder / edits_file.FILE_NAME)
            restored.append("channels")
        except edits_file.EditsError as exc:
            skipped.append(("channels", str(exc)))
    favorites = document.get("favorites")
    if favorites is not None:
        if isinstance(favorites, list) and all(isinstance(k, str) for k in favorites):
            state.set_favorites(list(dict.fromkeys(favorites)))
            restored.append("favorites")
        else:
            skipped.append(("favorites", "not a list of channel keys"))
    mappings = document.get("guide_mappings")
    if mappings is not None:
        if isinstance(mappings, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in mappings.items()):
            for key, guide_id in mappings.items():
                state.set_guide_mapping(key, guide_id)
            restored.append("guide_mappings")
        else:
            skipped.append(("guide_mappings", "not a map of channel keys to guide ids"))
    log.info("restore: %s restored, %d skipped", ", ".join(restored) or "nothing", len(skipped))
    return RestoreReport(tuple(restored), tuple(skipped))


def _check_text(part: str, text: Any) -> str:
    """Why the text of ``part`` cannot be restored ("" when it can)."""
    if not isinstance(text, str):
        return "not text"
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return f"not valid TOML ({exc})"
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
                return state.message or "the parental lock file is damaged"
    if part == "keymap" and not isinstance(document, dict):
        return "not a keymap"
    return ""
