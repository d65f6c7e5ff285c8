"""The Player protocol the UI talks to: what to play, the states it goes through, and the events it reports.

A player is driven from the GUI thread. It reports through listeners that may be called on any thread
(libVLC calls back on its own threads); ``settop.ui.bridge`` turns them into queued Qt signals.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol


class PlayerState(enum.Enum):
    """Where playback stands, as the UI shows it."""

    IDLE = "idle"
    OPENING = "opening"
    BUFFERING = "buffering"
    PLAYING = "playing"
    PAUSED = "paused"
    RECONNECTING = "reconnecting"
    ERROR = "error"
    ENDED = "ended"


@dataclass(frozen=True, slots=True)
class PlayRequest:
    """One thing to play: a live channel or a catch-up / VOD stream.

    url: the stream URL (may carry secrets: never log it unredacted).
    headers: HTTP headers as (name, value) pairs; only User-Agent and Referer reach libVLC.
    options: per-media libVLC options from the playlist, WITHOUT the leading colon; the player filters them
        again through ``settop.player.options`` before anything reaches libVLC.
    live: live streams reconnect on an unexpected end; catch-up and VOD end normally.
    channel_key: the ``Channel.key`` this request belongs to ("" for none), echoed in events.
    title: what the UI calls it, for messages.
    start_position_ms: for catch-up and VOD, where to start.
    local_ok: the address was named by a local file the viewer chose, so it may be a local file; otherwise the
        player refuses anything but a network stream (``settop.core.address``) before libVLC sees it.
    paused: open paused at the start position, its picture shown (live pause: the ring opens at the paused point).
    """

    url: str
    headers: tuple[tuple[str, str], ...] = ()
    options: tuple[str, ...] = ()
    live: bool = True
    channel_key: str = ""
    title: str = ""
    start_position_ms: int = 0
    local_ok: bool = False
    paused: bool = False


@dataclass(frozen=True, slots=True)
class Track:
    """An audio or subtitle track; id is the backend's id (-1 means "off" for subtitles)."""

    id: int
    name: str
    language: str = ""


@dataclass(frozen=True, slots=True)
class StreamInfo:
    """Live facts about what is playing, for the info overlay. Zero or "" when unknown."""

    video_codec: str = ""
    audio_codec: str = ""
    width: int = 0
    height: int = 0
    fps: float = 0.0
    bitrate_kbps: float = 0.0
    dropped_frames: int = 0
    displayed_frames: int = 0
    decoder: str = ""  # e.g. "vaapi", "software"


@dataclass(frozen=True, slots=True)
class PlayerEvent:
    """Something the player reports.

    kind: ``state`` (state changed), ``first_frame`` (the picture is up), ``buffering`` (percent),
        ``reconnecting`` (attempt of attempts), ``error`` (message is user-readable and redacted),
        ``tracks`` (track lists changed), ``position`` (position_ms / length_ms for catch-up and VOD),
        ``ended``, ``on_demand`` (a live request continues as on-demand: ``Player.continue_on_demand``).
    request: the request this event belongs to; events of a request that was replaced are not reported.
    """

    kind: str
    state: PlayerState
    request: PlayRequest | None = None
    percent: float = 0.0
    attempt: int = 0
    attempts: int = 0
    message: str = ""
    retryable: bool = True
    position_ms: int = 0
    length_ms: int = 0
    extra: dict[str, str] = field(default_factory=dict)


PlayerListener = Callable[[PlayerEvent], None]


