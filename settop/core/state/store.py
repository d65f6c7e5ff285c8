"""What settop remembers between runs: favorites, recent and last channels, volume, tracks, guide mappings (SQLite)."""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from settop.core.state.paths import data_dir, private_dir, private_file
from settop.core.state.repair import salvage, set_aside_misshapen
from settop.core.state.resume import ResumePoint
from settop.core.state.tomlfile import move_aside
from settop.i18n import N_, _

log = logging.getLogger("settop.state")

SCHEMA_VERSION = 1
# table -> (its columns, its CREATE statement): checked on every open
_TABLE_SCHEMA = {
    name: (columns, f"CREATE TABLE IF NOT EXISTS {name} ({body})")
    for name, columns, body in (
        ("meta", "name, value", "name TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL"),
        ("favorites", "key, position", "key TEXT PRIMARY KEY NOT NULL, position INTEGER NOT NULL"),
        ("recent", "key, at", "key TEXT PRIMARY KEY NOT NULL, at REAL NOT NULL"),
        ("audio_language", "key, language", "key TEXT PRIMARY KEY NOT NULL, language TEXT NOT NULL"),
        ("guide_mapping", "key, guide_id", "key TEXT PRIMARY KEY NOT NULL, guide_id TEXT NOT NULL"),
        ("resume", "key, position_ms, length_ms, at, watched",
         "key TEXT PRIMARY KEY NOT NULL, position_ms INTEGER NOT NULL, length_ms INTEGER NOT NULL, at REAL NOT NULL, "
         "watched INTEGER NOT NULL"),
    )
}
_SCHEMA = ";\n".join(create for _columns, create in _TABLE_SCHEMA.values()) + ";"
_TABLES = tuple(_TABLE_SCHEMA)
_WHAT = {"meta": N_("last channel, volume and lock"), "favorites": N_("favorites"), "recent": N_("recent channels"),
         "audio_language": N_("audio languages"), "guide_mapping": N_("guide mappings"),
         "resume": N_("resume points")}
RESUME_LIMIT = 2000  # resume points kept (the oldest go first)


@dataclass(frozen=True, slots=True)
class WindowState:
    """How the main window was left: full screen or not, and the window geometry (Qt's ``saveGeometry`` bytes)."""

    fullscreen: bool
    geometry: bytes = b""


