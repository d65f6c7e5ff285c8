"""ctypes plumbing python-vlc lacks or gets wrong, and the reading of libVLC log lines.

Does not import vlc: ``settop.player.vlc`` hands in the loaded library (``vlc.dll``). Provides the formatting of
log callback arguments (a C format string and a ``va_list``), libVLC's log written through a pipe (``LogPipe``),
the media track list with its libVLC 3 layout (python-vlc lays the union out as three fields and never releases the
array), and the facts the player reads from log lines: HTTP status codes and which decoder libVLC chose.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import logging
import os
import re
import select
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

log = logging.getLogger("settop.player")

# libVLC's log levels (enum libvlc_log_level: LIBVLC_DEBUG 0, LIBVLC_NOTICE 2, LIBVLC_WARNING 3, LIBVLC_ERROR 4).
# libVLC says "error" for routine probing; our loggers must not turn that into WARNINGs.
LIBVLC_DEBUG, LIBVLC_NOTICE, LIBVLC_WARNING, LIBVLC_ERROR = 0, 2, 3, 4
LOG_LEVELS = {LIBVLC_DEBUG: logging.DEBUG, LIBVLC_NOTICE: logging.DEBUG, LIBVLC_WARNING: logging.DEBUG,
              LIBVLC_ERROR: logging.INFO}
LOG_LINE_BYTES = 1024  # one formatted log line from a log callback (longer lines are cut)
# "HTTP 403 error" (http access), "HTTP answer code 404", "error: HTTP/1.1 401", and the status line of an incoming
# response libVLC dumps at debug level (HLS/DASH segment and playlist fetches report their status only so).
_HTTP_STATUS = re.compile(r"HTTP (\d{3}) error|HTTP answer code (\d{3})|error: HTTP/\d\.\d (\d{3})"
                          r"|^HTTP/\d(?:\.\d)? (\d{3})", re.MULTILINE)
# Why a connection could not be made (libVLC's network layer says so in words).
_NETWORK = (("Connection refused", "refused"), ("timed out", "timeout"), ("cannot resolve", "dns"),
            ("No route to host", "unreachable"), ("Network is unreachable", "unreachable"))
_HW_DECODER = re.compile(r'using hw decoder module "([^"]+)"')
_VIDEO_DECODER = re.compile(r'using video decoder module "([^"]+)"')
_TRACK_TYPES = {0: "audio", 1: "video", 2: "subtitle"}  # enum libvlc_track_type_t (-1: unknown)
_VAR_INTEGER = 0x0030  # VLC_VAR_INTEGER of vlc_variables.h (libVLC 3)


@dataclass(frozen=True, slots=True)
class LogFacts:
    """What one log line tells the player (None: nothing of that kind)."""

    http_status: int | None = None
    hw_decoder: str | None = None
    video_decoder: str | None = None
    network: str | None = None  # "refused", "timeout", "dns" or "unreachable": no connection could be made


NO_FACTS = LogFacts()


def may_hold_facts(fmt: bytes) -> bool:
    """Cheap test on the unformatted C format string: could this line carry an HTTP status, a decoder or a
    connection failure?"""
    return b"HTTP" in fmt or b"module" in fmt or b"connect" in fmt or b"resolve" in fmt


def read_log_line(text: str) -> LogFacts:
    """The HTTP status or decoder choice a formatted libVLC log line reports."""
    if "HTTP" in text and (status := _HTTP_STATUS.search(text)):
        return LogFacts(http_status=int(next(g for g in status.groups() if g)))
    if "connect" in text or "resolve" in text:
        for words, network in _NETWORK:
            if words in text:
                return LogFacts(network=network)
    if "decoder module" in text:
        if hw := _HW_DECODER.search(text):
            return LogFacts(hw_decoder=hw[1])
        if video := _VIDEO_DECODER.search(text):
            return LogFacts(video_decoder=video[1])
    return NO_FACTS


class _VideoTrack(ctypes.Structure):
    _fields_ = [("height", ctypes.c_uint), ("width", ctypes.c_uint), ("sar_num", ctypes.c_uint),
                ("sar_den", ctypes.c_uint), ("frame_rate_num", ctypes.c_uint), ("frame_rate_den", ctypes.c_uint)]


class _MediaTrack(ctypes.Structure):
    """``libvlc_media_track_t`` of libVLC 3."""

    _fields_ = [("codec", ctypes.c_uint32), ("original_fourcc", ctypes.c_uint32), ("id", ctypes.c_int),
                ("type", ctypes.c_int), ("profile", ctypes.c_int), ("level", ctypes.c_int),
                ("details", ctypes.c_void_p), ("bitrate", ctypes.c_uint), ("language", ctypes.c_char_p),
                ("description", ctypes.c_char_p)]


class LibVlcFfi:
    """Typed entry points of the loaded libVLC (``lib``) and libc's vsnprintf."""

    def __init__(self, lib: Any) -> None:
        libc = ctypes.CDLL(ctypes.util.find_library("c"))
        self._vsnprintf = libc.vsnprintf
        self._vsnprintf.restype = ctypes.c_int
        self._vsnprintf.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_void_p]
        self._log_context = lib.libvlc_log_get_context
        self._log_context.restype = None
        self._log_context.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_char_p),
                                      ctypes.POINTER(ctypes.c_char_p), ctypes.POINTER(ctypes.c_uint)]
        self._tracks_get = lib.libvlc_media_tracks_get
        self._tracks_get.restype = ctypes.c_uint
        self._tracks_get.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.POINTER(ctypes.POINTER(_MediaTrack)))]
        self._tracks_release = lib.libvlc_media_tracks_release
        self._tracks_release.restype = None
        self._tracks_release.argtypes = [ctypes.POINTER(ctypes.POINTER(_MediaTrack)), ctypes.c_uint]
        self._codec_description = lib.libvlc_media_get_codec_description
        self._codec_description.restype = ctypes.c_char_p
        self._codec_description.argtypes = [ctypes.c_int, ctypes.c_uint32]
        self._var_set: Any = None
        core = ctypes.util.find_library("vlccore")
        try:
            var_set = ctypes.CDLL(core or "libvlccore.so.9").var_SetChecked
        except (OSError, AttributeError):
            log.info("libvlccore not found: deinterlacing cannot go back to automatic until the next start")
        else:
            var_set.restype = ctypes.c_int
            var_set.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_int64]
            self._var_set = var_set

    def set_player_int(self, player: Any, name: str, value: int) -> bool:
        """Set the integer variable ``name`` of a libVLC 3 media player (whose struct opens with the vlc object
        header); for what the public API cannot say, such as ``deinterlace = -1`` (automatic). False when not
        possible here."""
        if self._var_set is None:
            return False
        pointer = player._as_parameter_  # python-vlc keeps the C pointer there
        return int(self._var_set(ctypes.c_void_p(getattr(pointer, "value", pointer)), name.encode(), _VAR_INTEGER,
                                 value)) == 0

    def format_log(self, ctx: Any, fmt: bytes, args: Any) -> tuple[str, str]:
        """(module name, message) of a ``libvlc_log_cb`` call; only valid inside the callback."""
        buf = ctypes.create_string_buffer(LOG_LINE_BYTES)
        self._vsnprintf(buf, len(buf), fmt, args)
        module = ctypes.c_char_p()
        self._log_context(ctx, ctypes.byref(module), None, None)
        return (module.value or b"vlc").decode("ascii", "replace"), buf.value.decode("utf-8", "replace")

    def media_tracks(self, media: Any) -> list[dict[str, Any]]:
        """The media's elementary streams as plain dicts (copied, and libVLC's array released).

        Keys: id, type (audio/video/subtitle), language, codec (description), width, height, fps.
        """
        array = ctypes.POINTER(ctypes.POINTER(_MediaTrack))()
        count = self._tracks_get(media, ctypes.byref(array))
        result: list[dict[str, Any]] = []
        try:
            for i in range(count):
                track = array[i].contents
                kind = _TRACK_TYPES.get(track.type, "unknown")
                codec = self._codec_description(track.type, track.codec) or b""
                entry: dict[str, Any] = {"id": track.id, "type": kind, "codec": codec.decode("utf-8", "replace"),
                                         "language": (track.language or b"").decode("utf-8", "replace"),
                                         "width": 0, "height": 0, "fps": 0.0}
                if kind == "video" and track.details:
                    video = ctypes.cast(track.details, ctypes.POINTER(_VideoTrack)).contents
                    rate = video.frame_rate_num / video.frame_rate_den if video.frame_rate_den else 0.0
                    entry.update(width=video.width, height=video.height, fps=round(rate, 3))
                result.append(entry)
        finally:
            if count > 0:
                self._tracks_release(array, count)
        return result


