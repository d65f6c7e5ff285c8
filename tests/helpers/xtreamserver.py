"""A loopback server speaking the Xtream Codes player API from its public description, misbehaving on demand.

Routes: ``/player_api.php`` (login/status and the ``action=`` lists and infos), ``/xmltv.php`` (a small guide),
``/live|movie|series/USER/PASS/ID.EXT`` (real ffmpeg-made streams from tests/helpers/streams.py), and the same
answers for a wrong password (``{"user_info":{"auth":0}}``). Records mix numbers and numbers-as-strings, nulls and
missing fields, as real panels do. ``mode`` makes it misbehave: ``html`` (a web page), ``malformed`` (broken JSON),
``empty`` (an empty 200 body), ``401``, ``503``; ``delay_s`` slows every API answer; ``status``/``exp_date`` make
an expired or disabled account; ``live``/``movies``/``series`` size the lists (50,000 is fine). It counts the
streams being served at once (``peak_streams``) so tests can prove a connection limit holds.
"""

from __future__ import annotations

import json
import select
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

USERNAME = "viewer"
PASSWORD = "s3cr3t-Pa55"  # distinctive, so a test can search any output for it
FUTURE = 1804809600  # 12 March 2027, 00:00 UTC
LIVE_CATEGORIES = ("News", "Sport", "Kids")
MOVIE_CATEGORIES = ("Drama", "Comedy")
SERIES_CATEGORIES = ("Crime",)
GUIDE = """<?xml version="1.0" encoding="UTF-8"?>
<tv><channel id="ch1.test"><display-name>Channel 1</display-name></channel>
<programme channel="ch1.test" start="{start} +0000" stop="{stop} +0000"><title>Morning news</title></programme>
</tv>
"""


@dataclass(slots=True)
class Panel:
    """What the server offers and how it behaves; change fields between requests."""

    username: str = USERNAME
    password: str = PASSWORD
    status: str = "Active"
    exp_date: str | None = str(FUTURE)
    max_connections: Any = "2"
    active_cons: Any = "1"
    formats: list[str] = field(default_factory=lambda: ["m3u8", "ts", "rtmp"])
    live: int = 5
    movies: int = 4
    series: int = 2
    mode: str = ""
    delay_s: float = 0.0
    streams: Path | None = None  # tests/helpers/streams.stream_dir(): real media to serve
    pace: bool = False  # send streams at about their own speed (a connection stays open while it plays)


