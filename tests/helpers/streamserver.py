"""A threaded HTTP/1.1 keep-alive server on 127.0.0.1 for the test streams, with misbehaviour on demand.

Files under the root are served as they are (with Range support). ``/live/<channel>/index.m3u8`` is a live sliding
window over the channel's long segment set (``<root>/<channel>/live/seg*.ts``), moving one segment per segment
duration and looping with a discontinuity. Misbehaviour: freeze a live playlist, answer a status for matching paths,
close the connection part-way through a body, delay matching paths, add latency to every request. Every request
is logged.
"""

from __future__ import annotations

import fnmatch
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType

from tests.helpers.streams import SEGMENT_SECONDS, segment_names

WINDOW = 4  # segments in a live playlist
_LIVE = re.compile(r"^/live/(?P<ch>[^/]+)/(?:(?P<index>index\.m3u8)|s(?P<seq>\d+)\.ts)$")
_TYPES = {".m3u8": "application/vnd.apple.mpegurl", ".ts": "video/mp2t", ".mkv": "video/x-matroska"}


@dataclass(frozen=True, slots=True)
class LoggedRequest:
    """One request the server answered: path, headers (lower-case names), the status sent, when (monotonic), query."""

    method: str
    path: str
    headers: dict[str, str]
    status: int
    at: float
    query: str = ""


@dataclass(slots=True)
class _Rule:
    pattern: str
    status: int = 0  # answer this status
    drop_after: int = -1  # or close the connection after this many body bytes
    delay_s: float = 0.0  # or answer normally after this long
    count: int | None = None  # how many requests it applies to; None = until cleared


@dataclass(slots=True)
class _State:
    rules: list[_Rule] = field(default_factory=list)
    frozen: dict[str, int] = field(default_factory=dict)
    latency_s: float = 0.0
    log: list[LoggedRequest] = field(default_factory=list)
    arrivals: list[str] = field(default_factory=list)  # paths as requests arrive, before any delay


