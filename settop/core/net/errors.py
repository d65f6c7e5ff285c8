"""FetchError and the mapping of requests/urllib3/socket failures to specific, redacted, user-readable messages."""

from __future__ import annotations

import errno
import http
import socket
import ssl
from typing import TYPE_CHECKING, Any

import requests
import urllib3

from settop.core.redact import redact

if TYPE_CHECKING:
    from settop.core.net.fetch import FetchLimits

KINDS = frozenset({"timeout", "dns", "refused", "reset", "http", "too_large", "tls", "redirect", "scheme",
                   "not_found", "io", "cancelled"})


class FetchError(Exception):
    """A fetch failed; ``str(exc)`` is a user-readable, already-redacted message.

    kind: one of ``timeout dns refused reset http too_large tls redirect scheme not_found io cancelled``.
    status: the HTTP status for kind ``http`` (else None); retry_after: seconds from a Retry-After header.
    """

    def __init__(self, message: str, kind: str = "io", status: int | None = None,
                 retry_after: float | None = None) -> None:
        super().__init__(redact(message))
        self.kind = kind if kind in KINDS else "io"
        self.status = status
        self.retry_after = retry_after

    @property
    def message(self) -> str:
        return str(self)


def human_size(n: float) -> str:
    """``134217728`` -> ``"128 MiB"``; one decimal below 10 units."""
    value = float(n)
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            if unit == "bytes":
                return f"{int(value)} bytes"
            return f"{value:.1f} {unit}" if value < 10 and value != int(value) else f"{value:.0f} {unit}"
        value /= 1024
    return f"{value:.0f} GiB"  # pragma: no cover


_HTTP_HINTS = {
    401: "the user name or password was not accepted",
    403: "access denied: check the subscription, the address or the User-Agent",
    404: "",
    410: "",
    429: "too many requests",
    451: "",
    502: "the server's upstream failed",
    503: "the server is unavailable",
    504: "the server's upstream timed out",
}


def describe_http(response: requests.Response, display: str) -> str:
    """``HTTP 404 Not Found from host/…/file.m3u`` with a hint for auth, rate limits and outages."""
    status = response.status_code
    try:
        phrase = http.HTTPStatus(status).phrase
    except ValueError:
        phrase = redact((response.reason or "").strip()[:60])
    text = f"HTTP {status} {phrase} from {display}".replace("  ", " ")
    hint = _HTTP_HINTS.get(status, "")
    retry = response.headers.get("Retry-After", "").strip()
    if retry.isdigit():
        hint = f"{hint}; retry after {retry} s" if hint else f"retry after {retry} s"
    return f"{text} ({hint})" if hint else text


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception, its causes/contexts, and exceptions carried in args or ``.reason`` (urllib3 MaxRetryError)."""
    seen: list[BaseException] = []
    todo: list[Any] = [exc]
    while todo and len(seen) < 20:
        item = todo.pop(0)
        if not isinstance(item, BaseException) or any(item is s for s in seen):
            continue
        seen.append(item)
        todo.extend([item.__cause__, item.__context__, getattr(item, "reason", None), *item.args])
    return seen


def _tls_message(text: str, display: str) -> str:
    low = text.lower()
    if "self-signed" in low or "self signed" in low:
        why = "self-signed"
    elif "expired" in low:
        why = "expired"
    elif "hostname" in low or "doesn't match" in low or "ip address mismatch" in low:
        why = "issued for another host"
    elif "unable to get local issuer" in low or "verify failed" in low:
        why = "unknown issuer"
    else:
        return f"Secure connection (TLS) to {display} failed"
    return (f"Certificate not trusted ({why}) for {display}; enable 'allow insecure' for this playlist to "
            f"accept it")


def map_request_error(exc: BaseException, display: str, limits: FetchLimits, *, done: int = 0,
                      total: int | None = None) -> FetchError:
    """Turn a requests/urllib3/socket error into a specific FetchError; never includes the raw URL."""
    chain = _chain(exc)
    text = " | ".join(str(e) for e in chain)
    low = text.lower()
    if any(isinstance(e, (requests.exceptions.SSLError, ssl.SSLError, urllib3.exceptions.SSLError)) for e in chain):
        return FetchError(_tls_message(text, display), "tls")
    if isinstance(exc, requests.exceptions.ConnectTimeout) or (
        any(isinstance(e, urllib3.exceptions.ConnectTimeoutError) for e in chain)
        and not any(isinstance(e, urllib3.exceptions.NewConnectionError) for e in chain)
    ):
        return FetchError(f"Timed out after {limits.connect_timeout:g} s connecting to {display}", "timeout")
    if any(isinstance(e, (socket.gaierror, urllib3.exceptions.NameResolutionError)) for e in chain) or any(
        s in low for s in ("name or service not known", "temporary failure in name resolution",
                           "nodename nor servname", "no address associated")
    ):
        return FetchError(f"Server not found (DNS lookup failed) for {display}", "dns")
    errnos = {getattr(e, "errno", None) for e in chain}
    if errno.ECONNREFUSED in errnos or isinstance(exc, ConnectionRefusedError) or "connection refused" in low:
        return FetchError(f"Connection refused by {display}", "refused")
    if isinstance(exc, (requests.exceptions.ReadTimeout, TimeoutError)) or any(
        isinstance(e, (urllib3.exceptions.ReadTimeoutError, TimeoutError, socket.timeout)) for e in chain
    ):
        return FetchError(f"Timed out after {limits.read_timeout:g} s reading {display}", "timeout")
    if any(isinstance(e, (requests.exceptions.ContentDecodingError, urllib3.exceptions.DecodeError)) for e in chain):
        return FetchError(f"Corrupt compressed data from {display}", "io")
    if any(isinstance(e, requests.exceptions.InvalidURL | requests.exceptions.MissingSchema |
                      urllib3.exceptions.LocationParseError) for e in chain):
        return FetchError(f"Invalid address: {display}", "scheme")
    if done and total:
        return FetchError(f"Connection closed after {human_size(done)} of {human_size(total)} from {display}",
                          "reset")
    if errno.ECONNRESET in errnos or errno.EPIPE in errnos or any(
        isinstance(e, (ConnectionError, urllib3.exceptions.ProtocolError, requests.exceptions.ChunkedEncodingError,
                       http.client.HTTPException))
        for e in chain
    ):
        return FetchError(f"Connection reset by {display}", "reset")
    return FetchError(f"Could not fetch {display} ({type(exc).__name__})", "io")
