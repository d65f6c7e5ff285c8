"""The TV's phone screens for a backup and an account, in English and Arabic at 1920x1080: translated, inside the
screen, the passwords warning shown, what a backup would restore and skip, the account's password only as dots.

Screenshots go to ``tmp_path``, or to docs/screenshots (``phone-backup-``, ``phone-restore-confirm-`` and
``phone-account-confirm-<lang>.png``) when SETTOP_SCREENSHOTS=1; refresh them on a real X server:
``SETTOP_SCREENSHOTS=1 xvfb-run -s "-screen 0 1920x1080x24" env QT_QPA_PLATFORM=xcb pytest THIS_FILE``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import QApplication

from settop import i18n
from settop.core.state import backup
from settop.ui.i18n_qt import apply_language
from settop.ui.phone.confirm import ConfirmScreen
from settop.ui.phone.screen import PhoneScreen
from settop.ui.settings.phone_rows import PhonePages
from tests.ui.conftest import press
from tests.ui.phone.client import Phone
from tests.ui.settings.test_settings import Remote, remote  # noqa: F401 - the fixture

ROOT = Path(__file__).resolve().parents[3]
PASSWORD = "Sh0wn-As-Dots"


@pytest.fixture(autouse=True)
def loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(PhonePages, "phone_host", "127.0.0.1")  # tests never listen on the network


@pytest.fixture
def english_after() -> Iterator[None]:
    yield
    apply_language("en", "auto")


def ok(remote: Remote, label: str) -> None:  # noqa: F811
    """OK on a row, with the event loop let run after it (a real X server delivers the release later)."""
    remote.focus(label)
    page = remote.screen.page
    press(remote.qtbot, remote.app, Qt.Key.Key_Return)
    remote.qtbot.waitUntil(lambda: remote.screen.page is not page or remote.app.window.active() is not remote.screen,
                           timeout=3000)


def shoot(remote: Remote, folder: Path, name: str) -> None:  # noqa: F811
    QApplication.processEvents()
    window = remote.app.window
    active: Any = window.active()
    assert active is not None and window.rect().contains(active.geometry()), (active, active.geometry())
    path = folder / f"{name}.png"
    assert window.grab().save(str(path)), path


@pytest.mark.parametrize("code", ["en", "ar"])
def test_backup_and_account_screens(remote: Remote, qtbot: Any, tmp_path: Path, english_after: None,  # noqa: F811
                                    code: str) -> None:
    folder = ROOT / "docs" / "screenshots" if os.environ.get("SETTOP_SCREENSHOTS") == "1" else tmp_path
    remote.back()
    apply_language(code, "auto")  # then the settings screen opens in that language
    press(qtbot, remote.app, Qt.Key.Key_Menu)
    window = remote.app.window
    window.resize(1920, 1080)
    window.activateWindow()
    qtbot.waitUntil(lambda: window.width() == 1920 and window.isActiveWindow())
    assert window.isRightToLeft() == (code == "ar")
    _ = i18n._

    ok(remote, _("Backup and restore"))
    ok(remote, _("Download to phone"))
    screen = window.active()
    assert isinstance(screen, PhoneScreen) and screen.warning.isVisible()
    assert screen.title.text() == _("Download the backup to your phone") != (
        "Download the backup to your phone" if code == "ar" else "")
    shoot(remote, folder, f"phone-backup-{code}")
    code_label = screen.code
    assert code_label.height() >= code_label.pixmap().height()  # the whole code, quiet border included
    remote.back()

    document = backup.export(remote.app.state)
    document["keymap"] = "not = [toml"
    ok(remote, _("Restore from phone"))
    assert Phone(window.active().listener.url).send({}, ("settop-backup.json", backup.dumps(document))).status == 200
    qtbot.waitUntil(lambda: isinstance(window.active(), ConfirmScreen), timeout=5000)
    assert [label for label, _value in window.active().details] == [_("File"), _("Will restore"), _("Will skip")]
    shoot(remote, folder, f"phone-restore-confirm-{code}")
    remote.back(2)

    ok(remote, _("Playlists"))
    ok(remote, _("Add a provider account from a phone"))
    phone = Phone(window.active().listener.url)
    assert phone.send({"server": "http://provider.example:8080", "username": "ann", "password": PASSWORD}
                      ).status == 200
    qtbot.waitUntil(lambda: isinstance(window.active(), ConfirmScreen), timeout=5000)
    question = window.active()
    assert question.details[2] == (_("Password"), "•" * len(PASSWORD))
    assert all(PASSWORD not in text for text in question.texts())
    shoot(remote, folder, f"phone-account-confirm-{code}")
    remote.back()
