"""The fetch cache: bodies under hashed names in ``cache_dir()/fetch`` with a JSON sidecar of validators.

No URL is written in clear: the sidecar holds the hash, the redacted display name and the HTTP validators.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from settop.core.state import paths
from settop.core.state.paths import private_dir


@dataclass(frozen=True, slots=True)
class CacheEntry:
    """A cached body with its validators; ``checked_at`` is when the source last confirmed it (epoch seconds)."""

    key: str
    body: Path
    meta: Path
    display: str
    etag: str
    last_modified: str
    checked_at: float

    def age_s(self) -> float:
        return max(0.0, time.time() - self.checked_at)


def cache_key(source: str) -> str:
    """The file name for ``source``: the SHA-256 of the URL as given (credentials never appear in clear)."""
    return hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()


def fetch_dir() -> Path:
    folder = paths.cache_dir() / "fetch"
    private_dir(folder)
    return folder


def cache_entry(source: str) -> CacheEntry | None:
    """The cached copy of ``source`` or None (a missing body or a corrupt sidecar count as none)."""
    folder = fetch_dir()
    key = cache_key(source)
    body, meta = folder / key, folder / f"{key}.json"
    try:
        data: Any = json.loads(meta.read_text(encoding="utf-8"))
        if not body.is_file() or not isinstance(data, dict):
            return None
        return CacheEntry(key=key, body=body, meta=meta, display=str(data.get("display", "")),
                          etag=str(data.get("etag", "")), last_modified=str(data.get("last_modified", "")),
                          checked_at=float(data.get("checked_at", 0.0)))
    except (OSError, ValueError, TypeError):
        return None


def _write_json_atomic(path: Path, data: dict[str, Any]) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".meta-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def store_body(source: str, writer: Callable[[IO[bytes]], int], *, display: str, etag: str, last_modified: str,
               kind: str, keep: bool) -> Path:
    """Write a new body through ``writer`` into a temp file, then move it in place atomically (mode 0600).

    With ``keep`` the body replaces the cached copy and the validators go into the sidecar for conditional
    refresh; without, the body goes to the volatile folder (the caller may delete it; :func:`prune` does later)
    and the cached copy is left alone. A failing ``writer`` leaves the previous good copy untouched.
    """
    folder = fetch_dir()
    key = cache_key(source)
    body_folder = folder if keep else volatile_dir()
    fd, tmp = tempfile.mkstemp(dir=body_folder, prefix=".part-")
    try:
        with os.fdopen(fd, "wb") as sink:
            size = writer(sink)
        body = body_folder / (key if keep else f"{key}-{os.getpid()}-{threading.get_ident()}")
        os.replace(tmp, body)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if keep:
        now = time.time()
        _write_json_atomic(folder / f"{key}.json", {"v": 1, "key": key, "display": display, "kind": kind,
                                                    "etag": etag, "last_modified": last_modified, "stored_at": now,
                                                    "checked_at": now, "size": size})
    return body


def volatile_dir() -> Path:
    """Bodies fetched with ``use_cache=False``: not reused, removed by :func:`prune`."""
    folder = fetch_dir() / "volatile"
    private_dir(folder)
    return folder


def prune(max_age_s: float = 30 * 86400, volatile_age_s: float = 3600) -> int:
    """Delete cached copies not confirmed for ``max_age_s`` and volatile bodies older than ``volatile_age_s``,
    plus leftovers of interrupted downloads; returns how many files went. Safe to call at any time."""
    now = time.time()
    removed = 0
    folder = fetch_dir()
    candidates: list[tuple[Path, float]] = []
    for path in folder.iterdir():
        if path.name.startswith((".part-", ".meta-")):
            candidates.append((path, volatile_age_s))
        elif path.suffix == ".json":
            entry_age = _sidecar_age(path, now)
            if entry_age is not None and entry_age > max_age_s:
                candidates += [(path.with_suffix(""), -1.0), (path, -1.0)]
        elif path.is_file() and not path.with_suffix(".json").exists():
            candidates.append((path, volatile_age_s))  # a body without validators (a crash between renames)
    candidates += [(p, volatile_age_s) for p in volatile_dir().iterdir()]
    for path, age in candidates:
        try:
            if age < 0 or now - path.stat().st_mtime > age:
                path.unlink()
                removed += 1
        except OSError:
            continue
    return removed


def _sidecar_age(meta: Path, now: float) -> float | None:
    try:
        data: Any = json.loads(meta.read_text(encoding="utf-8"))
        return now - float(data.get("checked_at", 0.0)) if isinstance(data, dict) else None
    except (OSError, ValueError, TypeError):
        return now


def touch_validated(entry: CacheEntry) -> None:
    """Record that the source confirmed the cached copy (a 304) just now."""
    try:
        data: Any = json.loads(entry.meta.read_text(encoding="utf-8"))
        if isinstance(data, dict):
            data["checked_at"] = time.time()
            _write_json_atomic(entry.meta, data)
    except (OSError, ValueError):
        pass
