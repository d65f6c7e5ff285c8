"""The libVLC player: one vlc.Instance and one reused MediaPlayer, driven from a worker thread.

The only module that imports vlc. GUI-thread calls return at once: ``play()`` records the wish and wakes the worker,
which does the blocking libVLC work (stop, set_media, play), so a burst of zaps coalesces into the last one. libVLC's
callbacks (events, video frames, log lines) only record what happened and wake the worker: they never call back
into libVLC, which would deadlock. Listeners are called on the worker thread (``settop.ui.bridge`` makes them Qt
signals).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

import vlc

from settop.core import address
from settop.core.redact import redact
from settop.core.secrets import learn_url
from settop.i18n import _
from settop.player.base import (
    FrameSink,
    PlayerEvent,
    PlayerListener,
    PlayerState,
    PlayRequest,
    StreamInfo,
    Track,
    VideoTarget,
    WindowTarget,
)
from settop.player.libvlc_ffi import LOG_LEVELS, LibVlcFfi, LogPipe, may_hold_facts
from settop.player.mailbox import Mailbox
from settop.player.options import OPTION_TRUSTED, apply_options, build_options, option_names
from settop.player.reconnect import DELAYS, SLOW_RETRY_S, Action, Failure, ReconnectPolicy, backoff
from settop.player.vlc_state import Attempt, LogFacts, none, tracks_from, unless_closed

log = logging.getLogger("settop.player")
vlc_log = logging.getLogger("settop.player.vlc")

DEFAULT_INSTANCE_OPTIONS = ("--no-video-title-show", "--no-osd", "--no-snapshot-preview")
POLL_S = 0.5  # how often progress (frames, audio) is sampled while a stream is on

_EVENTS = {
    vlc.EventType.MediaPlayerOpening: "opening",
    vlc.EventType.MediaPlayerBuffering: "buffering",
    vlc.EventType.MediaPlayerPlaying: "playing",
    vlc.EventType.MediaPlayerPaused: "paused",
    vlc.EventType.MediaPlayerVout: "vout",
    vlc.EventType.MediaPlayerEndReached: "end",
    vlc.EventType.MediaPlayerEncounteredError: "error",
    vlc.EventType.MediaPlayerESAdded: "es",
    vlc.EventType.MediaPlayerESDeleted: "es",
}


class VlcPlayer:
    """The Player protocol on libVLC 3 (see ``settop.player.base``), plus ``set_video_target``.

    instance_options: extra libVLC command-line options for the one ``vlc.Instance`` (chosen by the app).
    hw_decoding: ``auto``, ``vaapi``, ``vdpau``, ``none``, ... applied per media as ``:avcodec-hw``.
    stall_seconds: no new frames for this long while playing counts as a stall and reconnects a live stream.
    zap_debounce_s: wait this long after a ``play()`` for a newer one before starting (0: start at once; zaps that
        arrive while a start is in progress coalesce anyway).
    clock: monotonic seconds, for the reconnect policy.
    network_caching_ms: ``:network-caching`` for every media (None: libVLC's default); takes effect at the next tune.
    reconnect_attempts: retries of a dropped live stream (``reconnect.backoff``); ``reconnect_delays`` sets the waits
        themselves instead (tests).
    """

    def __init__(self, instance_options: Sequence[str] = (), hw_decoding: str = "auto", stall_seconds: float = 10.0,
                 clock: Callable[[], float] = time.monotonic, *, open_timeout_s: float = 20.0,
                 reconnect_delays: Sequence[float] = DELAYS, slow_retry_s: float = SLOW_RETRY_S,
                 zap_debounce_s: float = 0.0,
                 audio_languages: Sequence[str] = (), subtitle_languages: Sequence[str] = (),
                 network_caching_ms: int | None = None, reconnect_attempts: int | None = None) -> None:
        self.hw_decoding = hw_decoding
        self.network_caching_ms = network_caching_ms
        self.network_failure: Callable[[str], str | None] | None = None
        """Where streams play through a loopback server of the app (the zap cache), libVLC sees its 502 when the
        provider could not be reached: this says why (``refused``, ``timeout``, ``dns``) for an address played."""
        if reconnect_attempts is not None:
            reconnect_delays = backoff(reconnect_attempts)
        self.audio_languages = tuple(audio_languages)
        self.subtitle_languages = tuple(subtitle_languages)
        self._clock = clock
        self._policy = ReconnectPolicy(delays=reconnect_delays, stall_seconds=stall_seconds,
                                       open_timeout_s=open_timeout_s, slow_retry_s=slow_retry_s, clock=clock)
        self._mail = Mailbox(zap_debounce_s)
        self._listeners: list[PlayerListener] = []
        self._state = PlayerState.IDLE
        self._request: PlayRequest | None = None
        self._volume = 100
        self._muted = False
        self._target: VideoTarget = None
        self._live_epoch: int | None = None  # the epoch whose media is in libVLC; None while switching
        self._epoch = 0
        self._try: Attempt | None = None
        self._frame_count = 0
        self._facts = LogFacts()  # written by the log reader, read by the worker
        self._tracks_at: float | None = None
        self._next_poll = 0.0
        self._closed = False
        self._media_lock = threading.Lock()  # guards the current media against release while the GUI reads it

        self._ffi = LibVlcFfi(vlc.dll)
        self._instance = vlc.Instance([*DEFAULT_INSTANCE_OPTIONS, *instance_options])
        if self._instance is None:
            raise RuntimeError("libVLC could not be started (is the vlc plugin package installed?)")
        self._log_pipe: LogPipe | None = None
        try:  # libVLC writes its log into a pipe: its threads never wait for the GIL to log (see LogPipe)
            self._log_pipe = LogPipe(vlc.dll, self._instance, self._on_log_line)
        except OSError:
            self._log_cb = vlc.CallbackDecorators.LogCb(self._on_log)
            self._instance.log_set(self._log_cb, None)
        self._mp = self._instance.media_player_new()
        self._mp.video_set_key_input(False)
        self._mp.video_set_mouse_input(False)
        # ctypes callbacks must outlive every use by libVLC: they live as long as the player.
        self._lock_cb = vlc.CallbackDecorators.VideoLockCb(self._on_lock)
        self._unlock_cb = vlc.CallbackDecorators.VideoUnlockCb(self._on_unlock)
        self._display_cb = vlc.CallbackDecorators.VideoDisplayCb(self._on_display)
        self._event_handlers: list[Callable[[Any], None]] = []
        manager = self._mp.event_manager()
        for event_type, name in _EVENTS.items():
            handler = self._make_event_handler(name)
            self._event_handlers.append(handler)
            manager.event_attach(event_type, handler)
        self._worker = threading.Thread(target=self._run, name="settop-player", daemon=True)
        self._worker.start()

    # --- Player protocol (GUI thread) ---------------------------------------------------------------------------
    @property
    def state(self) -> PlayerState:
        return self._state

    @property
    def request(self) -> PlayRequest | None:
        return self._request

    def add_listener(self, listener: PlayerListener) -> None:
        self._listeners.append(listener)

    @property
    def zap_debounce_s(self) -> float:
        return self._mail.debounce_s

    @zap_debounce_s.setter
    def zap_debounce_s(self, seconds: float) -> None:
        self._mail.debounce_s = seconds

    def play(self, request: PlayRequest) -> None:
        learn_url(request.url)  # a catch-up address may carry what the playlist did not show
        with self._mail.cv:
            self._request = request
            self._mail.send(("play", request))
        self._set_state(PlayerState.OPENING, request)

    def stop(self) -> None:
        with self._mail.cv:
            self._request = None
            self._mail.send(("stop", None))
        self._set_state(PlayerState.IDLE, None)

    def retry(self) -> None:
        if self._request is not None:
            self.play(self._request)

    @unless_closed(none)
    def pause(self, paused: bool) -> None:
        self._mp.set_pause(1 if paused else 0)

    def continue_on_demand(self) -> None:
        self._mail.post(self._live_epoch, "on_demand", self._request)

    @unless_closed(none)
    def seek(self, position_ms: int) -> None:
        if self._request is not None and not self._request.live:
            self._mp.set_time(max(0, int(position_ms)))

    @unless_closed(lambda: (0, 0))
    def position(self) -> tuple[int, int]:
        length = self._mp.get_length()
        if length <= 0:
            return (0, 0)
        return (max(0, self._mp.get_time()), length)

    def set_volume(self, percent: int) -> None:
        self._volume = max(0, min(200, int(percent)))
        if not self._closed:
            self._mp.audio_set_volume(self._volume)

    def volume(self) -> int:
        return self._volume

    def set_mute(self, muted: bool) -> None:
        self._muted = muted
        if not self._closed:
            self._mp.audio_set_mute(muted)

    def is_muted(self) -> bool:
        return self._muted

    @unless_closed(list)
    def audio_tracks(self) -> list[Track]:
        return self._tracks(self._mp.audio_get_track_description(), "audio")

    @unless_closed(lambda: -1)
    def audio_track(self) -> int:
        return int(self._mp.audio_get_track())

    @unless_closed(none)
    def set_audio_track(self, track_id: int) -> None:
        self._mp.audio_set_track(track_id)

    @unless_closed(list)
    def subtitle_tracks(self) -> list[Track]:
        return self._tracks(self._mp.video_get_spu_description(), "subtitle")

    @unless_closed(lambda: -1)
    def subtitle_track(self) -> int:
        return int(self._mp.video_get_spu())

    @unless_closed(none)
    def set_subtitle_track(self, track_id: int) -> None:
        self._mp.video_set_spu(track_id)

    @unless_closed(none)
    def set_aspect_ratio(self, ratio: str) -> None:
        """``""`` source, ``"16:9"``/``"4:3"``/... forced aspect, ``"crop:16:9"`` crop to it, ``"zoom:1.5"`` scale."""
        kind, _, value = ratio.partition(":") if ratio.startswith(("crop:", "zoom:")) else ("", "", ratio)
        if kind == "crop":
            self._mp.video_set_crop_geometry(value or None)
        elif kind == "zoom":
            self._mp.video_set_scale(float(value or 0))
        else:
            self._mp.video_set_crop_geometry(None)
            self._mp.video_set_scale(0)
            self._mp.video_set_aspect_ratio(value or None)

    @property
    def reconnect_attempts(self) -> int:
        """How often a dropped live stream is retried (``playback.reconnect_attempts``)."""
        return self._policy.attempts

    def set_reconnect_attempts(self, attempts: int) -> None:
        self._policy.delays = backoff(attempts)  # read by the worker at the next failure

    def set_network_caching(self, milliseconds: int | None) -> None:
        self.network_caching_ms = milliseconds  # read by the worker at the next tune

    @unless_closed(none)
    def set_deinterlace(self, mode: str) -> None:
        """``auto`` (libVLC deinterlaces what is flagged interlaced), ``off``, ``on`` (yadif) or a filter name."""
        if mode in ("", "off"):
            self._mp.video_set_deinterlace(None)
        elif mode != "auto":
            self._mp.video_set_deinterlace(b"yadif" if mode == "on" else mode.encode())
        elif self._ffi.set_player_int(self._mp, "deinterlace", -1):  # libVLC 3's API has no "automatic"
            with self._mail.cv:
                # The running picture keeps its filter: open it again (a pending zap opens a new one anyway).
                if self._request is not None and self._mail.shared.command is None:
                    self._mail.send(("restart", None))

    def set_audio_languages(self, languages: Sequence[str]) -> None:
        self.audio_languages = tuple(languages)

    def version(self) -> str:
        raw = vlc.libvlc_get_version()
        return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw or "")

    @unless_closed(StreamInfo)
    def stream_info(self) -> StreamInfo:
        with self._media_lock:
            return self._stream_info()

    def _stream_info(self) -> StreamInfo:
        current = self._try
        if current is None:
            return StreamInfo()
        info: dict[str, Any] = {"decoder": self._facts.decoder_name("")}
        for track in self._ffi.media_tracks(current.media):
            if track["type"] == "video" and "video_codec" not in info:
                info.update(video_codec=track["codec"], width=track["width"], height=track["height"],
                            fps=track["fps"])
            elif track["type"] == "audio" and "audio_codec" not in info:
                info["audio_codec"] = track["codec"]
        width, height = self._mp.video_get_size(0) or (0, 0)
        if width and height:  # what the decoder delivers now (tracks keep the first variant's size)
            info.update(width=width, height=height)
        stats = vlc.MediaStats()
        if current.media.get_stats(stats):
            info["bitrate_kbps"] = round((stats.demux_bitrate or stats.input_bitrate) * 8000, 1)
            info["dropped_frames"] = stats.lost_pictures
            info["displayed_frames"] = stats.displayed_pictures
        return StreamInfo(**info)

    def close(self) -> None:
        self._mail.close()
        self._worker.join(10)
        self._closed = True

    # --- video output -------------------------------------------------------------------------------------------
    def set_video_target(self, target: VideoTarget) -> None:
        """Draw into ``target``; returns once libVLC no longer uses the previous one (see base.VideoTargetPlayer)."""
        done = threading.Event()
        if self._mail.send_target((target, done)):
            done.wait(10)

    def _apply_target(self, target: VideoTarget) -> None:
        self._target = target
        if isinstance(target, WindowTarget):
            self._mp.video_set_callbacks(None, None, None, None)
            if target.system == "windows":
                self._mp.set_hwnd(target.win_id)
            elif target.system == "cocoa":
                self._mp.set_nsobject(target.win_id)
            else:
                self._mp.set_xwindow(target.win_id)
        elif target is not None:
            width, height = target.frame_size
            self._mp.set_xwindow(0)
            self._mp.video_set_callbacks(self._lock_cb, self._unlock_cb, self._display_cb, None)
            self._mp.video_set_format("RV32", width, height, width * 4)

    # --- libVLC threads: record and wake, never call libVLC -----------------------------------------------------
    def _make_event_handler(self, name: str) -> Callable[[Any], None]:
        def handler(event: Any) -> None:
            data = event.u.new_cache if name == "buffering" else None
            self._post(self._live_epoch, name, data)

        return handler

    def _post(self, epoch: int | None, name: str, data: Any = None) -> None:
        self._mail.post(epoch, name, data)

    def _on_lock(self, opaque: Any, planes: Any) -> int | None:
        sink = self._target
        if isinstance(sink, WindowTarget) or sink is None:
            return None
        address = sink.lock_frame()
        planes[0] = address
        return address

    def _on_unlock(self, opaque: Any, picture: Any, planes: Any) -> None:
        sink = self._target
        if picture and not isinstance(sink, WindowTarget) and sink is not None:
            sink.unlock_frame(int(picture))

    def _on_display(self, opaque: Any, picture: Any) -> None:
        sink = self._target
        if picture and not isinstance(sink, WindowTarget) and sink is not None:
            sink.show_frame(int(picture))
        self._frame_count += 1
        if self._frame_count == 1:
            self._post(self._live_epoch, "frame")

    def _on_log(self, data: Any, level: int, ctx: Any, fmt: bytes, args: Any) -> None:
        """The log callback, where no log pipe could be made."""
        try:
            py_level = LOG_LEVELS.get(level, logging.DEBUG)
            # Fast path: most lines are debug chatter nobody reads; format only what is logged or parsed.
            if not vlc_log.isEnabledFor(py_level) and not may_hold_facts(fmt):
                return
            name, text = self._ffi.format_log(ctx, fmt, args)
            self._facts.read(text)
            if vlc_log.isEnabledFor(py_level):
                vlc_log.log(py_level, "%s: %s", name, redact(text.strip()))
        except Exception:  # an exception must never unwind into libVLC
            pass

    def _on_log_line(self, text: str) -> None:
        """A line from the log pipe (reader thread or a drain): no level or module name comes with it."""
        self._facts.read(text)
        if vlc_log.isEnabledFor(logging.DEBUG):
            vlc_log.debug("%s", redact(text.strip()))

    def _drain_log(self) -> None:
        """Read what libVLC has logged so far (HTTP status, decoder) before acting on it."""
        if self._log_pipe is not None:
            self._log_pipe.drain()

    # --- worker -------------------------------------------------------------------------------------------------
    def _run(self) -> None:
        try:
            while True:
                try:
                    if not self._step():
                        break
                except Exception:  # one bad turn must not leave the app without a player
                    log.exception("player worker step failed")
        finally:
            self._shutdown()

    def _step(self) -> bool:
        """One turn of the worker: commands first, then libVLC's events, then the clocks. False when closing."""
        turn = self._mail.take(self._deadlines)
        if turn is None:
            return False
        target, command, events = turn.target, turn.command, turn.events
        if target is not None:
            resume = self._try.request if self._try is not None and self._request is not None else None
            self._halt()
            self._apply_target(target[0])
            if target[0] is None and self._request is not None:
                self._set_state(PlayerState.IDLE, self._request)  # detached: nothing plays until a new target
            target[1].set()
            if resume is not None and target[0] is not None:
                self._start(resume, self._policy_begin(resume))
        if command is not None:
            if command[0] == "play":
                self._start(command[1], self._policy_begin(command[1]))
            elif command[0] == "restart":
                if self._try is not None:
                    self._start(self._try.request, 0 if self._try.request.live else self._try.position_ms)
            else:
                self._halt()
        for epoch, name, data in events:
            if self._try is not None and epoch == self._try.epoch:
                self._on_event(self._try, name, data)
        self._tick()
        return True

    def _deadlines(self) -> list[float]:
        """When the worker must wake (time.monotonic()) with nothing posted: sampling, retries, track reports."""
        deadlines = [self._next_poll] if self._try is not None else []
        if (deadline := self._policy.next_deadline()) is not None:
            deadlines.append(deadline - self._clock() + time.monotonic())
        if self._tracks_at is not None:
            deadlines.append(self._tracks_at)
        return deadlines

    def _policy_begin(self, request: PlayRequest) -> int:
        self._policy.begin(request.live)
        return request.start_position_ms

    def _halt(self) -> None:
        """Stop libVLC; the current try (if any) is forgotten."""
        self._live_epoch = None
        self._policy.cancel()
        self._tracks_at = None
        if self._try is not None:
            self._mp.stop()
            with self._media_lock:
                self._try.media.release()
                self._try = None

    def _start(self, request: PlayRequest, position_ms: int = 0) -> None:
        self._halt()
        why = address.refusal(request.url, local_ok=request.local_ok)
        if why is not None:  # the last gate: libVLC never sees a local file or device a remote source named
            log.warning("address refused (%s): %s", why, redact(request.url[:300]))
            self._state = PlayerState.ERROR
            self._emit(PlayerEvent("error", PlayerState.ERROR, request, retryable=False, message=_(
                "This address is refused: only network streams play, and local files only from a playlist "
                "on this device")))
            return
        if self._target is None:
            log.info("no video target attached; playing audio only")
        options = build_options(request, hw_decoding=self.hw_decoding, audio_languages=self.audio_languages,
                                subtitle_languages=self.subtitle_languages,
                                network_caching_ms=self.network_caching_ms)
        media = self._instance.media_new(request.url)  # the URL only: options never go through media_new
        apply_options(media, options)
        if position_ms > 0:
            media.add_option_flag(f":start-time={position_ms / 1000:.3f}", OPTION_TRUSTED)
        if request.paused:
            media.add_option_flag(":start-paused", OPTION_TRUSTED)
        self._epoch += 1
        with self._media_lock:
            self._try = Attempt(self._epoch, request, media, position_ms=position_ms)
        self._drain_log()  # lines the stopped media wrote must not count for this one
        self._frame_count = 0
        self._facts.reset()
        self._next_poll = time.monotonic() + POLL_S
        self._mp.set_media(media)
        self._live_epoch = self._epoch
        self._policy.started()
        log.info("playing %s (options: %s)", redact(request.url), ", ".join(option_names(options.playlist)) or "-")
        if self._mp.play() != 0:
            self._post(self._epoch, "error")

    def _on_event(self, current: Attempt, name: str, data: Any) -> None:
        request = current.request
        if name == "buffering" and not current.first_frame:
            percent = int(data or 0)
            if percent != current.buffering:
                current.buffering = percent
                self._emit(PlayerEvent("buffering", PlayerState.BUFFERING, request, percent=float(percent)))
        elif name == "playing":
            current.playing = True
            self._policy.paused(False)
            self._mp.audio_set_volume(self._volume)  # the audio output exists only now
            self._mp.audio_set_mute(self._muted)
            if current.first_frame:
                self._set_state(PlayerState.PLAYING, request)
        elif name == "paused":
            self._policy.paused(True)
            self._set_state(PlayerState.PAUSED, request)
        elif name == "frame" or (name == "vout" and isinstance(self._target, WindowTarget | None)):
            self._first_frame(current)
        elif name == "es":
            self._tracks_at = time.monotonic() + 0.15
        elif name == "end":
            self._failed(current, Failure.ENDED)
        elif name == "on_demand" and data is request and request.live:
            self._on_demand(current)
        elif name == "error":
            self._failed(current, Failure.ERROR)

    def _first_frame(self, current: Attempt) -> None:
        if current.first_frame:
            return
        current.first_frame = True
        self._policy.progress()
        self._drain_log()
        elapsed = time.monotonic() - self._mail.requested_at
        log.info("picture up after %.0f ms (decoder: %s)", elapsed * 1000,
                 self._facts.decoder_name("unknown"))
        self._emit(PlayerEvent("first_frame", PlayerState.PLAYING, current.request,
                               extra={"elapsed_ms": f"{elapsed * 1000:.1f}"}))
        self._set_state(PlayerState.PLAYING, current.request)

    def _on_demand(self, current: Attempt) -> None:
        """The request playing continues as on demand (``continue_on_demand``), unless the viewer zapped since."""
        with self._mail.cv:
            if self._request is not current.request:
                return
            current.request = self._request = replace(current.request, live=False)
        self._policy.on_demand()
        log.info("the stream is a finished playlist: playing it as on demand")
        self._emit(PlayerEvent("on_demand", self._state, current.request))

    def _failed(self, current: Attempt, failure: Failure) -> None:
        self._drain_log()  # libVLC logged the HTTP status before it reported the error
        facts = self._facts
        if failure is Failure.ERROR and facts.http_status is not None and facts.http_status < 400:
            facts.http_status = None
        http_status, network = facts.http_status, facts.network
        if http_status == 502 and self.network_failure is not None:  # the zap cache's answer: ask it why
            told = self.network_failure(current.request.url)
            if told is not None:
                http_status, network = None, told
        decision = self._policy.failure(failure, http_status, network)
        request = current.request
        log.info("stream %s (%s): %s", failure.value, redact(request.url), decision.action.value)
        if decision.action is Action.RETRY:
            self._live_epoch = None
            self._mp.stop()
            self._state = PlayerState.RECONNECTING
            self._emit(PlayerEvent("reconnecting", PlayerState.RECONNECTING, request, attempt=decision.attempt,
                                   attempts=decision.attempts, message=decision.message))
        elif decision.action is Action.SLOW_RETRY:  # an error on screen, and another try in delay_s
            self._live_epoch = None
            self._mp.stop()
            self._state = PlayerState.ERROR
            self._emit(PlayerEvent("error", PlayerState.ERROR, request, message=decision.message,
                                   retryable=decision.retryable, extra={"retry_in_s": f"{decision.delay_s:g}"}))
        elif decision.action is Action.END:
            self._set_state(PlayerState.ENDED, request)
            self._emit(PlayerEvent("ended", PlayerState.ENDED, request))
        else:
            self._halt()
            self._state = PlayerState.ERROR
            self._emit(PlayerEvent("error", PlayerState.ERROR, request, message=decision.message,
                                   retryable=decision.retryable))

    def _tick(self) -> None:
        """Sample progress, run due retries, notice stalls, report tracks and positions."""
        current = self._try
        now = time.monotonic()
        if self._tracks_at is not None and now >= self._tracks_at and current is not None:
            self._tracks_at = None
            self._emit(PlayerEvent("tracks", self._state, current.request))
        if current is None:
            return
        if self._policy.due():
            resume = 0 if current.request.live else max(current.position_ms, current.request.start_position_ms)
            self._start(current.request, resume)
            return
        if now >= self._next_poll and self._live_epoch is not None:
            self._next_poll = now + POLL_S
            self._sample(current)
        stalled = self._policy.stalled()
        if stalled is Failure.OPEN_TIMEOUT and current.playing:
            stalled = Failure.NO_PICTURE  # libVLC plays the input, yet nothing could be shown
        if stalled is not None:
            self._failed(current, stalled)

    def _sample(self, current: Attempt) -> None:
        stats = vlc.MediaStats()
        if not current.media.get_stats(stats):
            return
        # Statistics, not display callbacks: libVLC's vout re-shows the last picture when no new one comes.
        progress = stats.displayed_pictures + stats.decoded_video + stats.played_abuffers
        if progress > current.progress:
            current.progress = progress
            if current.first_frame:
                self._policy.progress()
            elif stats.played_abuffers and self._mp.video_get_track_count() <= 0:
                self._first_frame(current)  # radio: the first sound is the "picture"
        if not current.request.live and current.first_frame:
            position, length = self.position()
            current.position_ms = position
            self._emit(PlayerEvent("position", self._state, current.request, position_ms=position, length_ms=length))

    def _set_state(self, state: PlayerState, request: PlayRequest | None) -> None:
        if state is self._state and state is not PlayerState.OPENING:
            return
        self._state = state
        self._emit(PlayerEvent("state", state, request))

    def _emit(self, event: PlayerEvent) -> None:
        if event.request is not None and event.request is not self._request:
            return  # a request that was replaced reports nothing more
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:
                log.exception("player listener failed")

    def _shutdown(self) -> None:
        self._halt()
        self._target = None
        self._mp.video_set_callbacks(None, None, None, None)
        manager = self._mp.event_manager()
        for event_type in _EVENTS:
            manager.event_detach(event_type)
        self._mp.release()
        if self._log_pipe is not None:
            self._log_pipe.close()
        else:
            self._instance.log_unset()
        self._instance.release()

    # --- helpers ------------------------------------------------------------------------------------------------
    def _tracks(self, descriptions: Any, kind: str) -> list[Track]:
        languages = {}
        with self._media_lock:
            if self._try is not None:
                tracks_now = self._ffi.media_tracks(self._try.media)
                languages = {t["id"]: t["language"] for t in tracks_now if t["type"] == kind}
        return tracks_from(descriptions, languages)


__all__ = ["DEFAULT_INSTANCE_OPTIONS", "FrameSink", "VlcPlayer"]
