"""Channel logos through the fetcher: size-capped, checked by magic bytes, downloaded a few at a time.

Returns file paths (or None for "show the placeholder"); decoding is the UI's job, off the GUI thread.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

from settop.core.net.fetch import FetchError, FetchLimits, fetch, limits_for
from settop.core.redact import display_source
from settop.core.state import paths
from settop.core.state.paths import private_dir

log = logging.getLogger("settop.logos")

_MAGIC: tuple[tuple[bytes, int, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", 0, "png"),
    (b"\xff\xd8\xff", 0, "jpeg"),
    (b"GIF87a", 0, "gif"),
    (b"GIF89a", 0, "gif"),
    (b"WEBP", 8, "webp"),
    (b"\x00\x00\x01\x00", 0, "ico"),
    (b"BM", 0, "bmp"),
)


def sniff_image(head: bytes) -> str | None:
    """The image format from the first bytes (``png jpeg gif webp ico bmp svg``), None when it is not an image."""
    for magic, offset, name in _MAGIC:
        if head[offset:offset + len(magic)] == magic and (name != "webp" or head[:4] == b"RIFF"):
            return name
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(b"<svg") or (text.startswith((b"<?xml", b"<!--", b"<!doctype svg")) and b"<svg" in text):
        return "svg"
    return None


class LogoCache:
    """Fetches logos in the background with a bounded pool; remembers results and failures for the session.

    max_age_s: a cached logo younger than this is used without asking the server again.
    retry_failed_s: a logo that failed is not tried again for this long.
    """

    def __init__(self, *, workers: int = 4, max_bytes: int | None = None, max_age_s: float = 7 * 86400,
                 retry_failed_s: float = 3600, allow_insecure: bool = False,
                 fetcher: Callable[..., object] = fetch) -> None:
        base = limits_for("logo")
        self._limits: FetchLimits = base if max_bytes is None else replace(base, max_bytes=max_bytes)
        self._max_age = max_age_s
        self._retry_failed = retry_failed_s
        self._insecure = allow_insecure
        self._fetch = fetcher
        self._pool = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="settop-logo")
        self._cancel = threading.Event()
        self._lock = threading.Lock()
        self._done: dict[tuple[str, bool], tuple[Path | None, float]] = {}
        self._pending: dict[tuple[str, bool], Future[Path | None]] = {}

    def get(self, url: str, *, remote_playlist: bool) -> Path | None:
        """Fetch (or recall) one logo now, on the calling thread; None means "use the placeholder".

        remote_playlist: the logo was named by a remote playlist, so local paths and ``file://`` are refused.
        """
        key = (url.strip(), remote_playlist)
        with self._lock:
            known = self._done.get(key)
        if known is not None and (known[0] is not None or time.monotonic() - known[1] < self._retry_failed):
            return known[0]
        path = self._load(key[0], remote_playlist)
        with self._lock:
            self._done[key] = (path, time.monotonic())
        return path

    def submit(self, url: str, *, remote_playlist: bool,
               callback: Callable[[str, Path | None], None] | None = None) -> Future[Path | None]:
        """Fetch in the background; the same logo asked twice shares one download.

        callback(url, path or None) runs on a worker thread: hop to the GUI thread with a queued signal.
        """
        key = (url.strip(), remote_playlist)
        with self._lock:
            future = self._pending.get(key)
            if future is None:
                future = self._pool.submit(self.get, url, remote_playlist=remote_playlist)
                self._pending[key] = future
                future.add_done_callback(lambda _done: self._forget(key))
        if callback is not None:

            def report(done: Future[Path | None]) -> None:
                callback(url, None if done.cancelled() or done.exception() else done.result())

            future.add_done_callback(report)
        return future

    def _forget(self, key: tuple[str, bool]) -> None:
        with self._lock:
            self._pending.pop(key, None)

    def close(self) -> None:
        """Stop downloads in flight and drop queued ones."""
        self._cancel.set()
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _load(self, url: str, remote_playlist: bool) -> Path | None:
        if not url or self._cancel.is_set():
            return None
        if url[:5].lower() == "data:":
            return self._from_data_uri(url)
        try:
            result = self._fetch(url, kind="logo", limits=self._limits, allow_local=not remote_playlist,
                                 allow_insecure=self._insecure, cancel=self._cancel, max_age=self._max_age)
            path: Path = result.path  # type: ignore[attr-defined]
            with path.open("rb") as stream:
                head = stream.read(512)
            size = path.stat().st_size
        except (FetchError, OSError) as exc:
            log.info("logo unavailable: %s", exc)
            return None
        if size > self._limits.max_bytes:
            log.info("logo too large (%d bytes): %s", size, display_source(url))
            return None
        if sniff_image(head) is None:
            log.info("not an image: %s", display_source(url))
            return None
        return path

    def _from_data_uri(self, url: str) -> Path | None:
        header, _, payload = url.partition(",")
        if ";base64" not in header.lower() or len(payload) > self._limits.max_bytes * 4 // 3 + 4:
            return None
        try:
            data = base64.b64decode(payload, validate=False)
        except (binascii.Error, ValueError):
            return None
        if sniff_image(data[:512]) is None:
            return None
        folder = paths.cache_dir() / "logos"
        private_dir(folder)
        target = folder / hashlib.sha256(data).hexdigest()
        if not target.exists():
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=".part-")
            with os.fdopen(fd, "wb") as sink:
                sink.write(data)
            os.replace(tmp, target)
        return target
