"""The phone page's HTTP listener: alive only while the TV's "add from a phone" screen is open.

Rules (DESIGN.md, "Phone page"): it binds one private address of the local network (never 0.0.0.0, never a public
address); every path outside ``/t/<token>`` (a one-time random token in the QR code) gets 403; the page sets no
cookies, cannot be framed and sends no referrer; a submission must carry the form's own random nonce and, when the
browser says where the form came from (``Origin``, ``Sec-Fetch-Site``), come from this page itself (cross-site
forms get 403); a body longer than :data:`MAX_BODY` is refused with 413 before it is read. After one accepted
submission, or :data:`LIFETIME_S`, it stops. What it receives is only handed to ``on_submit`` on its own thread:
the TV asks the viewer to confirm before anything is stored.
"""

from __future__ import annotations

import email.parser
import email.policy
import hmac
import html
import ipaddress
import logging
import secrets
import socket
import threading
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from settop.i18n import _

log = logging.getLogger("settop.ui.phone")

MAX_BODY = 8 * 1024 * 1024  # an uploaded M3U bigger than this is refused (413)
LIFETIME_S = 600.0
KINDS = ("playlist", "guide")


@dataclass(frozen=True, slots=True)
class Submission:
    """What the phone sent: ``kind`` (playlist or guide), an ``address`` or an uploaded file (``data``, ``name``)."""

    kind: str
    address: str = ""
    data: bytes = b""
    name: str = ""


class NoLocalNetwork(OSError):
    """No private address of a local network to listen on."""


def local_address() -> str:
    """This box's private address on the local network (the one its default route uses).

    A UDP socket's connect only picks the route; no packet is sent. Raises NoLocalNetwork when the address is not a
    private one (no network, or a public address: the page must never face the internet).
    """
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("10.255.255.255", 9))
        address = str(probe.getsockname()[0])
    except OSError as exc:
        raise NoLocalNetwork(f"no local network: {exc.strerror or exc}") from None
    finally:
        probe.close()
    parsed = ipaddress.ip_address(address)
    if not parsed.is_private or parsed.is_loopback or parsed.is_unspecified:
        raise NoLocalNetwork(f"{address} is not an address of a local network")
    return address


class PhoneListener:
    """One listener for one "add" screen: ``url`` goes into the QR code; ``close`` stops it (idempotent)."""

    def __init__(self, kind: str, on_submit: Callable[[Submission], None], *, host: str | None = None,
                 lifetime_s: float = LIFETIME_S, on_stopped: Callable[[], None] | None = None) -> None:
        if kind not in KINDS:
            raise ValueError(kind)
        self.kind = kind
        self.on_submit = on_submit
        self.on_stopped = on_stopped or (lambda: None)
        self.token = secrets.token_urlsafe(12)
        self.nonce = secrets.token_urlsafe(16)
        self.host = host or local_address()
        self._done = threading.Event()
        self._httpd = ThreadingHTTPServer((self.host, 0), _handler(self))
        self._httpd.daemon_threads = True
        self.port = int(self._httpd.server_address[1])
        self.url = f"http://{self.host}:{self.port}/t/{self.token}"
        self.origin = f"http://{self.host}:{self.port}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="settop-phone", daemon=True)
        self._timer = threading.Timer(lifetime_s, self.close)
        self._timer.daemon = True
        self._thread.start()
        self._timer.start()
        log.info("phone page listening on %s:%d for a %s", self.host, self.port, kind)

    @property
    def running(self) -> bool:
        return not self._done.is_set()

    def close(self) -> None:
        if self._done.is_set():
            return
        self._done.set()
        self._timer.cancel()
        threading.Thread(target=self._stop, name="settop-phone-stop", daemon=True).start()

    def _stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        log.info("phone page closed")
        self.on_stopped()

    def accept(self, submission: Submission) -> bool:
        """Hand over the first submission only; the listener closes after it."""
        if self._done.is_set():
            return False
        self.close()
        self.on_submit(submission)
        return True


