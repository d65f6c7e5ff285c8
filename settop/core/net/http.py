"""HTTP for the fetcher: per-thread sessions, a deadline watchdog that can cut any read, manual safe redirects."""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
import warnings
from collections.abc import Callable, Mapping
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import requests
import requests.adapters
import urllib3

from settop.core.net.errors import FetchError, human_size, map_request_error
from settop.core.redact import display_source, redact
from settop.core.secrets import learn_url

if TYPE_CHECKING:
    from settop.core.net.cache import CacheEntry
    from settop.core.net.fetch import FetchLimits

log = logging.getLogger("settop.fetch")

MAX_REDIRECTS = 5
USER_AGENT = "settop/0.1"
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
CHUNK = 64 * 1024
_CREDENTIAL_HEADERS = ("authorization", "proxy-authorization", "cookie")

_local = threading.local()

# With "allow insecure" the user chose to skip verification for that playlist; urllib3's per-request warning would
# only flood the log (fetches say so once at INFO instead).
warnings.filterwarnings("ignore", category=urllib3.exceptions.InsecureRequestWarning)


class _WatchedHTTPConnection(urllib3.connection.HTTPConnection):
    """Registers its socket with the thread's deadline once the request is sent, so headers can be cut too."""

    def request(self, *args: Any, **kwargs: Any) -> None:
        super().request(*args, **kwargs)
        _register_socket(self.sock)


class _WatchedHTTPSConnection(urllib3.connection.HTTPSConnection):
    def request(self, *args: Any, **kwargs: Any) -> None:
        super().request(*args, **kwargs)
        _register_socket(self.sock)


class _WatchedHTTPPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


class _WatchedAdapter(requests.adapters.HTTPAdapter):
    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _WatchedHTTPPool, "https": _WatchedHTTPSPool}


def _register_socket(sock: socket.socket | None) -> None:
    deadline: Deadline | None = getattr(_local, "deadline", None)
    if deadline is not None and sock is not None:
        deadline.attach(sock)


def session() -> requests.Session:
    """One Session per thread (requests does not promise thread safety); keep-alive still helps many logos."""
    current: requests.Session | None = getattr(_local, "session", None)
    if current is None:
        current = requests.Session()
        current.trust_env = False  # no proxies, netrc credentials or CA bundles picked up from the environment
        current.max_redirects = MAX_REDIRECTS
        adapter = _WatchedAdapter()
        current.mount("http://", adapter)
        current.mount("https://", adapter)
        _local.session = current
    return current


class Deadline:
    """A total deadline plus cancellation for one fetch on one thread; a watchdog shuts the socket when either
    fires, so neither a 1 byte/s drip nor a stalled header can outlive it. Use as a context manager."""

    def __init__(self, seconds: float, cancel: threading.Event | None, display: str) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self.cancel = cancel
        self.display = display
        self._sock: socket.socket | None = None
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._fired = False
        self._watchdog = threading.Thread(target=self._watch, name="settop-fetch-watchdog", daemon=True)

    def __enter__(self) -> Deadline:
        _local.deadline = self
        self._watchdog.start()
        return self

    def __exit__(self, *exc: object) -> None:
        _local.deadline = None
        self._done.set()

    def remaining(self) -> float:
        return self.end - time.monotonic()

    def check(self, reading: bool = True) -> None:
        """Raise FetchError("cancelled" or "timeout") when the fetch must stop."""
        if self.cancel is not None and self.cancel.is_set():
            raise FetchError(f"Cancelled: {self.display}", "cancelled")
        if self._fired or time.monotonic() >= self.end:
            verb = "reading" if reading else "connecting to"
            raise FetchError(f"Timed out after {self.seconds:g} s {verb} {self.display}", "timeout")

    def attach(self, sock: socket.socket) -> None:
        with self._lock:
            self._sock = sock
            fired = self._fired
        if fired:
            self._shutdown()

    def _watch(self) -> None:
        while not self._done.wait(min(0.05, max(0.0, self.remaining()))):
            cancelled = self.cancel is not None and self.cancel.is_set()
            if cancelled or self.remaining() <= 0:
                with self._lock:
                    self._fired = self._fired or not cancelled
                self._shutdown()
                return

    def _shutdown(self) -> None:
        with self._lock:
            sock = self._sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


def scheme_of(source: str) -> str:
    """The lower-case URL scheme, or "" for a plain path (``C:\\x`` counts as a path)."""
    head, sep, _ = source.partition("://")
    if not sep:
        head, sep, _ = source.partition(":")
        if not sep or len(head) < 2:
            return ""
    if len(head) < 2 or not head.replace("+", "").replace("-", "").replace(".", "").isalnum():
        return ""
    return head.lower()


