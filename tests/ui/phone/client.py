"""A phone's browser, as far as the tests need one: a real HTTP client over loopback that opens the page, reads its
nonce and sends its form (multipart, as the page's form does), with the headers a same-site browser sends."""

from __future__ import annotations

import http.client
import re
import urllib.parse
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def multipart(fields: dict[str, str], file: tuple[str, bytes] | None = None) -> tuple[bytes, str]:
    """A multipart/form-data body and its Content-Type."""
    boundary = "settopTestBoundary7MA4YWxk"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
             for name, value in fields.items()]
    if file is not None:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{file[0]}"\r\n'
                     "Content-Type: application/octet-stream\r\n\r\n".encode() + file[1] + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


class Phone:
    """Talks to the page at ``url`` (``http://127.0.0.1:PORT/t/TOKEN``)."""

    def __init__(self, url: str) -> None:
        parts = urllib.parse.urlsplit(url)
        self.port = parts.port or 80
        self.path = parts.path
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.replies: list[Reply] = []  # every answer, for tests that look for secrets in them

    def request(self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None) -> Reply:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            reply = Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
        finally:
            connection.close()
        self.replies.append(reply)
        return reply

    def announce(self, length: int) -> int:
        """Send only the headers of an upload of ``length`` bytes; the status (a capped page answers unread)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        try:
            connection.putrequest("POST", self.path)
            for name, value in (("Content-Type", "multipart/form-data; boundary=x"), ("Origin", self.origin),
                                ("Content-Length", str(length))):
                connection.putheader(name, value)
            connection.endheaders()
            return connection.getresponse().status
        finally:
            connection.close()

    def open(self) -> Reply:
        return self.request("GET", self.path, headers={"Sec-Fetch-Site": "none"})

    def nonce(self) -> str:
        match = re.search(r'name="nonce" value="([^"]+)"', self.open().text)
        assert match, "the page carries its form's nonce"
        return match.group(1)

    def send(self, fields: dict[str, str], file: tuple[str, bytes] | None = None, *, nonce: str | None = None,
             headers: dict[str, str] | None = None, path: str | None = None) -> Reply:
        """Open the page, then send its form as a same-site browser would (``headers`` replace those)."""
        body, content_type = multipart({"nonce": nonce if nonce is not None else self.nonce(), **fields}, file)
        sent = {"Content-Type": content_type, "Origin": self.origin, "Sec-Fetch-Site": "same-origin",
                **(headers or {})}
        return self.request("POST", path or self.path, body, sent)
