"""Building one guide source's file: stream the XMLTV, match channels, insert, finish; swapped in by GuideStore."""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Final, TypedDict, Unpack

from settop.core.guide.match import ChannelMatcher
from settop.core.guide.writer import LocalWriter, ProcessWriter, open_staging
from settop.core.guide.xmltv import DEFAULT_MAX_BYTES, GuideError, GuideSyntaxError, XmltvReader, open_guide
from settop.core.guide.xmltv_split import SecondPart, SplitPlan, plan_split
from settop.core.models import Channel, GuideChannel, ParseWarning

log = logging.getLogger("settop.guide")

DAY: Final = 86400
DEFAULT_WINDOW: Final = (DAY, 7 * DAY)  # seconds kept before and after "now"
BATCH: Final = 5000
#: A programme without a stop and without a successor lasts this long.
DEFAULT_LENGTH: Final = 3600
#: Guide files larger than this (on disk) are inserted from a helper process.
PROCESS_WRITER_BYTES: Final = 8 * 1024 * 1024

_SOURCE_SCHEMA = """
CREATE TABLE channels(id INTEGER PRIMARY KEY, guide_id TEXT NOT NULL, names TEXT NOT NULL, icon TEXT NOT NULL);
CREATE TABLE matches(key TEXT PRIMARY KEY, channel INTEGER NOT NULL, how TEXT NOT NULL, shift INTEGER NOT NULL);
CREATE TABLE programmes(
    channel INTEGER NOT NULL, start INTEGER NOT NULL, stop INTEGER NOT NULL, title TEXT NOT NULL,
    sub_title TEXT NOT NULL, descr TEXT NOT NULL, categories TEXT NOT NULL, episode TEXT NOT NULL, icon TEXT NOT NULL,
    rating TEXT NOT NULL, star REAL, date TEXT NOT NULL, flags INTEGER NOT NULL, catchup_id TEXT NOT NULL,
    UNIQUE(channel, start));
"""


class IngestCancelled(GuideError):
    """The ingest was cancelled; the source's previous data is still served."""


@dataclass(frozen=True, slots=True)
class Staged:
    """A finished source file and what went into it."""

    programmes: int
    matched: Mapping[str, tuple[str, str]]
    guide_channels: list[GuideChannel]
    skipped: int
    filtered: int
    warnings: tuple[ParseWarning, ...]


class IngestOptions(TypedDict, total=False):
    """How a guide is read in: keywords of :meth:`settop.core.guide.store.GuideStore.ingest` and :func:`build_source`.

    mappings: manual channel key -> guide channel id mappings (from the state store), tried first.
    window: seconds (back, ahead) of ``now`` to keep (default: DEFAULT_WINDOW).
    now: epoch seconds (default: the clock). languages: preferred languages of titles and descriptions.
    default_offset: seconds east of UTC assumed for times without a zone. max_bytes: the most the guide may unpack to.
    use_process: insert from a helper process (None: when the file is over 8 MiB, or 512 KiB compressed).
    progress: called with (bytes read, total bytes) of the file on disk, every few thousand programmes.
    cancel: set it to stop; raises :class:`IngestCancelled` and the previous data stays.
    """

    mappings: Mapping[str, str] | None
    window: tuple[int, int]
    now: float | None
    languages: Sequence[str]
    default_offset: int
    max_bytes: int | None
    use_process: bool | None
    progress: Callable[[int, int], None] | None
    cancel: threading.Event | None


def _writer(staging_path: Path, in_process: bool) -> LocalWriter | ProcessWriter:
    if in_process:
        try:
            return ProcessWriter(staging_path)
        except OSError as exc:  # no interpreter to start (a frozen build): insert here instead
            log.info("guide writer helper unavailable (%s); inserting in this process", exc)
    return LocalWriter(staging_path)


class _GuideChannels:
    """The guide channels of one ingest: integer ids in order of appearance, what the guide said about each, and
    which of them the playlist wants (asked once per id, and again when a channel's names arrive)."""

    def __init__(self, matcher: ChannelMatcher) -> None:
        self.matcher = matcher
        self.ids: dict[str, int] = {}
        self.seen: dict[str, GuideChannel] = {}
        self._refs: dict[str, int | None] = {}

    def ref(self, guide_id: str) -> int | None:
        """The integer id a programme of ``guide_id`` is stored under, or None when no playlist channel wants it."""
        ref = self._refs.get(guide_id, 0)
        if ref == 0:
            wanted = self.matcher.wants(guide_id)
            ref = self._refs[guide_id] = self.ids.setdefault(guide_id, len(self.ids) + 1) if wanted else None
        return ref

    def add(self, item: GuideChannel) -> None:
        """A ``<channel>`` element: remember it, and ask again about its programmes when its names match."""
        if item.id not in self.seen:
            self.seen[item.id] = item
            self.ids.setdefault(item.id, len(self.ids) + 1)
        if self.matcher.add_guide_channel(item):
            self._refs.pop(item.id, None)

    def all(self) -> list[GuideChannel]:
        """Every guide channel, ids seen only in programmes included (they count for the report)."""
        for gid in self.ids:
            self.seen.setdefault(gid, GuideChannel(gid))
        return list(self.seen.values())


