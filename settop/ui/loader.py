"""Playlist loading on a worker thread: every enabled source fetched, parsed, merged and indexed, with progress and
cancel, reported by signals."""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable

from PyQt6.QtCore import QObject, QRunnable, Qt, QThreadPool, pyqtSignal

from settop.core import runtime
from settop.core.redact import display_source, redact
from settop.core.sources.base import SourceContent
from settop.core.sources.load import LoadFailed, LoadResult
from settop.core.sources.loaded import Loaded, load_all
from settop.core.state.edits import ChannelEdits
from settop.core.state.settings import PlaylistSource
from settop.i18n import _

log = logging.getLogger("settop.ui.loader")

PROGRESS_INTERVAL_S = 0.1


class _Signals(QObject):
    progress = pyqtSignal(int, str, int, int)  # ticket, phase text, done, total (0: unknown)
    loaded = pyqtSignal(int, object)  # ticket, (Loaded, LoadResult)
    failed = pyqtSignal(int, str)  # ticket, user-readable message
    single_stream = pyqtSignal(int)  # ticket: the one source is a stream, not a channel list


class _LoadTask(QRunnable):
    def __init__(self, ticket: int, sources: tuple[PlaylistSource, ...], signals: _Signals, cancel: threading.Event,
                 *, previous: dict[str, SourceContent], only: frozenset[str] | None,
                 remembered: dict[str, str], edits: ChannelEdits, remerge: bool,
                 max_playlist_bytes: int | None) -> None:
        super().__init__()
        self.max_playlist_bytes = max_playlist_bytes
        self.ticket = ticket
        self.sources = sources
        self.signals = signals
        self.cancel = cancel
        self.previous = previous
        self.only = only
        self.remembered = remembered
        self.edits = edits
        self.remerge = remerge
        self._last = 0.0

    def _progress(self, name: str, done: int, total: int | None) -> None:
        several = len(self.sources) > 1
        if done < 0:
            text = _("Reading {name}…").format(name=name) if several else _("Reading channels…")
            self.signals.progress.emit(self.ticket, text, 0, 0)
            return
        now = time.monotonic()
        if now - self._last >= PROGRESS_INTERVAL_S or (total and done >= total):
            self._last = now
            text = _("Downloading {name}…").format(name=name) if several else _("Downloading playlist…")
            self.signals.progress.emit(self.ticket, text, done, total or 0)

    def run(self) -> None:
        try:
            outcome = load_all(self.sources, self.previous, only=self.only, cancel=self.cancel,
                               progress=self._progress, remembered=self.remembered, edits=self.edits,
                               remerge=self.remerge, max_playlist_bytes=self.max_playlist_bytes)
        except Exception as exc:  # every failure becomes words on screen
            log.debug("playlist load failed", exc_info=True)
            self.signals.failed.emit(self.ticket, redact(str(exc)) or type(exc).__name__)
            problems = exc.problems if isinstance(exc, LoadFailed) else ()
            if len(self.sources) == 1 and len(problems) == 1 and problems[0].single_stream:
                self.signals.single_stream.emit(self.ticket)
            return
        if not self.cancel.is_set():
            self.signals.loaded.emit(self.ticket, outcome)