def _handler(listener: PhoneListener) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "settop"
        sys_version = ""

        def log_message(self, format: str, *args: object) -> None:  # the token is in the path: never logged
            pass

        def _send(self, status: int, body: str = "", content_type: str = "text/plain; charset=utf-8") -> None:
            data = body.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Frame-Options", "DENY")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Referrer-Policy", "no-referrer")
            self.send_header("Content-Security-Policy",
                             "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
                             "frame-ancestors 'none'")
            self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        def _token_ok(self) -> bool:
            path = urllib.parse.urlsplit(self.path).path
            return hmac.compare_digest(path.encode(), f"/t/{listener.token}".encode())

        def do_GET(self) -> None:
            if not self._token_ok():
                self._send(403, "Forbidden")
                return
            self._send(200, _page(listener), "text/html; charset=utf-8")

        def do_POST(self) -> None:
            if not self._token_ok() or not self._same_site():
                self._send(403, "Forbidden")
                return
            try:
                length = int(self.headers.get("Content-Length", ""))
            except ValueError:
                self._send(411, "Length required")
                return
            if length > MAX_BODY or length < 0:
                self._send(413, "Too large")
                return
            body = self.rfile.read(length)
            submission = _parse(self.headers.get("Content-Type", ""), body, listener)
            if submission is None:
                self._send(403, "Forbidden")
                return
            if not listener.accept(submission):
                self._send(410, "This page is closed")
                return
            self._send(200, _done_page(), "text/html; charset=utf-8")

        def _same_site(self) -> bool:
            origin = self.headers.get("Origin")
            if origin is not None and origin != listener.origin:
                return False
            fetch_site = self.headers.get("Sec-Fetch-Site")
            return fetch_site is None or fetch_site in ("same-origin", "none")

    return Handler


def _parse(content_type: str, body: bytes, listener: PhoneListener) -> Submission | None:
    """The submission in a form body, or None when it lacks the page's nonce or carries nothing."""
    fields: dict[str, str] = {}
    upload, upload_name = b"", ""
    if content_type.startswith("application/x-www-form-urlencoded"):
        pairs = urllib.parse.parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
        fields = dict(pairs)
    elif content_type.startswith("multipart/form-data"):
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b"Content-Type: " + content_type.encode("latin-1", "replace") + b"\r\n\r\n" + body)
        for part in message.iter_parts() if message.is_multipart() else ():
            name = part.get_param("name", header="content-disposition")
            raw = part.get_payload(decode=True)
            payload = raw if isinstance(raw, bytes) else b""
            if name == "file" and part.get_filename():
                upload, upload_name = payload, str(part.get_filename())
            elif isinstance(name, str):
                fields[name] = payload.decode("utf-8", "replace")
    else:
        return None
    if not hmac.compare_digest(fields.get("nonce", "").encode(), listener.nonce.encode()):
        return None
    address = fields.get("address", "").strip()
    if upload and listener.kind == "playlist":
        return Submission(listener.kind, data=upload, name=upload_name.rsplit("/", 1)[-1][:100])
    if address:
        return Submission(listener.kind, address=address[:4000])
    return None


def _page(listener: PhoneListener) -> str:
    title = _("Add a playlist (M3U)") if listener.kind == "playlist" else _("Add a guide (XMLTV)")
    upload = (f'<p>{html.escape(_("or a file:"))}<br>'
              '<input type="file" name="file" accept=".m3u,.m3u8,audio/x-mpegurl"></p>'
              if listener.kind == "playlist" else "")
    address, send = html.escape(_("Address:")), html.escape(_("Send to the TV"))
    confirm = html.escape(_("The TV asks you to confirm before anything is kept."))
    return f"""<!doctype html><html><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>settop</title>
<style>body{{font:18px sans-serif;margin:1.2em;background:#111;color:#eee}}input{{font-size:18px;width:100%}}
button{{font-size:20px;padding:.4em 1.2em}}</style></head><body>
<h1>{html.escape(title)}</h1>
<form method="post" enctype="multipart/form-data" action="/t/{html.escape(listener.token)}">
<input type="hidden" name="nonce" value="{html.escape(listener.nonce)}">
<p>{address}<br><input type="url" name="address" placeholder="https://"></p>{upload}
<p><button type="submit">{send}</button></p></form>
<p>{confirm}</p></body></html>"""


def _done_page() -> str:
    sent, closed = html.escape(_("Sent.")), html.escape(_("Confirm on the TV. This page is now closed."))
    return ('<!doctype html><html><head><meta charset="utf-8"><title>settop</title></head><body>'
            f"<h1>{sent}</h1><p>{closed}</p></body></html>")
