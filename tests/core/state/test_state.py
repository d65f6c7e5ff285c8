"""StateStore: favorites, recent and last channel, sound, tracks, guide mappings, window state, corrupt databases."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from settop.core.state.paths import data_dir
from settop.core.state.store import StateStore, WindowState


@pytest.fixture
def store() -> StateStore:
    return StateStore(recent_limit=3)


def test_fresh_store_defaults(store: StateStore) -> None:
    assert store.path == data_dir() / "state.db"
    assert store.problems == []
    assert store.favorites() == []
    assert store.last_channel() is None and store.previous_channel() is None
    assert store.volume() == 100 and store.muted() is False
    assert store.window_state() is None
    assert store.guide_mappings() == {}


def test_favorites_keep_order(store: StateStore) -> None:
    for key in ("b", "a", "c", "a"):
        store.add_favorite(key)
    assert store.favorites() == ["b", "a", "c"]
    assert store.toggle_favorite("a") is False
    assert store.toggle_favorite("d") is True
    assert store.favorites() == ["b", "c", "d"]
    store.move_favorite("d", 0)
    assert store.favorites() == ["d", "b", "c"]
    store.move_favorite("b", 99)
    assert store.favorites() == ["d", "c", "b"]
    store.set_favorites(["x", "y", "x"])
    assert store.favorites() == ["x", "y"] and store.is_favorite("y") and not store.is_favorite("d")


@pytest.mark.parametrize(
    ("tuned", "last", "previous", "recent"),
    [
        (["a"], "a", None, ["a"]),
        (["a", "b"], "b", "a", ["b", "a"]),
        (["a", "b", "a"], "a", "b", ["a", "b"]),
        (["a", "b", "b"], "b", "a", ["b", "a"]),
        (["a", "b", "c", "d"], "d", "c", ["d", "c", "b"]),
    ],
    ids=["one", "two", "back-and-forth", "same-twice", "bounded"],
)
def test_last_previous_and_recent(
    store: StateStore, tuned: list[str], last: str, previous: str | None, recent: list[str]
) -> None:
    for at, key in enumerate(tuned):
        store.record_tuned(key, at=float(at))
    assert store.last_channel() == last
    assert store.previous_channel() == previous
    assert store.recent() == recent
    assert store.recent(limit=1) == recent[:1]


def test_clear_recent_keeps_last(store: StateStore) -> None:
    store.record_tuned("a")
    store.clear_recent()
    assert store.recent() == [] and store.last_channel() == "a"


def test_sound_and_tracks(store: StateStore) -> None:
    store.set_volume(250)
    assert store.volume() == 200
    store.set_volume(-5)
    assert store.volume() == 0
    store.set_muted(True)
    assert store.muted()
    store.set_audio_language("ch1", "deu")
    assert store.audio_language("ch1") == "deu" and store.audio_language("ch2") is None
    store.set_audio_language("ch1", None)
    assert store.audio_language("ch1") is None


def test_guide_mappings(store: StateStore) -> None:
    store.set_guide_mapping("ch1", "Das.Erste.de")
    store.set_guide_mapping("ch2", "ZDF.de")
    store.set_guide_mapping("ch2", None)
    assert store.guide_mappings() == {"ch1": "Das.Erste.de"}


def test_window_state(store: StateStore) -> None:
    store.set_window_state(WindowState(fullscreen=False, geometry=b"\x01\x02qt"))
    assert store.window_state() == WindowState(fullscreen=False, geometry=b"\x01\x02qt")


def test_everything_survives_a_restart() -> None:
    with StateStore() as first:
        first.add_favorite("f")
        first.record_tuned("a")
        first.record_tuned("b")
        first.set_volume(42)
        first.set_muted(True)
        first.set_audio_language("b", "eng")
        first.set_guide_mapping("b", "B.uk")
        first.set_window_state(WindowState(fullscreen=True))
    with StateStore() as second:
        assert second.favorites() == ["f"]
        assert (second.last_channel(), second.previous_channel()) == ("b", "a")
        assert second.recent() == ["b", "a"]
        assert (second.volume(), second.muted()) == (42, True)
        assert second.audio_language("b") == "eng"
        assert second.guide_mappings() == {"b": "B.uk"}
        assert second.window_state() == WindowState(fullscreen=True)
        assert second.problems == []


def test_failed_transaction_rolls_back(store: StateStore) -> None:
    store.set_favorites(["a", "b"])
    with pytest.raises(sqlite3.IntegrityError):
        store.set_favorites(["c", None])  # type: ignore[list-item]
    assert store.favorites() == ["a", "b"]


def test_threads_share_the_store(store: StateStore) -> None:
    def work(prefix: str) -> None:
        for n in range(20):
            store.add_favorite(f"{prefix}{n}")

    threads = [threading.Thread(target=work, args=(p,)) for p in "xyz"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(store.favorites()) == 60


@pytest.mark.allow_warnings("Saved state was damaged")
@pytest.mark.parametrize(
    "damage",
    [b"this is not a database at all" * 100, b"SQLite format 3\x00" + b"\xff" * 4000, b"newer"],
    ids=["garbage", "bad-header", "newer-schema"],
)
def test_corrupt_database_is_moved_aside(caplog: pytest.LogCaptureFixture, damage: bytes) -> None:
    path = data_dir() / "state.db"
    if damage == b"newer":
        db = sqlite3.connect(path)
        db.execute("PRAGMA user_version=99")
        db.close()
        damage = path.read_bytes()
    else:
        path.write_bytes(damage)
    store = StateStore()
    assert len(store.problems) == 1
    aside = sorted(p for p in data_dir().iterdir() if ".corrupt-" in p.name)
    assert aside and aside[0].name.startswith("state.db.corrupt-") and aside[0].read_bytes() == damage
    assert aside[0].name in store.problems[0]
    assert [r.levelname for r in caplog.records] == ["WARNING"]
    store.add_favorite("a")
    store.close()
    assert StateStore().favorites() == ["a"]


def test_explicit_path(tmp_path: Path) -> None:
    store = StateStore(tmp_path / "sub" / "s.db")
    store.record_tuned("a")
    assert (tmp_path / "sub" / "s.db").exists()
