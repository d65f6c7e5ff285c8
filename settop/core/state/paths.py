"""Where settop keeps its files: XDG folders from platformdirs, or all under ``SETTOP_HOME`` when it is set."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "settop"


def _home() -> Path | None:
    value = os.environ.get("SETTOP_HOME", "").strip()
    return Path(value).expanduser() if value else None


def _ensure(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def config_dir() -> Path:
    """Holds ``settings.toml`` and ``keymap.toml``."""
    home = _home()
    return _ensure(home / "config" if home else Path(platformdirs.user_config_dir(APP)))


def data_dir() -> Path:
    """Holds ``state.db`` (favorites, history, mappings)."""
    home = _home()
    return _ensure(home / "data" if home else Path(platformdirs.user_data_dir(APP)))


def cache_dir() -> Path:
    """Holds fetched playlists, ``guide.db`` and logos; safe to delete."""
    home = _home()
    return _ensure(home / "cache" if home else Path(platformdirs.user_cache_dir(APP)))


def assets_dir() -> Path:
    """The bundled assets (keymap, theme, icons, demo) shipped next to the package."""
    packaged = Path(__file__).resolve().parents[2] / "assets"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "assets"
