"""A loopback server that behaves like a distant IPTV provider: round-trip delay, per-connection bandwidth cap.

Content (ffmpeg-made like tests/helpers/streams.py, cached under ``wan-v1``): for each test channel, 36 s of H.264 +
AAC with moving grain (so the encoder really spends its bitrate) in three variants, cut into 2 s and 6 s HLS
segments, and the high variant as one MPEG-TS file. Routes, all live (the position moves with the clock and loops
over the 36 s with a discontinuity):

  /hls2/<ch>/master.m3u8, /hls6/<ch>/master.m3u8   master playlist of the three variants (low, mid, high)
  /hls2/<ch>/<variant>/index.m3u8                  sliding window of ``WINDOW`` segments
  /hls2/<ch>/<variant>/s<seq>.ts                   one segment
  /ts/<ch>.ts                                      endless MPEG-TS over HTTP from the live position: ``TS_BURST_S``
                                                   of content at once (a provider's buffer), then at its bitrate

``GET /_counts`` (no delay) answers those counters as JSON and restarts them, for a benchmark in another process.

The network: every response waits ``rtt_s`` before its status line, the first on a new connection up to twice that
(the TCP handshake, one round trip from the moment the client connected: a connection made ahead and used later
has paid it already), and every body is paced to ``rate_bps`` per connection. The server counts open connections and
connections that carry media (segments or TS) so tests can check how many a client held at once.
"""

from __future__ import annotations

import json
import re
import select
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType

from tests.helpers.streams import _AAC, _H264, CHANNELS, _ffmpeg, _pattern, cached_build, segment_names

WAN_VERSION = "wan-v1"
WAN_SECONDS = 36  # content length per channel; a multiple of every segment duration
SEGMENT_SECONDS = (2, 6)
WINDOW = 5  # segments in a live media playlist
TS_BURST_S = 1.0  # seconds of content a TS connection gets at link speed before real-time pacing
DEFAULT_RTT_S = 0.080
DEFAULT_RATE_BPS = 20_000_000
CHUNK = 16 * 1024


@dataclass(frozen=True, slots=True)
class Variant:
    """One rendition of a channel: name (folder), picture size, video bitrate (ffmpeg form and bits/s)."""

    name: str
    size: str
    bitrate: str
    bandwidth: int
    fontsize: int


VARIANTS = (
    Variant("low", "256x144", "250k", 300_000, 40),
    Variant("mid", "640x360", "800k", 900_000, 100),
    Variant("high", "1280x720", "2500k", 2_700_000, 200),
)
_ROUTE = re.compile(r"^/(?:hls(?P<seg>\d+)/(?P<ch>[^/]+)/(?:(?P<master>master\.m3u8)|(?P<var>[a-z]+)/"
                    r"(?:(?P<index>index\.m3u8)|s(?P<seq>\d+)\.ts))|ts/(?P<tsch>[^/.]+)\.ts)$")


SMALL_VARIANTS = (  # for tests: the same layout, tiny pictures, 12 s per channel
    Variant("low", "160x90", "60k", 80_000, 40),
    Variant("mid", "192x108", "120k", 150_000, 48),
    Variant("high", "256x144", "200k", 250_000, 64),
)
SMALL_SECONDS = 12


def _build(root: Path, variants: tuple[Variant, ...] = VARIANTS, seconds_total: int = WAN_SECONDS) -> None:
    for channel in CHANNELS:
        for variant in variants:
            source = root / channel.name / f"{variant.name}.ts"
            source.parent.mkdir(parents=True, exist_ok=True)
            rate = ["-b:v", variant.bitrate, "-maxrate", variant.bitrate, "-bufsize", variant.bitrate]
            _ffmpeg(*_pattern(channel, seconds_total, variant.size, variant.fontsize, noise=8), *_H264, *rate,
                    *_AAC, "-f", "mpegts", str(source))
            for seconds in SEGMENT_SECONDS:
                folder = root / channel.name / f"hls{seconds}" / variant.name
                folder.mkdir(parents=True)
                _ffmpeg("-i", str(source), "-c", "copy", "-f", "hls", "-hls_time", str(seconds), "-hls_list_size",
                        "0", "-hls_playlist_type", "vod", "-hls_segment_filename", str(folder / "seg%03d.ts"),
                        str(folder / "index.m3u8"))


