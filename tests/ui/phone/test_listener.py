"""The phone page's listener with a real HTTP client over loopback: token, no cookies, cross-site checks, the size
cap, one submission, and nothing handed over that the page did not make."""

from __future__ import annotations

import http.client
import re
import threading
import time
import urllib.parse
from collections.abc import Iterator

import pytest

from settop.ui.phone.listener import MAX_BODY, PhoneListener, Submission


@pytest.fixture
def received() -> list[Submission]:
    return []


@pytest.fixture
def listener(received: list[Submission]) -> Iterator[PhoneListener]:
    got = threading.Event()

    def submit(submission: Submission) -> None:
        received.append(submission)
        got.set()

    running = PhoneListener("playlist", submit, host="127.0.0.1")
    yield running
    running.close()


def request(listener: PhoneListener, method: str, path: str, body: bytes = b"",
            headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", listener.port, timeout=5)
    connection.request(method, path, body=body, headers=headers or {})
    return connection.getresponse()


def form(listener: PhoneListener, **fields: str) -> tuple[bytes, dict[str, str]]:
    body = urllib.parse.urlencode(fields).encode()
    return body, {"Content-Type": "application/x-www-form-urlencoded", "Origin": listener.origin}


def test_without_the_token_everything_is_forbidden(listener: PhoneListener) -> None:
    path = urllib.parse.urlsplit(listener.url).path
    assert request(listener, "GET", "/").status == 403
    assert request(listener, "GET", path[:-1] + ("x" if path[-1] != "x" else "y")).status == 403
    body, headers = form(listener, nonce=listener.nonce, address="http://127.0.0.1:9/tv.m3u")
    assert request(listener, "POST", "/t/wrong", body, headers).status == 403


def test_the_page_sets_no_cookie_and_carries_its_nonce(listener: PhoneListener) -> None:
    response = request(listener, "GET", urllib.parse.urlsplit(listener.url).path)
    page = response.read().decode()
    assert response.status == 200 and response.getheader("Set-Cookie") is None
    assert response.getheader("X-Frame-Options") == "DENY" and "form-action 'self'" in response.getheader(
        "Content-Security-Policy", "")
    assert re.search(r'name="nonce" value="([^"]+)"', page).group(1) == listener.nonce


def test_cross_site_submissions_are_refused(listener: PhoneListener, received: list[Submission]) -> None:
    path = urllib.parse.urlsplit(listener.url).path
    body, headers = form(listener, nonce=listener.nonce, address="http://127.0.0.1:9/tv.m3u")
    assert request(listener, "POST", path, body, {**headers, "Origin": "http://evil.example"}).status == 403
    assert request(listener, "POST", path, body, {**headers, "Sec-Fetch-Site": "cross-site"}).status == 403
    body, headers = form(listener, nonce="guessed", address="http://127.0.0.1:9/tv.m3u")
    assert request(listener, "POST", path, body, headers).status == 403
    assert received == [] and listener.running


def test_a_body_over_the_cap_is_refused_unread(listener: PhoneListener, received: list[Submission]) -> None:
    path = urllib.parse.urlsplit(listener.url).path
    connection = http.client.HTTPConnection("127.0.0.1", listener.port, timeout=5)
    connection.putrequest("POST", path)
    connection.putheader("Content-Type", "multipart/form-data; boundary=x")
    connection.putheader("Content-Length", str(MAX_BODY + 1))
    connection.putheader("Origin", listener.origin)
    connection.endheaders()
    assert connection.getresponse().status == 413
    assert received == [] and listener.running


def test_one_submission_is_handed_over_then_the_page_closes(listener: PhoneListener,
                                                            received: list[Submission]) -> None:
    path = urllib.parse.urlsplit(listener.url).path
    boundary = "settopboundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"nonce\"\r\n\r\n{listener.nonce}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"address\"\r\n\r\n\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"mine.m3u\"\r\n"
            "Content-Type: audio/x-mpegurl\r\n\r\n#EXTM3U\n#EXTINF:-1,One\nhttp://127.0.0.1:9/1\n\r\n"
            f"--{boundary}--\r\n").encode()
    response = request(listener, "POST", path, body,
                       {"Content-Type": f"multipart/form-data; boundary={boundary}", "Origin": listener.origin})
    assert response.status == 200 and response.getheader("Set-Cookie") is None
    assert received == [Submission("playlist", data=b"#EXTM3U\n#EXTINF:-1,One\nhttp://127.0.0.1:9/1\n",
                                   name="mine.m3u")]
    assert not listener.running
    deadline = time.monotonic() + 5
    with pytest.raises(OSError):  # the socket goes away once the serve loop has stopped
        while time.monotonic() < deadline:
            request(listener, "GET", path).read()
            time.sleep(0.05)
    assert len(received) == 1
