"""Cache of parsed playlists, so reloading an unchanged playlist skips the parse.

An entry is keyed by a SHA-256 of the playlist bytes, the base URL, the ``remote`` flag, the Python version and
the source of the parser modules (so a new parser never reads an old entry). It is a ``marshal`` dump of plain
tuples (never pickle: nothing in the file can run code) behind a magic line and a CRC-32 of the payload, written
atomically into ``paths.cache_dir() / "playlists"``. A missing, foreign or corrupt entry is ignored (and
replaced); only the newest :data:`MAX_ENTRIES` entries are kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import marshal
import os
import sys
import tempfile
import zlib
from pathlib import Path
from typing import Any

from settop.core import address, models, runtime
from settop.core.models import Catchup, ParseWarning, Playlist
from settop.core.playlist import m3u
from settop.core.playlist.channel import CHANNEL_FIELDS, make_channel
from settop.core.state import paths

log = logging.getLogger("settop.playlist")

MAGIC = b"settop-playlist-cache 3\n"
MAX_ENTRIES = 8
_parser_digest: bytes | None = None


def load(data: bytes, *, base_url: str = "", remote: bool = False, key: str = "") -> Playlist:
    """The playlist parsed from ``data`` (as ``m3u.parse_bytes``), from the cache when it can be.

    key: :func:`cache_key` of the same arguments when the caller has it already (saves hashing the bytes again).
    """
    key = key or cache_key(data, base_url=base_url, remote=remote)
    cached = read(key)
    if cached is not None:
        return cached
    playlist = m3u.parse_bytes(data, base_url=base_url, remote=remote)
    write(key, playlist)
    return playlist


def cache_key(data: bytes, *, base_url: str = "", remote: bool = False) -> str:
    """The hex name of the cache entry for these bytes parsed this way by this parser."""
    digest = hashlib.sha256(data)
    digest.update(b"\0" + base_url.encode("utf-8", "surrogatepass") + b"\0" + (b"r" if remote else b"l"))
    digest.update(f"\0{sys.version_info[0]}.{sys.version_info[1]}\0".encode())
    digest.update(_parser_version())
    return digest.hexdigest()


def folder() -> Path:
    """Where the entries live (created on demand)."""
    path = paths.cache_dir() / "playlists"
    paths.private_dir(path)
    return path


def read(key: str) -> Playlist | None:
    """The cached playlist for ``key``, or None when there is none or it cannot be read back exactly."""
    path = folder() / f"{key}.marshal"
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    start = len(MAGIC) + 4
    payload = memoryview(blob)[start:]
    if not blob.startswith(MAGIC) or zlib.crc32(payload).to_bytes(4, "big") != blob[len(MAGIC) : start]:
        log.info("ignoring a damaged playlist cache entry %s", path.name)
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # newest first when pruning
    try:
        with runtime.collector_paused():
            return _playlist(marshal.loads(payload))
    except (EOFError, ValueError, TypeError, IndexError, AttributeError):
        log.info("ignoring an unreadable playlist cache entry %s", path.name)
        return None


def write(key: str, playlist: Playlist) -> None:
    """Store ``playlist`` under ``key`` atomically; failures are logged, never raised."""
    try:
        payload = marshal.dumps(_tuples(playlist))
        target = folder() / f"{key}.marshal"
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".marshal")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(MAGIC + zlib.crc32(payload).to_bytes(4, "big") + payload)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _prune(target.parent)
    except (OSError, ValueError) as exc:
        log.info("could not write the playlist cache: %s", exc)


_CATCHUP = CHANNEL_FIELDS.index("catchup")


def _tuples(playlist: Playlist) -> tuple[Any, ...]:
    """Column-wise plain data: one tuple per Channel field (``marshal`` stores a value shared by several channels
    once and loads it back shared), catch-up as indexes into a table of its values."""
    channels = playlist.channels
    table: dict[Catchup, int] = {}
    catchups = tuple(
        -1 if channel.catchup is None else table.setdefault(channel.catchup, len(table)) for channel in channels
    )
    specs = tuple((c.mode, c.days, c.source, c.correction) for c in table)
    columns = tuple(
        catchups if name == "catchup" else tuple([getattr(channel, name) for channel in channels])
        for name in CHANNEL_FIELDS
    )
    warnings = tuple((w.line, w.message) for w in playlist.warnings)
    return (len(channels), columns, specs, playlist.epg_urls, warnings, playlist.header, playlist.tvg_shift)


def _playlist(data: Any) -> Playlist:
    count, columns, specs, epg_urls, warnings, header, tvg_shift = data
    if len(columns) != len(CHANNEL_FIELDS) or any(len(column) != count for column in columns):
        raise ValueError("column sizes")
    table: list[Catchup | None] = [Catchup(*spec) for spec in specs]
    table.append(None)  # index -1
    columns = list(columns)
    columns[_CATCHUP] = [table[index] for index in columns[_CATCHUP]]
    channels = tuple(map(make_channel, *columns))
    return Playlist(
        channels=channels,
        epg_urls=tuple(epg_urls),
        warnings=tuple(ParseWarning(line, message) for line, message in warnings),
        header=tuple(header),
        tvg_shift=float(tvg_shift),
    )


def _parser_version() -> bytes:
    """A digest of the source of every module that shapes the parse result (the playlist package, models, gate)."""
    global _parser_digest
    if _parser_digest is None:
        digest = hashlib.sha1()
        sources = sorted(Path(m3u.__file__).parent.glob("*.py"))
        sources += [Path(models.__file__ or ""), Path(address.__file__ or "")]
        for source in sources:
            try:
                digest.update(source.read_bytes())
            except OSError:
                digest.update(source.name.encode())
        _parser_digest = digest.digest()
    return _parser_digest


def _prune(where: Path) -> None:
    entries = []
    for path in where.glob("*.marshal"):
        try:
            entries.append((path.stat().st_mtime, path))
        except OSError:
            continue
    entries.sort(reverse=True)
    for _, old in entries[MAX_ENTRIES:]:
        old.unlink(missing_ok=True)
