"""GuideStore: XMLTV guides ingested into SQLite, matched to playlist channels, answering now/next and grid queries."""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterable, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Unpack

from settop.core.guide.ingest import (
    DAY,
    DEFAULT_LENGTH,
    DEFAULT_WINDOW,
    IngestCancelled,
    IngestOptions,
    build_source,
)
from settop.core.guide.match import MatchReport, build_report
from settop.core.guide.rows import COLUMNS, programme
from settop.core.guide.search import SearchHit, SearchResults, SourceSearch, build_index, group, index_path
from settop.core.guide.xmltv import GuideError
from settop.core.models import Channel, GuideChannel, ParseWarning, Programme
from settop.core.redact import redact
from settop.core.state import paths

__all__ = [
    "DEFAULT_LENGTH", "DEFAULT_WINDOW", "GuideError", "GuideStore", "IngestCancelled", "IngestResult", "SearchHit",
    "SearchResults", "SourceInfo",
]  # fmt: skip

log = logging.getLogger("settop.guide")

_MAIN_SCHEMA = """
CREATE TABLE IF NOT EXISTS sources(
    id INTEGER PRIMARY KEY, source TEXT UNIQUE NOT NULL, name TEXT NOT NULL, file TEXT NOT NULL,
    updated INTEGER NOT NULL, programmes INTEGER NOT NULL, channels INTEGER NOT NULL, matched INTEGER NOT NULL);
"""

def _source_key(source_id: str) -> str:
    """Sources are stored by hash: their URLs may carry credentials."""
    return hashlib.sha256(source_id.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True, slots=True)
class IngestResult:
    """What one ingest stored, and what the user may want to know about it."""

    programmes: int
    guide_channels: int
    report: MatchReport
    skipped: int = 0
    filtered: int = 0
    warnings: tuple[ParseWarning, ...] = ()
    seconds: float = 0.0


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """One ingested guide source; ``name`` is how messages name it (redacted)."""

    name: str
    updated: int
    programmes: int
    channels: int
    matched: int


@dataclass(slots=True)
class _Attached:
    alias: str
    file: str
    data: dict[str, Any] = field(default_factory=dict)


