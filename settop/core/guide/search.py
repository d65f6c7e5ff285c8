"""Guide search: an SQLite FTS5 index of programme titles and descriptions, built beside a source file after ingest.

The index lives in its own file (``guide-XXXX.search`` beside ``guide-XXXX.db``) and is built on a worker thread
once the source is swapped in, so an ingest costs no more than before (building it takes about as long as the
ingest itself). Programmes get index ids in start order, so "the next matches after now" and "the last matches
before now" are rowid ranges FTS5 walks lazily: a query reads a few hundred entries whatever the guide's size.
Prefix queries of one to three letters use FTS5's prefix index; a longer last word is expanded through the term
list (``terms``) into an OR of whole words, which FTS5 also walks lazily.
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
import time
import unicodedata
from collections.abc import Callable, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from settop.core.guide.rows import COLUMNS, programme
from settop.core.models import Programme

log = logging.getLogger("settop.guide.search")

SUFFIX: Final = ".search"
#: How many whole words a typed prefix of four letters or more may stand for; beyond it FTS5's own prefix query.
EXPANSION: Final = 64
#: Matches read on each side of "now" per source; groups show at most ``limit`` of them.
SCAN: Final = 200

_SCHEMA = """
CREATE TABLE search_order(id INTEGER PRIMARY KEY, channel INTEGER NOT NULL, start INTEGER NOT NULL,
    stop INTEGER NOT NULL);
CREATE VIRTUAL TABLE search_text USING fts5(title, body, content='', detail=none, prefix='1 2 3',
    tokenize='unicode61 remove_diacritics 2');
CREATE TABLE terms(term TEXT PRIMARY KEY) WITHOUT ROWID;
"""
_FILL = """
INSERT INTO search_order(channel, start, stop) SELECT channel, start, stop FROM src.programmes ORDER BY start, channel;
INSERT INTO search_text(rowid, title, body) SELECT o.id, p.title, p.sub_title || ' ' || p.descr
    FROM search_order o JOIN src.programmes p ON p.channel = o.channel AND p.start = o.start;
INSERT INTO search_text(search_text) VALUES('optimize');
CREATE INDEX search_start ON search_order(start);
CREATE VIRTUAL TABLE temp.vocabulary USING fts5vocab(main, search_text, row);
INSERT INTO terms SELECT term FROM temp.vocabulary;
"""
_WORD = re.compile(r"\w+")


def index_path(source_file: Path) -> Path:
    """Where the search index of a source file lives."""
    return source_file.with_name(source_file.name + SUFFIX)


def build_index(source_file: Path) -> Path:
    """Build the search index of ``source_file`` (a finished, read-only source) and move it into place.

    Written to a ``.tmp`` file first and renamed, so a reader never sees a half-built index; raises
    ``sqlite3.Error`` or ``OSError`` (the caller logs it; search then says the index is missing).
    """
    target = index_path(source_file)
    staging = target.with_name(target.name + ".tmp")
    staging.unlink(missing_ok=True)
    began = time.monotonic()
    try:
        with closing(sqlite3.connect(staging, isolation_level=None)) as conn:
            for pragma in ("journal_mode=OFF", "synchronous=OFF", "locking_mode=EXCLUSIVE", "cache_size=-16000"):
                conn.execute(f"PRAGMA {pragma}")
            conn.execute("ATTACH DATABASE ? AS src", (source_file.resolve().as_uri() + "?mode=ro",))
            conn.executescript("BEGIN;" + _SCHEMA + _FILL + "COMMIT;")
            conn.execute("DETACH DATABASE src")
        os.replace(staging, target)
    except BaseException:
        staging.unlink(missing_ok=True)
        raise
    log.info("search index of %s built in %.1f s", source_file.name, time.monotonic() - began)
    return target


def fold(text: str) -> list[str]:
    """The words of ``text`` as the index holds them: lower case, accents removed (unicode61, remove_diacritics 2)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _WORD.findall(plain.replace("_", " "))