class PlaylistLoader(QObject):
    """Loads the viewer's sources (every enabled playlist, merged) on a QThreadPool; a new ``load`` cancels the one
    before. It keeps what each source showed, so a refresh of one source reuses the others.

    Signals (on the GUI thread): ``progress(text, done, total)``, ``loaded(Loaded)``, ``failed(message)``, and
    ``single_stream(PlaylistSource)`` after ``failed`` when the one source loaded is a stream, not a channel list.
    """

    progress = pyqtSignal(str, int, int)
    loaded = pyqtSignal(object)
    failed = pyqtSignal(str)
    single_stream = pyqtSignal(object)

    def __init__(self, parent: QObject | None = None, *,
                 max_playlist_bytes: Callable[[], int | None] = lambda: None) -> None:
        super().__init__(parent)
        self.max_playlist_bytes = max_playlist_bytes  # read at each load: fetch.max_playlist_mb
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._signals = _Signals()
        queued = Qt.ConnectionType.QueuedConnection
        self._signals.progress.connect(self._on_progress, queued)  # type: ignore[call-arg]
        self._signals.loaded.connect(self._on_loaded, queued)  # type: ignore[call-arg]
        self._signals.failed.connect(self._on_failed, queued)  # type: ignore[call-arg]
        self._signals.single_stream.connect(self._on_single_stream, queued)  # type: ignore[call-arg]
        self._ticket = 0
        self._sources: tuple[PlaylistSource, ...] = ()
        self._cancel = threading.Event()
        self.busy = False
        self.contents: dict[str, SourceContent] = {}  # by source id: what each source shows now
        self.remembered: dict[str, str] = {}  # merged key -> number, so numbers stay put across refreshes
        self._cache_later: dict[str, SourceContent] = {}
        self.edits = ChannelEdits()  # the viewer's order, numbers and names (move mode), applied at every merge

    def load(self, sources: PlaylistSource | tuple[PlaylistSource, ...], refresh: bool = False,
             only: frozenset[str] | None = None, remerge: bool = False) -> None:
        """Load ``sources``; ``refresh`` keeps what is shown for unchanged ones, ``only`` reloads just these ids,
        ``remerge`` (with ``refresh`` and an empty ``only``) merges what is shown again with new edits."""
        if isinstance(sources, PlaylistSource):
            sources = (sources,)
        self.cancel()
        self._ticket += 1
        self._cancel = threading.Event()
        self.busy = True
        self._sources = sources
        log.info("loading %s", ", ".join(display_source(s.source) for s in sources))
        self.progress.emit(_("Opening playlist…"), 0, 0)
        previous = dict(self.contents) if refresh else {}
        self._pool.start(_LoadTask(self._ticket, sources, self._signals, self._cancel, previous=previous,
                                   only=only if refresh else None, remembered=dict(self.remembered),
                                   edits=self.edits, remerge=remerge,
                                   max_playlist_bytes=self.max_playlist_bytes()))

    def cancel(self) -> None:
        self._cancel.set()
        self.busy = False

    def _on_progress(self, ticket: int, text: str, done: int, total: int) -> None:
        if ticket == self._ticket and self.busy:
            self.progress.emit(text, done, total)

    def _on_loaded(self, ticket: int, outcome: tuple[Loaded, LoadResult]) -> None:
        if ticket != self._ticket:
            return
        loaded, result = outcome
        self.busy = False
        self.contents = result.contents
        for problem in result.problems:
            log.info("source %s: %s", problem.name, problem.message)
        if loaded.lineup is None:
            log.info("playlists unchanged (%.2f s)", loaded.seconds)
        else:
            log.info("playlists loaded: %d channels in %.2f s", len(loaded.lineup), loaded.seconds)
            self._cache_later.update({c.cache_key: c for c in result.refreshed})
            if loaded.lineup.merged is not None and len(loaded.lineup.merged.parts) > 1:
                self.remembered = dict(zip((c.key for c in loaded.lineup.channels), loaded.lineup.numbers,
                                           strict=True))
        self.loaded.emit(loaded)

    def _on_failed(self, ticket: int, message: str) -> None:
        if ticket == self._ticket and self.busy:
            self.busy = False
            self.failed.emit(message)

    def _on_single_stream(self, ticket: int) -> None:
        if ticket == self._ticket and len(self._sources) == 1:
            self.single_stream.emit(self._sources[0])

    def shutdown(self) -> None:
        """Stop loading; write the playlist cache a refresh left for later (nobody is watching now)."""
        self.cancel()
        self._pool.waitForDone(3000)
        pending, self._cache_later = self._cache_later, {}
        if pending:
            from settop.core.playlist import cache as playlist_cache

            for key, content in pending.items():
                try:
                    playlist_cache.write(key, content.parsed or content.playlist)
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