def _open(guide: Path | IO[bytes], max_bytes: int | None) -> tuple[IO[bytes], int]:
    """The decompressed stream of ``guide`` and its size on disk (0 for a stream handed in)."""
    if isinstance(guide, Path):
        return (open_guide(guide, max_bytes) if max_bytes else open_guide(guide)), guide.stat().st_size
    return guide, 0


def _writer_for(staging_path: Path, stream: IO[bytes], total: int, use_process: bool | None
                ) -> LocalWriter | ProcessWriter:
    """A helper process inserts big guides (over 8 MiB on disk, or 512 KiB compressed) unless told otherwise."""
    compressed = bool(getattr(getattr(stream, "raw", None), "compressed", False))
    limit = PROCESS_WRITER_BYTES // (16 if compressed else 1)
    return _writer(staging_path, total > limit if use_process is None else use_process)


def _check_cancel(options: IngestOptions, name: str) -> None:
    cancel = options.get("cancel")
    if cancel is not None and cancel.is_set():
        raise IngestCancelled(f"{name}: cancelled")


def _stream_programmes(reader: XmltvReader, stream: IO[bytes], writer: LocalWriter | ProcessWriter, *,
                       on_channel: Callable[[GuideChannel], None], total: int, name: str, options: IngestOptions,
                       done: int = 0, part: int = 0, report: bool = True) -> None:
    """Read ``stream`` in batches into ``writer``, reporting progress and stopping when cancelled.
    done, part: the stream is the file's part after ``done`` bytes, ``part`` bytes long (progress covers the file)."""
    progress = options.get("progress")
    position = getattr(getattr(stream, "raw", None), "position", None)
    with stream:
        for batch in reader.read_batches(stream, BATCH, on_channel, report=report):
            writer.put(batch)
            _check_cancel(options, name)
            if progress is not None:
                read = position() if position else 0
                progress(done + (read * (total - done) // part if part else read), total)
    _check_cancel(options, name)


def _stream_split(plan: SplitPlan, reader: XmltvReader, writer: LocalWriter | ProcessWriter, *,
                  channels: _GuideChannels, spool: Path, total: int, name: str, options: IngestOptions) -> bool:
    """Read ``plan``'s file in two parts on two cores (see :mod:`settop.core.guide.xmltv_split`). False when the
    first part does not parse: the cut may have fallen inside a comment, and the caller reads the file in one pass
    (the rows put so far are put again in the same order, and ignored as the duplicates they are)."""
    second = SecondPart(plan, spool, {
        "languages": list(reader.languages), "default_offset": options.get("default_offset", 0),
        "window": list(reader.window) if reader.window else None, "name": name, "batch": BATCH,
    })  # fmt: skip
    late = False

    def first_ref(guide_id: str) -> int | None:  # the first programme: every channel before it is known
        reader.channel_ref = channels.ref
        second.start({gid: channels.ref(gid) for gid in channels.seen})
        return channels.ref(guide_id)

    def on_channel(item: GuideChannel) -> None:
        nonlocal late
        late = late or second.started  # the helper's refs may be stale: it is not asked
        channels.add(item)

    reader.channel_ref = first_ref
    try:
        try:
            _stream_programmes(reader, plan.first(), writer, on_channel=on_channel, total=total,
                               name=name, options=options, part=plan.offset, report=False)
        except GuideSyntaxError:
            return False
        reader.channel_ref = channels.ref
        for path, size in () if late else second.batches():
            writer.put_file(path, size)
            _check_cancel(options, name)
    finally:
        second.close()
    if second.counts is not None and not late:
        reader.absorb(second.counts, plan.line_base() if second.counts["warnings"] else 0)
        log.info("%s: read in two parts, the second by a helper process", name)
    else:
        log.info("%s: read the second part here (%s)", name, "a <channel> after programmes" if late else second.reason)
        reader.line_base = plan.line_base()
        _stream_programmes(reader, plan.second(), writer, on_channel=channels.add, total=total, name=name,
                           options=options, done=plan.offset, part=total - plan.offset, report=False)
    reader.report()
    return True


def _read(guide: Path | IO[bytes], stream: IO[bytes], writer: LocalWriter | ProcessWriter, *, staging_path: Path,
          playlist_channels: Sequence[Channel], total: int, name: str, options: IngestOptions
          ) -> tuple[XmltvReader, _GuideChannels]:
    """Stream the guide into ``writer``: in two parts when it is a big plain file and a helper inserts."""
    plan = None
    if isinstance(guide, Path) and isinstance(writer, ProcessWriter):
        plan = plan_split(guide, options.get("max_bytes") or DEFAULT_MAX_BYTES)
    if plan is not None:
        reader, channels = _reader(playlist_channels, name, options)
        spool = staging_path.with_name(f"{staging_path.name}.part")
        if _stream_split(plan, reader, writer, channels=channels, spool=spool, total=total, name=name,
                         options=options):
            stream.close()
            return reader, channels
        log.info("%s: the first half did not parse on its own; reading the guide in one pass", name)
    reader, channels = _reader(playlist_channels, name, options)
    _stream_programmes(reader, stream, writer, on_channel=channels.add, total=total, name=name, options=options)
    return reader, channels


def _reader(playlist_channels: Sequence[Channel], name: str, options: IngestOptions
            ) -> tuple[XmltvReader, _GuideChannels]:
    window, now = options.get("window", DEFAULT_WINDOW), options.get("now")
    moment = int(time.time() if now is None else now)
    channels = _GuideChannels(ChannelMatcher(playlist_channels, options.get("mappings")))
    reader = XmltvReader(
        languages=options.get("languages", ()), default_offset=options.get("default_offset", 0),
        channel_ref=channels.ref, name=name, window=(moment - window[0], moment + window[1]),
    )  # fmt: skip
    return reader, channels


def build_source(
    staging_path: Path,
    guide: Path | IO[bytes],
    playlist_channels: Sequence[Channel],
    *,
    name: str = "guide",
    **options: Unpack[IngestOptions],
) -> Staged:
    """Write ``staging_path``: the programmes of ``guide`` for the guide channels matching ``playlist_channels``.

    name: names the guide in messages; ``options``: see :class:`IngestOptions`. The file is complete and synced
    when this returns; on any failure it is removed and :class:`GuideError` (or :class:`IngestCancelled`) raised.
    """
    stream, total = _open(guide, options.get("max_bytes"))
    try:
        with closing(open_staging(staging_path)) as conn:
            conn.executescript(_SOURCE_SCHEMA)
        writer = _writer_for(staging_path, stream, total, options.get("use_process"))
        committed = False
        try:
            reader, channels = _read(guide, stream, writer, staging_path=staging_path, total=total, name=name,
                                     playlist_channels=playlist_channels, options=options)
            committed = True
        finally:
            writer.close(commit=committed)
            for leftover in staging_path.parent.glob(f"{staging_path.name}.part.*"):  # a helper's batches not taken
                leftover.unlink(missing_ok=True)
        matched = channels.matcher.result()
        shifts = {c.key: round(c.tvg_shift * 3600) for c in playlist_channels}
        with closing(open_staging(staging_path)) as conn:
            stored = _finish(conn, matched, channels.ids, channels.seen, shifts, open_ended=reader.open_ended > 0)
    except BaseException as exc:
        staging_path.unlink(missing_ok=True)
        if isinstance(exc, (OSError, RuntimeError, sqlite3.Error)):
            raise GuideError(f"{name}: the guide could not be stored ({exc})") from exc
        raise
    progress = options.get("progress")
    if progress is not None:
        progress(total, total)
    return Staged(
        programmes=stored, matched=matched, guide_channels=channels.all(), skipped=reader.skipped,
        filtered=reader.filtered, warnings=tuple(reader.warnings),
    )  # fmt: skip


def _finish(
    conn: sqlite3.Connection,
    matched: Mapping[str, tuple[str, str]],
    ids: Mapping[str, int],
    guide_channels: Mapping[str, GuideChannel],
    shifts: Mapping[str, int],
    *,
    open_ended: bool,
) -> int:
    conn.execute("BEGIN")
    used = {ids[gid] for gid, _how in matched.values() if gid in ids}
    unused = [cid for cid in ids.values() if cid not in used]
    for start in range(0, len(unused), 500):
        chunk = unused[start : start + 500]
        conn.execute(f"DELETE FROM programmes WHERE channel IN ({','.join('?' * len(chunk))})", chunk)
    if open_ended:
        _fill_stops(conn)
    rows = []
    for gid, cid in ids.items():
        info = guide_channels.get(gid)
        rows.append((cid, gid, "\n".join(info.display_names) if info else "", info.icon if info else ""))
    conn.executemany("INSERT INTO channels VALUES (?,?,?,?)", rows)
    conn.executemany(
        "INSERT INTO matches VALUES (?,?,?,?)",
        [(key, ids[gid], how, shifts.get(key, 0)) for key, (gid, how) in matched.items() if gid in ids],
    )
    count: int = conn.execute("SELECT count(*) FROM programmes").fetchone()[0]
    conn.execute("COMMIT")
    conn.execute("PRAGMA journal_mode=DELETE")
    fd = os.open(conn.execute("PRAGMA database_list").fetchone()[2], os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    return count


def _fill_stops(conn: sqlite3.Connection) -> None:
    """Programmes without a stop end where the next one on their channel starts."""
    open_channels = [c for (c,) in conn.execute("SELECT DISTINCT channel FROM programmes WHERE stop = 0")]
    updates: list[tuple[int, int, int]] = []
    for cid in open_channels:
        starts = [s for (s,) in conn.execute("SELECT start FROM programmes WHERE channel=? ORDER BY start", (cid,))]
        stops = {s for (s,) in conn.execute("SELECT start FROM programmes WHERE channel=? AND stop=0", (cid,))}
        for index, start in enumerate(starts):
            if start in stops:
                following = starts[index + 1] if index + 1 < len(starts) else start + DEFAULT_LENGTH
                updates.append((following, cid, start))
    conn.executemany("UPDATE programmes SET stop=? WHERE channel=? AND start=?", updates)
