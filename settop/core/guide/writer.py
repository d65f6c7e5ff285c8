"""Writes programme batches into a staging guide file, in this process or in a helper process beside the parser.

SQLite inserts cost about as much as the XML parse; a helper process gives them the second core without fighting
the parser for the GIL (a thread would: sqlite3 gives the GIL back for every row). Batches cross as marshalled files.
"""

from __future__ import annotations

import logging
import marshal
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any, Final

#: Batches written but not yet inserted by the helper (each 2-3 MiB), and the slot files that carry them.
QUEUED_BATCHES: Final = 4
log = logging.getLogger("settop.guide")

INSERT: Final = "INSERT OR IGNORE INTO programmes VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)"


def helper_env() -> dict[str, str]:
    """The environment of a helper process (``python -m settop...``): importable even from a source checkout."""
    package_root = str(Path(__file__).resolve().parents[3])
    return dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (package_root, os.environ.get("PYTHONPATH")) if p))


def open_staging(path: Path) -> sqlite3.Connection:
    """A connection tuned for one bulk load into a file nobody else reads yet: no journal, no syncs."""
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    os.chmod(path, 0o600)  # guide data holds icon URLs with credentials
    conn.execute("PRAGMA page_size=8192")
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA locking_mode=EXCLUSIVE")
    conn.execute("PRAGMA cache_size=-16000")
    return conn


class LocalWriter:
    """Inserts batches directly (small guides, streams, and where a helper process cannot start)."""

    def __init__(self, path: Path) -> None:
        self._conn = open_staging(path)
        self._conn.execute("BEGIN")

    def put(self, batch: list[Any]) -> None:
        self._conn.executemany(INSERT, batch)

    def put_file(self, path: Path, size: int) -> None:
        """Insert a batch another process marshalled into ``path`` (removed once read)."""
        self.put(marshal.loads(_take(path, size)))

    def close(self, commit: bool = True) -> None:
        """Commit (or roll back) and close."""
        try:
            self._conn.execute("COMMIT" if commit else "ROLLBACK")
        finally:
            self._conn.close()


