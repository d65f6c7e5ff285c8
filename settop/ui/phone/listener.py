"""The phone page's HTTP listener: alive only while one of the TV's phone screens is open.

Rules (DESIGN.md, "Phone page"): it binds one private address of the local network (never 0.0.0.0, never a public
address); every path outside ``/t/<token>`` (a one-time random token in the QR code) gets 403; the page sets no
cookies, cannot be framed and sends no referrer; a submission must carry the form's own random nonce and, when the
browser says where the form came from (``Origin``, ``Sec-Fetch-Site``), come from this page itself (cross-site
forms get 403); a body longer than :data:`MAX_BODY` is refused with 413 before it is read. After one accepted
submission (or, for the backup, one download of ``/t/<token>/settop-backup.json``), or :data:`LIFETIME_S`, it stops.
What it receives is only handed to ``on_submit`` on its own thread: the TV asks the viewer to confirm before anything
is stored. An account's password is registered with :mod:`settop.core.redact` the moment it arrives and is never
sent back.
"""

from __future__ import annotations

import email.parser
import email.policy
import hmac
import ipaddress
import logging
import secrets
import socket
import threading
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from settop.core.redact import remember
from settop.ui.phone.pages import DOWNLOAD_NAME, done_page, form_page, missing_page

log = logging.getLogger("settop.ui.phone")

MAX_BODY = 8 * 1024 * 1024  # an uploaded M3U or backup bigger than this is refused (413)
LIFETIME_S = 600.0
KINDS = ("playlist", "guide", "account", "backup", "restore")
UPLOADS = frozenset({"playlist", "restore"})  # kinds whose form takes a file
HTML = "text/html; charset=utf-8"


@dataclass(frozen=True, slots=True)
class Submission:
    """What the phone sent: ``kind``, an ``address`` (for an account: the server, with ``username`` and
    ``password``), or an uploaded file (``data``, ``name``). For ``backup``: the file was downloaded."""

    kind: str
    address: str = ""
    data: bytes = field(default=b"", repr=False)
    name: str = ""
    username: str = ""
    password: str = field(default="", repr=False)


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
    """One listener for one phone screen: ``url`` goes into the QR code; ``close`` stops it (idempotent).

    ``download``: for the ``backup`` kind, the bytes the phone downloads.
    """

    def __init__(self, kind: str, on_submit: Callable[[Submission], None], *, host: str | None = None,
                 lifetime_s: float = LIFETIME_S, on_stopped: Callable[[], None] | None = None,
                 download: bytes = b"") -> None:
        if kind not in KINDS or (kind == "backup") != bool(download):
            raise ValueError(kind)
        self.kind = kind
        self.download = download
        self.on_submit = on_submit
        self.on_stopped = on_stopped or (lambda: None)
        self.token = secrets.token_urlsafe(12)
        self.nonce = secrets.token_urlsafe(16)
        self.host = host or local_address()
        self._done = threading.Event()
        self._claim_lock = threading.Lock()
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

    def claim(self) -> bool:
        """Take the one use this listener has (the first caller only); it closes at once."""
        with self._claim_lock:
            if self._done.is_set():
                return False
            self.close()
            return True

    def accept(self, submission: Submission) -> bool:
        """Hand over the first submission only; the listener closes after it."""
        if not self.claim():
            return False
        self.on_submit(submission)
        return True


def _handler(listener: PhoneListener) -> type[BaseHTTPRequestHandler]:
    return type("Handler", (_Handler,), {"listener": listener, "page_path": f"/t/{listener.token}",
                                         "file_path": f"/t/{listener.token}/{DOWNLOAD_NAME}"})


class _Handler(BaseHTTPRequestHandler):
    """One request to one listener (set as class attributes by :func:`_handler`)."""

    listener: PhoneListener
    page_path: str
    file_path: str
    server_version = "settop"
    sys_version = ""

    def log_message(self, format: str, *args: object) -> None:  # the token is in the path: never logged
        pass

    def _send(self, status: int, body: str | bytes = "", content_type: str = "text/plain; charset=utf-8",
              attachment: str = "") -> None:
        data = body if isinstance(body, bytes) else body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        if attachment:
            self.send_header("Content-Disposition", f'attachment; filename="{attachment}"')
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

    def _path_is(self, expected: str) -> bool:
        path = urllib.parse.urlsplit(self.path).path
        return hmac.compare_digest(path.encode(), expected.encode())

    def do_GET(self) -> None:
        if self._path_is(self.page_path):
            listener = self.listener
            self._send(200, form_page(listener.kind, listener.token, listener.nonce), HTML)
        elif self.listener.kind == "backup" and self._path_is(self.file_path) and self._same_site():
            self._send_download()
        else:
            self._send(403, "Forbidden")

    def _send_download(self) -> None:
        if not self.listener.claim():
            self._send(410, "This page is closed")
            return
        try:
            self._send(200, self.listener.download, "application/json", attachment=DOWNLOAD_NAME)
            self.wfile.flush()
        except OSError as exc:
            log.info("the backup download did not complete: %s", exc.strerror or exc)
            return
        self.listener.on_submit(Submission("backup", name=DOWNLOAD_NAME))

    def do_POST(self) -> None:
        if self.listener.kind == "backup" or not self._path_is(self.page_path) or not self._same_site():
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
        form = _form(self.headers.get("Content-Type", ""), body)
        if form is None or not hmac.compare_digest(form.fields.get("nonce", "").encode(),
                                                   self.listener.nonce.encode()):
            self._send(403, "Forbidden")
            return
        submission = _submission(self.listener.kind, form)
        if submission is None:
            self._send(400, missing_page(), HTML)
            return
        if not self.listener.accept(submission):
            self._send(410, "This page is closed")
            return
        self._send(200, done_page(), HTML)

    def _same_site(self) -> bool:
        origin = self.headers.get("Origin")
        if origin is not None and origin != self.listener.origin:
            return False
        fetch_site = self.headers.get("Sec-Fetch-Site")
        return fetch_site is None or fetch_site in ("same-origin", "none")


@dataclass(frozen=True, slots=True)
class _Form:
    """A form body: its text fields and the uploaded file (field ``file``), if any."""

    fields: dict[str, str]
    upload: bytes = b""
    upload_name: str = ""


def _form(content_type: str, body: bytes) -> _Form | None:
    """The form in ``body``, or None when the body is no form."""
    if content_type.startswith("application/x-www-form-urlencoded"):
        return _Form(dict(urllib.parse.parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)))
    if not content_type.startswith("multipart/form-data"):
        return None
    fields: dict[str, str] = {}
    upload, upload_name = b"", ""
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
    return _Form(fields, upload, upload_name)


def _submission(kind: str, form: _Form) -> Submission | None:
    """What the form of ``kind`` carries, or None when it lacks what that kind needs."""
    fields = form.fields
    if kind in UPLOADS and form.upload:
        name = form.upload_name.replace("\\", "/").rsplit("/", 1)[-1][:100]
        return Submission(kind, data=form.upload, name=name)
    if kind == "account":
        password = fields.get("password", "")[:1000]
        remember(password)  # from now on masked wherever it might turn up
        server, username = fields.get("server", "").strip()[:4000], fields.get("username", "").strip()[:1000]
        if server and username and password:
            return Submission(kind, address=server, username=username, password=password)
        return None
    address = fields.get("address", "").strip()[:4000]
    if address and kind in ("playlist", "guide"):
        return Submission(kind, address=address)
    return None
