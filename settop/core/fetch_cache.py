"""The fetch cache: bodies under hashed names in ``cache_dir()/fetch`` with a JSON sidecar of validators.

No URL is written in clear: the sidecar holds the hash, the redacted display name and the HTTP validators.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from settop.core import paths


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
    folder.mkdir(parents=True, exist_ok=True)
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

    With ``keep`` the validators go into the sidecar for conditional refresh; without, the sidecar is removed.
    A failing ``writer`` leaves the previous good copy untouched.
    """
    folder = fetch_dir()
    key = cache_key(source)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".part-")
    try:
        with os.fdopen(fd, "wb") as sink:
            size = writer(sink)
        body = folder / key
        os.replace(tmp, body)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    meta = folder / f"{key}.json"
    if keep:
        now = time.time()
        _write_json_atomic(meta, {"v": 1, "key": key, "display": display, "kind": kind, "etag": etag,
                                  "last_modified": last_modified, "stored_at": now, "checked_at": now,
                                  "size": size})
    else:
        with contextlib.suppress(FileNotFoundError):
            meta.unlink()
    return body


def touch_validated(entry: CacheEntry) -> None:
    """Record that the source confirmed the cached copy (a 304) just now."""
    try:
        data: Any = json.loads(entry.meta.read_text(encoding="utf-8"))
        if isinstance(data, dict):
            data["checked_at"] = time.time()
            _write_json_atomic(entry.meta, data)
    except (OSError, ValueError):
        pass