def stand_in_content(root: Path, channels: tuple[str, ...] = ("ch1", "ch2"), segment_bytes: int = 20_000) -> Path:
    """A content tree of the WAN layout whose segments are not video (``low``/``mid``/``high`` repeated): for tests
    of what is fetched when, where nothing decodes."""
    for channel in channels:
        for variant in ("low", "mid", "high"):
            folder = root / channel / "hls2" / variant
            folder.mkdir(parents=True)
            names = [f"seg{i:03d}.ts" for i in range(WAN_SECONDS // 2)]
            (folder / "index.m3u8").write_text("#EXTM3U\n" + "".join(f"#EXTINF:2,\n{n}\n" for n in names))
            for name in names:
                (folder / name).write_bytes(variant.encode() * (segment_bytes // len(variant)))
        packet = b"G" + channel.encode().ljust(187, b".")  # the TS channel: 188-byte packets naming the channel
        (root / channel / "high.ts").write_bytes(packet * 2000)
    return root


def wan_stream_dir(small: bool = False) -> Path:
    """The WAN content folder, built once (about 30 s of ffmpeg; ``small``: a few seconds, for tests) and cached
    like the other test streams."""
    if small:
        return cached_build(f"{WAN_VERSION}-small", lambda root: _build(root, SMALL_VARIANTS, SMALL_SECONDS))
    return cached_build(WAN_VERSION, _build)


@dataclass(slots=True)
class _Counts:
    open_now: int = 0
    open_peak: int = 0
    media_now: int = 0
    media_peak: int = 0
    connections: int = 0
    bytes_sent: int = 0
    paths: list[str] = field(default_factory=list)


class WanServer:
    """Serve the WAN content on 127.0.0.1 with ``rtt_s`` of delay and ``rate_bps`` per connection."""

    def __init__(self, root: Path | None = None, *, rtt_s: float = DEFAULT_RTT_S,
                 rate_bps: float = DEFAULT_RATE_BPS) -> None:
        self.root = root if root is not None else wan_stream_dir()
        self.rtt_s = rtt_s
        self.rate_bps = rate_bps
        self._lock = threading.Lock()
        self._counts = _Counts()
        self.seconds = SMALL_SECONDS if self.root.name.endswith("-small") else WAN_SECONDS  # content per channel
        self._t0 = time.monotonic() - self.seconds  # a full window at once
        self._segments: dict[tuple[str, int, str], list[str]] = {}
        self._httpd = _Quiet(("127.0.0.1", 0), _make_handler(self))
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="wanserver", daemon=True)
        self._thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path.lstrip('/')}"

    def hls_url(self, channel: str, segment_seconds: int) -> str:
        return self.url(f"hls{segment_seconds}/{channel}/master.m3u8")

    def ts_url(self, channel: str) -> str:
        return self.url(f"ts/{channel}.ts")

    # --- counters -----------------------------------------------------------------------------------------------
    def peaks(self) -> tuple[int, int]:
        """(most connections open at once, most connections carrying media at once) since the last reset."""
        with self._lock:
            return self._counts.open_peak, self._counts.media_peak

    def open_now(self) -> tuple[int, int]:
        with self._lock:
            return self._counts.open_now, self._counts.media_now

    def connections(self) -> int:
        """Connections the client opened since the last reset (with a request on them or not)."""
        with self._lock:
            return self._counts.connections

    def bytes_sent(self) -> int:
        with self._lock:
            return self._counts.bytes_sent

    def paths(self) -> list[str]:
        with self._lock:
            return list(self._counts.paths)

    def reset_counts(self) -> None:
        """Peaks restart from what is open now; the byte count and path log restart from zero."""
        with self._lock:
            c = self._counts
            self._counts = _Counts(c.open_now, c.open_now, c.media_now, c.media_now)

    def _count(self, name: str, delta: int) -> None:
        with self._lock:
            now = getattr(self._counts, f"{name}_now") + delta
            setattr(self._counts, f"{name}_now", now)
            if now > getattr(self._counts, f"{name}_peak"):
                setattr(self._counts, f"{name}_peak", now)

    def _sent(self, count: int) -> None:
        with self._lock:
            self._counts.bytes_sent += count

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(5)

    def __enter__(self) -> WanServer:
        return self

    def __exit__(self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    # --- content ------------------------------------------------------------------------------------------------
    def _names(self, channel: str, seconds: int, variant: str) -> list[str]:
        key = (channel, seconds, variant)
        if key not in self._segments:
            self._segments[key] = segment_names(self.root / channel / f"hls{seconds}" / variant)
        return self._segments[key]

    def _master(self, seconds: int) -> bytes:
        lines = ["#EXTM3U", "#EXT-X-VERSION:3"]
        for v in (SMALL_VARIANTS if self.seconds == SMALL_SECONDS else VARIANTS):
            lines += [f'#EXT-X-STREAM-INF:BANDWIDTH={v.bandwidth},RESOLUTION={v.size},CODECS="avc1.42c01f,mp4a.40.2"',
                      f"{v.name}/index.m3u8"]
        return ("\n".join(lines) + "\n").encode()

    def _media(self, channel: str, seconds: int, variant: str) -> bytes:
        names = self._names(channel, seconds, variant)
        end = int((time.monotonic() - self._t0) / seconds)
        first = max(0, end - WINDOW)
        lines = ["#EXTM3U", "#EXT-X-VERSION:3", f"#EXT-X-TARGETDURATION:{seconds}", f"#EXT-X-MEDIA-SEQUENCE:{first}",
                 f"#EXT-X-DISCONTINUITY-SEQUENCE:{first // len(names)}"]
        for seq in range(first, end):
            if seq % len(names) == 0 and seq != first:
                lines.append("#EXT-X-DISCONTINUITY")
            lines += [f"#EXTINF:{seconds:.6f},", f"s{seq}.ts"]
        return ("\n".join(lines) + "\n").encode()

    def resolve(self, path: str) -> tuple[bytes | Path | None, bool]:
        """The body for ``path`` (bytes, a segment file, or the TS file to stream) and whether it is media."""
        match = _ROUTE.match(path)
        if match is None:
            return None, False
        if match["tsch"]:
            source = self.root / match["tsch"] / "high.ts"
            return (source if source.is_file() else None), True
        channel, seconds = match["ch"], int(match["seg"])
        if not (self.root / channel / f"hls{seconds}").is_dir():
            return None, False
        if match["master"]:
            return self._master(seconds), False
        if not (self.root / channel / f"hls{seconds}" / match["var"]).is_dir():
            return None, False
        if match["index"]:
            return self._media(channel, seconds, match["var"]), False
        names = self._names(channel, seconds, match["var"])
        return self.root / channel / f"hls{seconds}" / match["var"] / names[int(match["seq"]) % len(names)], True

    def ts_offset(self, size: int) -> int:
        """Where in a TS file of ``size`` bytes the live position is now (a 188-byte packet boundary)."""
        rate = size / self.seconds
        return int((time.monotonic() - self._t0) * rate) % size // 188 * 188


class _Quiet(ThreadingHTTPServer):
    """A client that drops a kept-alive connection (libVLC on stop) is not an error worth a traceback."""

    def handle_error(self, request: object, client_address: object) -> None:
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


def _make_handler(server: WanServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        answered = 0
        connected = 0.0

        def log_message(self, format: str, *args: object) -> None:
            pass

        def setup(self) -> None:
            super().setup()
            self.connected = time.monotonic()
            server._count("open", 1)
            with server._lock:
                server._counts.connections += 1

        def finish(self) -> None:
            try:
                super().finish()
            finally:
                server._count("open", -1)

        def do_GET(self) -> None:
            path = self.path.split("?")[0]
            if path == "/_counts":  # control route for a benchmark in another process: no delay, not counted
                self._control()
                return
            handshake = max(0.0, self.connected + server.rtt_s - time.monotonic()) if self.answered == 0 else 0.0
            time.sleep(server.rtt_s + handshake)  # the first answer waits for the handshake too
            self.answered += 1
            with server._lock:
                server._counts.paths.append(path)
            body, media = server.resolve(path)
            if body is None:
                self._head(404, "text/plain", 4)
                self.wfile.write(b"404\n")
                return
            if media:
                server._count("media", 1)
            try:
                if isinstance(body, Path) and path.startswith("/ts/"):
                    self._stream(body)
                else:
                    data = body if isinstance(body, bytes) else body.read_bytes()
                    ctype = "video/mp2t" if media else "application/vnd.apple.mpegurl"
                    self._head(200, ctype, len(data))
                    self._paced(data, server.rate_bps)
            except (TimeoutError, BrokenPipeError, ConnectionResetError):
                self.close_connection = True
            finally:
                if media:
                    server._count("media", -1)

        def _control(self) -> None:
            with server._lock:
                c = server._counts
                body = json.dumps({"open_peak": c.open_peak - 1, "media_peak": c.media_peak, "bytes": c.bytes_sent,
                                   "connections": c.connections - 1, "requests": len(c.paths)}).encode()
            server.reset_counts()
            with server._lock:  # this connection is not the client's
                server._counts.open_peak -= 1
            self._head(200, "application/json", len(body))
            self.wfile.write(body)

        def _head(self, status: int, ctype: str, length: int | None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            if length is None:
                self.send_header("Connection", "close")
                self.close_connection = True
            else:
                self.send_header("Content-Length", str(length))
            self.end_headers()

        def _paced(self, data: bytes | memoryview, rate_bps: float, started: float | None = None,
                   already: int = 0) -> None:
            """Write ``data`` no faster than ``rate_bps`` (counted from ``started`` with ``already`` bytes sent)."""
            began = time.monotonic() if started is None else started
            view = memoryview(data)
            sent = already
            for i in range(0, len(view), CHUNK):
                chunk = view[i:i + CHUNK]
                server._sent(len(chunk))  # before the write: the client may have it all before we go on
                self.wfile.write(chunk)
                sent += len(chunk)
                wait = began + sent * 8 / rate_bps - time.monotonic()
                if wait > 0:
                    self._idle(wait)

        def _idle(self, seconds: float) -> None:
            """Wait between two writes, noticing at once a client that hangs up (as a provider's server does:
            its connection, and the stream it carried, end then, not at the next write)."""
            readable, _, _ = select.select([self.connection], [], [], seconds)
            if readable:
                if not self.connection.recv(1, socket.MSG_PEEK):
                    raise BrokenPipeError("the client closed the connection")
                time.sleep(max(0.0, seconds))  # it sent something (a next request): finish this answer first

        def _stream(self, source: Path) -> None:
            data = source.read_bytes()
            self._head(200, "video/mp2t", None)
            offset = server.ts_offset(len(data))
            content_bps = len(data) * 8 / server.seconds
            burst = int(TS_BURST_S * content_bps / 8) // 188 * 188
            loop = data[offset:] + data[:offset]
            self._paced(loop[:burst], server.rate_bps)
            began, sent = time.monotonic(), 0
            position = burst
            while True:  # real time from here on, until the client goes
                piece = loop[position:position + CHUNK * 4] or loop[:CHUNK * 4]
                position = (position + len(piece)) % len(loop)
                self._paced(piece, min(server.rate_bps, content_bps), began, sent)
                sent += len(piece)

    return Handler


def main() -> None:
    """``python -m tests.helpers.wanserver [RTT_MS [MBIT]]``: serve from another process; port on the first line."""
    import sys

    rtt = float(sys.argv[1]) / 1000 if len(sys.argv) > 1 else DEFAULT_RTT_S
    rate = float(sys.argv[2]) * 1e6 if len(sys.argv) > 2 else DEFAULT_RATE_BPS
    with WanServer(rtt_s=rtt, rate_bps=rate) as server:
        sys.stdout.write(f"{server.port}\n")
        sys.stdout.flush()
        sys.stdin.read()


if __name__ == "__main__":
    main()
