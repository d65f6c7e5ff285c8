"""The guide for the issue-7 screens: re-reading sources with progress (refresh now, after a mapping), offsets."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PyQt6.QtCore import QObject, QTimer, pyqtSignal

from settop.core.fetch import FetchError, fetch
from settop.core.guide import GuideStore, IngestCancelled
from settop.core.guide_ingest import DAY
from settop.core.guide_match import MatchReport
from settop.core.models import Channel
from settop.core.redact import display_source, redact
from settop.core.settings import Settings
from settop.core.state import StateStore
from settop.core.xmltv import GuideError

log = logging.getLogger("settop.ui.guide")

TICK_MS = 30_000  # now/next rows and the banner repaint this often (cached answers expire at programme ends)


@dataclass(frozen=True, slots=True)
class GuideRun:
    """What one refresh of every source achieved."""

    programmes: int
    sources_ok: int
    failures: tuple[str, ...]
    report: MatchReport | None


def channel_offsets(settings: Settings) -> dict[str, int]:
    """``guide.channel_offsets`` entries ``KEY=HOURS`` as seconds by channel key (bad entries skipped)."""
    result: dict[str, int] = {}
    for entry in settings.get_list("guide.channel_offsets"):
        key, _, hours = entry.rpartition("=")
        try:
            result[key] = round(float(hours) * 3600)
        except ValueError:
            continue
    return result


class GuideService(QObject):
    """Owns the issue-7 use of the GuideStore.

    ``refresh(channels, sources)`` fetches and ingests every source on a worker thread (a call while busy only
    remembers the arguments). Signals: ``progress(str, int, int)`` (text, done, total), ``finished`` with a
    :class:`GuideRun`, ``changed`` after new data or offsets (views query again), ``tick`` every 30 s.
    ``clear_now_next`` is called after every change so cached now/next answers go.
    """

    progress = pyqtSignal(str, int, int)
    finished = pyqtSignal(object)
    changed = pyqtSignal()
    tick = pyqtSignal()

    def __init__(self, store: GuideStore, settings: Settings, state: StateStore, *,
                 clear_now_next: Callable[[], None] = lambda: None, fetcher: Callable[..., Any] = fetch,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.settings = settings
        self.state = state
        self.clear_now_next = clear_now_next
        self.fetcher = fetcher
        self.busy = False
        self.last: GuideRun | None = None
        self.channels: tuple[Channel, ...] = ()
        self.sources: tuple[str, ...] = ()
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None
        self.changed.connect(self.clear_now_next)
        self.apply_offsets()
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.tick)
        self.timer.start()

    def apply_offsets(self) -> None:
        """Take the global and per-channel offsets from the settings (no re-reading needed)."""
        self.store.offset = round(self.settings.get_float("guide.offset_hours") * 3600)
        self.store.offsets = channel_offsets(self.settings)
        self.changed.emit()

    def sources_for(self, playlist_epg: Sequence[str]) -> tuple[str, ...]:
        """The playlist's own guides followed by the extra ``guide.sources``."""
        return tuple(dict.fromkeys([*playlist_epg, *self.settings.get_list("guide.sources")]))

    def refresh(self, channels: Sequence[Channel], sources: Sequence[str]) -> bool:
        """Fetch and ingest ``sources`` for ``channels`` in the background; False when nothing started."""
        self.channels, self.sources = tuple(channels), tuple(sources)
        if self.busy or not sources or not channels:
            return False
        self.busy = True
        self._cancel = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(self.channels, self.sources, self._cancel),
                                        name="guide-refresh", daemon=True)
        self._thread.start()
        return True

    def shutdown(self) -> None:
        self._cancel.set()
        self.timer.stop()
        thread = self._thread
        if thread is not None:
            thread.join(10)

    def _run(self, channels: tuple[Channel, ...], sources: tuple[str, ...], cancel: threading.Event) -> None:
        total, ok = 0, 0
        failures: list[str] = []
        report: MatchReport | None = None
        window = (self.settings.get_int("guide.past_days") * DAY, self.settings.get_int("guide.future_days") * DAY)
        for number, source in enumerate(sources, 1):
            name = display_source(source)
            label = f"Guide {number}/{len(sources)} ({name})"

            def fetched(done: int, size: int | None, label: str = label) -> None:
                self.progress.emit(f"{label}: downloading", done, size or 0)

            def stored(done: int, size: int, label: str = label) -> None:
                self.progress.emit(f"{label}: reading", done, size)

            try:
                result = self.fetcher(source, kind="guide", cancel=cancel, progress=fetched)
                ingest = self.store.ingest(
                    source, result.path, channels, mappings=self.state.guide_mappings(), window=window,
                    languages=self.settings.get_list("guide.languages"), display=name, progress=stored,
                    cancel=cancel,
                )
            except (IngestCancelled, FetchError, GuideError) as exc:
                if cancel.is_set():
                    break
                failures.append(redact(str(exc)))
                continue
            except Exception as exc:  # keep the app alive whatever one guide does
                log.warning("guide %s failed: %s", name, redact(str(exc)))
                failures.append(f"{name}: {redact(str(exc))}")
                continue
            ok += 1
            total += ingest.programmes
            report = ingest.report
            self.changed.emit()
        self.store.close()
        run = GuideRun(total, ok, tuple(failures), report)
        self.last = run
        self.busy = False
        self.finished.emit(run)
