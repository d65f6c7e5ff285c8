"""Damaged state.db keeps what can be kept (issue 18): a wrong-shaped table, a half-truncated file; private modes."""

from __future__ import annotations

import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from settop.core.state.store import StateStore


def _fill(path: Path, favorites: int = 400) -> None:
    with StateStore(path) as store:
        store.set_favorites([f"name:fav{n:04d}|" + "x" * 200 for n in range(favorites)])
        store.record_tuned("name:last|")
        store.set_volume(42)
        store.set_guide_mapping("name:a|", "a.de")


@pytest.mark.allow_warnings("^state: table .* set aside")
def test_a_wrong_shaped_table_is_set_aside_and_recreated(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "state.db"
    _fill(path)
    db = sqlite3.connect(path)
    db.executescript("DROP TABLE favorites; CREATE TABLE favorites(x); INSERT INTO favorites VALUES ('junk');")
    db.close()
    with StateStore(path) as store:
        assert store.favorites() == []  # no "no such column: key"
        store.add_favorite("name:new|")
        assert store.favorites() == ["name:new|"]
        assert store.last_channel() == "name:last|" and store.volume() == 42  # the other tables are untouched
        assert store.guide_mappings() == {"name:a|": "a.de"}
        (problem,) = store.problems
        assert problem.startswith("Saved favorites were damaged: set aside (as favorites_damaged_")
    tables = {row[0] for row in sqlite3.connect(path).execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert any(name.startswith("favorites_damaged_") for name in tables)  # kept, not dropped
    assert "set aside" in caplog.text


@pytest.mark.allow_warnings("^state: Saved state was damaged")
def test_a_half_truncated_state_db_is_salvaged(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "state.db"
    _fill(path)
    db = sqlite3.connect(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.execute("PRAGMA journal_mode=DELETE")
    db.close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with StateStore(path) as store:
        (problem,) = store.problems
        assert "Saved state was damaged; the old file is kept as state.db.corrupt-" in problem
        assert "Recovered:" in problem
        kept = store.favorites()
        assert kept, problem  # favorites that were on readable pages survive ...
        assert kept == sorted(kept) and all(key.startswith("name:fav") for key in kept)
        assert store.volume() == 42 and store.last_channel() == "name:last|"  # ... and so do the meta rows
        store.add_favorite("name:after|")  # the fresh file works
    assert list(tmp_path.glob("state.db.corrupt-*"))  # the old one is set aside, not deleted
    assert "Saved state was damaged" in caplog.text


@pytest.mark.allow_warnings("^state: Saved state was damaged")
def test_garbage_state_db_starts_afresh_with_a_notice(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "state.db"
    path.write_bytes(b"not a database at all" * 100)
    with StateStore(path) as store:
        assert store.favorites() == []
        assert "Saved state was damaged" in store.problems[0]
    assert caplog.records


def _modes(root: Path) -> dict[str, str]:
    bad = {}
    for item in [root, *root.rglob("*")]:
        mode = stat.S_IMODE(item.lstat().st_mode)
        want = 0o700 if item.is_dir() else 0o600
        if mode != want:
            bad[str(item.relative_to(root))] = oct(mode)
    return bad


def test_every_file_settop_writes_is_private(tmp_path: Path) -> None:
    """A settop process that loads a playlist, a guide and state leaves only 0600 files in 0700 folders."""
    home = tmp_path / "home"
    playlist = tmp_path / "list.m3u"
    playlist.write_text('#EXTM3U\n#EXTINF:-1 tvg-id="a",A\nhttp://127.0.0.1:9/a.ts\n', encoding="utf-8")
    guide = tmp_path / "guide.xml"
    guide.write_text('<tv><channel id="a"><display-name>A</display-name></channel>'
                     '<programme start="20250101060000 +0000" stop="20250101070000 +0000" channel="a">'
                     "<title>T</title></programme></tv>", encoding="utf-8")
    code = ("import sys; from settop.cli import main; from settop.core.state.store import StateStore; "
            "from settop.core.guide.store import GuideStore; "
            "s = StateStore(); s.add_favorite('k'); s.close(); g = GuideStore(); g.close(); "
            "sys.exit(main())")
    env = {"SETTOP_HOME": str(home), "PATH": "/usr/bin:/bin", "LANGUAGE": "en"}
    done = subprocess.run([sys.executable, "-c", code, "inspect", str(playlist), "--epg", str(guide)], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert (home / "data" / "state.db").exists() and (home / "cache" / "guide.db").exists()
    assert _modes(home) == {}


def test_existing_open_folders_and_databases_are_made_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Folders and databases an older settop made 0755/0644 are tightened when opened again."""
    home = tmp_path / "home"
    monkeypatch.setenv("SETTOP_HOME", str(home))
    (home / "data").mkdir(parents=True, mode=0o755)
    home.chmod(0o755)
    path = home / "data" / "state.db"
    sqlite3.connect(path).close()
    path.chmod(0o644)
    with StateStore() as store:
        store.add_favorite("k")
    assert _modes(home) == {}
