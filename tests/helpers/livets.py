"""A live MPEG-TS stream over loopback HTTP: ffmpeg makes a tiny picture and tone in real time (``-re``) and a
small server hands the same bytes to every client, as IPTV restreamers do; ``drop()`` cuts every connection."""

from __future__ import annotations

import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from queue import Queue
from types import TracebackType

PACKETS = 188 * 64


class LiveTsServer:
    """``url`` serves the live stream; ``drop()`` closes the connections open now (clients may connect again)."""

    def __init__(self) -> None:
        self._clients: list[Queue[bytes | None]] = []
        self._lock = threading.Lock()
        self.connections = 0
        self._encoder = subprocess.Popen(
            ["ffmpeg", "-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi", "-i", "testsrc=s=160x90:r=25",
             "-re", "-f", "lavfi", "-i", "sine=f=440:sample_rate=48000", "-c:v", "libx264", "-preset", "ultrafast",
             "-tune", "zerolatency", "-g", "25", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "32k", "-f", "mpegts",
             "-"],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        threading.Thread(target=self._pump, daemon=True).start()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/live.ts"

    def _pump(self) -> None:
        stream = self._encoder.stdout
        assert stream is not None
        while data := stream.read(PACKETS):
            with self._lock:
                for client in self._clients:
                    client.put(data)
        self.drop()

    def _join(self) -> Queue[bytes | None]:
        queue: Queue[bytes | None] = Queue()
        with self._lock:
            self._clients.append(queue)
            self.connections += 1
        return queue

    def _leave(self, queue: Queue[bytes | None]) -> None:
        with self._lock:
            if queue in self._clients:
                self._clients.remove(queue)

    def drop(self) -> None:
        """Cut every connection open now."""
        with self._lock:
            clients, self._clients = self._clients, []
        for client in clients:
            client.put(None)

    def close(self) -> None:
        self._encoder.kill()
        self._encoder.wait()
        self.drop()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> LiveTsServer:
        return self

    def __exit__(self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


def _handler(server: LiveTsServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

        def do_GET(self) -> None:
            queue = server._join()
            self.send_response(200)
            self.send_header("Content-Type", "video/mp2t")
            self.end_headers()
            while (data := queue.get()) is not None:
                try:
                    self.wfile.write(data)
                except OSError:
                    server._leave(queue)
                    return
            self.close_connection = True

    return Handler
