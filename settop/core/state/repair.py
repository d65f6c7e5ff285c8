"""Damaged SQLite state: tables of the wrong shape set aside in place, a broken file salvaged table by table.

A table whose columns are not the ones settop writes (``DROP TABLE favorites; CREATE TABLE favorites(x)``) is
renamed to ``<table>_damaged_<UTC time>`` and created afresh, so one bad table never breaks the others. A file that
SQLite cannot read whole (half-truncated, a bad page) is read table by table and row by row into a fresh database;
rows past a damaged page are still tried, and what could not be read is counted.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import sqlite3
from collections.abc import Mapping
from pathlib import Path

log = logging.getLogger("settop.state")

MAX_SKIPS = 200
"""Damaged rows skipped per table before the rest of that table is given up."""


def columns_of(db: sqlite3.Connection, table: str) -> tuple[str, ...]:
    """The table's column names in order (empty when there is no such table)."""
    return tuple(str(row[1]) for row in db.execute(f"PRAGMA table_info({table})"))


def set_aside_misshapen(db: sqlite3.Connection, schema: Mapping[str, tuple[str, str]]) -> list[tuple[str, str]]:
    """Rename every table whose columns differ from ``schema`` (name -> (columns, CREATE statement)) and create it
    again; returns (table, the name it was set aside as)."""
    moved: list[tuple[str, str]] = []
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    for table, (columns, create) in schema.items():
        found = columns_of(db, table)
        if found == tuple(columns.split(", ")):
            continue
        aside = f"{table}_damaged_{stamp}"
        db.execute(f'ALTER TABLE {table} RENAME TO "{aside}"')
        db.execute(create)
        log.warning("state: table %s had columns %s; set aside as %s and created afresh", table, found, aside)
        moved.append((table, aside))
    return moved


def salvage(old: Path, fresh: Path, schema: Mapping[str, tuple[str, str]]) -> dict[str, tuple[int, int]]:
    """Copy what can be read from ``old`` into a new database at ``fresh``: table -> (rows saved, damaged places
    skipped). ``fresh`` is created (replaced) even when nothing can be read."""
    with contextlib.suppress(FileNotFoundError):
        fresh.unlink()
    target = sqlite3.connect(fresh, isolation_level=None)
    counts: dict[str, tuple[int, int]] = {}
    try:
        os.chmod(fresh, 0o600)
        for _table, (_columns, create) in schema.items():
            target.execute(create)
        try:
            source = sqlite3.connect(f"file:{old}?mode=ro", uri=True)
            # a file shorter than its header says is "malformed" as a whole; with this SQLite reads what is there
            source.execute("PRAGMA writable_schema=ON")
        except sqlite3.Error:
            return {table: (0, 1) for table in schema}
        try:
            for table, (columns, _create) in schema.items():
                counts[table] = _copy_table(source, target, table, columns)
        finally:
            source.close()
    finally:
        target.close()
    return counts


def _copy_table(source: sqlite3.Connection, target: sqlite3.Connection, table: str, columns: str) -> tuple[int, int]:
    names = columns.split(", ")
    insert = f"INSERT OR IGNORE INTO {table} ({columns}) VALUES ({', '.join('?' * len(names))})"
    saved = skipped = 0
    last = -(2**63)
    target.execute("BEGIN")
    try:
        while skipped <= MAX_SKIPS:
            try:
                for row in source.execute(f"SELECT rowid, {columns} FROM {table} WHERE rowid > ? ORDER BY rowid",
                                          (last,)):
                    last = row[0]
                    if any(isinstance(value, str) and "\x00" in value for value in row[1:]):
                        skipped += 1  # read from a page cut short (zeros past the end): settop writes no NUL
                        continue
                    target.execute(insert, row[1:])
                    saved += 1
                break
            except sqlite3.Error:  # a damaged page: go on after the row it stopped at
                skipped += 1
                last += 1
    finally:
        target.execute("COMMIT")
    return saved, skipped