class Player(Protocol):
    """What the UI needs from a player. Every method is called on the GUI thread and returns quickly."""

    @property
    def state(self) -> PlayerState: ...

    @property
    def request(self) -> PlayRequest | None: ...

    def add_listener(self, listener: PlayerListener) -> None:
        """Call ``listener`` for every event; it may be called on any thread."""

    def play(self, request: PlayRequest) -> None:
        """Start ``request``, cancelling whatever is opening, playing or waiting to reconnect."""

    def stop(self) -> None: ...

    def retry(self) -> None:
        """Start the current request again after an error."""

    def pause(self, paused: bool) -> None: ...

    def continue_on_demand(self) -> None:
        """The live stream playing turned out to be on demand (a finished HLS playlist): from now on it seeks, reports
        positions, and its end is an end, not a reconnect. The player then reports ``on_demand`` with the request
        (``live=False``) its events carry from there on; nothing happens if another request took its place."""

    def seek(self, position_ms: int) -> None:
        """Seek catch-up or VOD; ignored for live streams."""

    def position(self) -> tuple[int, int]:
        """(position_ms, length_ms); (0, 0) when unknown."""

    def set_volume(self, percent: int) -> None: ...

    def volume(self) -> int: ...

    def set_mute(self, muted: bool) -> None: ...

    def is_muted(self) -> bool: ...

    def audio_tracks(self) -> list[Track]: ...

    def audio_track(self) -> int: ...

    def set_audio_track(self, track_id: int) -> None: ...

    def subtitle_tracks(self) -> list[Track]: ...

    def subtitle_track(self) -> int: ...

    def set_subtitle_track(self, track_id: int) -> None: ...

    def set_aspect_ratio(self, ratio: str) -> None:
        """``""`` for the source's own, or ``"16:9"``, ``"4:3"``, ...; crop and zoom as the backend allows."""

    def set_deinterlace(self, mode: str) -> None:
        """``"auto"`` (what the stream flags as interlaced), ``"off"``, ``"on"``, or a filter name (``"blend"``)."""

    def set_audio_languages(self, languages: Sequence[str]) -> None:
        """Preferred audio languages (ISO 639 codes, best first) for the streams tuned from now on."""

    def set_network_caching(self, milliseconds: int | None) -> None:
        """libVLC's network buffer for the streams tuned from now on (None: libVLC's default)."""

    def set_reconnect_attempts(self, attempts: int) -> None:
        """How often a dropped live stream is retried from the next failure on."""

    def version(self) -> str:
        """The playback engine's version (libVLC's, such as ``3.0.21 Vetinari``); "" when it cannot say."""

    def stream_info(self) -> StreamInfo: ...

    def close(self) -> None:
        """Stop and release everything; the player cannot be used afterwards."""


@dataclass(frozen=True, slots=True)
class WindowTarget:
    """Render into a native window (the ``native`` video backend).

    win_id: the window handle (X11 window id for ``xcb``, HWND for ``windows``, NSView pointer for ``cocoa``).
    """

    win_id: int
    system: str = "xcb"


class FrameSink(Protocol):
    """Receives decoded pictures as 32-bit BGRX (``QImage.Format.Format_RGB32``) in buffers it owns (``frames``).

    ``lock_frame``, ``unlock_frame`` and ``show_frame`` are called on libVLC's video thread and must return quickly.
    The sink must detach itself (``set_video_target(None)``) before its buffers are freed.
    """

    @property
    def frame_size(self) -> tuple[int, int]:
        """(width, height) of the pictures the sink wants; the player scales to it."""

    def lock_frame(self) -> int:
        """The address of a width*height*4 byte buffer to decode the next picture into."""

    def unlock_frame(self, address: int) -> None:
        """The picture in ``address`` is decoded."""

    def show_frame(self, address: int) -> None:
        """The picture in ``address`` is due on screen now."""


VideoTarget = WindowTarget | FrameSink | None


class VideoTargetPlayer(Protocol):
    """A player that draws video (the ``settop.ui.video`` surfaces attach themselves through this)."""

    def set_video_target(self, target: VideoTarget) -> None:
        """Draw into ``target`` (a playing stream restarts into it); ``None`` stops playback and detaches.

        Returns once libVLC no longer touches the previous target, so its buffers or window may then be freed.
        """
