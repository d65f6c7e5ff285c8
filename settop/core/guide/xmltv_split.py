"""Reading a big plain guide on two cores: a helper process parses the second half while this process parses the first.

The file is cut just after a ``</programme>`` near its middle. This process reads ``[0, cut)`` followed by ``</tv>``;
the helper reads the guide's own prolog and ``<tv ...>`` start tag followed by ``[cut, end)``, with the channel refs
this process settled once every ``<channel>`` before the first programme was read, and writes its rows as
marshalled batch files that the writer helper inserts after this process's own rows (so a duplicate keeps the
first, as in one pass). The cut is only trusted when the first part parses to its end: a ``</programme>`` inside a
comment or CDATA section, or one not at the top level, leaves that part unclosed there, and the caller reads the
whole file in one pass instead. The helper gives up (and this process reads the second part itself) on anything a
single pass would have read differently: a ``<channel>`` after the cut, a programme of a channel not declared
before the first programme, or a parse error.
"""

from __future__ import annotations

import io
import json
import marshal
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Final

from lxml import etree

from settop.core.guide.writer import helper_env, say
from settop.core.guide.xmltv import GuideError, XmltvReader
from settop.core.guide.xmltv_io import BZ2_MAGIC, GZIP_MAGIC, XZ_MAGIC

#: Plain guides at least this large are read in two parts (a helper costs about 0.15 s of CPU to start).
SPLIT_BYTES: Final = 32 * 1024 * 1024
#: Bytes searched after the middle for the end of a programme.
SEARCH_BYTES: Final = 4 * 1024 * 1024
#: What closes the first part.
TAIL: Final = b"\n</tv>\n"
_END = b"</programme>"
_ROOT = re.compile(rb"""<tv(?:\s+[^\s=>/]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*>""")


def middle(size: int) -> int:
    """Where to start looking for the cut (tests move it)."""
    return size // 2


@dataclass(frozen=True, slots=True)
class SplitPlan:
    """Where a guide file is cut: ``header`` is its prolog up to the end of ``<tv ...>``; the second part starts at
    ``offset``, just after a ``</programme>``."""

    path: Path
    header: bytes
    offset: int

    def first(self) -> io.BufferedReader:
        """The first part, closed with ``</tv>``."""
        return io.BufferedReader(_Pieces(self.path, [(0, self.offset), TAIL]), buffer_size=1 << 16)

    def second(self) -> io.BufferedReader:
        """The prolog and root start tag, then the rest of the file."""
        size = self.path.stat().st_size
        return io.BufferedReader(_Pieces(self.path, [self.header, (self.offset, size)]), buffer_size=1 << 16)

    def lines_before(self) -> int:
        """The number of the line the cut is on (counted when needed: one pass over the first part)."""
        count = 1
        with open(self.path, "rb") as source:
            left = self.offset
            while left > 0:
                chunk = source.read(min(left, 8 << 20))
                if not chunk:
                    break
                count += chunk.count(b"\n")
                left -= len(chunk)
        return count

    def line_base(self) -> int:
        """What to add to a line number in the second part to get the line in the file."""
        return self.lines_before() - 1 - self.header.count(b"\n")


def plan_split(path: Path, max_bytes: int) -> SplitPlan | None:
    """The cut for ``path``, or None when it is compressed, small, over ``max_bytes`` (one pass refuses it), on a
    single core, or its prolog is anything but a plain declaration, doctype and comments before ``<tv ...>``."""
    if _cores() < 2:
        return None
    try:
        size = path.stat().st_size
        if size < SPLIT_BYTES or size > max_bytes:
            return None
        with open(path, "rb") as source:
            head = source.read(1 << 16)
            source.seek(middle(size))
            window = source.read(SEARCH_BYTES)
    except OSError:
        return None
    if head.startswith((GZIP_MAGIC, XZ_MAGIC, BZ2_MAGIC)):
        return None
    match = _ROOT.search(head)
    found = window.find(_END)
    if match is None or found < 0:
        return None
    header = head[: match.end()]
    if b"[" in header or not _is_prolog(header):  # an internal DTD subset could declare entities: one pass
        return None
    offset = middle(size) + found + len(_END)
    return SplitPlan(path, header, offset) if offset > match.end() else None


def _cores() -> int:
    """The cores this process may run on (a container or ``taskset`` may allow fewer than the machine has)."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity is not None else os.cpu_count() or 1


def _is_prolog(header: bytes) -> bool:
    """Whether ``header`` + ``</tv>`` is a document whose root is an empty ``<tv>``."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(header + b"</tv>", parser=parser)
    except etree.XMLSyntaxError:
        return False
    return bool(root.tag == "tv" and len(root) == 0)


