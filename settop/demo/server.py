"""Serves the demo channels on 127.0.0.1: live sliding-window HLS, catch-up as VOD, logos, playlist and guide."""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from settop.demo.assets import DemoAssets, make_demo
from settop.demo.content import build_guide, build_playlist
from settop.demo.tsloop import LoopedStream

log = logging.getLogger("settop.demo")

WINDOW = 5
"""Segments in a live playlist (10 s at 2 s each)."""
MAX_VOD_SECONDS = 6 * 3600
GUIDE_REFRESH_S = 600

M3U8 = "application/vnd.apple.mpegurl"
TS = "video/mp2t"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, demo: DemoServer) -> None:
        self.demo = demo
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _Handler)

    def process_request_thread(self, request: socket.socket, client_address: object) -> None:  # type: ignore[override]
        with self.connections_lock:
            self.connections.add(request)
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self.connections_lock:
                self.connections.discard(request)

    def handle_error(self, request: object, client_address: object) -> None:
        # a player that hangs up mid-segment (every zap does) is normal, not worth a traceback on stderr
        log.debug("demo server: connection ended early", exc_info=True)

    def drop_connections(self) -> None:
        with self.connections_lock:
            for connection in self.connections:
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "settop-demo"
    timeout = 30  # idle keep-alive connections close after this
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        log.debug("demo server: " + format, *args)

    def do_HEAD(self) -> None:
        self._respond(head=True)

    def do_GET(self) -> None:
        self._respond(head=False)

    def _respond(self, head: bool) -> None:
        url = urlsplit(self.path)
        try:
            found = self.server.demo.route(url.path, parse_qs(url.query))
        except Exception:
            log.exception("demo server failed on %s", url.path)
            found = None
            status = HTTPStatus.INTERNAL_SERVER_ERROR
        else:
            status = HTTPStatus.OK if found else HTTPStatus.NOT_FOUND
        body, content_type = found or (f"{status.phrase}\n".encode(), "text/plain; charset=utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if content_type in (M3U8, "application/xml", "audio/x-mpegurl"):
            self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        if not head:
            self.wfile.write(body)


class DemoServer:
    """The demo channels over HTTP/1.1 (keep-alive) on a free loopback port.

    Live playlists slide with wall time over the looped segments: media sequence ``n`` is the segment that started
    at ``n * segment_seconds`` after the Unix epoch. ``?start=<utc>&end=<utcend>`` on a channel's playlist (the
    demo's catch-up template) answers a VOD playlist of that span. ``clock`` is injectable for tests.
    """

    def __init__(self, assets: DemoAssets | None = None, *, clock: Callable[[], float] = time.time) -> None:
        self.assets = assets or make_demo()
        self.clock = clock
        self._streams = {
            c.spec.slug: LoopedStream.from_segments([p.read_bytes() for p in c.segments], self.assets.loop_ticks)
            for c in self.assets.channels
        }
        self._logos = {c.spec.slug: c.logo.read_bytes() for c in self.assets.channels}
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._base_loop = 0
        self._guide: tuple[float, bytes] | None = None
        self._guide_lock = threading.Lock()

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>`` while running."""
        if self._server is None:
            raise RuntimeError("the demo server is not running")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def playlist_url(self) -> str:
        """The demo M3U."""
        return f"{self.base_url}/demo.m3u"

    @property
    def guide_url(self) -> str:
        """The demo XMLTV guide."""
        return f"{self.base_url}/guide.xml"

    def start(self) -> str:
        """Start serving on a free port; returns the base URL."""
        if self._server is None:
            per_loop = len(self.assets.channels[0].segments) * self.assets.segment_seconds
            # timestamps count from a loop shortly before start, so a live stream's clock starts small
            self._base_loop = int(self.clock()) // per_loop - WINDOW
            self._server = _Server(self)
            self._thread = threading.Thread(
                target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="settop-demo", daemon=True
            )
            self._thread.start()
            log.info("demo channels at %s", self.base_url)
        return self.base_url

    def stop(self) -> None:
        """Stop serving and close open connections."""
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.drop_connections()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> DemoServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # routing

    def route(self, path: str, query: dict[str, list[str]]) -> tuple[bytes, str] | None:
        """The body and content type for ``path``, None for 404."""
        parts = [p for p in path.split("/") if p]
        if parts == ["demo.m3u"]:
            specs = [c.spec for c in self.assets.channels]
            return build_playlist(specs, self.base_url).encode("utf-8"), "audio/x-mpegurl"
        if parts == ["guide.xml"]:
            return self.guide(), "application/xml"
        if len(parts) == 2 and parts[0] == "logos" and parts[1].endswith(".png"):
            logo = self._logos.get(parts[1].removesuffix(".png"))
            return (logo, "image/png") if logo else None
        if len(parts) == 3 and parts[0] == "live" and parts[1] in self._streams:
            slug, name = parts[1], parts[2]
            if name == "index.m3u8":
                if "start" in query:
                    playlist = self.vod_playlist(slug, query)
                    return (playlist.encode(), M3U8) if playlist else None
                return self.live_playlist(slug).encode(), M3U8
            seq = _int(name.removesuffix(".ts")) if name.endswith(".ts") else None
            return (self._streams[slug].segment(seq, self._base_loop), TS) if seq is not None else None
        if len(parts) == 4 and parts[0] == "vod" and parts[1] in self._streams and parts[3].endswith(".ts"):
            base, seq = _int(parts[2]), _int(parts[3].removesuffix(".ts"))
            if base is None or seq is None:
                return None
            return self._streams[parts[1]].segment(seq, base), TS
        return None

    def guide(self) -> bytes:
        """The XMLTV guide, rebuilt every few minutes so it always covers now."""
        now = self.clock()
        with self._guide_lock:
            if self._guide is None or now - self._guide[0] > GUIDE_REFRESH_S or now < self._guide[0]:
                specs = [c.spec for c in self.assets.channels]
                self._guide = (now, build_guide(specs, self.base_url, now))
            return self._guide[1]

    def live_playlist(self, slug: str) -> str:
        """A live media playlist: the last ``WINDOW`` finished segments."""
        seconds = self.assets.segment_seconds
        newest = int(self.clock() // seconds) - 1
        first = newest - WINDOW + 1
        lines = [
            "#EXTM3U",
            "#EXT-X-VERSION:3",
            f"#EXT-X-TARGETDURATION:{seconds}",
            f"#EXT-X-MEDIA-SEQUENCE:{first}",
            f"#EXT-X-PROGRAM-DATE-TIME:{_iso(first * seconds)}",
        ]
        for seq in range(first, newest + 1):
            lines += [f"#EXTINF:{seconds:.3f},", f"{seq}.ts"]
        return "\n".join(lines) + "\n"

    def vod_playlist(self, slug: str, query: dict[str, list[str]]) -> str | None:
        """The catch-up span ``start``..``end`` (UTC epoch seconds) as a VOD playlist; None when invalid."""
        start = _int(query.get("start", [""])[0])
        end = _int(query.get("end", [""])[0]) if "end" in query else None
        if start is None:
            return None
        now = self.clock()
        end = min(end if end is not None else start + 3600, int(now), start + MAX_VOD_SECONDS)
        if end <= start:
            return None
        seconds = self.assets.segment_seconds
        first, last = start // seconds, (end - 1) // seconds
        base = first // len(self._streams[slug].segments)
        lines = [
            "#EXTM3U",
            "#EXT-X-VERSION:3",
            f"#EXT-X-TARGETDURATION:{seconds}",
            "#EXT-X-PLAYLIST-TYPE:VOD",
            "#EXT-X-MEDIA-SEQUENCE:0",
            f"#EXT-X-PROGRAM-DATE-TIME:{_iso(first * seconds)}",
        ]
        for seq in range(first, last + 1):
            lines += [f"#EXTINF:{seconds:.3f},", f"/vod/{slug}/{base}/{seq}.ts"]
        lines.append("#EXT-X-ENDLIST")
        return "\n".join(lines) + "\n"


def _int(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


def _iso(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(epoch))


def serve_demo(cache_dir: Path | None = None) -> DemoServer:
    """Make (if needed) and start the demo; the caller stops it. ``server.playlist_url`` is what to open."""
    server = DemoServer(make_demo(cache_dir))
    server.start()
    return server
