"""A canary file that tells whether anything opened it: Linux inotify (IN_OPEN) through ctypes, no sleeps."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import select
import struct
from pathlib import Path
from types import TracebackType

IN_OPEN = 0x00000020
IN_ACCESS = 0x00000001
IN_NONBLOCK = 0o4000
_EVENT = struct.Struct("iIII")


class OpenWatch:
    """Watches ``path`` for opens; ``opened(timeout)`` says whether any open happened since the last call."""

    def __init__(self, path: Path) -> None:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        self._fd = libc.inotify_init1(IN_NONBLOCK)
        if self._fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1 failed")
        if libc.inotify_add_watch(self._fd, os.fsencode(path), IN_OPEN | IN_ACCESS) < 0:
            os.close(self._fd)
            raise OSError(ctypes.get_errno(), f"inotify_add_watch failed on {path}")

    def opened(self, timeout: float = 0.0) -> bool:
        """Whether the file was opened or read (waiting up to ``timeout`` seconds for the first event)."""
        ready, _, _ = select.select([self._fd], [], [], timeout)
        if not ready:
            return False
        seen = False
        while True:
            try:
                data = os.read(self._fd, 4096)
            except BlockingIOError:
                return seen
            seen = seen or len(data) >= _EVENT.size

    def close(self) -> None:
        os.close(self._fd)

    def __enter__(self) -> OpenWatch:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()
