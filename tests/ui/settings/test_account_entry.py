"""Menu › Playlists › Add a provider account with the remote: server, user name, password (as dots), the login
checked on a worker, the status in words or what is wrong, and the account saved as a source."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from settop.core.state.settings import Settings
from tests.helpers.xtreamserver import PASSWORD, USERNAME, XtreamServer
from tests.ui.settings.test_settings import Remote, remote  # noqa: F401 - the fixture is shared


@pytest.fixture
def server() -> Iterator[XtreamServer]:
    with XtreamServer() as running:
        yield running


def enter_account(keys: Remote, server: XtreamServer, password: str) -> None:
    keys.ok("Playlists")
    keys.ok("Add a provider account")
    keys.type(server.server)
    keys.type(USERNAME)
    entry: Any = keys.app.window.active()
    assert entry.secret
    entry.keyboard.set_text("")
    entry.keyboard.set_text(password)
    assert password not in entry.field.text() and entry.field.text().startswith("•" * len(password))
    keys.type(password)


def assert_added(keys: Remote, server: XtreamServer) -> None:
    """The login is checked, its status said in words, and the account kept as a source (the phone's path too)."""
    keys.qtbot.waitUntil(lambda: "Added" in keys.screen.note, timeout=10000)
    assert keys.screen.note == (f"Added 127.0.0.1:{server.port}: Active until 12 March 2027 · "
                                "1 of 2 connections in use")
    account = Settings.load()[0].playlists()[-1]
    assert (account.kind, account.source, account.username, account.password) == (
        "xtream", server.server, USERNAME, PASSWORD)


def test_an_account_is_checked_and_added(remote: Remote, server: XtreamServer) -> None:  # noqa: F811
    enter_account(remote, server, PASSWORD)
    assert_added(remote, server)


@pytest.mark.parametrize(("password", "change", "words"), [
    ("wrong", {}, "did not accept this user name and password"),
    (PASSWORD, {"status": "Disabled"}, "The account is disabled by the provider"),
], ids=["wrong-password", "disabled"])
def test_a_refused_account_is_said_and_not_added(remote: Remote, server: XtreamServer, qtbot: Any,  # noqa: F811
                                                 *, password: str, change: dict[str, str], words: str) -> None:
    for name, value in change.items():
        setattr(server.panel, name, value)
    enter_account(remote, server, password)
    qtbot.waitUntil(lambda: remote.screen.note_error, timeout=10000)
    assert words in remote.screen.note and password not in remote.screen.note
    assert all(p.kind != "xtream" for p in Settings.load()[0].playlists())