class StateStore:
    """Favorites (ordered), recent channels (bounded), last and previous channel, volume, mute, per-channel audio
    language, manual guide mappings and window state, in ``state.db``.

    Every change is one SQLite transaction. A database that cannot be opened or fails its integrity check is moved
    aside to ``state.db.corrupt-<timestamp>`` and a fresh one is started; ``problems`` says so in words the UI can
    show. Safe to call from several threads (one lock around one connection).
    """

    def __init__(self, path: Path | None = None, *, recent_limit: int = 50) -> None:
        self.path = path or data_dir() / "state.db"
        self.recent_limit = recent_limit
        self.problems: list[str] = []
        self._lock = threading.RLock()
        self._db = self._open()

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=5)
        private_file(self.path)  # before WAL mode: SQLite gives its -wal and -shm files the database's mode
        try:
            if db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise sqlite3.DatabaseError("integrity check failed")
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise sqlite3.DatabaseError(f"written by a newer settop (schema {version})")
            db.execute("PRAGMA journal_mode=WAL")  # commits without an fsync each: zapping stays cheap on SD cards
            db.execute("PRAGMA synchronous=NORMAL")
            db.executescript(_SCHEMA)
            for table, aside in set_aside_misshapen(db, _TABLE_SCHEMA):
                self.problems.append(_("Saved {what} were damaged: set aside (as {table}) and started afresh.")
                                     .format(what=_(_WHAT[table]), table=aside))
            for table in _TABLES:
                db.execute(f"SELECT * FROM {table} LIMIT 1").fetchall()
            db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        except BaseException:
            db.close()
            raise
        return db

    def _open(self) -> sqlite3.Connection:
        private_dir(self.path.parent)
        try:
            return self._connect()
        except sqlite3.DatabaseError as exc:
            log.info("state: %s cannot be opened (%s); salvaging what can be read", self.path.name, exc)
            fresh = self.path.with_name(f".{self.path.name}.salvage")
            counts = salvage(self.path, fresh, _TABLE_SCHEMA)
            moved = move_aside(self.path, ("-wal", "-shm", "-journal"))
            os.replace(fresh, self.path)
            kept = [f"{_(_WHAT[table])} {saved}" for table, (saved, _lost) in counts.items() if saved]
            lost = [_(_WHAT[table]) for table, (_saved, lost) in counts.items() if lost]
            message = _("Saved state was damaged; the old file is kept as {name}.").format(name=moved.name)
            if kept:
                message += " " + _("Recovered: {what}.").format(what=", ".join(kept))
            if lost:
                message += " " + _("Could not read all of: {what}.").format(what=", ".join(lost))
            log.warning("state: %s", message)
            self.problems.append(message)
            return self._connect()

    def close(self) -> None:
        """Close the database (later calls raise)."""
        with self._lock:
            self._db.close()

    def __enter__(self) -> StateStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _query(self, sql: str, params: Sequence[object] = ()) -> list[tuple[object, ...]]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    def _meta(self, name: str) -> str | None:
        rows = self._query("SELECT value FROM meta WHERE name = ?", (name,))
        return str(rows[0][0]) if rows else None

    def _set_meta(self, db: sqlite3.Connection, name: str, value: str | None) -> None:
        if value is None:
            db.execute("DELETE FROM meta WHERE name = ?", (name,))
        else:
            db.execute("INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)", (name, value))

    # favorites

    def favorites(self) -> list[str]:
        """Favorite channel keys in the user's order."""
        return [str(r[0]) for r in self._query("SELECT key FROM favorites ORDER BY position")]

    def is_favorite(self, key: str) -> bool:
        """Whether ``key`` is a favorite."""
        return bool(self._query("SELECT 1 FROM favorites WHERE key = ?", (key,)))

    def add_favorite(self, key: str) -> None:
        """Append ``key`` to the favorites (no change when already there)."""
        with self._transaction() as db:
            db.execute(
                "INSERT OR IGNORE INTO favorites (key, position) "
                "VALUES (?, (SELECT COALESCE(MAX(position), -1) + 1 FROM favorites))",
                (key,),
            )

    def remove_favorite(self, key: str) -> None:
        """Remove ``key`` from the favorites."""
        with self._transaction() as db:
            db.execute("DELETE FROM favorites WHERE key = ?", (key,))

    def toggle_favorite(self, key: str) -> bool:
        """Add or remove ``key``; returns whether it is a favorite now."""
        with self._lock:
            if self.is_favorite(key):
                self.remove_favorite(key)
                return False
            self.add_favorite(key)
            return True

    def set_favorites(self, keys: Sequence[str]) -> None:
        """Replace the favorites with ``keys`` in this order (duplicates dropped)."""
        with self._transaction() as db:
            db.execute("DELETE FROM favorites")
            db.executemany(
                "INSERT INTO favorites (key, position) VALUES (?, ?)",
                [(key, index) for index, key in enumerate(dict.fromkeys(keys))],
            )

    def move_favorite(self, key: str, index: int) -> None:
        """Move a favorite to ``index`` (clamped) in the order."""
        with self._lock:
            keys = self.favorites()
            if key not in keys:
                return
            keys.remove(key)
            keys.insert(max(0, min(index, len(keys))), key)
            self.set_favorites(keys)

    # channels watched

    def record_tuned(self, key: str, at: float | None = None) -> None:
        """Note that ``key`` is now playing: it becomes the last channel (the one before becomes the previous one)
        and the most recent entry; the recent list is trimmed to ``recent_limit``."""
        with self._transaction() as db:
            last = db.execute("SELECT value FROM meta WHERE name = 'last_channel'").fetchone()
            if last is None or last[0] != key:
                self._set_meta(db, "previous_channel", last[0] if last else None)
                self._set_meta(db, "last_channel", key)
            stamp = time.time() if at is None else at
            db.execute("INSERT OR REPLACE INTO recent (key, at) VALUES (?, ?)", (key, stamp))
            db.execute(
                "DELETE FROM recent WHERE key NOT IN (SELECT key FROM recent ORDER BY at DESC, rowid DESC LIMIT ?)",
                (self.recent_limit,),
            )

    def last_channel(self) -> str | None:
        """The channel playing when settop last ran (resumed on start)."""
        return self._meta("last_channel")

    def previous_channel(self) -> str | None:
        """The channel before the last one (the target of the last-channel key)."""
        return self._meta("previous_channel")

    def recent(self, limit: int | None = None) -> list[str]:
        """Recently watched channel keys, most recent first."""
        rows = self._query("SELECT key FROM recent ORDER BY at DESC, rowid DESC LIMIT ?", (limit or -1,))
        return [str(r[0]) for r in rows]

    def clear_recent(self) -> None:
        """Forget the recently watched channels (last and previous channel stay)."""
        with self._transaction() as db:
            db.execute("DELETE FROM recent")

    # sound

    def volume(self) -> int:
        """The last volume, 0-200 (100 when never set)."""
        value = self._meta("volume")
        try:
            return max(0, min(200, int(value))) if value is not None else 100
        except ValueError:
            return 100

    def set_volume(self, volume: int) -> None:
        """Remember the volume (clamped to 0-200)."""
        with self._transaction() as db:
            self._set_meta(db, "volume", str(max(0, min(200, int(volume)))))

    def muted(self) -> bool:
        """Whether sound was muted."""
        return self._meta("muted") == "1"

    def set_muted(self, muted: bool) -> None:
        """Remember mute."""
        with self._transaction() as db:
            self._set_meta(db, "muted", "1" if muted else "0")

    def audio_language(self, key: str) -> str | None:
        """The audio track language chosen for channel ``key``, if any."""
        rows = self._query("SELECT language FROM audio_language WHERE key = ?", (key,))
        return str(rows[0][0]) if rows else None

    def set_audio_language(self, key: str, language: str | None) -> None:
        """Remember (or forget, with None) the audio language chosen for channel ``key``."""
        with self._transaction() as db:
            if language is None:
                db.execute("DELETE FROM audio_language WHERE key = ?", (key,))
            else:
                db.execute("INSERT OR REPLACE INTO audio_language (key, language) VALUES (?, ?)", (key, language))

    # sources

    def preferred_copy(self, key: str) -> str | None:
        """The key of the copy (of merged channel ``key``) that played last, when the channel has several sources."""
        return self._meta(f"copy:{key}")

    def set_preferred_copy(self, key: str, copy_key: str | None) -> None:
        """Remember (or forget) which source's copy of channel ``key`` worked last."""
        with self._transaction() as db:
            self._set_meta(db, f"copy:{key}", copy_key)

    # guide

    def guide_mappings(self) -> dict[str, str]:
        """Manual channel key -> guide channel id mappings (for GuideStore)."""
        return {str(k): str(v) for k, v in self._query("SELECT key, guide_id FROM guide_mapping")}

    def set_guide_mapping(self, key: str, guide_id: str | None) -> None:
        """Map channel ``key`` to guide channel ``guide_id``; None removes the mapping."""
        with self._transaction() as db:
            if guide_id is None:
                db.execute("DELETE FROM guide_mapping WHERE key = ?", (key,))
            else:
                db.execute("INSERT OR REPLACE INTO guide_mapping (key, guide_id) VALUES (?, ?)", (key, guide_id))

    # window

    def window_state(self) -> WindowState | None:
        """How the window was left, None on first run."""
        fullscreen = self._meta("window_fullscreen")
        if fullscreen is None:
            return None
        geometry = self._meta("window_geometry") or ""
        try:
            raw = bytes.fromhex(geometry)
        except ValueError:
            raw = b""
        return WindowState(fullscreen=fullscreen == "1", geometry=raw)

    def set_window_state(self, state: WindowState) -> None:
        """Remember how the window is now."""
        with self._transaction() as db:
            self._set_meta(db, "window_fullscreen", "1" if state.fullscreen else "0")
            self._set_meta(db, "window_geometry", state.geometry.hex())

    # resume positions of films and episodes (settop.core.state.resume)

    def save_resume(self, point: ResumePoint) -> None:
        """Remember where a film or episode was left (one row per key; the oldest beyond RESUME_LIMIT go)."""
        with self._transaction() as db:
            db.execute("INSERT OR REPLACE INTO resume (key, position_ms, length_ms, at, watched) "
                       "VALUES (?, ?, ?, ?, ?)",
                       (point.key, point.position_ms, point.length_ms, point.at, int(point.watched)))
            db.execute("DELETE FROM resume WHERE key NOT IN (SELECT key FROM resume ORDER BY at DESC LIMIT ?)",
                       (RESUME_LIMIT,))

    def resume_point(self, key: str) -> ResumePoint | None:
        rows = self._query("SELECT key, position_ms, length_ms, at, watched FROM resume WHERE key = ?", (key,))
        return _point(rows[0]) if rows else None

    def resume_points(self) -> list[ResumePoint]:
        """Every saved point, most recent first."""
        rows = self._query("SELECT key, position_ms, length_ms, at, watched FROM resume ORDER BY at DESC")
        return [_point(row) for row in rows]


def _point(row: tuple[object, ...]) -> ResumePoint:
    key, position, length, at, watched = row
    return ResumePoint(str(key), int(str(position)), int(str(length)), float(str(at)), bool(watched))