def _quoted(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def match_expression(text: str, conn: sqlite3.Connection, schema: str = "main") -> str | None:
    """The FTS5 query for typed ``text``: every word whole, the last one also as a prefix (typing goes on) unless
    a space follows it.

    None when nothing can match (no words, or a last word no indexed term starts with).
    """
    words = fold(text)
    if not words:
        return None
    if text[-1:].isspace():
        return " AND ".join(map(_quoted, words))
    *whole, last = words
    parts = [_quoted(w) for w in whole]
    if len(last) <= 3:
        parts.append(_quoted(last) + "*")
    else:
        upper = last[:-1] + chr(ord(last[-1]) + 1)
        terms = [t for (t,) in conn.execute(
            f"SELECT term FROM {schema}.terms WHERE term >= ? AND term < ? LIMIT ?", (last, upper, EXPANSION + 1))]
        if not terms:
            return None
        parts.append(_quoted(last) + "*" if len(terms) > EXPANSION else "(" + " OR ".join(map(_quoted, terms)) + ")")
    return " AND ".join(parts)


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One programme found: the playlist channel keys its guide channel is matched to, and the programme (times
    shifted as the grid shows them)."""

    keys: tuple[str, ...]
    programme: Programme


@dataclass(frozen=True, slots=True)
class SearchResults:
    """Programmes found for a query, grouped: on now (by channel order of the guide), later (soonest first),
    earlier (latest first). ``indexing``: some guide's index is still being built, so results may be missing."""

    query: str
    on_now: tuple[SearchHit, ...] = ()
    later: tuple[SearchHit, ...] = ()
    earlier: tuple[SearchHit, ...] = ()
    indexing: bool = False
    seconds: float = 0.0

    def __len__(self) -> int:
        return len(self.on_now) + len(self.later) + len(self.earlier)


def _ids(conn: sqlite3.Connection, expression: str, first: int | None, *, before: bool, count: int) -> list[int]:
    """Up to ``count`` index ids matching ``expression`` from ``first`` on, or before it (latest first)."""
    bound = 1 << 62 if first is None else first
    order = "rowid < ? ORDER BY rowid DESC" if before else "rowid >= ? ORDER BY rowid"
    sql = f"SELECT rowid FROM idx.search_text WHERE search_text MATCH ? AND {order} LIMIT ?"
    return [i for (i,) in conn.execute(sql, (expression, bound, count))]


def _first_id(conn: sqlite3.Connection, start: int) -> int | None:
    found = conn.execute("SELECT min(id) FROM idx.search_order WHERE start >= ?", (start,)).fetchone()[0]
    return None if found is None else int(found)


def _order_rows(conn: sqlite3.Connection, ids: Sequence[int]) -> list[tuple[int, int, int]]:
    if not ids:
        return []
    sql = f"SELECT channel, start, stop FROM idx.search_order WHERE id IN ({','.join('?' * len(ids))})"
    return [(int(c), int(a), int(b)) for c, a, b in conn.execute(sql, ids)]


def candidates(conn: sqlite3.Connection, expression: str, now: int, *, shift: Callable[[int], int | None],
               shifts: tuple[int, int], limit: int) -> list[tuple[int, int, int, int]]:
    """(guide channel id, recorded start and stop, shift) of enough matches to fill every group with ``limit``.

    ``shift(channel)``: the seconds a guide channel's times move by (None: not matched), ``shifts`` the least and
    the most of them. Matches are read in
    start order: forwards from now for "later", backwards from now for "on now" and "earlier", in growing
    rounds until enough have ended ("on now" is at most one programme per channel).
    """
    low, high = shifts
    found: dict[tuple[int, int], tuple[int, int]] = {}
    later = _order_rows(conn, _ids(conn, expression, _first_id(conn, now - high + 1), before=False, count=SCAN))
    for channel, start, stop in later:
        moved = shift(channel)
        if moved is not None and start + moved > now:
            found[(channel, start)] = (stop, moved)
    bound = _first_id(conn, now - low + 1)
    ended, count = 0, SCAN
    while ended < limit:
        ids = _ids(conn, expression, bound, before=True, count=count)
        for channel, start, stop in _order_rows(conn, ids):
            moved = shift(channel)
            if moved is None or start + moved > now:
                continue
            found[(channel, start)] = (stop, moved)
            ended += stop + moved <= now
        if len(ids) < count:
            break
        bound, count = ids[-1], count * 4
    return [(channel, start, stop, moved) for (channel, start), (stop, moved) in found.items()]


def group(hits: Sequence[SearchHit], now: float, limit: int) -> tuple[tuple[SearchHit, ...], ...]:
    """Hits split into (on now, later, earlier), each sorted and cut to ``limit``."""
    on_now = sorted((h for h in hits if h.programme.start <= now < h.programme.stop),
                    key=lambda h: (h.programme.start, h.keys))
    later = sorted((h for h in hits if h.programme.start > now), key=lambda h: (h.programme.start, h.keys))
    earlier = sorted((h for h in hits if h.programme.stop <= now), key=lambda h: (-h.programme.start, h.keys))
    return tuple(on_now[:limit]), tuple(later[:limit]), tuple(earlier[:limit])


class SourceSearch:
    """Searches one source file through its index: a read-only connection to the source with the index attached
    as ``idx``, kept by the thread that opened it, and the source's channel matches read once."""

    def __init__(self, source_file: Path) -> None:
        self.file = source_file.name
        self.conn = sqlite3.connect(source_file.resolve().as_uri() + "?mode=ro", uri=True, check_same_thread=False)
        self.conn.execute("ATTACH DATABASE ? AS idx", (index_path(source_file).resolve().as_uri() + "?mode=ro",))
        self.matches: dict[int, list[tuple[str, int]]] = {}
        for key, channel, shift in self.conn.execute("SELECT key, channel, shift FROM matches ORDER BY key"):
            self.matches.setdefault(int(channel), []).append((str(key), int(shift)))

    def hits(self, text: str, now: int, extra: Callable[[str], int], limit: int) -> list[SearchHit]:
        """Matches of ``text`` around ``now``, enough for ``limit`` per group; ``extra(key)`` is the offset added
        to a key's recorded shift. Keys of one guide channel with different shifts get a hit each."""
        expression = match_expression(text, self.conn, "idx")
        if expression is None or not self.matches:
            return []

        moved = {channel: keys[0][1] + extra(keys[0][0]) for channel, keys in self.matches.items()}
        found: list[SearchHit] = []
        values = moved.values()
        picked = candidates(self.conn, expression, now, shift=moved.get, shifts=(min(values), max(values)),
                            limit=limit)
        for channel, start in _best(picked, now, limit):
            row = self.conn.execute(
                f"SELECT {COLUMNS} FROM programmes p JOIN channels c ON c.id = p.channel "
                "WHERE p.channel = ? AND p.start = ?", (channel, start)).fetchone()
            if row is None:
                continue
            by_shift: dict[int, list[str]] = {}
            for key, shift in self.matches[channel]:
                by_shift.setdefault(shift + extra(key), []).append(key)
            found += [SearchHit(tuple(same), programme(row, total)) for total, same in by_shift.items()]
        return found


def _best(picked: Sequence[tuple[int, int, int, int]], now: int, limit: int) -> list[tuple[int, int]]:
    """(channel, start) of the candidates the groups keep: ``limit`` on now, soonest later, latest earlier."""
    on_now: list[tuple[int, int, int]] = []
    later: list[tuple[int, int, int]] = []
    earlier: list[tuple[int, int, int]] = []
    for channel, start, stop, moved in picked:
        kind = later if start + moved > now else on_now if stop + moved > now else earlier
        kind.append((start + moved, channel, start))
    on_now.sort()
    later.sort()
    earlier.sort(reverse=True)
    return [(channel, start) for _at, channel, start in on_now[:limit] + later[:limit] + earlier[:limit]]
