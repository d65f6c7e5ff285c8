"""The app's log stays small: repeated lines are collapsed, and the log file rotates at a size cap.

libVLC repeats itself (with no sound card, ALSA errors came at 31 KB/s: 30 MB in 16 minutes; alsa-lib writes them
to the process's stderr itself, so :func:`capture_native_stderr` turns that into log lines). :class:`Collapsing`
wraps a handler: within a window of :data:`WINDOW_S` seconds a line already written is counted instead of written
again, and when the window ends one line says ``... repeated N times``. The file (``<cache>/log/settop.log``) rotates
at :data:`MAX_BYTES` and keeps :data:`BACKUPS` old files, so a box that plays for a month holds at most 20 MB of log.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

WINDOW_S = 10.0
MAX_TRACKED = 256
"""Distinct lines remembered per window; past that, lines are written as they come."""
MAX_BYTES = 5 * 1024 * 1024
BACKUPS = 3
FILE_LEVEL = logging.INFO


class Collapsing(logging.Handler):
    """Hands records to ``target``, collapsing repeats of a line (same logger, level and message) per window."""

    def __init__(self, target: logging.Handler, window_s: float = WINDOW_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(target.level)
        self.target = target
        self.window_s = window_s
        self.clock = clock
        self._started = clock()
        self._seen: dict[tuple[str, int, str], list[object]] = {}
        self._guard = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: let the target report it as logging does
            self.target.handle(record)
            return
        with self._guard:
            summaries = self._roll() if self.clock() - self._started >= self.window_s else []
            key = (record.name, record.levelno, message)
            seen = self._seen.get(key)
            if seen is not None:
                seen[1] = int(seen[1]) + 1  # type: ignore[call-overload]
                repeat = True
            else:
                if len(self._seen) < MAX_TRACKED:
                    self._seen[key] = [record, 0]
                repeat = False
        for summary in summaries:
            self.target.handle(summary)
        if not repeat:
            self.target.handle(record)

    def flush(self) -> None:
        with self._guard:
            summaries = self._roll()
        for summary in summaries:
            self.target.handle(summary)
        self.target.flush()

    def close(self) -> None:
        self.flush()
        self.target.close()
        super().close()

    def _roll(self) -> list[logging.LogRecord]:
        """End the window: one ``... repeated N times`` record per line that came again. Call under the guard."""
        summaries = []
        for record, count in self._seen.values():
            if isinstance(record, logging.LogRecord) and isinstance(count, int) and count > 0:
                summary = logging.makeLogRecord(record.__dict__)
                summary.msg = "%s ... repeated %s times"
                summary.args = (record.getMessage(), f"{count:,}")
                summary.exc_info = summary.exc_text = None
                summaries.append(summary)
        self._seen.clear()
        self._started = self.clock()
        return summaries


def install(folder: Path, stderr_level: int) -> Path:
    """Collapse repeats on every handler of the root logger, whose level stays ``stderr_level`` (the ``-v``
    choice), and add the rotating log file in ``folder`` at :data:`FILE_LEVEL` or finer; returns the file's path.
    Call after :func:`settop.core.redact.install_logging` (its record factory redacts what reaches the file)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if not isinstance(handler, Collapsing):
            if handler.level == logging.NOTSET:
                handler.setLevel(stderr_level)
            root.removeHandler(handler)
            root.addHandler(Collapsing(handler))
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = folder / "settop.log"
    file_handler = logging.handlers.RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS,
                                                        encoding="utf-8", delay=True)
    file_handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    file_level = min(FILE_LEVEL, stderr_level)
    file_handler.setLevel(file_level)
    for existing in root.handlers:
        for log_filter in existing.filters:
            file_handler.addFilter(log_filter)
        if isinstance(existing, Collapsing):
            for log_filter in existing.target.filters:
                if log_filter not in file_handler.filters:
                    file_handler.addFilter(log_filter)
    root.addHandler(Collapsing(file_handler))
    root.setLevel(min(root.level or logging.WARNING, file_level))
    return path


def capture_native_stderr(logger_name: str = "settop.native") -> None:
    """Read what native libraries write to file descriptor 2 (alsa-lib under libVLC prints there directly) as log
    lines of ``logger_name``, so they are collapsed and rotated like the rest; Python's own stderr and the log's
    stream handlers keep writing to the real stderr. Call after :func:`install`."""
    sys.stderr.flush()
    real = os.fdopen(os.dup(2), "w", buffering=1, encoding="utf-8", errors="replace")
    root = logging.getLogger()
    for handler in root.handlers:
        target = handler.target if isinstance(handler, Collapsing) else handler
        if type(target) is logging.StreamHandler and _writes_to_fd2(target.stream):
            target.setStream(real)
    sys.stderr = real
    read_fd, write_fd = os.pipe()
    os.dup2(write_fd, 2)
    os.close(write_fd)
    logger = logging.getLogger(logger_name)
    threading.Thread(target=_pump, args=(read_fd, logger), name="settop-native-stderr", daemon=True).start()


def _writes_to_fd2(stream: object) -> bool:
    try:
        return stream.fileno() == 2  # type: ignore[attr-defined, no-any-return]
    except (AttributeError, OSError, ValueError):
        return False


def _pump(read_fd: int, logger: logging.Logger) -> None:
    with os.fdopen(read_fd, "rb") as pipe:
        for raw in pipe:
            line = raw.decode("utf-8", "replace").rstrip()
            if line:
                logger.warning("%s", line)
