"""Adding a provider account on screen (server, user name and password with the on-screen keyboard) or from a
phone, then a check of the login on a worker thread whose answer (status in words, or what is wrong) the settings
page shows."""

from __future__ import annotations

import time
from collections.abc import Callable

from PyQt6.QtCore import QObject, QRunnable, QThreadPool, pyqtSignal

from settop.core.sources.xtream import XtreamClient, XtreamError, account_from_address, normalise_server
from settop.core.sources.xtream_status import status_text
from settop.core.state.settings import PlaylistSource
from settop.i18n import _


class AccountCheck(QObject):
    """Logs in on a worker; ``finished(source, message, ok)`` arrives on the GUI thread.

    message: the status in words when ``ok``, else what is wrong (never the password).
    """

    finished = pyqtSignal(object, str, bool)

    def start(self, source: PlaylistSource) -> None:
        QThreadPool.globalInstance().start(_CheckTask(self, source))  # type: ignore[union-attr]


class _CheckTask(QRunnable):
    def __init__(self, owner: AccountCheck, source: PlaylistSource) -> None:
        super().__init__()
        self.owner = owner
        self.source = source

    def run(self) -> None:
        now = time.time()
        try:
            account = account_from_address(self.source.source, self.source.username, self.source.password)
            client = XtreamClient(account, allow_insecure=self.source.allow_insecure)
            message, ok = status_text(client.check(now), now), True
        except XtreamError as exc:
            message, ok = str(exc), False
        self.owner.finished.emit(self.source, message, ok)


def account_source(server: str, username: str, password: str) -> PlaylistSource:
    """The settings entry of an account; ``server`` as :func:`normalise_server` gives it."""
    return PlaylistSource(source=server, name=server.split("://", 1)[-1], kind="xtream", username=username,
                          password=password)


def ask_account(edit_text: Callable[..., None], message: Callable[..., None],
                check: Callable[[PlaylistSource], None]) -> None:
    """Ask for the server, then the user name, then the password (shown as dots); then ``check`` the account."""

    def got_username(server: str, username: str) -> None:
        edit_text(_("Password"), "", lambda p: check(account_source(server, username, p)), secret=True)

    def got_server(text: str) -> None:
        try:
            server = normalise_server(text)
        except XtreamError as exc:
            message(str(exc), error=True)
            return
        edit_text(_("User name"), "", lambda u: got_username(server, u))

    edit_text(_("Provider server address"), "http://", got_server,
              hint=_("The address your provider gave, e.g. http://provider.example:8080"))
