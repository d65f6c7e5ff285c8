"""The one fetcher for playlists, guides, logos and manifests: timeouts, deadline, size caps, safe redirects, cache."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO, Protocol
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

import requests
import urllib3

from settop.core.net.bodies import open_decompressed, read_capped, text_from_bytes
from settop.core.net.cache import CacheEntry, cache_entry, prune, store_body, touch_validated
from settop.core.net.errors import FetchError, describe_http, human_size, map_request_error
from settop.core.net.http import Deadline, request, retry_after, scheme_of, stream_body
from settop.core.redact import display_source, redact
from settop.core.secrets import learn_url
from settop.i18n import _

__all__ = [
    "FetchError",
    "FetchLimits",
    "FetchResult",
    "PeekResult",
    "fetch",
    "human_size",
    "limits_for",
    "limits_from",
    "open_decompressed",
    "peek",
    "prune_cache",
]

prune_cache = prune

log = logging.getLogger("settop.fetch")

MiB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class FetchLimits:
    """Bounds for one fetch: seconds to connect, seconds of silence while reading, seconds in all, decoded bytes,
    and the low-speed limit (as curl's ``--speed-limit``/``--speed-time``): a body arriving slower than
    ``low_speed_bytes`` a second over ``low_speed_time`` seconds is cut ("The server is sending too slowly")."""

    connect_timeout: float = 10
    read_timeout: float = 30
    total_timeout: float = 300
    max_bytes: int = 128 * MiB
    low_speed_bytes: int = 1024
    low_speed_time: float = 30


_KIND_LIMITS: dict[str, FetchLimits] = {
    "playlist": FetchLimits(max_bytes=128 * MiB),
    "guide": FetchLimits(total_timeout=1800, max_bytes=2048 * MiB),
    "logo": FetchLimits(connect_timeout=5, read_timeout=10, total_timeout=30, max_bytes=2 * MiB),
    "manifest": FetchLimits(connect_timeout=5, read_timeout=10, total_timeout=20, max_bytes=4 * MiB),
}
_KIND_NAMES = {"playlist": "playlists", "guide": "guides", "logo": "logos", "manifest": "manifests"}


def limits_for(kind: str) -> FetchLimits:
    """The default limits for ``playlist`` (128 MiB), ``guide`` (2 GiB), ``logo`` (2 MiB), ``manifest`` (4 MiB)."""
    return _KIND_LIMITS.get(kind, _KIND_LIMITS["playlist"])


class IntSettings(Protocol):
    """What :func:`limits_from` reads settings through (``settop.core.state.settings.Settings``)."""

    def get_int(self, name: str) -> int: ...


# kind -> (the setting that caps it, bytes per unit of that setting)
SIZE_CAP_SETTINGS = {"playlist": ("fetch.max_playlist_mb", MiB), "guide": ("fetch.max_guide_mb", MiB),
                     "logo": ("fetch.max_logo_kb", 1024)}


def limits_from(kind: str, settings: IntSettings | None) -> FetchLimits:
    """The limits for ``kind`` with the size cap the viewer set (``fetch.max_playlist_mb``, ``fetch.max_guide_mb``,
    ``fetch.max_logo_kb``); the defaults when ``settings`` is None."""
    limits = limits_for(kind)
    cap = SIZE_CAP_SETTINGS.get(kind)
    if settings is None or cap is None:
        return limits
    name, unit = cap
    return replace(limits, max_bytes=settings.get_int(name) * unit)


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What a fetch produced; ``path`` holds the body (a ``.gz``/``.xz`` body is kept compressed on disk).

    final_url: after redirects, "" for local files; it may carry credentials, so never log it unredacted.
    from_cache: the body came from the cache (a 304, or a failure that served the last good copy).
    stale: the source failed and an older copy is served; ``stale_reason`` says why, ``age_s`` how old it is.
    max_bytes: the decoded-size cap applied by :meth:`read_bytes` and :meth:`read_text` by default.
    """

    path: Path
    display: str
    final_url: str = field(repr=False)
    from_cache: bool = False
    stale: bool = False
    stale_reason: str = ""
    age_s: float = 0.0
    max_bytes: int = field(default=128 * MiB, repr=False)
    what: str = field(default="playlists", repr=False)

    def open(self, max_bytes: int | None = None) -> BinaryIO:
        """Stream the decoded body (gz/xz by magic bytes); raises FetchError(kind="too_large") past the cap."""
        return open_decompressed(self.path, self.max_bytes if max_bytes is None else max_bytes, what=self.what)

    def read_bytes(self, max_bytes: int | None = None) -> bytes:
        """The whole decoded body, at most ``max_bytes`` (default: the kind's cap)."""
        with self.open(max_bytes) as stream:
            return stream.read()

    def read_text(self, max_bytes: int | None = None) -> str:
        """The decoded body as text: UTF-8 (BOM stripped), else cp1252, else latin-1."""
        return text_from_bytes(self.read_bytes(max_bytes))


@dataclass(frozen=True, slots=True)
class PeekResult:
    """The first bytes of a (possibly endless) stream, for probing.

    complete: the whole body fit in ``data``; ttfb_s: seconds from sending the request to the first body byte.
    """

    data: bytes
    status: int
    content_type: str
    final_url: str = field(repr=False)
    complete: bool
    ttfb_s: float


# --------------------------------------------------------------------------------------------------- local files


def _is_remote(source: str) -> bool:
    return source[:8].lower().startswith(("http://", "https://"))


def _local_path(source: str) -> Path:
    if scheme_of(source) == "file":
        parts = urlsplit(source)
        if parts.netloc not in ("", "localhost"):
            raise FetchError(f"Remote file:// host not supported: {display_source(source)}", "scheme")
        return Path(url2pathname(unquote(parts.path)))
    return Path(source).expanduser()


def _fetch_local(source: str, limits: FetchLimits, what: str) -> FetchResult:
    path = _local_path(source)
    name = display_source(str(path))
    try:
        stat = path.stat()
    except FileNotFoundError:
        # the path as the viewer gave it (a local path is theirs to see; redact still masks anything secret-like)
        raise FetchError(_("File not found: {path}").format(path=source), "not_found") from None
    except OSError as exc:
        raise FetchError(f"Cannot read {name}: {redact(exc.strerror or str(exc))}", "io") from None
    if not path.is_file():
        raise FetchError(f"Not a file: {name}", "io")
    if stat.st_size > limits.max_bytes:
        raise FetchError(f"Bigger than the {human_size(limits.max_bytes)} limit for {what}: {name}", "too_large")
    age = max(0.0, time.time() - stat.st_mtime)
    return FetchResult(path=path, display=name, final_url="", age_s=age, max_bytes=limits.max_bytes, what=what)


# --------------------------------------------------------------------------------------------------- remote


def _fetch_remote(
    source: str,
    *,
    limits: FetchLimits,
    what: str,
    allow_insecure: bool,
    use_cache: bool,
    headers: Mapping[str, str] | None,
    cancel: threading.Event | None,
    progress: Callable[[int, int | None], None] | None,
    max_age: float | None,
) -> FetchResult:
    display = display_source(source)
    entry = cache_entry(source) if use_cache else None
    if entry is not None and max_age is not None and entry.age_s() <= max_age:
        return _from_entry(entry, display, source, limits, what)
    try:
        with Deadline(limits.total_timeout, cancel, display) as deadline:
            response, final_url = request(source, limits=limits, deadline=deadline, headers=headers,
                                          allow_insecure=allow_insecure, entry=entry)
            with response:
                if response.status_code == 304 and entry is not None:
                    touch_validated(entry)
                    log.debug("not modified: %s", display)
                    return _from_entry(entry, display, final_url, limits, what)
                if response.status_code >= 300:
                    raise FetchError(describe_http(response, display), "http", response.status_code,
                                     retry_after=retry_after(response))
                path = store_body(
                    source,
                    lambda sink: stream_body(response, sink, limits=limits, deadline=deadline, what=what,
                                             display=display, progress=progress),
                    display=display,
                    etag=response.headers.get("ETag", ""),
                    last_modified=response.headers.get("Last-Modified", ""),
                    kind=what,
                    keep=use_cache,
                )
        return FetchResult(path=path, display=display, final_url=final_url, max_bytes=limits.max_bytes, what=what)
    except FetchError as exc:
        if exc.kind == "cancelled" or not use_cache:
            raise
        entry = cache_entry(source)
        if entry is None:
            raise
        level = logging.WARNING if what in ("playlists", "guides") else logging.INFO
        log.log(level, "Using the copy from %s ago of %s: %s", _age_text(entry.age_s()), display, exc)
        return FetchResult(path=entry.body, display=display, final_url=source, from_cache=True, stale=True,
                           stale_reason=str(exc), age_s=entry.age_s(), max_bytes=limits.max_bytes, what=what)


def _from_entry(entry: CacheEntry, display: str, final_url: str, limits: FetchLimits, what: str) -> FetchResult:
    return FetchResult(path=entry.body, display=display, final_url=final_url, from_cache=True,
                       age_s=entry.age_s(), max_bytes=limits.max_bytes, what=what)


def _age_text(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    if seconds < 172800:
        return f"{seconds / 3600:.0f} h"
    return f"{seconds / 86400:.0f} days"


# --------------------------------------------------------------------------------------------------- public API


def fetch(
    source: str,
    *,
    kind: str = "playlist",
    limits: FetchLimits | None = None,
    allow_local: bool = True,
    allow_insecure: bool = False,
    use_cache: bool = True,
    headers: Mapping[str, str] | None = None,
    cancel: threading.Event | None = None,
    progress: Callable[[int, int | None], None] | None = None,
    max_age: float | None = None,
) -> FetchResult:
    """Fetch ``source`` (http(s) URL, ``file://`` URL or local path) to a file, within ``limits``.

    kind: ``playlist``, ``guide``, ``logo`` or ``manifest``; picks default limits and the wording of errors.
    allow_local: False for anything a remote document named (logos, HLS variants): local paths are refused.
    allow_insecure: accept TLS certificates that do not verify (a per-playlist switch the UI shows).
    use_cache: send ETag/Last-Modified validators, keep the body, and serve the last good copy on failure;
        without it the body lands in a volatile folder (delete ``result.path`` when done; ``prune_cache`` clears
        what is left).
    max_age: with ``use_cache``, a cached copy younger than this many seconds is served without a request.
    cancel: set it from any thread to stop the fetch (FetchError kind "cancelled").
    progress: called with (bytes so far, total or None) while downloading.
    Raises FetchError with a redacted, user-readable message.
    """
    learn_url(source)  # its secrets are masked in every message from here on
    limits = limits or limits_for(kind)
    what = _KIND_NAMES.get(kind, kind + "s")
    if cancel is not None and cancel.is_set():
        raise FetchError(f"Cancelled: {display_source(source)}", "cancelled")
    if _is_remote(source):
        return _fetch_remote(source, limits=limits, what=what, allow_insecure=allow_insecure, use_cache=use_cache,
                             headers=headers, cancel=cancel, progress=progress, max_age=max_age)
    scheme = scheme_of(source)
    if scheme not in ("", "file"):
        raise FetchError(f"Unsupported address ({scheme or 'unknown'}:): {display_source(source)}", "scheme")
    if not allow_local:
        raise FetchError(f"Local file refused (named by a remote document): {display_source(source)}", "scheme")
    return _fetch_local(source, limits, what)


def peek(
    url: str,
    max_bytes: int = 4096,
    *,
    timeout: float = 10.0,
    headers: Mapping[str, str] | None = None,
    allow_insecure: bool = False,
    cancel: threading.Event | None = None,
) -> PeekResult:
    """Read at most ``max_bytes`` of an http(s) stream (live streams never end) with the fetcher's safety rules.

    ``timeout`` bounds the whole probe (connect, redirects and reading). Local and other schemes are refused.
    """
    if not _is_remote(url):
        raise FetchError(f"Only http(s) can be probed: {display_source(url)}", "scheme")
    display = display_source(url)
    limits = FetchLimits(connect_timeout=timeout, read_timeout=timeout, total_timeout=timeout, max_bytes=max_bytes)
    started = time.monotonic()
    with Deadline(timeout, cancel, display) as deadline:
        response, final_url = request(url, limits=limits, deadline=deadline, headers=headers,
                                      allow_insecure=allow_insecure, entry=None)
        with response:
            if response.status_code >= 300:
                raise FetchError(describe_http(response, display), "http", response.status_code,
                                 retry_after=retry_after(response))
            try:
                data, complete, first = read_capped(response.raw, max_bytes, deadline.check)
            except (urllib3.exceptions.HTTPError, requests.RequestException, OSError) as exc:
                deadline.check()
                raise map_request_error(exc, display, limits) from None
            ttfb = (first if first is not None else time.monotonic()) - started
            return PeekResult(data=data, status=response.status_code,
                              content_type=response.headers.get("Content-Type", ""),
                              final_url=final_url, complete=complete, ttfb_s=ttfb)
