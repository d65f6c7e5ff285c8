"""A loopback HTTP/1.1 server with misbehaving routes for fetcher, probe and check tests (plain or self-signed TLS).

Routes (query strings are ignored unless noted):
  /file/NAME              a body put in ``server.files[NAME] = (bytes, content_type)``
  /etag/NAME              like /file but with ETag and Last-Modified, answering 304 to matching validators
  /drip?interval=S        headers at once, then one byte every S seconds (default 1) of a 1000-byte body
  /slow-headers?delay=S   waits S seconds before sending anything
  /drip-headers?interval=S  the status line and headers, one byte every S seconds
  /truncated              declares 1000 bytes, sends 100 and closes
  /reset                  closes with a TCP reset before answering
  /wrong-length-long      declares 5000 bytes, sends 50 and keeps the connection open
  /wrong-length-short     declares 10 bytes, sends 100
  /redirect?to=URL        302 to URL;  /redirect-loop  302 to itself;  /chain/N  N redirects, then a playlist
  /status/CODE            that status (429 and 503 carry Retry-After: 7)
  /bomb.gz                a gzip body (application/gzip) decoding to ``bomb_size`` zero bytes
  /bomb-ce                the same bytes sent with Content-Encoding: gzip
  /headers                the request headers as JSON
  /big                    declares 1 GiB and sends nothing more
  /stream.ts              an endless MPEG-TS-looking stream (sync byte every 188 bytes)
  /flaky/NAME             like /etag/NAME, but answers 503 while ``server.failing`` is set
"""

from __future__ import annotations

import json
import socket
import ssl
import struct
import subprocess
import threading
import time
import zlib
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import parse_qs, urlsplit

PLAYLIST = b"#EXTM3U\n#EXTINF:-1 tvg-id=\"one\",One\nhttp://127.0.0.1:9/one.ts\n"
LAST_MODIFIED = "Sat, 01 Nov 2025 10:00:00 GMT"


