"""The probing engine of `settop check`: a bounded window of daemon workers, reports in playlist order, Ctrl-C safe.

Memory stays bounded whatever the playlist's size: at most ``window`` probes are queued or running, finished reports
wait only until the earlier ones are done, and the results kept for duplicate addresses are capped. Ctrl-C sets an
event (the handler never raises inside a lock), probes in flight are cancelled, and the workers are daemon threads,
so the process ends at once.
"""

from __future__ import annotations

import queue
import signal
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from settop.core.models import Channel
from settop.core.net.hls import ProbeResult, probe

Key = tuple[str, tuple[tuple[str, str], ...]]
RECENT = 4096
"""Results kept for addresses listed again later (the same stream listed twice is probed once)."""
POLL_S = 0.1


@contextmanager
def interrupt_flag() -> Iterator[threading.Event]:
    """An event that Ctrl-C (SIGINT) sets instead of raising, while in the main thread; restored after."""
    event = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield event
        return

    def handler(_signum: int, _frame: Any) -> None:
        event.set()

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield event
    finally:
        signal.signal(signal.SIGINT, previous)


class ProbePool:
    """Probe ``channels`` (``total`` of them, read as needed) with ``parallel`` workers; :meth:`results` yields
    (index, channel, result) in playlist order."""

    def __init__(self, channels: Iterable[Channel], *, total: int, parallel: int, timeout: float,
                 interrupted: threading.Event, prober: Callable[..., ProbeResult] = probe) -> None:
        self.channels = iter(channels)
        self.total = total
        self.timeout = timeout
        self.interrupted = interrupted
        self.cancel = threading.Event()
        self.window = parallel * 4 + 32
        self._prober = prober
        self._jobs: queue.Queue[Key | None] = queue.Queue()
        self._done: queue.Queue[tuple[Key, ProbeResult]] = queue.Queue()
        self._workers = [threading.Thread(target=self._work, name=f"settop-check-{n}", daemon=True)
                         for n in range(parallel)]
        for worker in self._workers:
            worker.start()

    def _work(self) -> None:
        while True:
            key = self._jobs.get()
            if key is None:
                return
            if self.cancel.is_set():
                continue
            url, headers = key
            try:
                result = self._prober(url, timeout=self.timeout, headers=dict(headers), cancel=self.cancel)
            except Exception as exc:  # a probe never raises for stream problems; this is a bug, said as one
                result = ProbeResult("error", reason=f"probe failed: {type(exc).__name__}", error_kind="other")
            self._done.put((key, result))

    def results(self) -> Iterator[tuple[int, Channel, ProbeResult]]:
        """(1-based index, channel, result) in order; stops early when interrupted."""
        waiting: dict[Key, list[int]] = {}  # in flight -> the indexes that wait for it
        recent: OrderedDict[Key, ProbeResult] = OrderedDict()
        window: dict[int, Channel] = {}  # read from the playlist, not yet reported
        ready: dict[int, ProbeResult] = {}
        submitted = 0  # the channels read so far are submitted or answered
        next_out = 0
        exhausted = False
        try:
            while True:
                while not exhausted and submitted < next_out + self.window:
                    channel = next(self.channels, None)
                    if channel is None:
                        exhausted = True
                        break
                    window[submitted] = channel
                    key = (channel.url, channel.headers)
                    if key in recent:
                        ready[submitted] = recent[key]
                    elif key in waiting:
                        waiting[key].append(submitted)
                    else:
                        waiting[key] = [submitted]
                        self._jobs.put(key)
                    submitted += 1
                while next_out in ready:
                    yield next_out + 1, window.pop(next_out), ready.pop(next_out)
                    next_out += 1
                if exhausted and next_out >= submitted:
                    return
                if self.interrupted.is_set():
                    for index in sorted(ready):  # what finished after the one still running
                        yield index + 1, window[index], ready[index]
                    return
                try:
                    key, result = self._done.get(timeout=POLL_S)
                except queue.Empty:
                    continue
                for index in waiting.pop(key, ()):
                    ready[index] = result
                recent[key] = result
                if len(recent) > RECENT:
                    recent.popitem(last=False)
        finally:
            self.close()

    def close(self) -> None:
        """Cancel what is in flight and let the workers go (they are daemons: nothing waits for them)."""
        self.cancel.set()
        for _ in self._workers:
            self._jobs.put(None)