class ProcessWriter:
    """Inserts batches from a helper process (``python -m settop.core.guide.writer``): a fresh interpreter, safe
    next to Qt and other threads, that never re-imports the caller's main module.

    Each batch is marshalled (plain tuples of str/int/float; the helper is the same interpreter, and marshal is
    about twice as fast as pickle here) into one of :data:`QUEUED_BATCHES` slot files beside the staging file,
    named with its size on the helper's stdin; the helper answers each with a line on stdout, so at most
    :data:`QUEUED_BATCHES` wait at any time and a slot is only rewritten once its last batch was answered. The
    slot files are rewritten in place, not made anew: their pages stay allocated (0.01 s against 0.1 s for 196
    batches of 1.7 MiB).
    """

    def __init__(self, path: Path) -> None:
        self._path = path
        self._sent = 0
        self._done = 0
        self._local: LocalWriter | None = None
        self._started = False
        self._process = subprocess.Popen(
            [sys.executable, "-m", "settop.core.guide.writer", str(path)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, bufsize=1,
            env=helper_env(),
        )  # fmt: skip

    def _check_started(self) -> None:
        """The helper says ``ready`` once it holds the staging file; if it cannot, insert here instead."""
        self._started = True
        assert self._process.stdout is not None
        if self._process.stdout.readline().strip() != "ready":
            log.info(
                "guide writer helper did not start (exit code %s); inserting in this process", self._process.poll()
            )
            self._process.kill()
            self._process.wait()
            self._local = LocalWriter(self._path)

    def _batch_path(self, number: int) -> Path:
        return self._path.with_name(f"{self._path.name}.{number}.batch")

    def _answer(self) -> None:
        assert self._process.stdout is not None
        line = self._process.stdout.readline().strip()
        if line != "ack":
            raise RuntimeError(line.partition(" ")[2] or f"guide writer stopped (exit code {self._process.poll()})")
        self._done += 1

    def put(self, batch: list[Any]) -> None:
        if not self._started:
            self._check_started()
        if self._local is not None:
            self._local.put(batch)
            return
        if not batch:
            return
        while self._sent - self._done >= QUEUED_BATCHES:
            self._answer()
        slot = self._sent % QUEUED_BATCHES  # its previous batch has been answered (the loop above)
        data = marshal.dumps(batch)
        with open(os.open(self._batch_path(slot), os.O_WRONLY | os.O_CREAT, 0o600), "wb") as out:  # no truncation
            out.write(data)
        assert self._process.stdin is not None
        try:
            self._process.stdin.write(f"{slot} {len(data)}\n")
        except OSError as exc:
            raise RuntimeError(f"guide writer stopped (exit code {self._process.poll()})") from exc
        self._sent += 1

    def put_file(self, path: Path, size: int) -> None:
        """Have the helper insert a batch another process marshalled into ``path`` (a file beside the staging
        file, removed once read), in order with the batches :meth:`put` hands over."""
        if not self._started:
            self._check_started()
        if self._local is not None:
            self._local.put_file(path, size)
            return
        while self._sent - self._done >= QUEUED_BATCHES:
            self._answer()
        assert self._process.stdin is not None and path.parent == self._path.parent
        try:
            self._process.stdin.write(f"file {size} {path.name}\n")
        except OSError as exc:
            raise RuntimeError(f"guide writer stopped (exit code {self._process.poll()})") from exc
        self._sent += 1

    def close(self, commit: bool = True) -> None:
        """Finish: wait for the helper to commit; raises ``RuntimeError`` with its message when it failed."""
        if not self._started and commit:
            self._check_started()
        if self._local is not None:
            self._local.close(commit)
            return
        finished = False
        try:
            if commit:
                while self._done < self._sent:
                    self._answer()
                assert self._process.stdin is not None
                self._process.stdin.write("commit\n")
                self._process.stdin.close()
                self._answer()
                finished = True
        finally:
            if not finished:
                self._process.kill()
            self._process.wait()  # it exits as soon as it has answered (a timeout here would poll with sleeps)
            for slot in range(min(self._sent, QUEUED_BATCHES)):
                self._batch_path(slot).unlink(missing_ok=True)


def _take(path: Path, size: int) -> bytes:
    """The ``size`` bytes of a batch file written by another of our processes; the file is removed."""
    with open(path, "rb") as source:
        data = source.read(size)
    path.unlink()
    if len(data) != size:
        raise OSError(f"batch file {path.name}: {len(data)} bytes instead of {size}")
    return data


def say(line: str) -> None:
    """One line to the parent process, flushed."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _child(path: Path) -> int:
    """The helper's loop: ``slot size`` or ``file size name`` per stdin line, ``commit`` to finish; answers ``ack``
    or ``error MSG``."""
    conn = open_staging(path)
    conn.execute("BEGIN")
    say("ready")
    try:
        for line in sys.stdin:
            word = line.strip()
            if word == "commit":
                conn.execute("COMMIT")
                say("ack")
                return 0
            if word.startswith("file "):
                _, size_text, name = word.split(" ", 2)
                data = _take(path.with_name(Path(name).name), int(size_text))  # written by the part reader
            else:
                slot, size = map(int, word.split())
                with open(path.with_name(f"{path.name}.{slot}.batch"), "rb") as source:
                    data = source.read(size)  # our own file, written by the parent a moment ago
                if len(data) != size:
                    raise OSError(f"batch slot {slot}: {len(data)} bytes instead of {size}")
            conn.executemany(INSERT, marshal.loads(data))
            say("ack")
        return 1
    except Exception as exc:  # reported to the parent, which raises it as a guide error
        say(f"error {type(exc).__name__}: {exc}".replace("\n", " "))
        return 1
    finally:
        conn.close()


if __name__ == "__main__":
    raise SystemExit(_child(Path(sys.argv[1])))
