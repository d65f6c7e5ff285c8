"""Playlist loading on a worker thread: fetch, parse and index, with progress and cancel, reported by signals."""

from __future__ import annotations

import logging
import queue
import threading
import time
from dataclasses import dataclass, field

from PyQt6.QtCore import QObject, QRunnable, Qt, QThreadPool, pyqtSignal

from settop.core import runtime
from settop.core.playlist.lineup import Lineup
from settop.core.redact import display_source, redact
from settop.core.secrets import learn_playlist
from settop.core.sources.ondemand import Library
from settop.core.state.settings import PlaylistSource
from settop.i18n import _

log = logging.getLogger("settop.ui.loader")

PROGRESS_INTERVAL_S = 0.1


@dataclass(frozen=True, slots=True)
class Loaded:
    """A loaded playlist: the lineup plus how fresh it is, for the status line."""

    source: PlaylistSource
    lineup: Lineup | None  # None: unchanged since the last load
    display: str
    remote: bool = True
    stale: bool = False
    stale_reason: str = ""
    seconds: float = 0.0
    cache_key: str = ""
    cache_pending: bool = False  # parsed without writing the playlist cache (``PlaylistLoader.shutdown`` writes it)
    library: Library = field(default_factory=Library)  # films and series (a provider account's)
    max_connections: int | None = None  # the source's limit of streams at once (a provider account's)


class _Signals(QObject):
    progress = pyqtSignal(int, str, int, int)  # ticket, phase text, done, total (0: unknown)
    loaded = pyqtSignal(int, object)  # ticket, Loaded
    failed = pyqtSignal(int, str)  # ticket, user-readable message


def load_playlist(source: PlaylistSource, cancel: threading.Event | None = None,
                  progress: object = None, known_key: str = "") -> Loaded:
    """Fetch, parse and index ``source`` on the calling thread; raises FetchError (or OSError) on failure.

    known_key: the cache key of the playlist on screen; when the fetched bytes have the same key, nothing is
    parsed and ``Loaded.lineup`` is None (an unchanged refresh costs the GUI thread nothing).
    """
    from settop.core.net.fetch import fetch
    from settop.core.playlist import cache as playlist_cache

    started = time.perf_counter()
    if source.kind == "xtream":
        return _load_account(source, cancel, progress, started)
    headers = {"User-Agent": source.user_agent} if source.user_agent else None
    result = fetch(source.source, kind="playlist", allow_insecure=source.allow_insecure, headers=headers,
                   cancel=cancel, progress=progress)  # type: ignore[arg-type]
    report = progress if callable(progress) else None
    if report is not None:
        report(-1, None)
    data = result.read_bytes()
    remote = bool(result.final_url)
    base_url = result.final_url or str(result.path)
    key = playlist_cache.cache_key(data, base_url=base_url, remote=remote)
    if key == known_key:
        return Loaded(source, None, result.display, remote, result.stale, result.stale_reason,
                      time.perf_counter() - started, key)
    # 100,000 channels are long-lived: built with the collector off and quick GIL switches (settop.core.runtime).
    with runtime.bulk_load():
        if known_key:
            # A refresh while TV plays: parse in Python (the GIL passes to the GUI thread every 0.2 ms) and leave
            # the cache write, one long marshal call that would hold the GIL, for shutdown.
            from settop.core.playlist import m3u

            playlist = m3u.parse_bytes(data, base_url=base_url, remote=remote)
        else:
            playlist = playlist_cache.load(data, base_url=base_url, remote=remote, key=key)
        del data
        learn_playlist(playlist)
        lineup = Lineup(playlist, local_ok=not remote)
    runtime.trim_heap()  # the raw bytes, the cache blob and the parse's scratch go back to the system
    return Loaded(source, lineup, result.display, remote, result.stale, result.stale_reason,
                  time.perf_counter() - started, key, cache_pending=bool(known_key))


def _load_account(source: PlaylistSource, cancel: threading.Event | None, progress: object,
                  started: float) -> Loaded:
    """A provider account: the player API's live channels as the lineup, its films and series as the library."""
    from settop.core.sources.xtream_source import XtreamSource

    report = progress if callable(progress) else None
    content = XtreamSource(source).load(cancel, report)
    with runtime.bulk_load():
        lineup = Lineup(content.playlist)
    return Loaded(source, lineup, content.display, True, content.stale, content.stale_reason,
                  time.perf_counter() - started, library=content.library, max_connections=content.max_connections)