def _host_of(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    return (parts.hostname or "").lower(), port or (443 if parts.scheme == "https" else 80)


def _strip_userinfo(url: str) -> str:
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def _sent_request(exc: BaseException) -> bool:
    """True when the failure came after the request was sent (reading), False while connecting."""
    return not isinstance(exc, requests.exceptions.ConnectTimeout | requests.exceptions.SSLError) and (
        "NewConnectionError" not in repr(exc)
    )


def request(
    url: str,
    *,
    limits: FetchLimits,
    deadline: Deadline,
    headers: Mapping[str, str] | None,
    allow_insecure: bool,
    entry: CacheEntry | None,
) -> tuple[requests.Response, str]:
    """Send the GET, following at most MAX_REDIRECTS redirects by hand; returns the final response and URL.

    Redirects: http(s) only, never https -> http; on a host change userinfo, Authorization and Cookie are dropped.
    """
    send_headers: dict[str, str] = {"User-Agent": USER_AGENT}
    send_headers.update(headers or {})
    if entry is not None:
        if entry.etag:
            send_headers["If-None-Match"] = entry.etag
        if entry.last_modified:
            send_headers["If-Modified-Since"] = entry.last_modified
    current = url
    origin = _host_of(url)
    if allow_insecure and url.lower().startswith("https:"):
        log.info("certificate checks are off for %s (allowed for this playlist)", display_source(url))
    for hop in range(MAX_REDIRECTS + 1):
        deadline.check(reading=False)
        timeout = (min(limits.connect_timeout, max(0.05, deadline.remaining())),
                   min(limits.read_timeout, max(0.05, deadline.remaining())))
        try:
            response = session().get(current, headers=send_headers, stream=True, allow_redirects=False,
                                     timeout=timeout, verify=not allow_insecure)
        except requests.RequestException as exc:
            deadline.check(reading=_sent_request(exc))
            raise map_request_error(exc, display_source(current), limits) from None
        if response.status_code not in REDIRECT_CODES:
            return response, current
        location = response.headers.get("Location", "").strip()
        response.close()
        if not location:
            raise FetchError(f"HTTP {response.status_code} redirect without a Location from "
                             f"{display_source(current)}", "redirect", response.status_code)
        if hop == MAX_REDIRECTS:
            raise FetchError(f"Too many redirects (more than {MAX_REDIRECTS}) from {display_source(url)}", "redirect")
        target = urljoin(current, location)
        scheme = scheme_of(target)
        if scheme not in ("http", "https"):
            raise FetchError(f"Redirect to a {scheme or 'non-web'}: address refused from "
                             f"{display_source(current)}", "redirect")
        if current.lower().startswith("https:") and scheme == "http":
            raise FetchError(f"Redirect from https to plain http refused: {display_source(current)} -> "
                             f"{display_source(target)}", "redirect")
        if _host_of(target) != origin:
            target = _strip_userinfo(target)  # credentials were meant for the first host only
            send_headers = {k: v for k, v in send_headers.items() if k.lower() not in _CREDENTIAL_HEADERS}
        learn_url(target)
        log.debug("redirect %s -> %s", redact(current), redact(target))
        current = target
    raise AssertionError("unreachable")


def stream_body(
    response: requests.Response,
    sink: IO[bytes],
    *,
    limits: FetchLimits,
    deadline: Deadline,
    what: str,
    display: str,
    progress: Callable[[int, int | None], None] | None,
) -> int:
    """Copy the decoded body into ``sink`` under the size cap and the deadline; returns the byte count."""
    length = response.headers.get("Content-Length", "")
    encoded = "Content-Encoding" in response.headers
    total: int | None = int(length) if length.isdigit() and not encoded else None
    if total is not None and total > limits.max_bytes:
        raise FetchError(f"Bigger than the {human_size(limits.max_bytes)} limit for {what} "
                         f"({human_size(total)}): {display}", "too_large")
    raw: Any = response.raw
    done = 0
    speed = LowSpeed(limits.low_speed_bytes, limits.low_speed_time, display)
    while True:
        deadline.check()
        speed.check(done)
        try:
            chunk: bytes = raw.read1(CHUNK, decode_content=True)  # returns what is there: the clock is checked
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
        deadline.check()
        raise FetchError(f"Connection closed after {human_size(done)} of {human_size(total)} from {display}", "reset")
    return done


class LowSpeed:
    """The low-speed limit of one body: at each check, once ``window`` seconds have passed since the window began,
    the bytes that came in it must average ``min_rate`` a second, or the fetch ends; then a new window begins.
    A drip is cut within one to two windows; a slow but steady download goes on as long as the deadline allows.
    """

    def __init__(self, min_rate: int, window: float, display: str, clock: Callable[[], float] = time.monotonic) -> None:
        self.min_rate = min_rate
        self.window = window
        self.display = display
        self.clock = clock
        self.started = clock()
        self.bytes_at_start = 0

    def check(self, done: int) -> None:
        """``done``: bytes received so far. Raises FetchError (kind ``timeout``) below the limit."""
        now = self.clock()
        elapsed = now - self.started
        if self.min_rate <= 0 or elapsed < self.window:
            return
        rate = (done - self.bytes_at_start) / elapsed
        if rate < self.min_rate:
            raise FetchError(f"The server is sending too slowly ({human_size(rate)}/s for {elapsed:.0f} s, under "
                             f"{human_size(self.min_rate)}/s): {self.display}", "timeout")
        self.started, self.bytes_at_start = now, done


def retry_after(response: requests.Response) -> float | None:
    """Seconds from a Retry-After header (delta or HTTP date), None when absent or unreadable."""
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