class XtreamServer:
    """Serve a :class:`Panel` on 127.0.0.1 on a free port; a context manager."""

    def __init__(self, panel: Panel | None = None) -> None:
        self.panel = panel or Panel()
        self.requests: list[str] = []  # paths with query, as they arrive
        self.streaming = 0
        self.peak_streams = 0
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        handler = type("Handler", (_Handler,), {"owner": self})
        self._httpd = _QuietServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self.server = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="xtreamserver", daemon=True)
        self._thread.start()

    def __enter__(self) -> XtreamServer:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def stream_started(self) -> None:
        with self._lock:
            self.streaming += 1
            self.peak_streams = max(self.peak_streams, self.streaming)

    def stream_ended(self) -> None:
        with self._lock:
            self.streaming -= 1

    # ------------------------------------------------------------------------------------------ answers

    def user_info(self) -> dict[str, Any]:
        p = self.panel
        return {
            "user_info": {"username": p.username, "password": p.password, "auth": 1, "status": p.status,
                          "exp_date": p.exp_date, "is_trial": "0", "active_cons": p.active_cons,
                          "created_at": "1700000000", "max_connections": p.max_connections,
                          "allowed_output_formats": p.formats},
            "server_info": {"url": "127.0.0.1", "port": str(self.port), "https_port": "", "server_protocol": "http",
                            "timezone": "Europe/London", "timestamp_now": int(time.time()),
                            "time_now": time.strftime("%Y-%m-%d %H:%M:%S")},
        }

    def action(self, name: str, query: dict[str, str]) -> Any:
        handler = getattr(self, "_" + name, None)
        return handler(query) if handler is not None else []

    @staticmethod
    def _categories(names: tuple[str, ...]) -> list[dict[str, Any]]:
        return [{"category_id": str(i + 1), "category_name": name, "parent_id": 0} for i, name in enumerate(names)]

    def _get_live_categories(self, query: dict[str, str]) -> Any:
        return self._categories(LIVE_CATEGORIES)

    def _get_vod_categories(self, query: dict[str, str]) -> Any:
        return self._categories(MOVIE_CATEGORIES)

    def _get_series_categories(self, query: dict[str, str]) -> Any:
        return self._categories(SERIES_CATEGORIES)

    def _get_live_streams(self, query: dict[str, str]) -> Any:
        out = []
        for i in range(1, self.panel.live + 1):
            record: dict[str, Any] = {
                "num": i if i % 2 else str(i), "name": f"Channel {i}", "stream_type": "live", "stream_id": i,
                "stream_icon": f"{self.server}/logo/{i}.png" if i % 3 else None,
                "epg_channel_id": f"ch{i}.test" if i != 4 else None, "added": "1700000000",
                "category_id": str(i % len(LIVE_CATEGORIES) + 1), "custom_sid": "",
                "tv_archive": 1 if i == 1 else "0", "tv_archive_duration": "3" if i == 1 else 0, "direct_source": "",
            }
            if i == 5:
                del record["epg_channel_id"], record["stream_icon"]  # missing fields
            out.append(record)
        return out

    def _get_vod_streams(self, query: dict[str, str]) -> Any:
        return [{"num": i, "name": f"Film {i}", "stream_type": "movie", "stream_id": str(1000 + i),
                 "stream_icon": f"{self.server}/poster/{i}.jpg" if i % 2 else "", "rating": "7.5" if i % 2 else None,
                 "rating_5based": 3.8, "added": str(1700000000 + i), "category_id": str(i % 2 + 1),
                 "container_extension": "ts", "custom_sid": None, "direct_source": ""}
                for i in range(1, self.panel.movies + 1)]

    def _get_series(self, query: dict[str, str]) -> Any:
        return [{"num": i, "name": f"Series {i}", "series_id": 2000 + i, "cover": f"{self.server}/cover/{i}.jpg",
                 "plot": "A plot.", "cast": "A, B", "director": "C", "genre": "Crime", "releaseDate": "2019-05-01",
                 "last_modified": "1700000000", "rating": "8", "category_id": "1"}
                for i in range(1, self.panel.series + 1)]

    def _get_vod_info(self, query: dict[str, str]) -> Any:
        stream_id = query.get("vod_id", "0")
        return {"info": {"name": f"Film {stream_id}", "plot": "A short test film.", "cast": "Ann Actor, Bob Actor",
                         "director": "Dee Rector", "genre": "Drama", "releasedate": "2021-10-01",
                         "duration_secs": "6", "duration": "00:00:06", "rating": "7.5",
                         "movie_image": f"{self.server}/poster/{stream_id}.jpg", "backdrop_path": [None]},
                "movie_data": {"stream_id": stream_id, "name": f"Film {stream_id}", "container_extension": "ts"}}

    def _get_series_info(self, query: dict[str, str]) -> Any:
        def episode(season: int, number: int) -> dict[str, Any]:
            return {"id": str(season * 100 + number), "episode_num": str(number), "title": f"S{season}E{number}",
                    "container_extension": "ts", "season": season,
                    "info": {"duration_secs": 6, "plot": f"Episode {number}.", "movie_image": None}}
        return {"seasons": [{"season_number": 1, "name": "Season 1"}, {"season_number": "2", "name": None}],
                "info": {"name": "Series", "plot": "Crime every week.", "genre": "Crime", "rating": "8",
                         "releaseDate": "2019-05-01", "cast": "C, D"},
                "episodes": {"2": [episode(2, 1)], "1": [episode(1, 2), episode(1, 1)]}}

    def _get_short_epg(self, query: dict[str, str]) -> Any:
        import base64

        now = int(time.time()) // 3600 * 3600
        return {"epg_listings": [
            {"title": base64.b64encode(b"Morning news").decode(), "description": "bm90aGluZw==",
             "start_timestamp": str(now), "stop_timestamp": str(now + 3600)},
            {"title": "Plain title", "description": None, "start_timestamp": now + 3600, "stop_timestamp": now + 7200},
            {"title": None, "start_timestamp": "x"},
        ]}


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        return  # a client that hangs up (a timeout test, a zap) is not news


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    owner: XtreamServer

    def log_message(self, format: str, *args: object) -> None:
        return

    def _send(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        owner = self.owner
        owner.requests.append(self.path)
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        try:
            if parts.path.endswith((".php",)):
                self._api(parts.path, query)
            else:
                self._stream(unquote(parts.path))
        except (BrokenPipeError, ConnectionResetError, OSError):
            self.close_connection = True

    def _api(self, path: str, query: dict[str, str]) -> None:
        panel = self.owner.panel
        if panel.delay_s and self.owner.stopping.wait(panel.delay_s):
            return
        if panel.mode == "html":
            self._send(200, b"<!DOCTYPE html><html><body><h1>Welcome to nginx!</h1></body></html>", "text/html")
            return
        if panel.mode == "malformed":
            self._send(200, b'{"user_info": {"auth": 1, "status": "Active"', "application/json")
            return
        if panel.mode in ("401", "503"):
            self._send(int(panel.mode), b"Unauthorized" if panel.mode == "401" else b"Down", "text/plain")
            return
        good = query.get("username") == panel.username and query.get("password") == panel.password
        if panel.mode == "empty" or (not good and path.endswith("xmltv.php")):
            self._send(200 if good else 403, b"")
            return
        if path.endswith("xmltv.php"):
            start = time.strftime("%Y%m%d%H0000", time.gmtime())
            stop = time.strftime("%Y%m%d%H0000", time.gmtime(time.time() + 3600))
            self._send(200, GUIDE.format(start=start, stop=stop).encode(), "application/xml")
            return
        if not good:
            self._send(200, b'{"user_info":{"auth":0}}')
            return
        action = query.get("action", "")
        value = self.owner.action(action, query) if action else self.owner.user_info()
        self._send(200, json.dumps(value).encode())

    def _stream(self, path: str) -> None:
        panel = self.owner.panel
        segments = path.strip("/").split("/")
        if len(segments) != 4 or segments[0] not in ("live", "movie", "series") or panel.streams is None:
            self._send(404, b"not found", "text/plain")
            return
        _kind, user, password, item = segments
        if (user, password) != (panel.username, panel.password):
            self._send(403, b"forbidden", "text/plain")
            return
        stream_id = item.split(".")[0]
        number = int(stream_id) % 3 + 1 if stream_id.isdigit() else 1
        body = (panel.streams / f"ch{number}.ts").read_bytes()
        self.owner.stream_started()
        try:
            self.send_response(200)
            self.send_header("Content-Type", "video/mp2t")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if panel.pace:
                self._paced(body)
            else:
                self.wfile.write(body)
        finally:
            self.owner.stream_ended()

    def _paced(self, body: bytes, seconds: float = 6.0, chunk: int = 188 * 20) -> None:
        """Send ``body`` over about ``seconds``, noticing at once when the client hangs up (EOF on the socket)."""
        interval = seconds * chunk / len(body)
        for start in range(0, len(body), chunk):
            self.wfile.write(body[start:start + chunk])
            self.wfile.flush()
            readable, _w, _x = select.select([self.connection], [], [], interval)
            if readable and not self.connection.recv(1, socket.MSG_PEEK):
                return  # the player closed the stream
