"""The phone rows of the settings pages (add a playlist, a guide source or a provider account from a phone): open
the QR screen, then check and confirm what the phone sent exactly as a typed address or account is checked."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from pathlib import Path

from settop.core.redact import display_source, redact
from settop.core.sources.xtream import XtreamError, normalise_server
from settop.core.state.paths import config_dir, private_dir, private_file
from settop.core.state.settings import PlaylistSource
from settop.core.state.tomlfile import write_atomic
from settop.i18n import _
from settop.ui.phone.confirm import ConfirmScreen
from settop.ui.phone.listener import NoLocalNetwork, Submission
from settop.ui.settings.account import account_source
from settop.ui.settings.rows import PageKit
from settop.ui.widgets.menu import MenuItem

log = logging.getLogger("settop.ui.phone")


class PhonePages(PageKit):
    """Mixed into the settings pages beside ``take_playlist_address`` / ``take_guide_address``."""

    phone_host: str | None = None  # tests listen on 127.0.0.1; by default the box's local-network address

    def take_playlist_address(self, text: str) -> None:
        raise NotImplementedError  # the sources pages check and add it

    def take_guide_address(self, text: str) -> None:
        raise NotImplementedError

    def _add_source(self, source: PlaylistSource, note: str = "") -> None:
        raise NotImplementedError

    def check_account(self, source: PlaylistSource) -> None:
        raise NotImplementedError  # the sources pages log in on a worker and add it

    def open_phone(self, kind: str, on_received: Callable[[Submission], None] | None = None,
                   download: bytes = b"") -> None:
        """The QR screen for ``kind``; what the phone sends goes to ``on_received`` (by default: add it)."""
        from settop.ui.phone.screen import PhoneScreen

        try:
            screen = PhoneScreen(kind, on_received or self._from_phone, host=self.phone_host, download=download)
        except (NoLocalNetwork, OSError) as exc:
            self.screen.message(_("The phone page cannot start: {error}").format(error=exc), error=True)
            return
        window = self.env.window
        screen.close_requested.connect(lambda: window.pop(screen))
        window.push(screen)
        self.phone_screen = screen

    def confirm(self, title: str, details: Sequence[tuple[str, str]], note: str,
                options: Sequence[tuple[str, Callable[[], object]]]) -> None:
        """Ask about what a phone sent, showing what it is; the first option is focused."""
        menu = ConfirmScreen(title, details, note, [MenuItem(label, run) for label, run in options])
        menu.close_requested.connect(lambda: self.env.window.pop(menu))
        self.env.window.push(menu)

    def _from_phone(self, submission: Submission) -> None:
        if submission.kind == "account":
            self._account_from_phone(submission)
            return
        if submission.data:
            name = submission.name or "phone.m3u"
            self.choose(_("Add the playlist file {name} sent from your phone?").format(name=name),
                        [(_("Add"), lambda: self._keep_upload(submission)), (_("Cancel"), lambda: None)])
            return
        address = submission.address
        take = self.take_playlist_address if submission.kind == "playlist" else self.take_guide_address
        question = (_("Add this playlist from your phone? {address}") if submission.kind == "playlist"
                    else _("Add this guide source from your phone? {address}"))
        self.choose(question.format(address=display_source(address)),
                    [(_("Add"), lambda: take(address)), (_("Cancel"), lambda: None)])

    def _account_from_phone(self, submission: Submission) -> None:
        """Show the server and user name (the password as dots) and check the account once the viewer says yes."""
        try:
            server = normalise_server(submission.address)
        except XtreamError as exc:
            self.screen.message(redact(str(exc)), error=True)
            return
        source = account_source(server, submission.username, submission.password)
        self.confirm(_("Add this provider account from your phone?"),
                     [(_("Server"), display_source(server)), (_("User name"), submission.username),
                      (_("Password"), "•" * min(len(submission.password), 16))],
                     _("settop logs in to check it before it is kept."),
                     [(_("Add"), lambda: self.check_account(source)), (_("Cancel"), lambda: None)])

    def _keep_upload(self, submission: Submission) -> None:
        """The viewer said yes: the file goes into the config folder (0600) and is added like a picked file."""
        folder = private_dir(config_dir() / "playlists")
        stem = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(submission.name or "phone.m3u").stem)[:60] or "phone"
        path = folder / f"{stem}.m3u"
        counter = 1
        while path.exists():
            counter += 1
            path = folder / f"{stem}-{counter}.m3u"
        try:
            write_atomic(path, submission.data)
            private_file(path)
        except OSError as exc:
            self.screen.message(_("The file could not be kept: {error}").format(error=exc.strerror or exc), error=True)
            return
        self._add_source(PlaylistSource(source=str(path), name=stem))
