"""Zap cache: a loopback HTTP server libVLC plays HLS channels through, with the likely next channels' playlists
(and, when the connection budget allows a second stream, their newest segments) fetched ahead.

On a distant provider most of an HLS zap is waiting: the master playlist (a new connection: two round trips), the
variant's media playlist, then a segment. :meth:`ZapCache.predict` names the channels the viewer is likely to want
next; a worker keeps their master and lowest-variant media playlists fresh (and the newest
:data:`PREFETCH_SEGMENTS` segments of that variant when a second stream is allowed). :meth:`ZapCache.local_url`
turns a channel's address into one on this server: every playlist it serves has its addresses rewritten to come
back here, answers come from the cache when fresh and from the provider otherwise (status codes passed on as they
are). Only ``http(s)`` addresses of ``.m3u8`` playlists and of ``.ts`` streams go through it; anything else plays
directly.

An MPEG-TS channel is one long answer, so nothing of it can be fetched ahead; what a zap to one waits for is a new
connection (a round trip for TCP, more for TLS) and then the first bytes. For a predicted TS channel the worker
keeps one connection to its server open and idle in the session's pool (:meth:`ZapCache._preconnect`): no request
is sent on it, so it carries no stream and nothing a provider counts against the account's connections (an
``nginx`` ``limit_conn`` counts a connection only once a request's header has been read; an Xtream panel counts
stream requests), and the zap's request goes out on it at once. The player has one live stream at a time: when
libVLC hangs up on it, or asks this server for anything else (it plays one input), the stream is closed at the
provider before anything more is asked there, so the provider never sees two.

Every media playlist it fetches is also looked at for ``#EXT-X-ENDLIST``: :meth:`ZapCache.finished` says whether a
channel's address (or the master playlist above it) turned out to be a finished playlist, a film rather than live
TV. It costs nothing: libVLC fetches that playlist through here before its first picture anyway.
"""

from __future__ import annotations

import contextlib
import logging
import re
import select
import socket
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.connectionpool import HTTPConnectionPool

from settop.core.net.budget import ConnectionBudget, StreamSlot, source_of
from settop.core.net.errors import map_request_error
from settop.core.net.fetch import FetchLimits
from settop.core.redact import redact

log = logging.getLogger("settop.net.zapcache")

PREFETCH_SEGMENTS = 3  # libVLC starts a live playlist three segments from its end
MASTER_MAX_AGE_S = 120.0
SEGMENT_MAX_AGE_S = 60.0
MIN_REFRESH_S = 2.0
PREDICT_DELAY_S = 0.3  # the tuned channel's own requests go first
TIMEOUT_S = 10.0
CHUNK = 64 * 1024
_LIMITS = FetchLimits(connect_timeout=TIMEOUT_S, read_timeout=TIMEOUT_S)
PRECONNECT_REFRESH_S = 10.0  # how often a kept connection is checked (a server may close an idle one)
_URI_ATTR = re.compile(r'URI="([^"]+)"')
_ENDLIST = re.compile(r"^#EXT-X-ENDLIST\s*$", re.MULTILINE)
_PLAYLIST_TYPES = ("mpegurl", "m3u")
_PASSED_HEADERS = {"user-agent", "referer"}


