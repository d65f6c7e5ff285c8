"""The phone page's backup download, backup upload and account form with a real HTTP client over loopback: the token,
the cross-site rules and the size cap hold for each; the password is never sent back."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

import pytest

from settop.core.redact import redact
from settop.ui.phone.listener import MAX_BODY, PhoneListener, Submission
from tests.ui.phone.client import Phone

BACKUP = b'{"settop-backup": 1, "settings": "[[playlists]]\\npassword = \\"hunter2-secret\\"\\n"}'
PASSWORD = "pa55-W0rd-from-phone"
CROSS_SITE = [{"Origin": "http://evil.example"}, {"Sec-Fetch-Site": "cross-site"}, {"Sec-Fetch-Site": "same-site"}]


@pytest.fixture
def received() -> list[Submission]:
    return []


@pytest.fixture
def arrived() -> threading.Event:
    """Set when the listener hands something over (on its own thread, after its answer is sent)."""
    return threading.Event()


@pytest.fixture
def listen(received: list[Submission], arrived: threading.Event) -> Iterator[Callable[..., PhoneListener]]:
    started: list[PhoneListener] = []

    def submit(submission: Submission) -> None:
        received.append(submission)
        arrived.set()

    def start(kind: str, download: bytes = b"") -> PhoneListener:
        listener = PhoneListener(kind, submit, host="127.0.0.1", download=download)
        started.append(listener)
        return listener

    yield start
    for listener in started:
        listener.close()


def test_the_backup_is_served_only_with_the_token_and_only_once(listen: Callable[..., PhoneListener],
                                                                 received: list[Submission],
                                                                 arrived: threading.Event) -> None:
    listener = listen("backup", BACKUP)
    phone = Phone(listener.url)
    page = phone.open()
    assert page.status == 200 and "set-cookie" not in page.headers
    assert "WITH THEIR PASSWORDS" in page.text and f'href="{phone.path}/settop-backup.json"' in page.text
    assert "hunter2" not in page.text and listener.running  # opening the page gives nothing away, uses nothing
    for path in ("/settop-backup.json", "/t/settop-backup.json", f"/t/x{listener.token[1:]}/settop-backup.json",
                 f"{phone.path}/../settop-backup.json", f"{phone.path}/settop-backup.json/"):
        assert phone.request("GET", path).status == 403, path
    for headers in CROSS_SITE:
        assert phone.request("GET", f"{phone.path}/settop-backup.json", headers=headers).status == 403, headers
    assert phone.send({}, nonce=listener.nonce).status == 403  # nothing can be posted to the download page
    assert received == [] and listener.running
    download = phone.request("GET", f"{phone.path}/settop-backup.json", headers={"Sec-Fetch-Site": "same-origin"})
    assert download.status == 200 and download.body == BACKUP
    assert download.headers["content-disposition"] == 'attachment; filename="settop-backup.json"'
    assert download.headers["cache-control"] == "no-store" and "set-cookie" not in download.headers
    assert arrived.wait(10) and not listener.running
    assert received == [Submission("backup", name="settop-backup.json")]
    deadline = time.monotonic() + 20
    with pytest.raises(OSError):  # closed after the one download: a second one gets nothing
        while time.monotonic() < deadline:
            assert phone.request("GET", f"{phone.path}/settop-backup.json").status == 410
            time.sleep(0.05)


def test_a_backup_upload_is_capped_and_cross_site_refused(listen: Callable[..., PhoneListener],
                                                          received: list[Submission]) -> None:
    listener = listen("restore")
    phone = Phone(listener.url)
    page = phone.open().text
    assert 'type="file" name="file"' in page and "confirm" in page
    for headers in CROSS_SITE:
        assert phone.send({}, ("settop-backup.json", BACKUP), headers=headers).status == 403, headers
    assert phone.send({}, ("settop-backup.json", BACKUP), nonce="guessed").status == 403
    assert phone.send({}, ("settop-backup.json", BACKUP), path="/t/wrong").status == 403
    assert phone.announce(MAX_BODY + 1) == 413
    assert phone.send({}).status == 400  # no file: said, and the page stays open
    assert received == [] and listener.running
    assert phone.send({}, ("Downloads/settop-backup.json", BACKUP)).status == 200
    assert received == [Submission("restore", data=BACKUP, name="settop-backup.json")] and not listener.running


def test_an_account_form_hands_over_the_password_and_never_sends_it_back(listen: Callable[..., PhoneListener],
                                                                         received: list[Submission]) -> None:
    listener = listen("account")
    phone = Phone(listener.url)
    page = phone.open().text
    assert 'type="password" name="password"' in page and 'name="server"' in page and 'name="username"' in page
    fields = {"server": "http://127.0.0.1:9", "username": "viewer", "password": PASSWORD}
    for headers in CROSS_SITE:
        assert phone.send(fields, headers=headers).status == 403
    assert phone.send({**fields, "password": ""}).status == 400
    assert received == [] and listener.running
    reply = phone.send(fields)
    assert reply.status == 200 and "set-cookie" not in reply.headers
    assert received == [Submission("account", address="http://127.0.0.1:9", username="viewer", password=PASSWORD)]
    assert PASSWORD not in repr(received[0])
    assert all(PASSWORD not in r.text and PASSWORD not in str(r.headers) for r in phone.replies)
    assert PASSWORD not in redact(f"login failed for {PASSWORD}")  # registered as a secret on arrival
