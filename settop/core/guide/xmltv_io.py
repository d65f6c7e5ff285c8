"""Opening guide files: gzip, xz or bzip2 found by magic bytes, a cap on the decompressed size, slow codecs ahead."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import queue
import threading
import zlib
from pathlib import Path
from typing import IO, Any, Final

DEFAULT_MAX_BYTES: Final = 2 * 1024**3
GZIP_MAGIC: Final = b"\x1f\x8b"
XZ_MAGIC: Final = b"\xfd7zXZ\x00"
BZ2_MAGIC: Final = b"BZh"


class GuideError(ValueError):
    """A guide that cannot be read at all; ``str(exc)`` is a user-readable message naming the guide."""


class _CappedRaw(io.RawIOBase):
    """Reads a (decompressing) stream and refuses to hand out more than ``max_bytes``; ``position`` tracks the input."""

    def __init__(self, inner: IO[bytes], outer: IO[bytes], max_bytes: int, name: str) -> None:
        super().__init__()
        self._inner = inner
        self._outer = outer
        self._left = max_bytes
        self._max = max_bytes
        self._name = name
        self.compressed = inner is not outer

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        try:
            data = self._inner.read(min(len(view), self._left + 1))
        except (EOFError, zlib.error, lzma.LZMAError, OSError) as exc:
            raise GuideError(f"{self._name}: corrupt or truncated compressed data ({type(exc).__name__})") from None
        if len(data) > self._left:
            raise GuideError(f"{self._name}: larger than {self._max // (1024 * 1024)} MiB once decompressed; refused")
        self._left -= len(data)
        view[: len(data)] = data
        return len(data)

    def position(self) -> int:
        """Bytes consumed from the file on disk (compressed side), for progress."""
        try:
            return self._outer.tell()
        except (OSError, ValueError):
            return 0

    def close(self) -> None:
        try:
            self._inner.close()
            self._outer.close()
        finally:
            super().close()


class _Prefetch:
    """Decompresses on a helper thread (zlib and lzma release the GIL), so the parser never waits on inflation."""

    def __init__(self, inner: Any, block: int = 1 << 20, depth: int = 4) -> None:
        self._inner = inner
        self._block = block
        self._queue: queue.Queue[bytes | BaseException] = queue.Queue(maxsize=depth)
        self._stop = threading.Event()
        self._buffer = b""
        self._done = False
        self._thread = threading.Thread(target=self._run, name="settop-guide-inflate", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            item: bytes | BaseException
            try:
                item = self._inner.read(self._block)
            except BaseException as exc:  # handed to the reading thread
                item = exc
            while not self._stop.is_set():
                try:
                    self._queue.put(item, timeout=0.1)
                    break
                except queue.Full:
                    continue
            if not isinstance(item, bytes) or not item:
                return

    def read(self, size: int) -> bytes:
        while not self._buffer and not self._done:
            item = self._queue.get()
            if isinstance(item, BaseException):
                self._done = True
                raise item
            if not item:
                self._done = True
            self._buffer = item
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._inner.close()


def open_guide(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> io.BufferedReader:
    """Open a guide file, undoing gzip, xz or bzip2 found by magic bytes, with a cap on the decompressed size.

    Like ``settop.core.net.fetch.open_decompressed``, but raising :class:`GuideError` and exposing the compressed
    position, which ingest progress needs.

    The returned reader's ``raw.position()`` gives the compressed bytes consumed so far.
    """
    name = path.name
    try:
        outer: IO[bytes] = open(path, "rb")  # noqa: SIM115 - closed by the returned reader
    except OSError as exc:
        raise GuideError(f"{name}: cannot open ({exc.strerror or exc})") from None
    head = outer.read(6)
    outer.seek(0)
    inner: Any
    if head.startswith(GZIP_MAGIC):
        inner = gzip.GzipFile(fileobj=outer, mode="rb")
    elif head.startswith(XZ_MAGIC):
        inner = lzma.LZMAFile(outer, mode="rb")  # noqa: SIM115 - closed by the returned reader
    elif head.startswith(BZ2_MAGIC):
        inner = bz2.BZ2File(outer, mode="rb")
    elif head.startswith(b"PK\x03\x04"):
        outer.close()
        raise GuideError(f"{name}: a zip archive, not an XMLTV guide; unpack it first")
    else:
        inner = outer
    if inner is not outer and not isinstance(inner, gzip.GzipFile):
        # xz and bzip2 inflate at tens of MB/s: a thread of their own keeps the parser fed. gzip inflates at about
        # 1 GB/s, and handing its blocks over cost more than it saved (GIL hand-offs; 6.9 s against 7.8 s wall
        # and 0.2-0.5 s more CPU for the 545 MB benchmark guide, with the writer helper busy on the other core).
        inner = _Prefetch(inner)
    return io.BufferedReader(_CappedRaw(inner, outer, max_bytes, name), buffer_size=1 << 16)
