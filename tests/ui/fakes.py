"""A scriptable stand-in for the Player protocol, for UI logic tests that need no libVLC."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from settop.player.base import PlayerEvent, PlayerListener, PlayerState, PlayRequest, StreamInfo, Track
from settop.ui.bridge import PlayerBridge


class FakePlayer:
    """Records what the UI asked for; ``emit`` reports an event as the real player would."""

    def __init__(self) -> None:
        self.listeners: list[PlayerListener] = []
        self.played: list[PlayRequest] = []
        self._state = PlayerState.IDLE
        self._request: PlayRequest | None = None
        self._volume = 100
        self._muted = False
        self.audio: list[Track] = [Track(1, "English", "eng"), Track(2, "Deutsch", "deu")]
        self.subtitles: list[Track] = [Track(-1, "Off"), Track(3, "English", "eng")]
        self._audio = 1
        self._sub = -1
        self.retries = 0
        self.audio_languages: tuple[str, ...] = ()

    @property
    def state(self) -> PlayerState:
        return self._state

    @property
    def request(self) -> PlayRequest | None:
        return self._request

    def add_listener(self, listener: PlayerListener) -> None:
        self.listeners.append(listener)

    def emit(self, kind: str, state: PlayerState | None = None, **fields: object) -> None:
        if state is not None:
            self._state = state
        event = PlayerEvent(kind=kind, state=self._state, request=self._request, **fields)  # type: ignore[arg-type]
        for listener in self.listeners:
            listener(event)

    def play(self, request: PlayRequest) -> None:
        self._request = request
        self.played.append(request)
        self._state = PlayerState.OPENING

    def stop(self) -> None:
        self._state = PlayerState.IDLE

    def retry(self) -> None:
        self.retries += 1

    def pause(self, paused: bool) -> None:
        self._state = PlayerState.PAUSED if paused else PlayerState.PLAYING

    def seek(self, position_ms: int) -> None:
        pass

    def continue_on_demand(self) -> None:
        if self._request is not None and self._request.live:
            self._request = replace(self._request, live=False)
            self.emit("on_demand")

    def position(self) -> tuple[int, int]:
        return (0, 0)

    def set_volume(self, percent: int) -> None:
        self._volume = percent

    def volume(self) -> int:
        return self._volume

    def set_mute(self, muted: bool) -> None:
        self._muted = muted

    def is_muted(self) -> bool:
        return self._muted

    def audio_tracks(self) -> list[Track]:
        return list(self.audio)

    def audio_track(self) -> int:
        return self._audio

    def set_audio_track(self, track_id: int) -> None:
        self._audio = track_id

    def subtitle_tracks(self) -> list[Track]:
        return list(self.subtitles)

    def subtitle_track(self) -> int:
        return self._sub

    def set_subtitle_track(self, track_id: int) -> None:
        self._sub = track_id

    def set_aspect_ratio(self, ratio: str) -> None:
        pass

    def set_deinterlace(self, mode: str) -> None:
        pass

    def set_audio_languages(self, languages: Sequence[str]) -> None:
        self.audio_languages = tuple(languages)

    def set_network_caching(self, milliseconds: int | None) -> None:
        self.network_caching_ms = milliseconds

    def set_reconnect_attempts(self, attempts: int) -> None:
        self.reconnect_attempts = attempts

    def version(self) -> str:
        return "3.0.99 Fake"

    def stream_info(self) -> StreamInfo:
        return StreamInfo(width=1280, height=720)

    def close(self) -> None:
        self._state = PlayerState.IDLE


class FakeBridge(PlayerBridge):
    """A ``PlayerBridge`` that relays every event the fake emits (queued), whatever request it names."""

    def __init__(self, player: FakePlayer) -> None:
        super().__init__()
        player.add_listener(self.post)