class _LoadTask(QRunnable):
    def __init__(self, ticket: int, source: PlaylistSource, signals: _Signals, cancel: threading.Event,
                 known_key: str = "") -> None:
        super().__init__()
        self.known_key = known_key
        self.ticket = ticket
        self.source = source
        self.signals = signals
        self.cancel = cancel
        self._last = 0.0

    def _progress(self, done: int, total: int | None) -> None:
        if done < 0:
            self.signals.progress.emit(self.ticket, _("Reading channels…"), 0, 0)
            return
        now = time.monotonic()
        if now - self._last >= PROGRESS_INTERVAL_S or (total and done >= total):
            self._last = now
            self.signals.progress.emit(self.ticket, _("Downloading playlist…"), done, total or 0)

    def run(self) -> None:
        try:
            loaded = load_playlist(self.source, self.cancel, self._progress, self.known_key)
        except Exception as exc:  # every failure becomes words on screen
            log.debug("playlist load failed", exc_info=True)
            self.signals.failed.emit(self.ticket, redact(str(exc)) or type(exc).__name__)
            return
        if not self.cancel.is_set():
            self.signals.loaded.emit(self.ticket, loaded)


class PlaylistLoader(QObject):
    """Loads one playlist at a time on a QThreadPool; a new ``load`` cancels the one before.

    Signals (on the GUI thread): ``progress(text, done, total)``, ``loaded(Loaded)``, ``failed(message)``.
    """

    progress = pyqtSignal(str, int, int)
    loaded = pyqtSignal(object)
    failed = pyqtSignal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._signals = _Signals()
        queued = Qt.ConnectionType.QueuedConnection
        self._signals.progress.connect(self._on_progress, queued)  # type: ignore[call-arg]
        self._signals.loaded.connect(self._on_loaded, queued)  # type: ignore[call-arg]
        self._signals.failed.connect(self._on_failed, queued)  # type: ignore[call-arg]
        self._ticket = 0
        self._cancel = threading.Event()
        self.busy = False
        self._cache_later: Loaded | None = None

    def load(self, source: PlaylistSource, known_key: str = "") -> None:
        """Load ``source``; ``known_key`` (``Loaded.cache_key`` of what is shown) lets an unchanged refresh skip."""
        self.cancel()
        self._ticket += 1
        self._cancel = threading.Event()
        self.busy = True
        log.info("loading playlist %s", display_source(source.source))
        self.progress.emit(_("Opening playlist…"), 0, 0)
        self._pool.start(_LoadTask(self._ticket, source, self._signals, self._cancel, known_key))

    def cancel(self) -> None:
        self._cancel.set()
        self.busy = False

    def _on_progress(self, ticket: int, text: str, done: int, total: int) -> None:
        if ticket == self._ticket and self.busy:
            self.progress.emit(text, done, total)

    def _on_loaded(self, ticket: int, loaded: Loaded) -> None:
        if ticket == self._ticket:
            self.busy = False
            if loaded.lineup is None:
                log.info("playlist unchanged (%.2f s)", loaded.seconds)
            else:
                log.info("playlist loaded: %d channels in %.2f s", len(loaded.lineup), loaded.seconds)
                self._cache_later = loaded if loaded.cache_pending else None
            self.loaded.emit(loaded)

    def _on_failed(self, ticket: int, message: str) -> None:
        if ticket == self._ticket and self.busy:
            self.busy = False
            self.failed.emit(message)

    def shutdown(self) -> None:
        """Stop loading; write the playlist cache a refresh left for later (nobody is watching now)."""
        self.cancel()
        self._pool.waitForDone(3000)
        pending, self._cache_later = self._cache_later, None
        if pending is not None and pending.lineup is not None:
            from settop.core.playlist import cache as playlist_cache

            try:
                playlist_cache.write(pending.cache_key, pending.lineup.playlist)
            except OSError as exc:
                log.info("playlist cache not written: %s", exc)


_graveyard: queue.SimpleQueue[object] = queue.SimpleQueue()
_undertaker: threading.Thread | None = None


def _bury_forever() -> None:
    while True:
        lineup = _graveyard.get()
        channels = list(getattr(lineup, "channels", ()))
        del lineup  # the big tuple and index structures go now, their channels one by one below
        while channels:  # one object per bytecode step, so the GUI thread gets the GIL between them
            channels.pop()
        if _graveyard.empty():
            runtime.trim_heap()


def dispose_later(lineup: object) -> None:
    """Drop the last reference to an old lineup on a background thread, a little at a time.

    Freeing 100,000 channels in one go holds the GIL for tens of milliseconds: on the GUI thread that is a
    visible stall. The caller must hold no other reference.
    """
    global _undertaker
    if _undertaker is None:
        _undertaker = threading.Thread(target=_bury_forever, name="settop-dispose", daemon=True)
        _undertaker.start()
    _graveyard.put(lineup)
