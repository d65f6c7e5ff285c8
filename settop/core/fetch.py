"""The one fetcher for playlists, guides, logos and manifests: timeouts, deadline, size caps, safe redirects, cache."""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, BinaryIO
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit
from urllib.request import url2pathname

import requests
import urllib3

from settop.core.fetch_cache import CacheEntry, cache_entry, store_body, touch_validated
from settop.core.fetch_errors import FetchError, describe_http, human_size, map_request_error
from settop.core.fetch_io import open_decompressed, read_capped, text_from_bytes
from settop.core.redact import display_source, redact

__all__ = [
    "FetchError",
    "FetchLimits",
    "FetchResult",
    "PeekResult",
    "fetch",
    "human_size",
    "limits_for",
    "open_decompressed",
    "peek",
]

log = logging.getLogger("settop.fetch")

MiB = 1024 * 1024
MAX_REDIRECTS = 5
USER_AGENT = "settop/0.1 (+https://github.com/settop)"
_REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024
_CREDENTIAL_HEADERS = ("authorization", "proxy-authorization", "cookie")


@dataclass(frozen=True, slots=True)
class FetchLimits:
    """Bounds for one fetch: seconds to connect, seconds of silence while reading, seconds in all, decoded bytes."""

    connect_timeout: float = 10
    read_timeout: float = 30
    total_timeout: float = 300
    max_bytes: int = 128 * MiB


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


# --------------------------------------------------------------------------------------------------- sessions

_local = threading.local()


def _session() -> requests.Session:
    """One Session per thread: requests' Session is not documented as thread-safe; keep-alive still helps logos."""
    session: requests.Session | None = getattr(_local, "session", None)
    if session is None:
        session = requests.Session()
        session.trust_env = False  # no proxies, netrc credentials or CA bundles from the environment by surprise
        session.max_redirects = MAX_REDIRECTS
        _local.session = session
    return session


def _is_remote(source: str) -> bool:
    return source[:8].lower().startswith(("http://", "https://"))


def _scheme(source: str) -> str:
    head, sep, _ = source.partition("://")
    if not sep or len(head) < 2 or not head.replace("+", "").replace("-", "").replace(".", "").isalnum():
        return ""
    return head.lower()


def _host_of(url: str) -> tuple[str, int | None]:
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    default = 443 if parts.scheme == "https" else 80
    return (parts.hostname or "").lower(), port or default


def _strip_userinfo(url: str) -> str:
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


# --------------------------------------------------------------------------------------------------- local files


def _local_path(source: str) -> Path:
    if _scheme(source) == "file":
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
        raise FetchError(f"File not found: {name}", "not_found") from None
    except OSError as exc:
        raise FetchError(f"Cannot read {name}: {redact(exc.strerror or str(exc))}", "io") from None
    if not path.is_file():
        raise FetchError(f"Not a file: {name}", "io")
    if stat.st_size > limits.max_bytes:
        raise FetchError(f"Bigger than the {human_size(limits.max_bytes)} limit for {what}: {name}", "too_large")
    age = max(0.0, time.time() - stat.st_mtime)
    return FetchResult(path=path, display=name, final_url="", age_s=age, max_bytes=limits.max_bytes, what=what)


# --------------------------------------------------------------------------------------------------- remote


class _Deadline:
    """A total deadline plus cancellation; a watchdog shuts the socket when either fires so no read hangs."""

    def __init__(self, seconds: float, cancel: threading.Event | None, display: str) -> None:
        self.seconds = seconds
        self.started = time.monotonic()
        self.end = self.started + seconds
        self.cancel = cancel
        self.display = display
        self._response: requests.Response | None = None
        self._done = threading.Event()
        self._watchdog: threading.Thread | None = None

    def remaining(self) -> float:
        return self.end - time.monotonic()

    def check(self, reading: bool = True) -> None:
        if self.cancel is not None and self.cancel.is_set():
            raise FetchError(f"Cancelled: {self.display}", "cancelled")
        if time.monotonic() >= self.end:
            verb = "reading" if reading else "connecting to"
            raise FetchError(f"Timed out after {self.seconds:g} s {verb} {self.display}", "timeout")

    def watch(self, response: requests.Response) -> None:
        """Close ``response``'s socket at the deadline or on cancel, whichever comes first."""
        self._response = response
        if self._watchdog is None:
            self._watchdog = threading.Thread(target=self._watch, name="settop-fetch-watchdog", daemon=True)
            self._watchdog.start()

    def _watch(self) -> None:
        while not self._done.is_set():
            step = min(0.1, max(0.0, self.remaining()))
            if self._done.wait(step):
                return
            cancelled = self.cancel is not None and self.cancel.is_set()
            if cancelled or self.remaining() <= 0:
                _shutdown_socket(self._response)
                return

    def finish(self) -> None:
        self._done.set()


