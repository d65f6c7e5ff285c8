"""The live-pause buffer: ffmpeg copies a live stream into a ring of short segments that a local playlist names.

Why not libVLC's own timeshift: measured with scripts/timeshift_probe.py (libVLC 3.0.24), it never engages on
HTTP TS, UDP or HLS (those inputs say they can pause, so libVLC just stops reading), a paused HTTP client is
dropped by the server after ~166 s, HLS resumes at the live edge, and a 10 s step back never goes back.

Here ffmpeg (``-c copy``, no re-encoding, started and stopped like the recorder's) writes 2-second MPEG-TS
segments with the ``segment`` muxer and names each finished one on its output; settop keeps the ring itself:
it drops the oldest segments (file and playlist line) once the span passes the duration cap or the files pass
the size cap, and writes the playlist (a live HLS media playlist, no end tag) after each segment, replacing it
whole so a reader never sees half of one. libVLC plays that playlist as a local file settop made and can seek in
it, also after the ring rolled, as long as the seek stays inside it (:meth:`TimeshiftBuffer.seek_target`;
tests/player/test_timeshift.py). ``clear()`` removes every file; the folder is the app's cache.
"""

from __future__ import annotations

import logging
import math
import os
import shutil
import subprocess
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from settop.core.recording.recorder import (
    ANALYZE_SECONDS,
    READ_TIMEOUT,
    ConnectionSlot,
    Refused,
    header_options,
    quit_ffmpeg,
    spawn_ffmpeg,
)
from settop.core.redact import redact
from settop.i18n import _

log = logging.getLogger("settop.recording.timeshift")

PLAYLIST: Final = "live.m3u8"
SEGMENT_SECONDS: Final = 2.0
GIB: Final = 1024 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class RingCaps:
    """The most the buffer holds: ``seconds`` of stream or ``size`` bytes of segments, whichever comes first."""

    seconds: float = 30 * 60.0
    size: int = 2 * GIB


@dataclass(frozen=True, slots=True)
class Segment:
    """One finished segment: its file name in the folder, its span in stream seconds from the buffer's start."""

    name: str
    start: float
    end: float
    size: int

    @property
    def seconds(self) -> float:
        return max(0.0, self.end - self.start)


