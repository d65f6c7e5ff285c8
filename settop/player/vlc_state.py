"""What the libVLC player keeps between worker turns, without importing vlc: tries, log facts, tracks."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from settop.player.base import PlayRequest, Track
from settop.player.libvlc_ffi import read_log_line

_LANG_IN_NAME = re.compile(r"\[([^\]]+)\]\s*$")
_T = TypeVar("_T")


def unless_closed(default: Callable[[], Any]) -> Callable[[Callable[..., _T]], Callable[..., _T]]:
    """After close() the MediaPlayer is released: answer ``default()`` instead of touching freed memory."""
    def wrap(method: Callable[..., _T]) -> Callable[..., _T]:
        @functools.wraps(method)
        def guarded(self: Any, *args: Any) -> _T:
            if self._closed:
                return default()  # type: ignore[no-any-return]
            return method(self, *args)

        return guarded

    return wrap


def none() -> None:
    """The answer of a closed player's setters."""
    return None


@dataclass(slots=True)
class Attempt:
    """One start of a request in libVLC (the first, or a reconnect); owned by the worker."""

    epoch: int
    request: PlayRequest
    media: Any
    first_frame: bool = False
    progress: int = 0
    position_ms: int = 0
    playing: bool = False
    buffering: int = -1


@dataclass(slots=True)
class LogFacts:
    """What libVLC's log said about the current media: the HTTP answer, a failed connection, the decoders."""

    http_status: int | None = None
    network: str | None = None  # why the last connection failed, until an HTTP answer comes
    decoder: str = ""
    video_decoder: str = ""

    def read(self, text: str) -> None:
        """Take in one log line."""
        facts = read_log_line(text)
        if facts.http_status is not None:  # the latest answer counts: a success after a failure clears it
            self.http_status = facts.http_status if facts.http_status >= 400 else None
            self.network = None
        if facts.network is not None:  # likewise, a failed connection after an HTTP answer
            self.network, self.http_status = facts.network, None
        if facts.hw_decoder is not None:
            self.decoder = facts.hw_decoder
        if facts.video_decoder is not None:
            self.video_decoder = facts.video_decoder

    def reset(self) -> None:
        """Forget everything: a new media starts."""
        self.http_status = self.network = None
        self.decoder = self.video_decoder = ""

    def decoder_name(self, unknown: str) -> str:
        """The hardware decoder, ``software`` when only a video decoder was named, else ``unknown``."""
        return self.decoder or ("software" if self.video_decoder else unknown)


def tracks_from(descriptions: Iterable[tuple[Any, Any]] | None, languages: dict[int, str]) -> list[Track]:
    """Tracks from libVLC's (id, name) descriptions; without a known language, a name may end in one (``[de]``)."""
    tracks = []
    for track_id, name in descriptions or []:
        text = name.decode("utf-8", "replace") if isinstance(name, bytes) else str(name)
        language = languages.get(track_id, "")
        if not language and (match := _LANG_IN_NAME.search(text)):
            language = match[1]
        tracks.append(Track(int(track_id), text, language))
    return tracks
