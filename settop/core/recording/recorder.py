"""The recorder: copies a live stream to disk with ffmpeg (``-c copy``, no re-encoding) as a child process.

Why ffmpeg and not libVLC's stream output: both only copy, and both cost little (0.25 % of one core for ffmpeg
against 0.72-0.75 % for libVLC's ``#std`` output on a 4.2 Mbit/s 720p loopback stream, docs/performance.md), but
a child process keeps a recording apart from the player: it survives a zap, a player restart or a stuck decoder,
is stopped cleanly with ``q`` on its input, and tells its progress on a pipe. ffmpeg is one of settop's packages.

A dropped stream does not end the recording: the recorder connects again (after 0.5, 1, 2, 4, 8 s, then every
8 s) and goes on into a new part (``name (part 2).ts``) until the planned end. It refuses to start when the disk
has less than the margin free, and stops cleanly when less than a quarter of it is left.
"""

from __future__ import annotations

import logging
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Final

from settop.core.recording.plan import DiskMargin, PlanError, free_bytes, part_path
from settop.core.redact import redact
from settop.i18n import _

log = logging.getLogger("settop.recording")

DELAYS: Final = (0.5, 1.0, 2.0, 4.0, 8.0)
#: Seconds of silence from the server after which ffmpeg gives the connection up (and the recorder reconnects).
READ_TIMEOUT: Final = 5.0
#: A part shorter than this before the end is a drop, not the end of the recording.
END_SLACK: Final = 1.0
#: How much of the stream ffmpeg reads to learn its tracks before writing (its default, 5 s, delays every start;
#: the data read is written too, so nothing is lost either way).
ANALYZE_SECONDS: Final = 2.0


@dataclass(frozen=True, slots=True)
class Progress:
    """Where a recording is: ``state`` is ``recording``, ``reconnecting``, or at the end ``done``, ``stopped``,
    ``disk_full`` or ``failed``; ``seconds`` of stream written in all parts, ``size`` bytes; ``message`` in words."""

    state: str
    seconds: float = 0.0
    size: int = 0
    parts: tuple[Path, ...] = ()
    message: str = ""


class Refused(PlanError):
    """The recording may not start (not enough disk, no connection left); the message says why."""


ConnectionSlot = Callable[[], Callable[[], None] | None]
"""Asks for a connection to the source: a release function, or None when the source has none left.

The app's connection budget (settop.core.net.budget) answers it; without one the recorder takes the connection
unasked (``settop record`` is a process of its own and cannot see the app's streams)."""


