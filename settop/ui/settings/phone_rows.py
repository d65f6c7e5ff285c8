"""The "Add from a phone" rows of the Playlists and Guide sources pages: open the QR screen, then check and confirm
what the phone sent exactly as a typed address is checked."""

from __future__ import annotations

import logging
import re
from pathlib import Path

from settop.core.redact import display_source
from settop.core.state.paths import config_dir, private_dir, private_file
from settop.core.state.settings import PlaylistSource
from settop.core.state.tomlfile import write_atomic
from settop.i18n import _
from settop.ui.phone.listener import NoLocalNetwork, Submission
from settop.ui.settings.rows import PageKit

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

    def open_phone(self, kind: str) -> None:
        from settop.ui.phone.screen import PhoneScreen

        try:
            screen = PhoneScreen(kind, self._from_phone, host=self.phone_host)
        except (NoLocalNetwork, OSError) as exc:
            self.screen.message(_("The phone page cannot start: {error}").format(error=exc), error=True)
            return
        window = self.env.window
        screen.close_requested.connect(lambda: window.pop(screen))
        window.push(screen)
        self.phone_screen = screen

    def _from_phone(self, submission: Submission) -> None:
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
