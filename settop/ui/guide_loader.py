"""Guide loading on a worker: fetch each XMLTV source and ingest it into the guide store, then refresh the OSD."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence

from PyQt6.QtCore import QObject, QRunnable, Qt, QThreadPool, pyqtSignal

from settop.core.models import Channel
from settop.core.redact import display_source, redact

log = logging.getLogger("settop.ui.guide")


class _Signals(QObject):
    done = pyqtSignal(int, str)  # ticket, "" or a user-readable problem


class _IngestTask(QRunnable):
    def __init__(self, ticket: int, store: object, urls: Sequence[str], channels: Sequence[Channel], *,
                 mappings: dict[str, str], signals: _Signals, cancel: threading.Event) -> None:
        super().__init__()
        self.ticket, self.store, self.urls, self.channels = ticket, store, urls, channels
        self.mappings, self.signals, self.cancel = mappings, signals, cancel

    def run(self) -> None:
        from settop.core.fetch import fetch

        problems: list[str] = []
        for url in self.urls:
            if self.cancel.is_set():
                return
            try:
                result = fetch(url, kind="guide", cancel=self.cancel, max_age=6 * 3600)
                self.store.ingest(url, result.path, self.channels, mappings=self.mappings,  # type: ignore[attr-defined]
                                  display=result.display, cancel=self.cancel)
            except Exception as exc:  # one bad guide must not stop the others
                problems.append(f"{display_source(url)}: {redact(str(exc))}")
        self.signals.done.emit(self.ticket, "; ".join(problems))


class GuideLoader(QObject):
    """Ingests guide sources for a playlist in the background; ``updated`` fires when new data is in.

    store: a ``GuideStore``; mappings: returns the manual channel -> guide mappings (``StateStore.guide_mappings``).
    Signals: ``updated()``, ``failed(str)``.
    """

    updated = pyqtSignal()
    failed = pyqtSignal(str)

    def __init__(self, store: object, mappings: Callable[[], dict[str, str]], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.mappings = mappings
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._signals = _Signals()
        self._signals.done.connect(self._done, Qt.ConnectionType.QueuedConnection)  # type: ignore[call-arg]
        self._ticket = 0
        self._cancel = threading.Event()

    def load(self, urls: Sequence[str], channels: Sequence[Channel]) -> None:
        self._cancel.set()
        if not urls:
            return
        self._ticket += 1
        self._cancel = threading.Event()
        self._pool.start(_IngestTask(self._ticket, self.store, list(dict.fromkeys(urls)), channels,
                                     mappings=self.mappings(), signals=self._signals, cancel=self._cancel))

    def _done(self, ticket: int, problem: str) -> None:
        if ticket != self._ticket:
            return
        if problem:
            log.warning("guide: %s", problem)
            self.failed.emit(problem)
        self.updated.emit()

    def shutdown(self) -> None:
        self._cancel.set()
        self._pool.waitForDone(5000)