@dataclass
class Recorder:
    """Records ``url`` into ``first`` (and its parts) for ``duration`` seconds of wall-clock time.

    ``run()`` blocks until the end (call it on a worker thread in the app); ``stop()`` may be called from any
    thread. ``on_progress`` hears every change (from the thread running ``run``).
    """

    url: str
    first: Path
    duration: float
    margin: DiskMargin = field(default_factory=lambda: DiskMargin(1024 * 1024 * 1024))
    on_progress: Callable[[Progress], None] | None = None
    connection: ConnectionSlot | None = None
    delays: Sequence[float] = DELAYS
    headers: Sequence[tuple[str, str]] = ()  # the channel's HTTP headers (User-Agent, Referer, ...)
    ffmpeg: str = "ffmpeg"
    free: Callable[[Path], int] = free_bytes
    clock: Callable[[], float] = time.monotonic
    _stop: threading.Event = field(default_factory=threading.Event, init=False)
    _process: subprocess.Popen[bytes] | None = field(default=None, init=False)
    _parts: list[Path] = field(default_factory=list, init=False)
    _done_seconds: float = field(default=0.0, init=False)
    _done_size: int = field(default=0, init=False)
    _disk_full: bool = field(default=False, init=False)

    def check(self) -> None:
        """Raise :class:`Refused` when the recording may not start (free disk below the margin)."""
        self.first.parent.mkdir(parents=True, exist_ok=True)
        refusal = self.margin.refusal(self.free(self.first.parent))
        if refusal:
            raise Refused(refusal)

    def stop(self) -> None:
        """End the recording cleanly (the part being written is finished and kept)."""
        self._stop.set()
        self._quit()

    def _quit(self) -> None:
        quit_ffmpeg(self._process)

    def _say(self, state: str, seconds: float = 0.0, size: int = 0, message: str = "") -> Progress:
        progress = Progress(state, self._done_seconds + seconds, self._done_size + size, tuple(self._parts), message)
        if self.on_progress is not None:
            self.on_progress(progress)
        return progress

    def run(self) -> Progress:
        """Record until the end, a stop or a full disk; returns the last progress (``state`` says which)."""
        self.check()
        release = None
        if self.connection is not None:
            release = self.connection()
            if release is None:
                raise Refused(_("No connection left on this source for a recording"))
        try:
            return self._loop(self.clock() + self.duration)
        finally:
            if release is not None:
                release()

    def _loop(self, end: float) -> Progress:
        attempt, part = 0, 1
        while not self._stop.is_set():
            left = end - self.clock()
            if left <= END_SLACK:
                break
            if self.margin.full(self.free(self.first.parent)):
                self._disk_full = True
                break
            path = part_path(self.first, part)
            seconds, size = self._part(path, left)
            if size > 0:
                self._parts.append(path)
                self._done_seconds += seconds
                self._done_size += size
                part += 1
                attempt = 0
            else:
                path.unlink(missing_ok=True)
            if self._stop.is_set() or self._disk_full or end - self.clock() <= END_SLACK:
                break
            delay = self.delays[min(attempt, len(self.delays) - 1)] if self.delays else 1.0
            attempt += 1
            self._say("reconnecting", message=_("The stream dropped: connecting again (try {n})").format(n=attempt))
            self._stop.wait(min(delay, max(0.0, end - self.clock())))
        if self._disk_full:
            return self._say("disk_full", message=_("The disk is nearly full: the recording stopped"))
        if self._stop.is_set():
            return self._say("stopped", message=_("Recording stopped"))
        if not self._parts:
            return self._say("failed", message=_("Nothing could be recorded: the stream did not answer"))
        return self._say("done", message=_("Recording finished"))

    def _command(self, path: Path, seconds: float) -> list[str]:
        return [
            self.ffmpeg, "-hide_banner", "-loglevel", "error", "-y", "-rw_timeout", str(int(READ_TIMEOUT * 1e6)),
            "-analyzeduration", str(int(ANALYZE_SECONDS * 1e6)), *header_options(self.headers), "-i", self.url,
            "-map", "0:v?", "-map", "0:a?", "-c", "copy", "-t", f"{seconds:.3f}",
            "-f", "mpegts", "-progress", "pipe:1", "-nostats", str(path),
        ]  # fmt: skip

    def _part(self, path: Path, seconds: float) -> tuple[float, int]:
        """Write one part for at most ``seconds``; returns (seconds written, bytes written)."""
        process = spawn_ffmpeg(self._command(path, seconds))
        self._process = process
        if self._stop.is_set():
            self._quit()
        errors: list[bytes] = []
        reader = threading.Thread(target=lambda: errors.append(_read_all(process.stderr)), daemon=True)
        reader.start()
        written, size = 0.0, 0
        assert process.stdout is not None
        for raw in process.stdout:
            key, _sep, value = raw.decode("ascii", "replace").strip().partition("=")
            if key == "out_time_us" and value.isdigit():
                written = int(value) / 1e6
            elif key == "total_size" and value.isdigit():
                size = int(value)
            elif key == "progress":
                self._say("recording", written, size)
                if self.margin.full(self.free(path.parent)):
                    self._disk_full = True
                    self._quit()
        code = process.wait()
        reader.join(2)
        self._process = None
        size = path.stat().st_size if path.exists() else 0
        if code != 0 and not self._stop.is_set():
            message = b"".join(errors).decode("utf-8", "replace").strip().splitlines()[-1:]
            log.info("recording part %s ended (ffmpeg exit %s): %s", path.name, code, redact(" ".join(message)))
        return written, size


def header_options(headers: Sequence[tuple[str, str]]) -> list[str]:
    """ffmpeg's options for a channel's HTTP headers (User-Agent on its own, the rest as one block)."""
    agent = [value for name, value in headers if name.lower() == "user-agent"]
    others = "".join(f"{name}: {value}\r\n" for name, value in headers if name.lower() != "user-agent")
    return [*(["-user_agent", agent[-1]] if agent else []), *(["-headers", others] if others else [])]


def spawn_ffmpeg(command: list[str]) -> subprocess.Popen[bytes]:
    """Start ffmpeg with pipes for its input (``q`` stops it), progress and errors.

    Its own session: Ctrl-C in a terminal reaches settop, which stops it with ``q`` (the file being written stays
    whole)."""
    return subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)


def quit_ffmpeg(process: subprocess.Popen[bytes] | None) -> None:
    """Ask a running ffmpeg to finish cleanly (``q`` on its input)."""
    if process is not None and process.poll() is None and process.stdin is not None:
        try:
            process.stdin.write(b"q")
            process.stdin.flush()
        except OSError:
            pass


def _read_all(stream: IO[bytes] | None) -> bytes:
    return stream.read() if stream is not None else b""
