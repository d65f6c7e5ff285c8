"""Backup and restore with the remote: a 0600 file with everything set up, restored on a "new box", a bad file
changing nothing and a damaged part skipped and said."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PyQt6.QtCore import Qt

from settop.core.state import backup
from settop.core.state.settings import PlaylistSource, Settings
from tests.ui.conftest import press
from tests.ui.settings.test_settings import Remote, remote  # noqa: F401 - the fixture

K = Qt.Key


def save_backup(remote: Remote, path: Path) -> None:  # noqa: F811
    remote.ok("Backup and restore")
    remote.ok("Save a backup")
    remote.type(str(path))


def restore_backup(remote: Remote, path: Path, confirm: bool = True) -> None:  # noqa: F811
    remote.ok("Restore a backup")
    remote.type(str(path))
    if remote.app.window.active() is not remote.screen:  # the confirmation
        press(remote.qtbot, remote.app, *([K.Key_Return] if confirm else [K.Key_Down, K.Key_Return]))


def test_save_then_restore_brings_everything_back(remote: Remote, tmp_path: Path) -> None:  # noqa: F811
    app = remote.app
    settings = app.settings
    settings.set("playlists", [PlaylistSource(source="http://u:secret@127.0.0.1:9/tv.m3u", name="Home").to_dict()])
    settings.set("guide.offset_hours", 1.5)
    settings.save()
    app.state.set_favorites(["id:news.one", "id:news.two"])
    app.state.set_guide_mapping("id:news.one", "bbc1.uk")
    path = tmp_path / "usb" / "settop-backup.json"
    path.parent.mkdir()
    save_backup(remote, path)
    assert "holds your passwords" in remote.screen.note and not remote.screen.note_error
    assert path.stat().st_mode & 0o777 == 0o600
    assert "secret" in json.loads(path.read_text())["settings"]  # the viewer's own secrets stay in it
    # The "new box": the setup is gone.
    settings.set("playlists", [])
    settings.set("guide.offset_hours", 0.0)
    settings.save()
    app.state.set_favorites([])
    app.state.set_guide_mapping("id:news.one", None)
    restore_backup(remote, path)
    assert "Restored:" in remote.screen.note and not remote.screen.note_error, remote.screen.note
    assert [p.name for p in Settings.load()[0].playlists()] == ["Home"]
    assert settings.get("guide.offset_hours") == 1.5  # the running app has it too
    assert app.state.favorites() == ["id:news.one", "id:news.two"]
    assert app.state.guide_mappings() == {"id:news.one": "bbc1.uk"}


def test_a_bad_file_changes_nothing(remote: Remote, tmp_path: Path) -> None:  # noqa: F811
    remote.app.state.set_favorites(["id:news.one"])
    path = tmp_path / "broken.json"
    path.write_text("{this is not json", encoding="utf-8")
    remote.ok("Backup and restore")
    restore_backup(remote, path)
    assert remote.screen.note_error and "Nothing was restored" in remote.screen.note
    assert remote.app.state.favorites() == ["id:news.one"]


@pytest.mark.allow_warnings
def test_a_damaged_part_is_skipped_and_said(remote: Remote, tmp_path: Path) -> None:  # noqa: F811
    document: dict[str, Any] = backup.export(remote.app.state)
    document["settings"] = "this = is [not toml"
    document["favorites"] = ["id:kids"]
    path = tmp_path / "part.json"
    backup.write(path, document)
    before = Settings.load()[0].playlists()
    remote.ok("Backup and restore")
    restore_backup(remote, path)
    assert remote.screen.note_error and "Skipped: playlists, accounts and settings" in remote.screen.note
    assert Settings.load()[0].playlists() == before and remote.app.state.favorites() == ["id:kids"]
