"""A provider account sent from a phone, driven by the remote, a real HTTP client and the loopback Xtream server: the
TV shows server and user name (the password as dots), checks the login only after the viewer says yes, and adds the
account as a typed one is added; the password reaches no page the phone gets, no log record and no text on screen."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import QLabel

from settop.core.redact import RedactingFilter
from settop.core.state.settings import Settings
from settop.ui.phone.confirm import ConfirmScreen
from settop.ui.phone.screen import PhoneScreen
from settop.ui.settings.phone_rows import PhonePages
from tests.helpers.xtreamserver import PASSWORD, USERNAME, XtreamServer
from tests.ui.conftest import press
from tests.ui.phone.client import Phone
from tests.ui.settings.test_account_entry import assert_added, server  # noqa: F401 - the fixture
from tests.ui.settings.test_settings import Remote, remote  # noqa: F401 - the fixture

K = Qt.Key


@pytest.fixture(autouse=True)
def loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(PhonePages, "phone_host", "127.0.0.1")  # tests never listen on the network


@pytest.fixture
def logged(caplog: Any) -> Any:
    """Every record at DEBUG, through the filter the app puts on each of its handlers (install_logging)."""
    caplog.set_level(logging.DEBUG)
    caplog.handler.addFilter(RedactingFilter())
    return caplog


def on_screen(remote: Remote) -> list[str]:  # noqa: F811
    """Every text the TV shows now: labels, the settings rows and note, a question's lines."""
    texts = [label.text() for label in remote.app.window.findChildren(QLabel)]
    texts += [remote.screen.note, *(f"{row.label} {row.value} {row.help}" for row in remote.screen.rows)]
    active = remote.app.window.active()
    if isinstance(active, ConfirmScreen):
        texts += active.texts()
    return texts


def send_account(remote: Remote, server: XtreamServer, password: str) -> tuple[Phone, ConfirmScreen]:  # noqa: F811
    remote.ok("Playlists")
    remote.ok("Add a provider account from a phone")
    screen = remote.app.window.active()
    assert isinstance(screen, PhoneScreen) and screen.listener.kind == "account"
    phone = Phone(screen.listener.url)
    page = phone.open().text
    assert 'type="password" name="password"' in page
    assert phone.send({"server": server.server + "/player_api.php", "username": USERNAME,
                       "password": password}).status == 200
    remote.qtbot.waitUntil(lambda: isinstance(remote.app.window.active(), ConfirmScreen), timeout=5000)
    assert not screen.listener.running
    question = remote.app.window.active()
    assert isinstance(question, ConfirmScreen)
    return phone, question


def test_an_account_from_the_phone_is_confirmed_checked_and_added(remote: Remote, server: XtreamServer,  # noqa: F811
                                                                  qtbot: Any, logged: Any) -> None:
    before = Settings.load()[0].playlists()
    phone, question = send_account(remote, server, PASSWORD)
    assert question.details == [("Server", f"127.0.0.1:{server.port}"), ("User name", USERNAME),
                                ("Password", "•" * len(PASSWORD))]
    assert Settings.load()[0].playlists() == before and server.requests == []  # nothing kept or sent before yes
    assert "Checking" not in remote.screen.note  # no login started either
    seen = on_screen(remote)
    press(qtbot, remote.app, K.Key_Return)
    assert_added(remote, server)
    seen += on_screen(remote)
    assert seen and all(PASSWORD not in text for text in seen)
    assert phone.replies and all(PASSWORD not in reply.text for reply in phone.replies)
    assert logged.records and all(PASSWORD not in record.getMessage() and PASSWORD not in str(record.args)
                                  for record in logged.records)


def test_a_cancelled_account_is_neither_checked_nor_kept(remote: Remote, server: XtreamServer,  # noqa: F811
                                                         qtbot: Any) -> None:
    before = Settings.load()[0].playlists()
    send_account(remote, server, PASSWORD)
    press(qtbot, remote.app, K.Key_Down, K.Key_Return)
    assert remote.app.window.active() is remote.screen
    assert Settings.load()[0].playlists() == before and server.requests == []
    assert "Checking" not in remote.screen.note  # no login was started


def test_a_wrong_password_from_the_phone_is_said_and_not_added(remote: Remote, server: XtreamServer,  # noqa: F811
                                                               qtbot: Any, logged: Any) -> None:
    wrong = "Wr0ng-Phone-Pass"
    send_account(remote, server, wrong)
    press(qtbot, remote.app, K.Key_Return)
    qtbot.waitUntil(lambda: remote.screen.note_error, timeout=10000)
    assert "did not accept this user name and password" in remote.screen.note
    assert all(p.kind != "xtream" for p in Settings.load()[0].playlists())
    assert all(wrong not in text for text in on_screen(remote))
    assert all(wrong not in record.getMessage() for record in logged.records)