@dataclass
class TimeshiftBuffer:
    """Buffers ``url`` into ``folder`` from :meth:`start` until :meth:`stop`; thread-safe.

    ``on_segment`` hears each new segment (from the buffer's reader thread). ``span()`` is the buffered stretch in
    stream seconds since the start (the first kept segment's start, the last one's end).
    """

    url: str
    folder: Path
    caps: RingCaps = field(default_factory=RingCaps)
    headers: Sequence[tuple[str, str]] = ()
    segment_seconds: float = SEGMENT_SECONDS
    connection: ConnectionSlot | None = None
    on_segment: Callable[[Segment], None] | None = None
    ffmpeg: str = "ffmpeg"
    _segments: list[Segment] = field(default_factory=list, init=False)
    _first_index: int = field(default=0, init=False)
    _lock: threading.Condition = field(default_factory=threading.Condition, init=False)
    _process: subprocess.Popen[bytes] | None = field(default=None, init=False)
    _reader: threading.Thread | None = field(default=None, init=False)
    _release: Callable[[], None] | None = field(default=None, init=False)
    _ended: bool = field(default=False, init=False)

    @property
    def playlist(self) -> Path:
        return self.folder / PLAYLIST

    def start(self) -> None:
        """Empty the folder and start buffering; :class:`Refused` when the source has no connection left."""
        if self._process is not None:
            return
        if self.connection is not None:
            self._release = self.connection()
            if self._release is None:
                raise Refused(_("No connection left on this source to buffer the paused channel"))
        self._wipe()
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        self._ended = False
        self._process = spawn_ffmpeg(self._command())
        self._reader = threading.Thread(target=self._read, args=(self._process,), name="timeshift", daemon=True)
        self._reader.start()

    def _command(self) -> list[str]:
        return [
            self.ffmpeg, "-hide_banner", "-loglevel", "error", "-rw_timeout", str(int(READ_TIMEOUT * 1e6)),
            "-analyzeduration", str(int(ANALYZE_SECONDS * 1e6)), *header_options(self.headers), "-i", self.url,
            "-map", "0:v?", "-map", "0:a?", "-c", "copy", "-f", "segment", "-segment_format", "mpegts",
            "-segment_time", f"{self.segment_seconds:g}", "-segment_list", "pipe:1", "-segment_list_type", "csv",
            "-segment_list_flags", "+live", "-reset_timestamps", "0", str(self.folder / "seg%08d.ts"),
        ]  # fmt: skip

    def _read(self, process: subprocess.Popen[bytes]) -> None:
        assert process.stdout is not None
        for raw in process.stdout:
            name, _sep, times = raw.decode("utf-8", "replace").strip().partition(",")
            start, _sep, end = times.partition(",")
            try:
                segment = self._add(name, float(start), float(end))
            except (ValueError, OSError):
                continue
            if self.on_segment is not None:
                self.on_segment(segment)
        code = process.wait()
        if code != 0 and process.stderr is not None:
            message = process.stderr.read().decode("utf-8", "replace").strip().splitlines()[-1:]
            log.info("timeshift buffer ended (ffmpeg exit %s): %s", code, redact(" ".join(message)))
        with self._lock:
            self._ended = True
            self._lock.notify_all()

    def _add(self, name: str, start: float, end: float) -> Segment:
        path = self.folder / os.path.basename(name)
        segment = Segment(path.name, start, end, path.stat().st_size)
        with self._lock:
            self._segments.append(segment)
            self._trim()
            self._write_playlist()
            self._lock.notify_all()
        return segment

    def _trim(self) -> None:
        while len(self._segments) > 1 and (
                self._segments[-1].end - self._segments[0].start > self.caps.seconds
                or sum(s.size for s in self._segments) > self.caps.size):
            oldest = self._segments.pop(0)
            self._first_index += 1
            (self.folder / oldest.name).unlink(missing_ok=True)

    def _write_playlist(self) -> None:
        target = math.ceil(max((s.seconds for s in self._segments), default=self.segment_seconds))
        lines = ["#EXTM3U", "#EXT-X-VERSION:3", f"#EXT-X-TARGETDURATION:{max(1, target)}",
                 f"#EXT-X-MEDIA-SEQUENCE:{self._first_index}"]
        for segment in self._segments:
            lines += [f"#EXTINF:{segment.seconds:.3f},", segment.name]
        temporary = self.folder / (PLAYLIST + ".new")
        temporary.write_text("\n".join(lines) + "\n", encoding="utf-8")
        os.replace(temporary, self.playlist)  # whole or not at all for a reader

    def segments(self) -> list[Segment]:
        with self._lock:
            return list(self._segments)

    def span(self) -> tuple[float, float]:
        """(start, end) of what is buffered, in stream seconds since buffering began; (0, 0) before a segment."""
        with self._lock:
            if not self._segments:
                return 0.0, 0.0
            return self._segments[0].start, self._segments[-1].end

    def seek_target(self, position_ms: int, delta_ms: int) -> int:
        """Where a step of ``delta_ms`` from ``position_ms`` may land, in the player's milliseconds.

        libVLC's time on the buffer's playlist is stream time since buffering began, the same as :meth:`span`
        (measured after the ring rolled: tests/player/test_timeshift.py). A seek before the ring's first segment
        ends playback, so the step stops one segment after the start (the oldest may go any moment) and one
        second before the live edge."""
        start, end = self.span()
        low = int((start + self.segment_seconds) * 1000) if start > 0 else 0
        high = max(low, int((end - 1.0) * 1000))
        return max(low, min(high, position_ms + delta_ms))

    def behind_live(self, position_ms: int) -> float:
        """Seconds between ``position_ms`` and the newest buffered stream (0 before anything is buffered)."""
        return max(0.0, self.span()[1] - position_ms / 1000)

    def size(self) -> int:
        with self._lock:
            return sum(s.size for s in self._segments)

    def wait_for(self, seconds: float, timeout: float) -> bool:
        """Block until at least ``seconds`` of stream is buffered (True), or ``timeout`` or the end came (False)."""
        def enough() -> bool:
            return bool(self._segments) and self._segments[-1].end >= seconds

        with self._lock:
            self._lock.wait_for(lambda: self._ended or enough(), timeout)
            return enough()

    @property
    def running(self) -> bool:
        return self._process is not None and not self._ended

    def stop(self) -> None:
        """Stop buffering (what is buffered stays until :meth:`clear`)."""
        process, self._process = self._process, None
        if process is not None:
            quit_ffmpeg(process)
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._reader is not None:
            self._reader.join(5)
            self._reader = None
        if self._release is not None:
            self._release()
            self._release = None

    def clear(self) -> None:
        """Stop and remove every file of the buffer (channel change, back to live, exit). ffmpeg is killed rather
        than asked to finish: its files go anyway, and the viewer waits on this (~0.4 s for ``q`` under load)."""
        process = self._process
        if process is not None and process.poll() is None:
            process.kill()
        self.stop()
        self._wipe()

    def _wipe(self) -> None:
        with self._lock:
            self._segments.clear()
            self._first_index = 0
        shutil.rmtree(self.folder, ignore_errors=True)
