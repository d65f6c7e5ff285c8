"""Add a playlist from a phone, driven by the remote and a real HTTP client over loopback: the QR screen, the phone's
submission, the TV's confirmation, and nothing kept without it."""

from __future__ import annotations

import http.client
import urllib.parse
from typing import Any

import pytest
from PyQt6.QtCore import Qt

from settop.core.state.settings import Settings
from settop.ui.phone.screen import PhoneScreen
from settop.ui.settings.phone_rows import PhonePages
from tests.ui.conftest import press
from tests.ui.settings.test_settings import Remote, remote  # noqa: F401 - the fixture

K = Qt.Key


@pytest.fixture(autouse=True)
def loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(PhonePages, "phone_host", "127.0.0.1")  # tests never listen on the network


def send(screen: PhoneScreen, address: str) -> int:
    listener = screen.listener
    connection = http.client.HTTPConnection("127.0.0.1", listener.port, timeout=5)
    body = urllib.parse.urlencode({"nonce": listener.nonce, "address": address})
    connection.request("POST", urllib.parse.urlsplit(listener.url).path, body=body,
                       headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": listener.origin})
    return connection.getresponse().status


@pytest.mark.parametrize("confirm", [True, False], ids=["confirmed", "cancelled"])
def test_a_playlist_address_from_the_phone_is_kept_only_when_confirmed(remote: Remote, qtbot: Any,  # noqa: F811
                                                                       confirm: bool) -> None:
    remote.ok("Playlists")
    remote.ok("Add from a phone")
    screen = remote.app.window.active()
    assert isinstance(screen, PhoneScreen) and screen.listener.running
    assert not screen.code.pixmap().isNull() and screen.listener.url in screen.address.text()
    before = [p.source for p in Settings.load()[0].playlists()]
    assert send(screen, "http://127.0.0.1:9/from-phone.m3u") == 200
    qtbot.waitUntil(lambda: remote.app.window.active() is not screen, timeout=5000)
    assert not screen.listener.running
    assert [p.source for p in Settings.load()[0].playlists()] == before  # nothing kept before the TV says yes
    question = remote.app.window.active()
    assert "from-phone.m3u" in question.title
    press(qtbot, remote.app, *([K.Key_Return] if confirm else [K.Key_Down, K.Key_Return]))
    sources = [p.source for p in Settings.load()[0].playlists()]
    assert ("http://127.0.0.1:9/from-phone.m3u" in sources) is confirm


def test_back_closes_the_page(remote: Remote, qtbot: Any) -> None:  # noqa: F811
    remote.ok("Guide sources")
    remote.ok("Add from a phone")
    screen = remote.app.window.active()
    assert isinstance(screen, PhoneScreen)
    press(qtbot, remote.app, K.Key_Escape)
    assert remote.app.window.active() is not screen and not screen.listener.running