def _bomb(size: int) -> bytes:
    obj = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(1024 * 1024)
    parts = [obj.compress(block) for _ in range(size // len(block))]
    parts.append(obj.flush())
    return b"".join(parts)


_BOMBS: dict[int, bytes] = {}


def make_self_signed(folder: Path) -> tuple[Path, Path]:
    """A throw-away self-signed certificate for 127.0.0.1 and localhost; returns (cert, key)."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    if not cert.exists():
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
             "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=127.0.0.1",
             "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
            check=True, capture_output=True, timeout=30,
        )
    return cert, key


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        return

    def _send(self, status: int, body: bytes = b"", content_type: str = "text/plain",
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if body:
            self.wfile.write(body)

    def do_GET(self) -> None:
        fault: FaultServer = self.server.fault
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        path = parts.path
        fault.record(path, dict(self.headers.items()))
        try:
            self._route(fault, path, query)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError):
            self.close_connection = True

    def _route(self, fault: FaultServer, path: str, query: dict[str, str]) -> None:
        custom = fault.routes.get(path)
        if custom is not None:
            custom(self)
            return
        if path.startswith("/file/"):
            body, ctype = fault.files.get(path[6:], (b"", ""))
            if not ctype:
                self._send(404, b"not found")
            else:
                self._send(200, body, ctype)
        elif path.startswith(("/etag/", "/flaky/")):
            if path.startswith("/flaky/") and fault.failing:
                self._send(503, b"down", headers={"Retry-After": "7"})
                return
            name = path.split("/", 2)[2]
            body, ctype = fault.files.get(name, (PLAYLIST, "audio/x-mpegurl"))
            etag = f'"v{fault.version}"'
            validators = {"ETag": etag, "Last-Modified": LAST_MODIFIED}
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                for k, v in validators.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", "0")
                self.end_headers()
            else:
                self._send(200, body, ctype, validators)
        elif path == "/drip":
            interval = float(query.get("interval", "1"))
            self.send_response(200)
            self.send_header("Content-Type", "audio/x-mpegurl")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            for _ in range(1000):
                self.wfile.write(b"#")
                self.wfile.flush()
                if fault.stopping.wait(interval):
                    break
        elif path == "/trickle":  # a slow but steady body: ``rate`` bytes a second, ``size`` bytes in all
            rate, size = int(query.get("rate", "10000")), int(query.get("size", "30000"))
            step = max(1, rate // 20)
            self.send_response(200)
            self.send_header("Content-Type", "audio/x-mpegurl")
            self.send_header("Content-Length", str(size))
            self.end_headers()
            sent = 0
            while sent < size and not fault.stopping.wait(0.05):
                part = min(step, size - sent)
                self.wfile.write(b"#" * part)
                self.wfile.flush()
                sent += part
        elif path == "/drip-headers":
            for byte in b"HTTP/1.1 200 OK\r\nX-Padding: " + b"p" * 1000:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                if fault.stopping.wait(float(query.get("interval", "0.2"))):
                    break
            self.close_connection = True
        elif path == "/slow-headers":
            fault.stopping.wait(float(query.get("delay", "5")))
            self._send(200, PLAYLIST, "audio/x-mpegurl")
        elif path == "/truncated":
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b"x" * 100)
            self.wfile.flush()
            self.close_connection = True
        elif path == "/reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            self.connection.close()
        elif path == "/wrong-length-long":
            self.send_response(200)
            self.send_header("Content-Length", "5000")
            self.end_headers()
            self.wfile.write(b"y" * 50)
            self.wfile.flush()
            fault.stopping.wait(float(query.get("hold", "10")))
            self.close_connection = True
        elif path == "/wrong-length-short":
            self.send_response(200)
            self.send_header("Content-Length", "10")
            self.end_headers()
            self.wfile.write(b"z" * 100)
            self.close_connection = True
        elif path == "/redirect":
            self._send(302, b"", headers={"Location": query.get("to", "/")})
        elif path == "/redirect-loop":
            self._send(302, b"", headers={"Location": "/redirect-loop"})
        elif path.startswith("/chain/"):
            left = int(path[7:] or "0")
            if left <= 0:
                self._send(200, PLAYLIST, "audio/x-mpegurl")
            else:
                self._send(301, b"", headers={"Location": f"/chain/{left - 1}"})
        elif path.startswith("/status/"):
            code = int(path[8:])
            extra = {"Retry-After": "7"} if code in (429, 503) else {}
            self._send(code, f"status {code}".encode(), headers=extra)
        elif path in ("/bomb.gz", "/bomb-ce"):
            body = fault.bomb()
            if path == "/bomb.gz":
                self._send(200, body, "application/gzip")
            else:
                self._send(200, body, "audio/x-mpegurl", {"Content-Encoding": "gzip"})
        elif path == "/headers":
            self._send(200, json.dumps(dict(self.headers.items())).encode(), "application/json")
        elif path == "/big":
            self.send_response(200)
            self.send_header("Content-Length", str(1 << 30))
            self.end_headers()
            self.close_connection = True
        elif path == "/stream.ts":
            self.send_response(200)
            self.send_header("Content-Type", "video/mp2t")
            self.end_headers()
            packet = b"\x47" + bytes(187)
            for _ in range(20000):
                self.wfile.write(packet * 64)
                if fault.stopping.is_set():
                    break
            self.close_connection = True
        else:
            self._send(404, b"no such route")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    fault: FaultServer

    def handle_error(self, request: object, client_address: object) -> None:
        return  # clients hang up on purpose in these tests


class FaultServer:
    """Start with ``with FaultServer() as server:``; ``server.url("/drip")`` gives the address."""

    def __init__(self, *, tls_cert: tuple[Path, Path] | None = None, bomb_size: int = 64 * 1024 * 1024) -> None:
        self.files: dict[str, tuple[bytes, str]] = {}
        self.routes: dict[str, Callable[[BaseHTTPRequestHandler], None]] = {}
        self.counts: Counter[str] = Counter()
        self.seen_headers: list[tuple[str, dict[str, str]]] = []
        self.version = 1
        self.failing = False
        self.bomb_size = bomb_size
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.fault = self
        self.scheme = "http"
        if tls_cert is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(str(tls_cert[0]), str(tls_cert[1]))
            self._httpd.socket = context.wrap_socket(self._httpd.socket, server_side=True)
            self.scheme = "https"
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="faultserver", daemon=True)

    def url(self, path: str, host: str = "127.0.0.1", userinfo: str = "") -> str:
        """``http://127.0.0.1:PORT/path``; ``host="localhost"`` gives the same server under another host name."""
        auth = f"{userinfo}@" if userinfo else ""
        return f"{self.scheme}://{auth}{host}:{self.port}{path}"

    def record(self, path: str, headers: dict[str, str]) -> None:
        with self._lock:
            self.counts[path] += 1
            self.seen_headers.append((path, headers))

    def bomb(self) -> bytes:
        if self.bomb_size not in _BOMBS:
            _BOMBS[self.bomb_size] = _bomb(self.bomb_size)
        return _BOMBS[self.bomb_size]

    def reset(self) -> None:
        with self._lock:
            self.counts.clear()
            self.seen_headers.clear()
        self.files.clear()
        self.routes.clear()
        self.version = 1
        self.failing = False

    def start(self) -> FaultServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FaultServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


def wait_until(predicate: Callable[[], bool], timeout: float = 5.0) -> bool:
    """Poll ``predicate`` until true or ``timeout``; for conditions no event reports."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()