def is_hls(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and parts.path.lower().endswith(".m3u8")


def is_stream(url: str) -> bool:
    """An MPEG-TS channel over HTTP(S) (one endless answer): it goes through the cache for the kept connection."""
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and parts.path.lower().endswith(".ts")


@dataclass(frozen=True, slots=True)
class Wanted:
    """A channel to keep ready: its address and the headers (User-Agent, Referer) it is played with."""

    url: str
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(slots=True)
class _Entry:
    body: bytes
    content_type: str
    fetched: float
    max_age: float


@dataclass(slots=True)
class _Route:
    base: str  # the provider's folder, ending in "/"
    headers: tuple[tuple[str, str], ...]


@dataclass(slots=True)
class _Stats:
    hits: int = 0
    misses: int = 0
    prefetched_bytes: int = 0
    prefetches: int = 0
    segment_prefetches: int = 0
    skipped_for_budget: int = 0
    preconnects: int = 0
    seen: list[str] = field(default_factory=list)


class ZapCache:
    """The loopback server and its prefetch worker; ``close()`` stops both."""

    def __init__(self, budget: ConnectionBudget | None = None, *, clock: Callable[[], float] = time.monotonic,
                 session: requests.Session | None = None, player: StreamSlot | None = None) -> None:
        self.budget = budget if budget is not None else ConnectionBudget()
        self.player = player if player is not None else StreamSlot(self.budget, "player")  # the player's stream
        self._clock = clock
        self._session = session or requests.Session()
        self._lock = threading.Lock()
        self._cache: dict[str, _Entry] = {}
        self._routes: dict[str, _Route] = {}
        self._route_ids: dict[tuple[str, tuple[tuple[str, str], ...]], str] = {}
        self._wanted: tuple[Wanted, ...] = ()
        self._lowest: dict[str, str] = {}  # master address -> its lowest variant's
        self._masters: dict[str, str] = {}  # variant address -> the master playlist that named it
        self._finished: dict[str, None] = {}  # addresses of finished playlists (#EXT-X-ENDLIST), and their masters
        self._due = 0.0
        self._live: requests.Response | None = None  # the endless stream the player is reading now
        self._unreached: dict[str, str] = {}  # provider (scheme://host:port) -> why it could not be reached
        self._wake = threading.Condition(self._lock)
        self._closed = False
        self.stats = _Stats()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(self))
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self._server = threading.Thread(target=self._httpd.serve_forever, name="zapcache-server", daemon=True)
        self._server.start()
        self._worker = threading.Thread(target=self._prefetch_loop, name="zapcache-prefetch", daemon=True)
        self._worker.start()

    # --- what the UI calls ---------------------------------------------------------------------------------------
    def local_url(self, url: str, headers: Sequence[tuple[str, str]] = ()) -> str:
        """The address libVLC should play ``url`` at: on this server for HLS and TS, ``url`` itself otherwise."""
        if not (is_hls(url) or is_stream(url)) or self._closed:
            return url
        return self._localize(url, self._headers(headers))

    def play_url(self, url: str, headers: Sequence[tuple[str, str]] = ()) -> str:
        """The player is about to play ``url``: hold its stream in the budget (giving back the one it played
        before) and return the address to play it at (:meth:`local_url`)."""
        if self.player.take(url):  # over the limit by other means: the caller was told, we fetch less
            log.info("connection limit reached for %s", redact(source_of(url)))
        return self.local_url(url, headers)

    def predict(self, wanted: Sequence[Wanted], *, after_s: float = PREDICT_DELAY_S) -> None:
        """Keep these channels (most likely first) ready from now on, instead of the ones named before; the
        first fetch waits ``after_s`` so that the channel just tuned starts first."""
        kept = tuple(w for w in wanted if is_hls(w.url) or is_stream(w.url))
        with self._wake:
            self._wanted = kept
            self._due = self._clock() + after_s
            self._wake.notify_all()

    def finished(self, url: str) -> bool:
        """Whether ``url`` (a channel's address, as given to :meth:`local_url`) was seen to be a finished playlist
        (``#EXT-X-ENDLIST``: on demand, not live), itself or through one of its master's variants."""
        with self._lock:
            return url in self._finished

    def network_failure(self, local: str) -> str | None:
        """Why the provider behind ``local`` (an address on this server) could not be reached the last time this
        server asked it: ``refused``, ``timeout`` or ``dns``; None when it answered. libVLC only sees this
        server's 502, so the player asks here to say what really happened."""
        parts = urlsplit(local)
        origin = self._origin(parts.path + (f"?{parts.query}" if parts.query else ""))
        if origin is None:
            return None
        with self._lock:
            return self._unreached.get(source_of(origin[0]))

    def close(self) -> None:
        with self._wake:
            self._closed = True
            self._wake.notify_all()
        self._end_live()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._server.join(5)
        self._worker.join(5)
        self._session.close()

    # --- addresses -----------------------------------------------------------------------------------------------
    @staticmethod
    def _headers(headers: Sequence[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
        return tuple((k, v) for k, v in headers if k.strip().lower() in _PASSED_HEADERS)

    def _localize(self, url: str, headers: tuple[tuple[str, str], ...]) -> str:
        parts = urlsplit(url)
        folder, _, name = parts.path.rpartition("/")
        base = f"{parts.scheme}://{parts.netloc}{folder}/"
        key = (base, headers)
        with self._lock:
            route = self._route_ids.get(key)
            if route is None:
                if len(self._routes) > 50_000:  # a long session of many channels: start again
                    self._routes.clear()
                    self._route_ids.clear()
                route = f"{len(self._routes):x}"
                self._routes[route] = _Route(base, headers)
                self._route_ids[key] = route
        query = f"?{parts.query}" if parts.query else ""
        return f"http://127.0.0.1:{self.port}/z/{route}/{name}{query}"

    def _origin(self, path: str) -> tuple[str, tuple[tuple[str, str], ...]] | None:
        """The provider's address for a path on this server, and the headers to fetch it with."""
        match = re.match(r"^/z/([0-9a-f]+)/([^?]*)(\?.*)?$", path)
        if match is None:
            return None
        with self._lock:
            route = self._routes.get(match[1])
        if route is None:
            return None
        return route.base + match[2] + (match[3] or ""), route.headers

    def _rewrite(self, text: str, url: str, headers: tuple[tuple[str, str], ...]) -> str:
        """A playlist whose every address (URI lines and ``URI="..."`` attributes) points back here."""
        out = []
        for line in text.splitlines():
            stripped = line.strip()
            if stripped and not stripped.startswith("#"):
                out.append(self._localize(urljoin(url, stripped), headers))
            elif 'URI="' in line:
                out.append(_URI_ATTR.sub(lambda m: f'URI="{self._localize(urljoin(url, m[1]), headers)}"', line))
            else:
                out.append(line)
        return "\n".join(out) + "\n"

    # --- fetching ------------------------------------------------------------------------------------------------
    def _fetch(self, url: str, headers: tuple[tuple[str, str], ...] | dict[str, str]) -> requests.Response:
        """GET ``url`` from its provider (streamed), noting whether the provider could be reached."""
        try:
            response = self._session.get(url, headers=dict(headers), timeout=TIMEOUT_S, stream=True)
        except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
            kind = map_request_error(exc, "provider", _LIMITS).kind
            with self._lock:
                if kind in ("refused", "timeout", "dns"):
                    self._unreached[source_of(url)] = kind
                else:
                    self._unreached.pop(source_of(url), None)
            raise
        with self._lock:
            self._unreached.pop(source_of(url), None)
        return response

    def _fresh(self, url: str) -> _Entry | None:
        with self._lock:
            entry = self._cache.get(url)
        if entry is not None and self._clock() - entry.fetched <= entry.max_age:
            return entry
        return None

    def _store(self, url: str, body: bytes, content_type: str, max_age: float) -> None:
        with self._lock:
            self._cache[url] = _Entry(body, content_type, self._clock(), max_age)

    def _playlist(self, url: str, headers: tuple[tuple[str, str], ...], *, prefetch: bool) -> tuple[str, float] | None:
        """Fetch a playlist into the cache (rewritten); returns its text and how long it stays fresh."""
        with self._fetch(url, headers) as response:
            if response.status_code != 200:
                return None
            body = response.content
        if prefetch:
            self.stats.prefetched_bytes += len(body)
        text = body.decode("utf-8", "replace")
        self._note(url, text)
        master = "#EXT-X-STREAM-INF" in text
        target = re.search(r"#EXT-X-TARGETDURATION:\s*(\d+)", text)
        max_age = MASTER_MAX_AGE_S if master else max(MIN_REFRESH_S, float(target[1]) if target else MIN_REFRESH_S)
        self._store(url, self._rewrite(text, url, headers).encode(), "application/vnd.apple.mpegurl", max_age)
        return text, max_age

    def _note(self, url: str, text: str) -> None:
        """Remember what playlist ``url`` is: a master (its variants lead back to it) or a finished one."""
        if "#EXT-X-STREAM-INF" in text:
            variants = [urljoin(url, line.strip()) for line in text.splitlines()
                        if line.strip() and not line.startswith("#")]
            with self._lock:
                if len(self._masters) > 50_000:
                    self._masters.clear()
                self._masters.update(dict.fromkeys(variants, url))
        elif _ENDLIST.search(text):
            with self._lock:
                if len(self._finished) > 50_000:
                    self._finished.clear()
                self._finished[url] = None
                master = self._masters.get(url)
                if master is not None:
                    self._finished[master] = None

    # --- prefetch worker -----------------------------------------------------------------------------------------
    def _prefetch_loop(self) -> None:
        while True:
            with self._wake:
                while not self._closed and (not self._wanted or self._clock() < self._due):
                    self._wake.wait(max(0.0, self._due - self._clock()) if self._wanted else None)
                if self._closed:
                    return
                wanted = self._wanted
            refresh = 3600.0
            for item in wanted:
                try:
                    refresh = min(refresh, self._preconnect(item.url) if is_stream(item.url) else self._prefetch(item))
                except (requests.RequestException, urllib3.exceptions.HTTPError, OSError, ValueError) as exc:
                    log.debug("prefetch of %s failed: %s", redact(item.url), type(exc).__name__)
                    refresh = min(refresh, MIN_REFRESH_S)
                except Exception:  # a bug here must not end fetching ahead for the rest of the session
                    log.exception("prefetch of %s failed", redact(item.url))
                    refresh = min(refresh, MIN_REFRESH_S)
                with self._lock:
                    if self._closed or self._wanted is not wanted:
                        break
            self._evict()
            with self._wake:
                if self._wanted is wanted:  # a new prediction has set its own time
                    self._due = self._clock() + refresh

    def _prefetch(self, item: Wanted) -> float:
        """Make ``item``'s master, its lowest variant's playlist and (budget allowing) newest segments fresh;
        returns how soon to do it again."""
        headers = self._headers(item.headers)
        self.stats.prefetches += 1
        url = item.url
        with self._lock:
            media_url = self._lowest.get(url)
        media: tuple[str, float] | None = None
        if media_url is None or self._fresh(url) is None:
            fetched = self._playlist(url, headers, prefetch=True)
            if fetched is None:
                return MIN_REFRESH_S
            if "#EXT-X-STREAM-INF" in fetched[0]:
                media_url = _lowest_variant(fetched[0], url)
                if media_url is None:
                    return MIN_REFRESH_S
            else:
                media_url, media = url, fetched
            with self._lock:
                self._lowest[url] = media_url
        if media is None:
            media = self._playlist(media_url, headers, prefetch=True)
            if media is None:
                return MIN_REFRESH_S
        text, max_age = media
        segments = [urljoin(media_url, line.strip()) for line in text.splitlines()
                    if line.strip() and not line.startswith("#")][-PREFETCH_SEGMENTS:]
        missing = [s for s in segments if self._fresh(s) is None]
        if missing:
            grant = self.budget.try_acquire(source_of(media_url), "prefetch")
            if grant is None:
                self.stats.skipped_for_budget += 1
            else:
                try:
                    self._prefetch_segments(missing, headers)
                finally:
                    self.budget.release(grant)
        return max_age

    def _preconnect(self, url: str) -> float:
        """Have one connection to ``url``'s server open and idle in the session's pool, so that the next request
        there skips the handshakes (TCP, and TLS for https). No request is sent on it: it carries no stream."""
        adapter = self._session.get_adapter(url)
        if not isinstance(adapter, HTTPAdapter):
            return PRECONNECT_REFRESH_S
        request = requests.Request("GET", url).prepare()
        # the pool a request of this session would use (proxies and CA settings from the environment included)
        settings = self._session.merge_environment_settings(url, {}, None, None, None)
        pool = adapter.get_connection_with_tls_context(request, verify=settings["verify"],
                                                       proxies=settings["proxies"], cert=settings["cert"])
        if not isinstance(pool, HTTPConnectionPool):
            return PRECONNECT_REFRESH_S
        # urllib3 has no public call to open a pooled connection ahead: take one (the pool closes it if its server
        # dropped it), connect it if it is not, and put it back (on top: the next request gets it)
        conn = pool._get_conn()
        try:
            if getattr(conn, "sock", None) is None:
                conn.timeout = TIMEOUT_S
                conn.connect()
                self.stats.preconnects += 1
        except (OSError, urllib3.exceptions.HTTPError):  # refused, unreachable, timed out: the zap will say so
            conn.close()
            raise
        finally:
            pool._put_conn(conn)
        return PRECONNECT_REFRESH_S

    def _prefetch_segments(self, urls: list[str], headers: tuple[tuple[str, str], ...]) -> None:
        for segment in urls:
            with self._fetch(segment, headers) as response:
                if response.status_code != 200:
                    return
                body = response.content
                ctype = response.headers.get("Content-Type", "video/mp2t")
            self.stats.prefetched_bytes += len(body)
            self.stats.segment_prefetches += 1
            self._store(segment, body, ctype, SEGMENT_MAX_AGE_S)

    def _evict(self) -> None:
        now = self._clock()
        with self._lock:
            for url in [u for u, e in self._cache.items() if now - e.fetched > max(e.max_age, SEGMENT_MAX_AGE_S)]:
                del self._cache[url]

    def _end_live(self) -> None:
        """Close the endless stream the player was reading, if any, before anything else is asked for."""
        with self._lock:
            old, self._live = self._live, None
        if old is not None:
            _shut(old)

    # --- serving -------------------------------------------------------------------------------------------------
    def serve(self, path: str, handler: Any) -> None:
        """Answer one GET from libVLC (called on the server's threads)."""
        origin = self._origin(path)
        if origin is None:
            handler.send_error(404)
            return
        url, headers = origin
        self._end_live()  # libVLC plays one input: asking anything here means it has left the stream it read
        entry = self._fresh(url)
        if entry is not None:
            self.stats.hits += 1
            _answer(handler, 200, entry.content_type, entry.body)
            return
        self.stats.misses += 1
        if is_stream(url):
            self._serve_stream(url, headers, handler)
            return
        with self._fetch(url, headers) as response:
            ctype = response.headers.get("Content-Type", "application/octet-stream")
            if response.status_code != 200:
                _answer(handler, response.status_code, ctype, response.content)
                return
            if any(t in ctype.lower() for t in _PLAYLIST_TYPES) or urlsplit(url).path.lower().endswith(".m3u8"):
                body = response.content
                text = body.decode("utf-8", "replace")
                self._note(url, text)
                rewritten = self._rewrite(text, url, headers).encode()
                _answer(handler, 200, "application/vnd.apple.mpegurl", rewritten)
                return
            _send_head(handler, response, ctype)
            for chunk in response.iter_content(CHUNK):
                handler.wfile.write(chunk)


    def _serve_stream(self, url: str, headers: tuple[tuple[str, str], ...], handler: Any) -> None:
        """Pass an MPEG-TS answer on as it comes (a Range asked for passes on too). An endless one (no length)
        is the player's live stream until libVLC hangs up or asks for something else (:meth:`_end_live`)."""
        wanted = dict(headers)
        wanted["Accept-Encoding"] = "identity"
        asked_range = handler.headers.get("Range")
        if asked_range:
            wanted["Range"] = asked_range
        with self._fetch(url, wanted) as response:
            ctype = response.headers.get("Content-Type", "video/mp2t")
            if response.status_code not in (200, 206):
                _answer(handler, response.status_code, ctype, response.raw.read(CHUNK))
                return
            length = response.headers.get("Content-Length")
            if length is None:
                with self._lock:
                    if self._closed:
                        return
                    self._live = response
            try:
                _send_head(handler, response, ctype)
                while chunk := response.raw.read1(CHUNK):  # what has come, at once (read() waits for CHUNK)
                    if _hung_up(handler.connection):  # libVLC left: end the stream at the provider now
                        break
                    handler.wfile.write(chunk)
            except (urllib3.exceptions.HTTPError, OSError) as exc:  # the provider or libVLC went: libVLC sees the end
                log.debug("zap cache: stream ended: %s", type(exc).__name__)
                handler.close_connection = True
            finally:
                with self._lock:
                    if self._live is response:
                        self._live = None


def _send_head(handler: Any, response: requests.Response, ctype: str) -> None:
    """The status line and headers of a provider's answer passed on as it comes: its length when it has one, else
    the connection closes at its end (and its range, for a part of a file)."""
    handler.send_response(response.status_code)
    handler.send_header("Content-Type", ctype)
    for name in ("Content-Range", "Accept-Ranges", "Content-Length"):
        if name in response.headers:
            handler.send_header(name, response.headers[name])
    if "Content-Length" not in response.headers:
        handler.send_header("Connection", "close")
        handler.close_connection = True
    handler.end_headers()


def _hung_up(sock: socket.socket) -> bool:
    """Whether the other end closed ``sock`` (readable, and nothing to read); a write would notice only later."""
    try:
        readable, _, _ = select.select([sock], [], [], 0)
        return bool(readable) and not sock.recv(1, socket.MSG_PEEK)
    except (OSError, ValueError):
        return True


def _shut(response: requests.Response) -> None:
    """End an answer another thread is reading. Its connection is taken from the answer first, so that it does
    not go back into the session's pool, where it would sit on top of the connection kept ready (and the next
    request would open a new one in its place); then its socket is shut down, which wakes the reader (a plain
    close does not) and tells the provider at once; the reader closes what is left."""
    raw = response.raw
    conn = getattr(raw, "_connection", None)
    raw._connection = None
    sock = getattr(conn, "sock", None)
    if not isinstance(sock, socket.socket):  # an answer with "Connection: close" holds the socket itself
        reader = getattr(getattr(raw, "_fp", None), "fp", None)  # http.client's buffered reader of the socket
        sock = getattr(getattr(reader, "raw", None), "_sock", None)
    if isinstance(sock, socket.socket):
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
    if conn is not None:
        with contextlib.suppress(OSError):
            conn.close()


def _lowest_variant(text: str, url: str) -> str | None:
    """The address of the master playlist's variant with the least bandwidth."""
    best: tuple[int, str] | None = None
    bandwidth: int | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("#EXT-X-STREAM-INF"):
            found = re.search(r"[:,]BANDWIDTH=(\d+)", line)
            bandwidth = int(found[1]) if found else 1 << 40
        elif line and not line.startswith("#") and bandwidth is not None:
            if best is None or bandwidth < best[0]:
                best = (bandwidth, urljoin(url, line))
            bandwidth = None
    return best[1] if best else None


def _answer(handler: Any, status: int, ctype: str, body: bytes) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", ctype)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def _make_handler(cache: ZapCache) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # a stream's pieces go to libVLC as they come, not held for an ACK

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            try:
                cache.serve(self.path, self)
            except (requests.RequestException, OSError) as exc:
                log.debug("zap cache: %s", type(exc).__name__)
                self.close_connection = True
                with contextlib.suppress(OSError):
                    self.send_error(502)

    return Handler
