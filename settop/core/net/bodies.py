"""Reading fetched bodies safely: gz/xz/bz2 by magic bytes with a cap on decoded bytes, and text decoding."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO, cast

from settop.core.net.errors import FetchError, human_size
from settop.core.redact import display_source
from settop.i18n import _

GZIP_MAGIC = b"\x1f\x8b"
XZ_MAGIC = b"\xfd7zXZ\x00"
BZ2_MAGIC = b"BZh"
_CHUNK = 64 * 1024


class _CappedReader(io.RawIOBase):
    """Counts decoded bytes and raises FetchError(kind="too_large") as soon as the count passes the cap."""

    def __init__(self, inner: BinaryIO, max_bytes: int, name: str, what: str) -> None:
        super().__init__()
        self._inner = inner
        self._max = max_bytes
        self._name = name
        self._what = what
        self._count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        # never decode more than one byte past the cap, so a bomb cannot fill memory before we notice
        want = min(len(view), self._max - self._count + 1)
        try:
            data = self._inner.read(want)
        except (OSError, EOFError, lzma.LZMAError, zlib.error, ValueError) as exc:
            raise FetchError(f"Corrupt or truncated compressed data in {self._name} ({type(exc).__name__})",
                             "io") from None
        n = len(data)
        self._count += n
        if self._count > self._max:
            what = f" for {self._what}" if self._what else ""
            raise FetchError(f"Bigger than the {human_size(self._max)} limit{what} once decompressed: {self._name}",
                             "too_large")
        view[:n] = data
        return n

    def close(self) -> None:
        try:
            self._inner.close()
        finally:
            super().close()


def open_decompressed(path: Path, max_bytes: int, *, what: str = "") -> BinaryIO:
    """Open ``path`` for streaming, undoing gzip/xz/bz2 by magic bytes; raises FetchError past ``max_bytes``."""
    name = display_source(str(path))
    try:
        raw = path.open("rb")
    except FileNotFoundError:
        raise FetchError(_("File not found: {path}").format(path=path), "not_found") from None
    except OSError as exc:
        raise FetchError(f"Cannot read {name}: {exc.strerror or type(exc).__name__}", "io") from None
    head = raw.read(6)
    raw.seek(0)
    inner: BinaryIO
    if head.startswith(GZIP_MAGIC):
        inner = cast(BinaryIO, gzip.GzipFile(fileobj=raw, mode="rb"))
    elif head.startswith(XZ_MAGIC):
        inner = cast(BinaryIO, lzma.LZMAFile(raw, mode="rb"))  # noqa: SIM115 - closed by the reader
    elif head.startswith(BZ2_MAGIC):
        inner = cast(BinaryIO, bz2.BZ2File(raw, mode="rb"))
    else:
        inner = raw
    if inner is not raw:
        _close_with(inner, raw)
    return cast(BinaryIO, io.BufferedReader(_CappedReader(inner, max_bytes, name, what), buffer_size=_CHUNK))


def _close_with(inner: Any, raw: BinaryIO) -> None:
    """Decompressor objects given a fileobj do not close it; chain the close."""
    original = inner.close

    def close() -> None:
        try:
            original()
        finally:
            raw.close()

    inner.close = close


def text_from_bytes(data: bytes) -> str:
    """UTF-8 (BOM stripped), else Windows-1252, else Latin-1 (which always decodes)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def read_capped(raw: Any, max_bytes: int, check: Callable[[], None]) -> tuple[bytes, bool, float | None]:
    """Read up to ``max_bytes`` decoded bytes from a urllib3 response with ``read1``.

    Returns (data, reached end of body, monotonic time of the first byte or None). ``check`` raises to stop.
    """
    parts: list[bytes] = []
    have = 0
    first: float | None = None
    while have < max_bytes:
        check()
        chunk: bytes = raw.read1(min(_CHUNK, max_bytes - have), decode_content=True)
        if not chunk:
            return b"".join(parts), True, first
        if first is None:
            first = time.monotonic()
        parts.append(chunk)
        have += len(chunk)
    return b"".join(parts)[:max_bytes], False, first
