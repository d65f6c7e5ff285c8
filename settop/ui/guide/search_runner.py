"""The guide search's worker: one search at a time off the GUI thread, only the latest text run again."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from PyQt6.QtCore import QObject, Qt, pyqtSignal

from settop.core.guide.search import SearchResults

log = logging.getLogger("settop.ui.guide")

Search = Callable[[str, float], SearchResults]


class SearchRunner(QObject):
    """Runs ``search(text, now)`` on one worker thread; ``finished(SearchResults)`` arrives on the GUI thread for
    the latest text only (texts typed while one runs are folded into the next run). ``empty(text)`` is the answer
    when the search fails (another kind of search gives its own)."""

    finished = pyqtSignal(object)
    _done = pyqtSignal(object)

    def __init__(self, search: Callable[[str, float], object], clock_fn: Callable[[], float],
                 parent: QObject | None = None, *, empty: Callable[[str], object] = SearchResults) -> None:
        super().__init__(parent)
        self.search = search
        self.empty = empty
        self.clock = clock_fn
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="settop-guide-search")
        self._pending: str | None = None
        self._busy = False
        self._done.connect(self._deliver, Qt.ConnectionType.QueuedConnection)  # type: ignore[call-arg]

    def request(self, text: str) -> None:
        self._pending = text
        if not self._busy:
            self._start()

    def _start(self) -> None:
        text, self._pending = self._pending or "", None
        self._busy = True
        self._pool.submit(self._run, text, self.clock())

    def _run(self, text: str, now: float) -> None:
        try:
            results = self.search(text, now)
        except Exception:  # a damaged guide file: no results, said in the log
            log.exception("guide search failed")
            results = self.empty(text)
        self._done.emit(results)

    def _deliver(self, results: SearchResults) -> None:
        self._busy = False
        if self._pending is not None:
            self._start()
            return
        self.finished.emit(results)

    def warm(self, prepare: Callable[[], object]) -> None:
        """Run ``prepare`` on the worker now, ahead of the first search (which then waits behind it)."""
        self._pool.submit(prepare)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