def _shutdown_socket(response: requests.Response | None) -> None:
    if response is None:
        return
    raw: Any = response.raw
    try:
        sock = raw.connection.sock if raw.connection is not None else None
        if sock is None:
            sock = raw._fp.fp.raw._sock
    except AttributeError:
        sock = None
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


def _request(
    url: str,
    *,
    limits: FetchLimits,
    deadline: _Deadline,
    headers: Mapping[str, str] | None,
    allow_insecure: bool,
    entry: CacheEntry | None,
) -> tuple[requests.Response, str]:
    """Send the GET, following at most MAX_REDIRECTS redirects by hand; returns the final response and URL."""
    send_headers: dict[str, str] = {"User-Agent": USER_AGENT}
    send_headers.update(headers or {})
    if entry is not None:
        if entry.etag:
            send_headers["If-None-Match"] = entry.etag
        if entry.last_modified:
            send_headers["If-Modified-Since"] = entry.last_modified
    current = url
    origin = _host_of(url)
    for hop in range(MAX_REDIRECTS + 1):
        deadline.check(reading=False)
        timeout = (min(limits.connect_timeout, max(0.05, deadline.remaining())),
                   min(limits.read_timeout, max(0.05, deadline.remaining())))
        try:
            response = _session().get(current, headers=send_headers, stream=True, allow_redirects=False,
                                      timeout=timeout, verify=not allow_insecure)
        except requests.RequestException as exc:
            raise map_request_error(exc, display_source(current), limits) from None
        if response.status_code not in _REDIRECT_CODES:
            return response, current
        location = response.headers.get("Location", "")
        response.close()
        if not location:
            raise FetchError(f"HTTP {response.status_code} redirect without a Location from "
                             f"{display_source(current)}", "redirect", response.status_code)
        if hop == MAX_REDIRECTS:
            raise FetchError(f"Too many redirects (more than {MAX_REDIRECTS}) from {display_source(url)}", "redirect")
        target = urljoin(current, location.strip())
        scheme = _scheme(target)
        if scheme not in ("http", "https"):
            raise FetchError(f"Redirect to a {scheme or 'non-web'}: address refused from "
                             f"{display_source(current)}", "redirect")
        if current.lower().startswith("https:") and scheme == "http":
            raise FetchError(f"Redirect from https to plain http refused: {display_source(current)} -> "
                             f"{display_source(target)}", "redirect")
        if _host_of(target) != origin:
            # credentials were meant for the first host only
            target = _strip_userinfo(target)
            send_headers = {k: v for k, v in send_headers.items() if k.lower() not in _CREDENTIAL_HEADERS}
        log.debug("redirect %s -> %s", redact(current), redact(target))
        current = target
    raise AssertionError("unreachable")


