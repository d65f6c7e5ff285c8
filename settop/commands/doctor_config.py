"""The configuration checks behind `settop doctor`: settop's folders, settings.toml and keymap.toml."""

from __future__ import annotations

import logging
import os
import threading
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from settop.commands.doctor_checks import FAIL, OK, WARN, Section
from settop.core.redact import redact

_SETTINGS_LOCK = threading.Lock()


def load_settings() -> Any | None:
    """``Settings.load()`` on a settings.toml known to be valid TOML, or None when there is none or it is damaged.

    ``Settings.load`` moves a damaged file aside; doctor only reports, so it never hands it one. Its warnings are
    kept out of the log here: check_settings shows them.
    """
    from settop.core.state.paths import config_dir
    from settop.core.state.settings import Settings

    path = config_dir() / "settings.toml"
    try:
        tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    logger = logging.getLogger("settop.settings")
    with _SETTINGS_LOCK:
        disabled, logger.disabled = logger.disabled, True
        try:
            return Settings.load(path)
        finally:
            logger.disabled = disabled


def _dir_entry(name: str, getter: Callable[[], Path]) -> Section:
    try:
        path = getter()
    except OSError as exc:
        return {"name": name, "path": "", "writable": False, "error": redact(str(exc))}
    return {"name": name, "path": str(path), "writable": os.access(path, os.W_OK)}


def check_paths() -> Section:
    from settop.core.state import paths

    entries = [_dir_entry("config", paths.config_dir), _dir_entry("data", paths.data_dir),
               _dir_entry("cache", paths.cache_dir), _dir_entry("assets", paths.assets_dir)]
    bad = [e["name"] for e in entries if e["name"] != "assets" and not e["writable"]]
    assets_ok = Path(entries[3]["path"], "keymap.toml").is_file()
    status = FAIL if bad else OK if assets_ok else WARN
    summary = ("folders not writable: " + ", ".join(bad)) if bad else (
        "folders ok" if assets_ok else "bundled assets missing (keymap.toml not found)")
    return {"status": status, "summary": summary, "dirs": entries,
            "settop_home": os.environ.get("SETTOP_HOME", "")}


def _toml_status(path: Path, what: str) -> Section:
    if not path.exists():
        return {"path": str(path), "exists": False, "status": OK, "summary": f"no {path.name}: {what}"}
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        return {"path": str(path), "exists": True, "status": FAIL,
                "summary": f"{path.name} cannot be read: {redact(str(exc))}"}
    return {"path": str(path), "exists": True, "status": OK, "summary": f"{path.name} ok ({len(data)} entries)"}


def check_settings() -> Section:
    from settop.core.state.paths import config_dir

    folder = config_dir()
    settings = _toml_status(folder / "settings.toml", "built-in defaults")
    keymap = _toml_status(folder / "keymap.toml", "default keys")
    if settings["exists"] and settings["status"] == OK:
        settings.update(_validate_settings())
    if keymap["exists"] and keymap["status"] == OK:
        keymap.update(_validate_keymap(folder / "keymap.toml"))
    worst = FAIL if FAIL in (settings["status"], keymap["status"]) else WARN if WARN in (
        settings["status"], keymap["status"]) else OK
    return {"status": worst, "summary": f"{settings['summary']}; {keymap['summary']}",
            "settings": settings, "keymap": keymap}


def _validate_settings() -> Section:
    """Let the settings module judge the values; its messages (unknown names, bad values) become a warning."""
    loaded = load_settings()
    if loaded is None:
        return {}
    _settings, messages = loaded
    if messages:
        return {"status": WARN, "summary": "settings.toml: " + "; ".join(messages[:3]), "problems": messages}
    return {}


def _validate_keymap(path: Path) -> Section:
    """The keymap parser's view of the user's keymap.toml: unknown buttons, actions or sections, with lines."""
    from settop.input.keymap import parse_keymap

    _table, warnings = parse_keymap(path.read_text(encoding="utf-8"), path.name)
    if warnings:
        problems = [str(w) for w in warnings]
        return {"status": WARN, "summary": f"{path.name}: {len(problems)} line(s) skipped: " + "; ".join(problems[:3]),
                "problems": problems}
    return {}