class _Pieces(io.RawIOBase):
    """Reads byte strings and ranges of one file, one after the other."""

    def __init__(self, path: Path, pieces: list[bytes | tuple[int, int]]) -> None:
        super().__init__()
        self._file = open(path, "rb")  # noqa: SIM115 - closed with this reader
        self._pieces = pieces
        self._consumed = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        while self._pieces:
            piece = self._pieces[0]
            if isinstance(piece, bytes):
                count = min(len(view), len(piece))
                view[:count] = piece[:count]
                self._pieces[0] = piece[count:]
            else:
                start, end = piece
                if self._file.tell() != start:
                    self._file.seek(start)
                count = self._file.readinto(view[: min(len(view), end - start)]) or 0
                self._pieces[0] = (start + count, end)
                self._consumed += count
                if count == 0:
                    self._pieces[0] = b""
            if count:
                return count
            self._pieces.pop(0)
        return 0

    def position(self) -> int:
        """Bytes read from the file so far."""
        return self._consumed

    def close(self) -> None:
        try:
            self._file.close()
        finally:
            super().close()


class SecondPart:
    """The helper process reading a plan's second part into batch files beside ``spool``.

    ``start(refs)`` once the channels before the first programme are known; ``batches()`` then yields the batch
    files in document order as the helper writes them, and ``counts`` holds the helper's counts when it read its
    whole part, or stays None when it gave up (``reason`` says why; this process then reads the part itself).
    """

    def __init__(self, plan: SplitPlan, spool: Path, options: dict[str, Any]) -> None:
        self._plan = plan
        self._spool = spool
        self._options = options
        self._process: subprocess.Popen[bytes] | None = None
        self.counts: dict[str, Any] | None = None
        self.reason = "not started"
        self._handed: set[str] = set()

    @property
    def started(self) -> bool:
        return self._process is not None

    def start(self, refs: dict[str, Any]) -> None:
        """Start the helper; ``refs`` maps every guide channel id declared so far to its row id (None: unwanted)."""
        args = [str(self._plan.path), str(self._plan.offset), str(len(self._plan.header)), str(self._spool)]
        self._process = subprocess.Popen(
            [sys.executable, "-m", "settop.core.guide.xmltv_split", *args],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=helper_env(),
        )  # fmt: skip
        assert self._process.stdin is not None
        try:
            self._process.stdin.write(marshal.dumps({**self._options, "refs": refs}))
            self._process.stdin.close()
        except OSError:
            self.reason = "the helper did not start"

    def batches(self) -> Iterator[tuple[Path, int]]:
        if self._process is None or self._process.stdout is None:
            return
        for line in self._process.stdout:
            word, _, rest = line.decode("utf-8", "replace").rstrip("\n").partition(" ")
            if word == "batch":
                size, _, name = rest.partition(" ")
                self._handed.add(name)
                yield self._spool.with_name(name), int(size)
            elif word == "done":
                self.counts = json.loads(rest)
                return
            else:
                self.reason = rest or "the helper stopped"
                return
        self.reason = f"the helper stopped (exit code {self._process.poll()})"

    def close(self) -> None:
        """Stop the helper if it still runs and remove the batch files not handed out (the writer removes those it
        reads; the caller the rest once the writer is done)."""
        if self._process is not None:
            if self._process.poll() is None and self.counts is None:
                self._process.kill()
            self._process.wait()
            if self._process.stdout is not None:
                self._process.stdout.close()
        for leftover in self._spool.parent.glob(f"{self._spool.name}.*"):
            if leftover.name not in self._handed:
                leftover.unlink(missing_ok=True)


class _GiveUp(Exception):
    """The second part holds something a single pass would read differently."""


def _child(argv: list[str]) -> int:
    """The helper: read the second part with the refs on stdin; ``batch SIZE NAME`` per file, then ``done
    COUNTS`` or ``gave-up REASON``."""
    path, offset, header_size, spool = Path(argv[0]), int(argv[1]), int(argv[2]), Path(argv[3])
    options: dict[str, Any] = marshal.loads(sys.stdin.buffer.read())
    refs: dict[str, Any] = options["refs"]
    with open(path, "rb") as source:
        header = source.read(header_size)

    def ref(guide_id: str) -> Any:
        try:
            return refs[guide_id]
        except KeyError:
            raise _GiveUp("a programme of a channel not declared before the first programme") from None

    def on_channel(_channel: object) -> None:
        raise _GiveUp("a <channel> after the middle")

    window = options["window"]
    reader = XmltvReader(
        languages=options["languages"], default_offset=options["default_offset"], channel_ref=ref,
        window=tuple(window) if window else None, name=options["name"],
    )  # fmt: skip
    stream: IO[bytes]
    try:
        with SplitPlan(path, header, offset).second() as stream:
            for number, batch in enumerate(reader.read_batches(stream, options["batch"], on_channel, report=False)):
                data = marshal.dumps(batch)
                target = spool.with_name(f"{spool.name}.{number}")
                with open(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as out:
                    out.write(data)
                say(f"batch {len(data)} {target.name}")
    except (_GiveUp, GuideError) as exc:
        say(f"gave-up {exc}".replace("\n", " "))
        return 0
    say("done " + json.dumps(reader.counts()))
    return 0


if __name__ == "__main__":
    raise SystemExit(_child(sys.argv[1:]))
