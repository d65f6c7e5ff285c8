"""Menu › Backup and restore: everything the viewer set up to one file (0600, it holds passwords), and back; on a
USB stick or this box by a path, or through the phone page (download to, restore from a phone)."""

from __future__ import annotations

import logging
from pathlib import Path

from settop.core.state import backup
from settop.core.state import edits as edits_file
from settop.core.state.settings import Settings
from settop.i18n import N_, _
from settop.ui.phone.listener import Submission
from settop.ui.settings.phone_rows import PhonePages
from settop.ui.settings.screen import Page, Row

log = logging.getLogger("settop.ui.settings")

DEFAULT_NAME = backup.DEFAULT_FILE
PARTS = {
    "settings": N_("playlists, accounts and settings"), "parental": N_("parental lock"), "keymap": N_("keys"),
    "channels": N_("channel order"), "favorites": N_("favorites"), "guide_mappings": N_("guide matching"),
}


def default_path() -> str:
    """A USB stick when one is mounted (``/media/USER/STICK`` or ``/media/STICK``), else the home folder."""
    for root in (Path("/media"), Path("/mnt")):
        try:
            sticks = sorted(p for p in root.glob("*/*") if p.is_dir()) + sorted(p for p in root.glob("*")
                                                                               if p.is_dir())
        except OSError:
            continue
        for stick in sticks:
            if stick.is_dir() and not stick.name.startswith("."):
                return str(stick / DEFAULT_NAME)
    return str(Path.home() / DEFAULT_NAME)


class BackupPages(PhonePages):
    """The page and its four actions."""

    def backup_page(self) -> Page:
        def rows() -> list[Row]:
            return [
                Row(_("Save a backup"), "›", select=self._save_backup,
                    help=_("One file with your playlists and accounts WITH THEIR PASSWORDS, settings, favorites, "
                           "channel order, guide matching, PIN and keys; keep it private")),
                Row(_("Restore a backup"), "›", select=self._restore_backup,
                    help=_("Replaces your setup with a backup's; parts that do not check out are skipped and "
                           "said")),
                Row(_("Download to phone"), _("QR code"), select=self._backup_to_phone,
                    help=_("The same file, downloaded by a phone on the same network; it holds your passwords")),
                Row(_("Restore from phone"), _("QR code"),
                    select=lambda: self.open_phone("restore", self._restore_sent),
                    help=_("A phone on the same network sends a backup file; you see what it holds and confirm")),
            ]

        return Page(N_("Backup and restore"), rows)

    def _save_backup(self) -> None:
        def done(text: str) -> None:
            path = Path(text).expanduser()
            if path.is_dir():
                path = path / DEFAULT_NAME
            state = self.env.state
            if state is None:
                return
            try:
                backup.write(path, backup.export(state))
            except OSError as exc:
                self.screen.message(_("The backup could not be written: {error}").format(
                    error=exc.strerror or exc), error=True)
                return
            self.screen.message(_("Saved to {path}. It holds your passwords: keep it private.").format(path=path))

        self.edit_text(_("Save the backup as (a file on a USB stick or here)"), default_path(), done)

    def _restore_backup(self) -> None:
        def done(text: str) -> None:
            path = Path(text).expanduser()
            try:
                document = backup.read(path)
            except backup.BackupError as exc:
                self.screen.message(_("Nothing was restored: {error}").format(error=exc), error=True)
                return
            self.choose(_("Replace your setup with {name}?").format(name=path.name),
                        [(_("Restore"), lambda: self._restore(document)), (_("Keep mine"), lambda: None)])

        self.edit_text(_("Restore from (a backup file)"), default_path(), done)

    def _backup_to_phone(self) -> None:
        state = self.env.state
        if state is None:
            return
        self.open_phone("backup", self._backup_downloaded, download=backup.dumps(backup.export(state)))

    def _backup_downloaded(self, _submission: Submission) -> None:
        self.screen.message(_("The backup was downloaded to your phone. It holds your passwords: keep it private."))

    def _restore_sent(self, submission: Submission) -> None:
        """A file from the phone: checked whole, shown part by part, restored only when the viewer says yes."""
        name = submission.name or backup.DEFAULT_FILE
        try:
            document = backup.loads(submission.data, name)
        except backup.BackupError as exc:
            self.screen.message(_("Nothing was restored: {error}").format(error=exc), error=True)
            return
        preview = backup.preview(document)
        if not preview.restored:
            self.screen.message(_("Nothing was restored: {name} holds nothing that checks out").format(name=name),
                                error=True)
            return
        listed = _(", ").join  # the list separator: "، " in Arabic
        details = [(_("File"), name), (_("Will restore"), listed(_(PARTS[p]) for p in preview.restored))]
        if preview.skipped:
            details.append((_("Will skip"), listed(_(PARTS[p]) for p, _why in preview.skipped)))
        self.confirm(_("Replace your setup with this backup?"), details,
                     _("What you have now is replaced by these parts."),
                     [(_("Restore"), lambda: self._restore(document)), (_("Keep mine"), lambda: None)])

    def _restore(self, document: dict[str, object]) -> None:
        state, shell = self.env.state, self.env.shell
        if state is None:
            return
        report = backup.restore(document, state)
        fresh, _messages = Settings.load(self.s.path)  # the running app takes the restored settings at once
        self.s._document, self.s._values = fresh._document, fresh._values
        self.s.parental_damaged, self.s.parental_lock_all = fresh.parental_damaged, fresh.parental_lock_all
        if shell is not None:
            shell.loader.edits = edits_file.load()[0]
            shell.load_configured()
        restored = _(", ").join(_(PARTS[p]) for p in report.restored) or _("nothing")
        text = _("Restored: {parts}. Keys and language take effect at the next start.").format(parts=restored)
        if report.skipped:
            text += "  " + _("Skipped: {parts}").format(parts="; ".join(
                f"{_(PARTS.get(part, part))} ({why})" for part, why in report.skipped))
        self.screen.message(text, error=bool(report.skipped))
        self.screen.rebuild()
