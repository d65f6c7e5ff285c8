"""The backup file's bytes (what the phone page serves and receives): loads refuses what is no settop backup, and the
preview the TV shows names exactly what restore then writes and skips, without writing anything."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from settop.core.state import backup
from settop.core.state.store import StateStore


def folder_bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.mark.parametrize(("data", "words"), [
    (b"{nope", "not JSON"), (b"\xff\xfe", "not JSON"), (b"[1, 2]", "is not a settop backup"),
    (b'{"settop-backup": 2}', "is not a settop backup"), (b" " * (backup.MAX_BYTES + 1), "too big"),
], ids=["broken", "binary", "list", "other-version", "too-big"])
def test_loads_refuses_what_is_no_backup(data: bytes, words: str) -> None:
    with pytest.raises(backup.BackupError, match=words):
        backup.loads(data, "phone.json")


@pytest.mark.allow_warnings
def test_preview_names_what_restore_does_and_writes_nothing(tmp_path: Path) -> None:
    state = StateStore()
    document: dict[str, Any] = json.loads(backup.dumps(backup.export(state, tmp_path)))
    document.update(settings="broken = [", keymap="[live]\nok = \"Return\"\n", favorites=["id:a", 3],
                    guide_mappings={"id:a": "a.tv"})
    before = folder_bytes(tmp_path)
    preview = backup.preview(document)
    assert folder_bytes(tmp_path) == before and state.guide_mappings() == {}
    assert preview.restored == ("keymap", "channels", "guide_mappings")
    assert [part for part, _why in preview.skipped] == ["settings", "favorites"]
    assert backup.restore(document, state, tmp_path) == preview
    assert state.guide_mappings() == {"id:a": "a.tv"} and (tmp_path / "keymap.toml").exists()