class GuideStore:
    """Programmes of several guide sources, kept in UTC, for the playlist channels they match.

    Layout: ``guide.db`` (WAL) lists the sources; each source's data lives in its own file, built completely by an
    ingest and then swapped in by one transaction, so readers see the old data until the new is complete.

    offset / offsets: a global and per-channel (by key) shift in seconds, added at query time to the playlist's
    ``tvg-shift`` recorded at ingest. Query methods return programmes with shifted start/stop.
    """

    def __init__(self, path: Path | None = None, *, offset: int = 0, offsets: Mapping[str, int] | None = None,
                 search_index: bool = True) -> None:
        self.path = path if path is not None else paths.cache_dir() / "guide.db"
        #: Build each source's search index on a worker thread after its ingest (and when a search finds none).
        self.search_index = search_index
        self._indexing: dict[str, threading.Thread] = {}
        paths.private_dir(self.path.parent)
        self.offset = offset
        self.offsets: dict[str, int] = dict(offsets or {})
        self._local = threading.local()
        self._write_lock = threading.Lock()
        try:
            self._create()
        except sqlite3.DatabaseError as exc:  # a damaged cache: set it aside and start empty
            aside = self.path.with_name(self.path.name + ".corrupt")
            log.warning("guide store %s is damaged (%s); moved to %s and started afresh", self.path, exc, aside.name)
            for suffix in ("", "-wal", "-shm"):
                part = Path(str(self.path) + suffix)
                if part.exists():
                    part.replace(Path(str(aside) + suffix))
            self._create()
        self._remove_orphans()

    def _create(self) -> None:
        with closing(self._connect_main()) as conn:
            conn.executescript(_MAIN_SCHEMA)

    # ----------------------------------------------------------------- connections

    def _connect_main(self) -> sqlite3.Connection:
        # uri=True: a plain path stays a plain path, and ATTACH below may pass "file:...?mode=ro"
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False, uri=True)
        paths.private_file(self.path)  # guide data holds icon URLs with credentials; -wal/-shm follow its mode
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        return conn

    def _reader(self) -> tuple[sqlite3.Connection, list[tuple[int, _Attached]]]:
        """This thread's query connection, with every current source file attached (re-attached after a swap)."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect_main()
            self._local.conn = conn
            self._local.attached = {}
        attached: dict[int, _Attached] = self._local.attached
        current = {sid: name for sid, name in conn.execute("SELECT id, file FROM sources ORDER BY id")}
        for sid in [s for s, a in attached.items() if current.get(s) != a.file]:
            conn.execute(f"DETACH DATABASE {attached.pop(sid).alias}")
        for sid, name in current.items():
            if sid not in attached:
                alias = f"s{sid}"
                try:
                    uri = (self.path.parent / name).resolve().as_uri() + "?mode=ro"
                    conn.execute("ATTACH DATABASE ? AS " + alias, (uri,))
                except sqlite3.OperationalError as exc:
                    log.warning("guide source %d cannot be opened: %s", sid, exc)
                    continue
                attached[sid] = _Attached(alias, name)
        return conn, sorted(attached.items())

    def close(self) -> None:
        """Close this thread's query connection."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None
        for searcher in getattr(self._local, "search", {}).values():
            searcher.conn.close()
        self._local.search = {}

    def _remove_orphans(self) -> None:
        """Staging files and batches left by an ingest that died (a day old, so never one still running)."""
        with closing(self._connect_main()) as conn:
            live = {name for (name,) in conn.execute("SELECT file FROM sources")}
        live |= {index_path(Path(name)).name for name in live}
        for path in self.path.parent.glob(self.path.stem + "-*"):
            try:
                if path.name not in live and time.time() - path.stat().st_mtime > DAY:
                    path.unlink(missing_ok=True)
            except OSError:
                continue

    # ----------------------------------------------------------------- ingest

    def ingest(
        self,
        source_id: str,
        guide: Path | IO[bytes],
        playlist_channels: Sequence[Channel],
        *,
        display: str = "",
        **options: Unpack[IngestOptions],
    ) -> IngestResult:
        """Read ``guide`` and replace the data of ``source_id`` with it, atomically.

        source_id: the source's identity (its URL or a label); never logged, ``display`` names it in messages.
        playlist_channels: only guide channels matching these are kept; their ``tvg_shift`` (hours; the M3U parser
            already folds the header's default into it) is recorded for queries.
        options: mappings, window, now, languages, ... (see :class:`settop.core.guide.ingest.IngestOptions`).
        Raises :class:`GuideError` when the guide cannot be read; the previous data stays.
        """
        began = time.monotonic()
        name = display or "guide"
        file_name = f"{self.path.stem}-{uuid.uuid4().hex[:12]}.db"
        staged = build_source(self.path.parent / file_name, guide, playlist_channels, name=name, **options)
        self._swap(
            _source_key(source_id), display or redact(source_id), file_name,
            programmes=staged.programmes, channels=len(staged.guide_channels), matched=len(staged.matched),
        )  # fmt: skip
        log.info(
            "%s: %d programmes for %d of %d channels in %.1f s", name, staged.programmes, len(staged.matched),
            len(playlist_channels), time.monotonic() - began,
        )  # fmt: skip
        report = build_report(playlist_channels, staged.matched, staged.guide_channels)
        return IngestResult(
            programmes=staged.programmes, guide_channels=len(staged.guide_channels), report=report,
            skipped=staged.skipped, filtered=staged.filtered, warnings=staged.warnings,
            seconds=time.monotonic() - began,
        )  # fmt: skip

    def _swap(self, source: str, name: str, file_name: str, *, programmes: int, channels: int, matched: int) -> None:
        with self._write_lock:
            conn = self._connect_main()
            try:
                conn.execute("BEGIN IMMEDIATE")
                row = conn.execute("SELECT file FROM sources WHERE source=?", (source,)).fetchone()
                conn.execute(
                    "INSERT INTO sources(source, name, file, updated, programmes, channels, matched) "
                    "VALUES (?,?,?,?,?,?,?) ON CONFLICT(source) DO UPDATE SET name=excluded.name, "
                    "file=excluded.file, updated=excluded.updated, "
                    "programmes=excluded.programmes, channels=excluded.channels, matched=excluded.matched",
                    (source, name, file_name, int(time.time()), programmes, channels, matched),
                )
                conn.execute("COMMIT")
            finally:
                conn.close()
        if row is not None and row[0] != file_name:
            self._discard(row[0])
        self._start_index(file_name)

    def _discard(self, file_name: str) -> None:
        for path in (self.path.parent / file_name, index_path(self.path.parent / file_name)):
            try:
                path.unlink(missing_ok=True)
            except OSError:  # still open elsewhere (Windows): removed as an orphan later
                log.debug("old guide file %s kept until it is free", path.name)

    def remove_source(self, source_id: str) -> None:
        """Forget a source and its data."""
        with self._write_lock:
            conn = self._connect_main()
            try:
                key = _source_key(source_id)
                row = conn.execute("SELECT file FROM sources WHERE source=?", (key,)).fetchone()
                conn.execute("DELETE FROM sources WHERE source=?", (key,))
            finally:
                conn.close()
        if row is not None:
            self._discard(row[0])

    def keep_sources(self, source_ids: Iterable[str]) -> int:
        """Forget every source but ``source_ids`` (another playlist took over); returns how many went."""
        keep = {_source_key(s) for s in source_ids}
        with self._write_lock:
            conn = self._connect_main()
            try:
                gone = [(key, file) for key, file in conn.execute("SELECT source, file FROM sources")
                        if key not in keep]
                conn.executemany("DELETE FROM sources WHERE source=?", [(key,) for key, _file in gone])
            finally:
                conn.close()
        for _key, file in gone:
            self._discard(file)
        return len(gone)

    def sources(self) -> list[SourceInfo]:
        """The ingested sources, in priority order (first ingested first)."""
        conn, _ = self._reader()
        rows = conn.execute("SELECT name, updated, programmes, channels, matched FROM sources ORDER BY id")
        return [SourceInfo(*row) for row in rows]

    # ----------------------------------------------------------------- queries

    def _shift(self, key: str, recorded: int) -> int:
        return recorded + self.offset + self.offsets.get(key, 0)

    def _statement(self, attached: _Attached, kind: str) -> str:
        sql: str | None = attached.data.get(kind)
        if sql is None:
            a = attached.alias
            base = (
                f"SELECT m.shift, {COLUMNS} FROM {a}.matches m JOIN {a}.channels c ON c.id = m.channel "
                f"JOIN {a}.programmes p ON p.channel = m.channel WHERE m.key = ?1 AND p.start >= coalesce("
                f"(SELECT max(q.start) FROM {a}.programmes q WHERE q.channel = m.channel AND q.start <= ?2 - m.shift), "
                "?2 - m.shift) "
            )
            if kind == "now_next":
                sql = base + "ORDER BY p.start LIMIT 2"
            else:
                sql = base + "AND p.start < ?3 - m.shift ORDER BY p.start"
            attached.data[kind] = sql
        return sql

    def _matched_keys(self, conn: sqlite3.Connection, attached: _Attached, keys: Iterable[str]) -> set[str]:
        wanted = list(keys)
        found: set[str] = set()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            sql = f"SELECT key FROM {attached.alias}.matches WHERE key IN ({','.join('?' * len(chunk))})"
            found.update(k for (k,) in conn.execute(sql, chunk))
        return found

    def now_next(self, channel_keys: Iterable[str], now: float) -> dict[str, tuple[Programme | None, Programme | None]]:
        """For each key with guide data: (programme on air at ``now`` or None, the one after it or None)."""
        conn, sources = self._reader()
        result: dict[str, tuple[Programme | None, Programme | None]] = {}
        pending = list(dict.fromkeys(channel_keys))
        for _sid, attached in sources:
            if not pending:
                break
            sql = self._statement(attached, "now_next")
            left = []
            for key in pending:
                extra = self.offset + self.offsets.get(key, 0)
                rows = conn.execute(sql, (key, int(now) - extra)).fetchall()
                if not rows:
                    left.append(key)
                    continue
                shift = self._shift(key, rows[0][0])
                progs = [programme(row[1:], shift) for row in rows]
                current = progs[0] if progs[0].start <= now < progs[0].stop else None
                upcoming = [p for p in progs if p.start > now]
                if current is None and not upcoming:
                    left.append(key)
                    continue
                result[key] = (current, upcoming[0] if upcoming else None)
            pending = left
        return result

    def programmes(self, channel_keys: Iterable[str], start: float, end: float) -> dict[str, list[Programme]]:
        """For each key with guide data, the programmes overlapping [start, end), in time order (the guide grid)."""
        conn, sources = self._reader()
        result: dict[str, list[Programme]] = {}
        pending = list(dict.fromkeys(channel_keys))
        for _sid, attached in sources:
            if not pending:
                break
            sql = self._statement(attached, "range")
            left = []
            for key in pending:
                extra = self.offset + self.offsets.get(key, 0)
                rows = conn.execute(sql, (key, int(start) - extra, int(end) - extra + 1)).fetchall()
                shift = self._shift(key, rows[0][0]) if rows else 0
                progs = [p for p in (programme(row[1:], shift) for row in rows) if p.stop > start and p.start < end]
                if progs:
                    result[key] = progs
                else:
                    left.append(key)
            pending = left
        return result

    def programme_at(self, channel_key: str, when: float) -> Programme | None:
        """The programme on air on ``channel_key`` at ``when`` (for catch-up and the info banner)."""
        current, _next = self.now_next([channel_key], when).get(channel_key, (None, None))
        return current

    def guide_channels(self) -> list[GuideChannel]:
        """Every channel the stored guides declare (for choosing a manual mapping), first source first."""
        conn, sources = self._reader()
        found: dict[str, GuideChannel] = {}
        for _sid, attached in sources:
            for gid, names, icon in conn.execute(f"SELECT guide_id, names, icon FROM {attached.alias}.channels"):
                found.setdefault(gid, GuideChannel(gid, tuple(n for n in names.split("\n") if n), icon))
        return list(found.values())

    def match_report(self, playlist_channels: Sequence[Channel]) -> MatchReport:
        """How the playlist channels match the stored guides (from the data kept at the last ingests)."""
        conn, sources = self._reader()
        matched: dict[str, tuple[str, str]] = {}
        for _sid, attached in sources:
            a = attached.alias
            for key, gid, how in conn.execute(
                f"SELECT m.key, c.guide_id, m.how FROM {a}.matches m JOIN {a}.channels c ON c.id = m.channel"
            ):
                matched.setdefault(key, (gid, how))
        return build_report(playlist_channels, matched, self.guide_channels())

    # ----------------------------------------------------------------- search

    def _start_index(self, file_name: str) -> None:
        """Build ``file_name``'s search index on a worker thread, unless one is built or being built."""
        if not self.search_index or index_path(self.path.parent / file_name).exists():
            return
        with self._write_lock:
            if file_name in self._indexing:
                return
            worker = threading.Thread(target=self._build_index, args=(file_name,), daemon=True,
                                      name="settop-guide-index")
            self._indexing[file_name] = worker
        worker.start()

    def _build_index(self, file_name: str) -> None:
        try:
            build_index(self.path.parent / file_name)
        except (OSError, sqlite3.Error) as exc:  # a full disk: search says so; a source swapped out meanwhile
            gone = not (self.path.parent / file_name).exists()
            log.log(logging.DEBUG if gone else logging.WARNING, "the search index of guide file %s could not be "
                    "built: %s", file_name, exc)
        finally:
            with self._write_lock:
                self._indexing.pop(file_name, None)

    def wait_for_index(self, timeout: float | None = None) -> bool:
        """Wait for the search index builds under way; False if one still runs after ``timeout`` seconds."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            with self._write_lock:
                workers = list(self._indexing.values())
            if not workers:
                return True
            for worker in workers:
                worker.join(None if deadline is None else max(0.0, deadline - time.monotonic()))
                if worker.is_alive():
                    return False

    def search(self, text: str, now: float, limit: int = 30) -> SearchResults:
        """Programmes whose title, sub-title or description has every word of ``text`` (the last one as typed so
        far), grouped on now / later / earlier, each group at most ``limit``. A source whose index is not built
        yet is indexed now and left out (``indexing`` is then true)."""
        began = time.perf_counter()
        conn, _attached = self._reader()
        files = [name for (name,) in conn.execute("SELECT file FROM sources ORDER BY id")]
        searchers: dict[str, SourceSearch] = getattr(self._local, "search", None) or {}
        self._local.search = searchers
        for stale in [name for name in searchers if name not in files]:
            searchers.pop(stale).conn.close()
        indexing = False
        hits: list[SearchHit] = []
        seen: set[tuple[str, int]] = set()
        for name in files:
            searcher = searchers.get(name)
            if searcher is None:
                if not index_path(self.path.parent / name).exists():
                    self._start_index(name)
                    indexing = True
                    continue
                try:
                    searcher = searchers[name] = SourceSearch(self.path.parent / name)
                except sqlite3.Error as exc:
                    log.warning("guide file %s cannot be searched: %s", name, exc)
                    continue
            for hit in searcher.hits(text, int(now), lambda key: self.offset + self.offsets.get(key, 0), limit):
                keys = tuple(k for k in hit.keys if (k, hit.programme.start) not in seen)
                seen.update((k, hit.programme.start) for k in keys)
                if keys:
                    hits.append(SearchHit(keys, hit.programme) if keys != hit.keys else hit)
        on_now, later, earlier = group(hits, now, limit)
        return SearchResults(text, on_now, later, earlier, indexing, time.perf_counter() - began)
