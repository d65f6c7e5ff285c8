"""The one way guide data gets in: fetch and ingest every source on a worker, with progress, on a schedule."""

from __future__ import annotations

import io
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PyQt6.QtCore import QObject, QTimer, pyqtSignal

from settop.core.guide.ingest import DAY
from settop.core.guide.match import MatchReport
from settop.core.guide.store import GuideStore, IngestCancelled
from settop.core.guide.xmltv import GuideError
from settop.core.models import Channel
from settop.core.net.fetch import FetchError, FetchLimits, fetch, limits_from
from settop.core.net.refresh import HOUR, RefreshPolicy
from settop.core.redact import display_source, redact
from settop.core.sources.xtream_guide import SOURCE_ID as SHORT_EPG_SOURCE
from settop.core.sources.xtream_guide import ShortEpg, fallback_guide
from settop.core.state.settings import Settings
from settop.core.state.store import StateStore
from settop.i18n import _, preferred_languages

log = logging.getLogger("settop.ui.guide")

DEFAULT_INTERVAL_S = 24 * HOUR  # between refreshes when the playlist does not say
MAX_TIMER_S = 7 * 24 * HOUR


@dataclass(frozen=True, slots=True)
class GuideRun:
    """What one refresh of every source achieved."""

    programmes: int
    sources_ok: int
    failures: tuple[str, ...]
    report: MatchReport | None
    stale: tuple[str, ...] = ()  # sources that failed but whose saved copy was read instead (why, redacted)
    cancelled: bool = False


def channel_offsets(settings: Settings) -> dict[str, int]:
    """``guide.channel_offsets`` entries ``KEY=HOURS`` as seconds by channel key (bad entries skipped)."""
    result: dict[str, int] = {}
    for entry in settings.get_list("guide.channel_offsets"):
        key, _sep, hours = entry.rpartition("=")
        try:
            result[key] = round(float(hours) * 3600)
        except ValueError:
            continue
    return result


@dataclass(frozen=True, slots=True)
class _Job:
    """One run's inputs, taken on the GUI thread (settings and state are not read from the worker)."""

    channels: tuple[Channel, ...]
    sources: tuple[str, ...]
    mappings: dict[str, str]
    window: tuple[int, int]
    languages: tuple[str, ...]
    max_age: float | None
    cancel: threading.Event
    limits: FetchLimits  # fetch.max_guide_mb caps the download and what it unpacks to
    accounts: tuple[tuple[str, ShortEpg], ...] = ()  # the accounts whose short EPG fills what no guide covers