class LogPipe:
    """libVLC's log written by libVLC itself into a pipe (``libvlc_log_set_file``), read by a Python thread.

    A ctypes log callback needs the GIL for every line, and libVLC writes about 260 debug lines while a stream
    opens, from the very threads that open it: with the GUI thread busy in Python each of those waits for the GIL,
    which made a zap through the UI 10-50 % slower than a bare libVLC loop. Here libVLC's threads only ``write()``.
    ``on_line(text)`` gets each line (without its level or module: the file logger writes only the message), on
    the reader thread or on whoever calls ``drain()``, which hands over everything libVLC wrote so far: call it
    before acting on an error (libVLC logs the HTTP status before it reports the error) or a new start.
    Raises OSError where libc has no ``fdopen`` (then use a log callback).
    """

    PIPE_BYTES = 1 << 20  # room for several stream openings should the reader fall behind
    F_SETPIPE_SZ = 1031  # Linux fcntl command that sets a pipe's capacity (fcntl.F_SETPIPE_SZ from Python 3.10)
    IOLBF = 1  # setvbuf mode _IOLBF: the FILE buffers a line, so each line reaches the pipe as one write()
    READ_BYTES = 1 << 16  # one os.read: the default pipe capacity, so one read usually empties the pipe
    POLL_S = 0.5  # how often the reader looks whether close() was called while the pipe is quiet

    def __init__(self, lib: Any, instance: Any, on_line: Callable[[str], None]) -> None:
        name = ctypes.util.find_library("c")
        libc = ctypes.CDLL(name) if name else None
        if libc is None or not hasattr(libc, "fdopen"):
            raise OSError("no C library with fdopen")
        self._on_line = on_line
        self._lock = threading.Lock()
        self._partial = b""
        self._closed = False
        self._read_fd, write_fd = os.pipe()
        try:
            import fcntl

            fcntl.fcntl(write_fd, getattr(fcntl, "F_SETPIPE_SZ", self.F_SETPIPE_SZ), self.PIPE_BYTES)
        except (ImportError, OSError):
            pass  # the default 64 KiB is enough for a stream opening
        os.set_blocking(self._read_fd, False)
        libc.fdopen.restype = ctypes.c_void_p
        libc.fdopen.argtypes = [ctypes.c_int, ctypes.c_char_p]
        libc.setvbuf.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_size_t]
        libc.fclose.argtypes = [ctypes.c_void_p]
        self._fclose = libc.fclose
        self._file = libc.fdopen(write_fd, b"w")
        if not self._file:
            os.close(write_fd)
            os.close(self._read_fd)
            raise OSError("fdopen failed")
        libc.setvbuf(self._file, None, self.IOLBF, 0)  # size 0: the C library picks the buffer
        self._instance = instance
        self._unset = lib.libvlc_log_unset
        self._unset.argtypes = [ctypes.c_void_p]
        set_file = lib.libvlc_log_set_file
        set_file.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
        set_file(instance, self._file)
        self._thread = threading.Thread(target=self._run, name="settop-libvlc-log", daemon=True)
        self._thread.start()

    def drain(self) -> None:
        """Hand every complete line libVLC has written so far to ``on_line`` (any thread)."""
        with self._lock:
            if self._read_fd < 0:
                return
            chunks = [self._partial]
            while True:
                try:
                    chunk = os.read(self._read_fd, self.READ_BYTES)
                except (BlockingIOError, OSError):
                    break
                if not chunk:
                    break
                chunks.append(chunk)
            *lines, self._partial = b"".join(chunks).split(b"\n")
            for line in lines:
                with contextlib.suppress(Exception):  # a bad line must not stop the reader
                    self._on_line(line.decode("utf-8", "replace"))

    def close(self) -> None:
        """Detach from libVLC (no thread logs any more once this returns) and stop the reader."""
        if self._closed:
            return
        self._closed = True
        self._unset(self._instance)
        self._fclose(self._file)  # closes the write end: the reader sees the end
        self._thread.join(5)
        self.drain()
        with self._lock:
            os.close(self._read_fd)
            self._read_fd = -1  # the number may be reused for another file at once

    def _run(self) -> None:
        while not self._closed:
            try:
                ready, _, _ = select.select([self._read_fd], [], [], self.POLL_S)
            except (OSError, ValueError):
                return
            if ready:
                self.drain()