def _stream_body(
    response: requests.Response,
    sink: IO[bytes],
    *,
    limits: FetchLimits,
    deadline: _Deadline,
    what: str,
    display: str,
    progress: Callable[[int, int | None], None] | None,
) -> int:
    """Copy the decoded body into ``sink`` under the size cap and the deadline; returns the byte count."""
    total_header = response.headers.get("Content-Length")
    encoded = "Content-Encoding" in response.headers
    total: int | None = int(total_header) if total_header and total_header.isdigit() and not encoded else None
    if total is not None and total > limits.max_bytes:
        raise FetchError(f"Bigger than the {human_size(limits.max_bytes)} limit for {what} "
                         f"({human_size(total)}): {display}", "too_large")
    raw: Any = response.raw
    done = 0
    while True:
        deadline.check()
        try:
            chunk: bytes = raw.read1(_CHUNK, decode_content=True)
        except (urllib3.exceptions.HTTPError, requests.RequestException, OSError) as exc:
            deadline.check()  # a watchdog shutdown surfaces as an error: report the deadline, not a reset
            raise map_request_error(exc, display, limits, done=done, total=total) from None
        if not chunk:
            break
        done += len(chunk)
        if done > limits.max_bytes:
            raise FetchError(f"Bigger than the {human_size(limits.max_bytes)} limit for {what}: {display}",
                             "too_large")
        sink.write(chunk)
        if progress is not None:
            progress(done, total)
    if total is not None and done < total:
        raise FetchError(f"Connection closed after {human_size(done)} of {human_size(total)} from {display}", "reset")
    return done


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
    deadline = _Deadline(limits.total_timeout, cancel, display)
    try:
        response, final_url = _request(source, limits=limits, deadline=deadline, headers=headers,
                                       allow_insecure=allow_insecure, entry=entry)
        deadline.watch(response)
        with response:
            if response.status_code == 304 and entry is not None:
                touch_validated(entry)
                log.debug("not modified: %s", display)
                return _from_entry(entry, display, final_url, limits, what)
            if response.status_code >= 400 or response.status_code == 304:
                raise FetchError(describe_http(response, display), "http", response.status_code,
                                 retry_after=_retry_after(response))
            path = store_body(
                source,
                lambda sink: _stream_body(response, sink, limits=limits, deadline=deadline, what=what,
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
        log.warning("Using the copy from %s ago of %s: %s", _age_text(entry.age_s()), display, exc)
        return FetchResult(path=entry.body, display=display, final_url=source, from_cache=True, stale=True,
                           stale_reason=str(exc), age_s=entry.age_s(), max_bytes=limits.max_bytes, what=what)
    finally:
        deadline.finish()


def _from_entry(entry: CacheEntry, display: str, final_url: str, limits: FetchLimits, what: str) -> FetchResult:
    return FetchResult(path=entry.body, display=display, final_url=final_url, from_cache=True,
                       age_s=entry.age_s(), max_bytes=limits.max_bytes, what=what)


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After", "").strip()
    if value.isdigit():
        return float(value)
    if value:
        from email.utils import parsedate_to_datetime

        try:
            return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
        except (TypeError, ValueError):
            return None
    return None


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
    use_cache: send ETag/Last-Modified validators, keep the body, and serve the last good copy on failure.
    max_age: with ``use_cache``, a cached copy younger than this many seconds is served without a request.
    cancel: set it from any thread to stop the fetch (FetchError kind "cancelled").
    progress: called with (bytes so far, total or None) while downloading.
    Raises FetchError with a redacted, user-readable message.
    """
    limits = limits or limits_for(kind)
    what = _KIND_NAMES.get(kind, kind + "s")
    if cancel is not None and cancel.is_set():
        raise FetchError(f"Cancelled: {display_source(source)}", "cancelled")
    if _is_remote(source):
        return _fetch_remote(source, limits=limits, what=what, allow_insecure=allow_insecure, use_cache=use_cache,
                             headers=headers, cancel=cancel, progress=progress, max_age=max_age)
    scheme = _scheme(source)
    if scheme not in ("", "file") or (not scheme and len(source) > 1 and source[1] == ":" and "\\" not in source
                                      and "/" not in source):
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
    deadline = _Deadline(timeout, cancel, display)
    started = time.monotonic()
    try:
        response, final_url = _request(url, limits=limits, deadline=deadline, headers=headers,
                                       allow_insecure=allow_insecure, entry=None)
        deadline.watch(response)
        with response:
            if response.status_code >= 400:
                raise FetchError(describe_http(response, display), "http", response.status_code,
                                 retry_after=_retry_after(response))
            data, complete, first = read_capped(response.raw, max_bytes, deadline.check)
            ttfb = (first if first is not None else time.monotonic()) - started
            return PeekResult(data=data, status=response.status_code,
                              content_type=response.headers.get("Content-Type", ""),
                              final_url=final_url, complete=complete, ttfb_s=ttfb)
    except (urllib3.exceptions.HTTPError, requests.RequestException, OSError) as exc:
        deadline.check()
        raise map_request_error(exc, display, limits) from None
    finally:
        deadline.finish()