class GuideService(QObject):
    """The only owner of guide ingest: after each playlist load, on the playlist's refresh interval, on "refresh
    now" and after a manual mapping. Uses the guide settings (window, languages, offsets) and the fetcher's cache
    (a failing source falls back to its saved copy, reported as stale).

    ``refresh(channels, sources)`` fetches and ingests every source on a worker thread; a call while busy is
    remembered and runs when the current one ends (a new playlist cancels the run for the old one).
    Signals: ``progress(str, int, int)`` (text, done, total), ``finished`` with a :class:`GuideRun` (not for a
    cancelled run), ``changed`` after new data or offsets (views query again), ``problem(str)`` with a
    user-readable failure or stale notice for the status area.
    ``clear_now_next`` is called after every change so cached now/next answers go.
    """

    progress = pyqtSignal(str, int, int)
    finished = pyqtSignal(object)
    changed = pyqtSignal()
    problem = pyqtSignal(str)
    _ran = pyqtSignal(object)  # worker -> GUI thread

    def __init__(self, store: GuideStore, settings: Settings, state: StateStore, *,
                 clear_now_next: Callable[[], None] = lambda: None, fetcher: Callable[..., Any] = fetch,
                 extra_sources: Sequence[str] = (), parent: QObject | None = None,
                 short_epg_accounts: Callable[[], Sequence[tuple[str, ShortEpg]]] | None = None) -> None:
        super().__init__(parent)
        # the provider accounts shown (live prefix, get_short_epg): their channels no guide covers ask the account
        self.short_epg_accounts = short_epg_accounts
        self.store = store
        self.settings = settings
        self.state = state
        self.clear_now_next = clear_now_next
        self.fetcher = fetcher
        self.extra_sources = tuple(extra_sources)  # ``--epg`` of this run
        self.interval_s = DEFAULT_INTERVAL_S
        self.busy = False
        self.activity = ""  # the latest progress in words while busy ("Guide 1/2 (host/…): reading 40 %")
        self.failures = 0  # consecutive runs with a failed source, for the retry backoff
        self.last: GuideRun | None = None
        self.channels: tuple[Channel, ...] = ()
        self.sources: tuple[str, ...] = ()
        self._pending: tuple[tuple[Channel, ...], tuple[str, ...], float | None] | None = None
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None
        self._closed = False
        self.changed.connect(self.clear_now_next)
        self._ran.connect(self._after_run)
        self.progress.connect(self._note_progress)
        self.apply_offsets()
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._scheduled)

    def apply_offsets(self) -> None:
        """Take the global and per-channel offsets from the settings (no re-reading needed)."""
        self.store.offset = round(self.settings.get_float("guide.offset_hours") * 3600)
        self.store.offsets = channel_offsets(self.settings)
        self.changed.emit()

    def sources_for(self, playlist_epg: Sequence[str]) -> tuple[str, ...]:
        """The playlist's own guides, then ``--epg``, then the extra ``guide.sources``."""
        return tuple(dict.fromkeys([*playlist_epg, *self.extra_sources, *self.settings.get_list("guide.sources")]))

    def playlist_loaded(self, channels: Sequence[Channel], playlist_epg: Sequence[str], refresh_hours: float) -> bool:
        """A playlist (re)loaded: read its guides, reusing copies younger than its refresh interval.

        refresh_hours: the playlist's refresh interval, which the guide follows (0: only on demand).
        """
        self.interval_s = max(0.0, refresh_hours * HOUR)
        if self.busy:
            self._cancel.set()  # the run for the old channels is of no use now
        sources = self.sources_for(playlist_epg)
        if self.store.keep_sources(sources):  # another playlist's guides no longer belong to what is shown
            self.changed.emit()
        return self.refresh(channels, sources, max_age=self.interval_s or None)

    def refresh(self, channels: Sequence[Channel], sources: Sequence[str], *, max_age: float | None = None) -> bool:
        """Fetch and ingest ``sources`` for ``channels`` in the background; False when nothing started now.

        max_age: a saved copy younger than this many seconds is read without asking the server (None: ask).
        """
        self.channels, self.sources = tuple(channels), tuple(sources)
        if self._closed or not sources or not channels:
            return False
        if self.busy:
            self._pending = (self.channels, self.sources, max_age)
            return False
        self.busy = True
        self.timer.stop()
        self._cancel = threading.Event()
        job = _Job(
            self.channels, self.sources, self.state.guide_mappings(),
            (self.settings.get_int("guide.past_days") * DAY, self.settings.get_int("guide.future_days") * DAY),
            tuple(preferred_languages(self.settings.get_list("guide.languages"))), max_age, self._cancel,
            limits_from("guide", self.settings),
            tuple(self.short_epg_accounts()) if self.short_epg_accounts is not None else (),
        )  # fmt: skip
        self._thread = threading.Thread(target=self._run, args=(job,), name="guide-refresh", daemon=True)
        self._thread.start()
        return True

    def reread(self) -> bool:
        """Read the current sources again (after a guide setting changed); saved copies within the interval do."""
        return self.refresh(self.channels, self.sources, max_age=self.interval_s or None)

    def shutdown(self) -> None:
        self._closed = True
        self._pending = None
        self._cancel.set()
        self.timer.stop()
        thread = self._thread
        if thread is not None:
            thread.join(10)

    # -- worker ------------------------------------------------------------------------------------------------
    def _run(self, job: _Job) -> None:
        channels, sources, cancel = job.channels, job.sources, job.cancel
        total, ok = 0, 0
        failures: list[str] = []
        stale: list[str] = []
        report: MatchReport | None = None
        try:
            for number, source in enumerate(sources, 1):
                if cancel.is_set():
                    break
                name = display_source(source)
                label = _("Guide {number}/{count} ({name})").format(number=number, count=len(sources), name=name)

                def fetched(done: int, size: int | None, label: str = label) -> None:
                    self.progress.emit(_("{label}: downloading").format(label=label), done, size or 0)

                def stored(done: int, size: int, label: str = label) -> None:
                    self.progress.emit(_("{label}: reading").format(label=label), done, size)

                try:
                    result = self.fetcher(source, kind="guide", limits=job.limits, cancel=cancel, progress=fetched,
                                          max_age=job.max_age)
                    if getattr(result, "stale", False):
                        stale.append(f"{name}: {redact(result.stale_reason)}")
                    ingest = self.store.ingest(
                        source, result.path, channels, mappings=job.mappings, window=job.window,
                        languages=job.languages, max_bytes=job.limits.max_bytes,
                        display=name, progress=stored, cancel=cancel,
                    )
                except (IngestCancelled, FetchError, GuideError) as exc:
                    if cancel.is_set():
                        break
                    message = redact(str(exc))
                    failures.append(message if name in message else f"{name}: {message}")
                    continue
                except Exception as exc:  # keep the app alive whatever one guide does
                    log.warning("guide %s failed: %s", name, redact(str(exc)))
                    failures.append(f"{name}: {redact(str(exc))}")
                    continue
                ok += 1
                total += ingest.programmes
                report = ingest.report
                self.changed.emit()
            total += self._short_epg(job)
        finally:
            self.store.close()  # this thread's connection
            self._ran.emit(GuideRun(total, ok, tuple(failures), report, tuple(stale), cancel.is_set()))

    def _short_epg(self, job: _Job) -> int:
        """The accounts' ``get_short_epg`` for their channels that no guide covers now (worker thread); returns
        the programmes stored."""
        accounts = job.accounts
        if not accounts or job.cancel.is_set():
            return 0
        now_next = self.store.now_next([c.key for c in job.channels], time.time())
        lacking = [c for c in job.channels if now_next.get(c.key, (None, None)) == (None, None)]
        data = fallback_guide(accounts, lacking, cancel=job.cancel)
        if data is None or job.cancel.is_set():
            return 0
        try:
            ingest = self.store.ingest(SHORT_EPG_SOURCE, io.BytesIO(data), job.channels, mappings=job.mappings,
                                       window=job.window, languages=job.languages, display=_("provider's short guide"))
        except (IngestCancelled, GuideError) as exc:
            log.info("short EPG not stored: %s", redact(str(exc)))
            return 0
        self.changed.emit()
        return ingest.programmes

    # -- GUI thread --------------------------------------------------------------------------------------------
    def _note_progress(self, text: str, done: int, total: int) -> None:
        self.activity = f"{text} {100 * min(done, total) // total} %" if total > 0 else text

    def _after_run(self, run: GuideRun) -> None:
        self.busy = False
        self.activity = ""
        if self._closed:
            return
        pending, self._pending = self._pending, None
        if not run.cancelled:
            self.last = run
            self.failures = self.failures + 1 if run.failures else 0
            for text in run.failures:
                log.info("guide: %s", text)
            if run.failures:
                self.problem.emit(_("Guide: {problems}").format(problems="; ".join(run.failures)))
            elif run.stale:
                self.problem.emit(_("Guide could not be refreshed; showing the saved copy. {reason}").format(
                    reason="; ".join(run.stale)))
            self._schedule()
            self.finished.emit(run)
        if pending is not None:
            self.refresh(pending[0], pending[1], max_age=pending[2])

    def _schedule(self) -> None:
        """The next automatic refresh: the interval after a success, sooner (with backoff) after a failure."""
        if self.interval_s <= 0 and not self.failures:
            return
        delay = RefreshPolicy(interval_s=self.interval_s).retry_delay(self.failures)
        if delay > 0:
            self.timer.start(round(min(delay, MAX_TIMER_S) * 1000))

    def _scheduled(self) -> None:
        if self.channels and self.sources:
            self.refresh(self.channels, self.sources)