class StreamServer:
    """Serve ``root`` on 127.0.0.1 on a free port; use as a context manager or call ``close()``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)
        self._state = _State()
        self._t0 = time.monotonic() - WINDOW * SEGMENT_SECONDS
        self._segments: dict[str, list[str]] = {}
        handler = _make_handler(self)
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="streamserver", daemon=True)
        self._thread.start()

    def url(self, path: str) -> str:
        """The http URL of ``path`` (relative to the root, or ``live/ch1/index.m3u8``)."""
        return f"http://127.0.0.1:{self.port}/{path.lstrip('/')}"

    def live_url(self, channel: str) -> str:
        return self.url(f"live/{channel}/index.m3u8")

    # --- misbehaviour -------------------------------------------------------------------------------------------
    def fail(self, pattern: str, status: int, count: int | None = None) -> None:
        """Answer ``status`` to paths matching the glob ``pattern`` (``count`` times, or until ``clear()``)."""
        with self._lock:
            self._state.rules.append(_Rule(pattern, status=status, count=count))

    def drop(self, pattern: str, after_bytes: int, count: int | None = 1) -> None:
        """Close the connection after ``after_bytes`` of the body for matching paths."""
        with self._lock:
            self._state.rules.append(_Rule(pattern, drop_after=after_bytes, count=count))

    def freeze(self, channel: str, frozen: bool = True) -> None:
        """Stop (or resume) a live playlist moving on."""
        with self._lock:
            if frozen:
                self._state.frozen[channel] = self._position()
            else:
                self._state.frozen.pop(channel, None)

    def delay(self, pattern: str, seconds: float, count: int | None = None) -> None:
        """Answer matching paths normally, but only after ``seconds``."""
        with self._lock:
            self._state.rules.append(_Rule(pattern, delay_s=seconds, count=count))

    def set_latency(self, seconds: float) -> None:
        with self._lock:
            self._state.latency_s = seconds

    def clear(self) -> None:
        """Forget every misbehaviour (the request log stays)."""
        with self._lock:
            self._state.rules.clear()
            self._state.frozen.clear()
            self._state.latency_s = 0.0

    # --- inspection ---------------------------------------------------------------------------------------------
    def requests(self, pattern: str = "*") -> list[LoggedRequest]:
        with self._lock:
            return [r for r in self._state.log if fnmatch.fnmatch(r.path, pattern)]

    def wait_arrival(self, pattern: str, timeout: float = 10.0) -> bool:
        """Wait until a request for a path matching ``pattern`` has arrived (answered or not)."""
        with self._arrived:
            return self._arrived.wait_for(
                lambda: any(fnmatch.fnmatch(p, pattern) for p in self._state.arrivals), timeout)

    def clear_log(self) -> None:
        with self._lock:
            self._state.log.clear()

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(5)

    def __enter__(self) -> StreamServer:
        return self

    def __exit__(self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    # --- internals ----------------------------------------------------------------------------------------------
    def _position(self) -> int:
        return int((time.monotonic() - self._t0) / SEGMENT_SECONDS)

    def _rule_for(self, path: str) -> _Rule | None:
        with self._lock:
            for rule in self._state.rules:
                if fnmatch.fnmatch(path, rule.pattern) and (rule.count is None or rule.count > 0):
                    if rule.count is not None:
                        rule.count -= 1
                    return rule
        return None

    def _live_segments(self, channel: str) -> list[str]:
        if channel not in self._segments:
            self._segments[channel] = segment_names(self.root / channel / "live")
        return self._segments[channel]

    def _live_playlist(self, channel: str) -> bytes:
        segments = self._live_segments(channel)
        with self._lock:
            end = self._state.frozen.get(channel, self._position())
        first = max(0, end - WINDOW)
        lines = ["#EXTM3U", "#EXT-X-VERSION:3", f"#EXT-X-TARGETDURATION:{SEGMENT_SECONDS}",
                 f"#EXT-X-MEDIA-SEQUENCE:{first}", f"#EXT-X-DISCONTINUITY-SEQUENCE:{first // len(segments)}"]
        for seq in range(first, end):
            if seq % len(segments) == 0 and seq != first:
                lines.append("#EXT-X-DISCONTINUITY")
            lines += [f"#EXTINF:{SEGMENT_SECONDS:.6f},", f"s{seq}.ts"]
        return ("\n".join(lines) + "\n").encode()

    def _resolve(self, path: str) -> tuple[bytes | Path | None, str]:
        """The body (bytes or a file) and content type for ``path``; None when not found."""
        live = _LIVE.match(path)
        if live:
            channel = live["ch"]
            if not (self.root / channel / "live").is_dir():
                return None, ""
            if live["index"]:
                return self._live_playlist(channel), _TYPES[".m3u8"]
            segments = self._live_segments(channel)
            return self.root / channel / "live" / segments[int(live["seq"]) % len(segments)], _TYPES[".ts"]
        target = (self.root / path.lstrip("/")).resolve()
        if not target.is_file() or self.root.resolve() not in target.parents:
            return None, ""
        return target, _TYPES.get(target.suffix, "application/octet-stream")


def _make_handler(server: StreamServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

        def _log(self, status: int) -> None:
            path, _, query = self.path.partition("?")
            entry = LoggedRequest(self.command, path, {k.lower(): v for k, v in self.headers.items()}, status,
                                  time.monotonic(), query)
            with server._lock:
                server._state.log.append(entry)

        def do_HEAD(self) -> None:
            self._answer(head=True)

        def do_GET(self) -> None:
            self._answer(head=False)

        def _answer(self, head: bool) -> None:
            with server._arrived:
                latency = server._state.latency_s
                server._state.arrivals.append(self.path.split("?")[0])
                server._arrived.notify_all()
            if latency:
                time.sleep(latency)
            path = self.path.split("?")[0]
            rule = server._rule_for(path)
            if rule is not None and rule.delay_s:
                time.sleep(rule.delay_s)
            if rule is not None and rule.status:
                self._log(rule.status)
                self._send_status(rule.status)
                return
            body, ctype = server._resolve(path)
            if body is None:
                self._log(404)
                self._send_status(404)
                return
            data = body if isinstance(body, bytes) else body.read_bytes()
            start, end, status = 0, len(data), 200
            match = re.match(r"bytes=(\d*)-(\d*)", self.headers.get("Range", ""))
            if match and match[1]:
                start = int(match[1])
                end = min(len(data), int(match[2]) + 1) if match[2] else len(data)
                status = 206
                if start >= len(data):
                    self._log(416)
                    self.send_response(416)
                    self.send_header("Content-Range", f"bytes */{len(data)}")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
            self._log(status)
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(end - start))
            self.send_header("Accept-Ranges", "bytes")
            if status == 206:
                self.send_header("Content-Range", f"bytes {start}-{end - 1}/{len(data)}")
            self.end_headers()
            if head:
                return
            chunk = data[start:end]
            if rule is not None and rule.drop_after >= 0:
                self.wfile.write(chunk[: rule.drop_after])
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)
                self.close_connection = True
                return
            try:
                self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

        def _send_status(self, status: int) -> None:
            body = f"{status}\n".encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

    return Handler


def main() -> None:
    """``python -m tests.helpers.streamserver``: serve the test streams from another process (benchmarks).

    Prints the port on the first line, then serves until stdin closes.
    """
    import sys

    from tests.helpers.streams import stream_dir

    with StreamServer(stream_dir()) as server:
        sys.stdout.write(f"{server.port}\n")
        sys.stdout.flush()
        sys.stdin.read()


if __name__ == "__main__":
    main()
