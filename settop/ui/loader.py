"""Playlist loading on a worker thread: every enabled source fetched, parsed, merged and indexed, with progress and
cancel, reported by signals."""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from PyQt6.QtCore import QObject, QRunnable, Qt, QThreadPool, pyqtSignal

from settop.core import runtime
from settop.core.net.budget import source_of
from settop.core.playlist.lineup import Lineup
from settop.core.redact import display_source, redact
from settop.core.sources.base import SourceContent
from settop.core.sources.load import LoadFailed, LoadResult, SourceProblem, SourceProgress, load_sources
from settop.core.sources.m3u import sources_from
from settop.core.sources.ondemand import Library
from settop.core.state.edits import ChannelEdits
from settop.core.state.settings import PlaylistSource
from settop.i18n import _

log = logging.getLogger("settop.ui.loader")

PROGRESS_INTERVAL_S = 0.1


@dataclass(frozen=True, slots=True)
class Loaded:
    """Loaded sources: the merged lineup plus how fresh each source is, for the status line."""

    source: PlaylistSource  # the first source (what the shell remembers when a single playlist was opened)
    lineup: Lineup | None  # None: unchanged since the last load
    display: str
    remote: bool = True
    stale: bool = False
    stale_reason: str = ""
    seconds: float = 0.0
    sources: tuple[PlaylistSource, ...] = ()
    problems: tuple[SourceProblem, ...] = ()
    library: Library = field(default_factory=Library)  # films and series of every source (a provider account's)
    max_connections: int | None = None  # the first source's limit of streams at once (a provider account's)
    limits: tuple[tuple[str, int], ...] = ()  # (budget source, streams at once) the sources state themselves


class _Signals(QObject):
    progress = pyqtSignal(int, str, int, int)  # ticket, phase text, done, total (0: unknown)
    loaded = pyqtSignal(int, object)  # ticket, (Loaded, LoadResult)
    failed = pyqtSignal(int, str)  # ticket, user-readable message
    single_stream = pyqtSignal(int)  # ticket: the one source is a stream, not a channel list


def load_all(sources: tuple[PlaylistSource, ...], previous: Mapping[str, SourceContent] | None = None, *,
             only: frozenset[str] | None = None, cancel: threading.Event | None = None,
             progress: SourceProgress | None = None, remembered: Mapping[str, str] | None = None,
             edits: ChannelEdits | None = None, remerge: bool = False,
             max_playlist_bytes: int | None = None) -> tuple[Loaded, LoadResult]:
    """Fetch, parse, merge and index ``sources`` on the calling thread; raises LoadFailed when none loads.

    previous: what each source showed (``LoadResult.contents``); unchanged bytes are not parsed again and the
    lineup is then None (an unchanged refresh costs the GUI thread nothing).
    max_playlist_bytes: the cap on each playlist (``fetch.max_playlist_mb``; None: the fetcher's default).
    """
    started = time.perf_counter()
    # 100,000 channels are long-lived: built with the collector off and quick GIL switches (settop.core.runtime).
    with runtime.bulk_load():
        result = load_sources(sources_from(sources, max_playlist_bytes), previous, only=only, cancel=cancel,
                              progress=progress, remembered=remembered, edits=edits, remerge=remerge)
    runtime.trim_heap()  # the raw bytes, the cache blob and the parse's scratch go back to the system
    shown = [result.contents[s.id] for s in sources if s.id in result.contents]
    display = shown[0].display if len(sources) == 1 and shown else ", ".join(s.name for s in sources)
    stale = [p for p in result.problems if p.stale]
    loaded = Loaded(sources[0], result.lineup, display, any(c.remote for c in shown), bool(stale),
                    stale[0].message if stale else "", time.perf_counter() - started, sources, result.problems,
                    library=_library(shown), max_connections=shown[0].max_connections if shown else None,
                    limits=stated_limits(shown))
    return loaded, result


def stated_limits(contents: list[SourceContent]) -> tuple[tuple[str, int], ...]:
    """The stream limits the sources state (an account's ``max_connections``), for each host their streams and
    films come from (the connection budget counts by host); the lowest where two sources share one."""
    limits: dict[str, int] = {}
    for content in contents:
        n = content.max_connections
        if n is None:
            continue
        urls = [c.url for c in content.playlist.channels]
        urls += [m.url for m in content.library.movies]
        for source in {source_of(url) for url in urls} - {""}:
            limits[source] = min(n, limits.get(source, n))
    return tuple(sorted(limits.items()))


def _library(contents: list[SourceContent]) -> Library:
    """Every source's films and series, in the sources' order."""
    if len(contents) == 1:
        return contents[0].library
    return Library(*(tuple(item for c in contents for item in getattr(c.library, name))
                     for name in ("movie_categories", "movies", "series_categories", "series")))


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
