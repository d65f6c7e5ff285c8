"""Backup through the phone page, driven by the remote and a real HTTP client over loopback: Menu › Backup and
restore › Download to phone serves exactly the backup, once, with the token; Restore from phone shows what a file
holds, restores it only when the viewer says yes, names what it skipped, and a bad file changes nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PyQt6.QtCore import Qt

from settop.core.state import backup
from settop.core.state.paths import config_dir
from settop.core.state.settings import PlaylistSource, Settings
from settop.ui.phone.confirm import ConfirmScreen
from settop.ui.phone.screen import PhoneScreen
from settop.ui.settings.phone_rows import PhonePages
from tests.ui.conftest import press
from tests.ui.phone.client import Phone
from tests.ui.settings.test_settings import Remote, remote  # noqa: F401 - the fixture

K = Qt.Key
SECRET_URL = "http://viewer:Phone-S3cret@127.0.0.1:9/tv.m3u"


@pytest.fixture(autouse=True)
def loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(PhonePages, "phone_host", "127.0.0.1")  # tests never listen on the network


def set_up(remote: Remote, favorites: list[str], offset: float) -> None:  # noqa: F811
    settings = remote.app.settings
    settings.set("playlists", [PlaylistSource(source=SECRET_URL, name="Home").to_dict()])
    settings.set("guide.offset_hours", offset)
    settings.save()
    remote.app.state.set_favorites(favorites)


def open_phone_screen(remote: Remote, row: str) -> tuple[PhoneScreen, Phone]:  # noqa: F811
    remote.ok("Backup and restore")
    remote.ok(row)
    screen = remote.app.window.active()
    assert isinstance(screen, PhoneScreen) and screen.listener.running
    assert not screen.code.pixmap().isNull() and screen.listener.url in screen.address.text()
    return screen, Phone(screen.listener.url)


def setup_files() -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(config_dir().iterdir()) if p.is_file()}


def test_the_backup_downloads_to_a_phone_once(remote: Remote, qtbot: Any) -> None:  # noqa: F811
    set_up(remote, ["id:news.one"], 1.5)
    screen, phone = open_phone_screen(remote, "Download to phone")
    assert screen.warning.isVisible() and "holds your passwords" in screen.warning.text()
    page = phone.open()
    assert page.status == 200 and "PASSWORDS" in page.text and "Phone-S3cret" not in page.text
    file_path = f"{phone.path}/settop-backup.json"
    assert phone.request("GET", "/t/guess/settop-backup.json").status == 403
    assert phone.request("GET", file_path, headers={"Sec-Fetch-Site": "cross-site"}).status == 403
    assert screen.listener.running and remote.app.window.active() is screen
    download = phone.request("GET", file_path, headers={"Sec-Fetch-Site": "same-origin"})
    assert download.status == 200
    document = json.loads(download.body)
    expected = backup.export(remote.app.state)
    assert {k: v for k, v in document.items() if k != "written"} == {k: v for k, v in expected.items()
                                                                      if k != "written"}
    assert "Phone-S3cret" in document["settings"] and document["favorites"] == ["id:news.one"]
    qtbot.waitUntil(lambda: remote.app.window.active() is not screen, timeout=5000)
    assert not screen.listener.running
    assert "downloaded to your phone" in remote.screen.note and "passwords" in remote.screen.note


@pytest.mark.parametrize("confirm", [True, False], ids=["restored", "kept"])
def test_a_backup_from_the_phone_is_restored_only_when_confirmed(remote: Remote, qtbot: Any,  # noqa: F811
                                                                 confirm: bool) -> None:
    set_up(remote, ["id:news.one", "id:news.two"], 1.5)
    data = backup.dumps(backup.export(remote.app.state))
    set_up(remote, ["id:kids"], 0.0)  # what this box has now
    before = setup_files()
    screen, phone = open_phone_screen(remote, "Restore from phone")
    assert phone.send({}, ("settop-backup.json", data)).status == 200
    qtbot.waitUntil(lambda: isinstance(remote.app.window.active(), ConfirmScreen), timeout=5000)
    question = remote.app.window.active()
    assert not screen.listener.running
    shown = dict(question.details)
    assert shown["File"] == "settop-backup.json" and "favorites" in shown["Will restore"] and "Will skip" not in shown
    assert setup_files() == before and remote.app.state.favorites() == ["id:kids"]  # nothing before the yes
    press(qtbot, remote.app, *([K.Key_Return] if confirm else [K.Key_Down, K.Key_Return]))
    assert remote.app.window.active() is remote.screen
    if confirm:
        assert "Restored:" in remote.screen.note and not remote.screen.note_error, remote.screen.note
        assert remote.app.state.favorites() == ["id:news.one", "id:news.two"]
        assert remote.app.settings.get("guide.offset_hours") == 1.5
    else:
        assert setup_files() == before and remote.app.state.favorites() == ["id:kids"]


@pytest.mark.allow_warnings
def test_a_damaged_part_from_the_phone_is_shown_skipped_and_said(remote: Remote, qtbot: Any) -> None:  # noqa: F811
    set_up(remote, ["id:kids"], 0.0)
    document: dict[str, Any] = backup.export(remote.app.state)
    document["settings"] = "this = is [not toml"
    document["favorites"] = ["id:news.one"]
    before = Settings.load()[0].playlists()
    _screen, phone = open_phone_screen(remote, "Restore from phone")
    assert phone.send({}, ("mine.json", backup.dumps(document))).status == 200
    qtbot.waitUntil(lambda: isinstance(remote.app.window.active(), ConfirmScreen), timeout=5000)
    shown = dict(remote.app.window.active().details)
    assert shown["Will skip"] == "playlists, accounts and settings" and "favorites" in shown["Will restore"]
    press(qtbot, remote.app, K.Key_Return)
    assert remote.screen.note_error and "Skipped: playlists, accounts and settings" in remote.screen.note
    assert Settings.load()[0].playlists() == before and remote.app.state.favorites() == ["id:news.one"]


@pytest.mark.parametrize(("data", "words"), [
    (b"{this is not json", "not JSON"),
    (b'{"hello": "world"}', "is not a settop backup"),
    (b"\xff\xfe binary", "not JSON"),
    (json.dumps({"settop-backup": 1, "favorites": "id:x", "settings": 3}).encode(), "holds nothing that checks out"),
], ids=["not-json", "not-settop", "binary", "nothing-valid"])
def test_a_bad_file_from_the_phone_changes_nothing(remote: Remote, qtbot: Any, tmp_path: Path,  # noqa: F811
                                                   data: bytes, words: str) -> None:
    set_up(remote, ["id:kids"], 0.5)
    before = setup_files()
    screen, phone = open_phone_screen(remote, "Restore from phone")
    assert phone.send({}, ("settop-backup.json", data)).status == 200
    qtbot.waitUntil(lambda: remote.app.window.active() is not screen, timeout=5000)
    assert remote.app.window.active() is remote.screen  # no question: there is nothing to restore
    assert remote.screen.note_error and "Nothing was restored" in remote.screen.note and words in remote.screen.note
    assert setup_files() == before and remote.app.state.favorites() == ["id:kids"]
