"""Where settop keeps its files: XDG folders from platformdirs, or all under ``SETTOP_HOME`` when it is set."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

import platformdirs

APP = "settop"


def _home() -> Path | None:
    value = os.environ.get("SETTOP_HOME", "").strip()
    return Path(value).expanduser() if value else None


def private_dir(path: Path) -> Path:
    """Create ``path`` (and its parents) if needed and make it the owner's only (0700); returns it."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.suppress(OSError):  # a folder we do not own (a shared SETTOP_HOME): leave it as it is
        if stat.S_IMODE(path.stat().st_mode) != 0o700:
            path.chmod(0o700)
    return path


def private_file(path: Path) -> None:
    """Make an existing file the owner's only (0600)."""
    with contextlib.suppress(OSError):
        if stat.S_IMODE(path.stat().st_mode) != 0o600:
            path.chmod(0o600)


def make_private() -> None:
    """Files and folders this process creates from now on are the owner's only (umask 077)."""
    os.umask(0o077)


def _ensure(path: Path) -> Path:
    home = _home()
    if home is not None and path.parent == home:
        private_dir(home)
    return private_dir(path)


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
