"""Process-wide interpreter tuning for bulk loads: the cyclic collector, the GIL switch interval, the C heap.

Everything here changes the whole process, not one thread: the garbage collector's on/off switch and
generations, ``sys.setswitchinterval`` and glibc's heap are shared by the GUI thread, libVLC's callbacks and every
worker. So each change is made here and nowhere else, is undone when the last user leaves (overlapping loads on
two threads count users; the state found by the first comes back), and is measured (docs/performance.md):

- :func:`collector_paused`: building ~10 objects per channel makes the collector rescan the growing heap again and
  again (0.3 s of passes per 100,000 channels); reference counting still frees everything meanwhile.
- :func:`quick_switches`: while a worker parses, the GUI thread waits up to one switch interval for the GIL each
  time it calls into Python; at the default 5 ms one event-loop pass stalled 50-140 ms, at 0.2 ms ~20 ms.
- :func:`bulk_load`: both of the above, and on the way out the new objects skip the young generations: the
  collector would otherwise walk all of them (a million at 100,000 channels) in one C call holding the GIL as soon
  as it is back on, a ~50 ms stall. ``gc.freeze()`` followed at once by ``gc.unfreeze()`` moves every tracked object
  into the oldest generation in O(1). Nothing stays frozen: ``gc.freeze()`` is process-wide and cannot pick
  objects, so a lasting freeze would also freeze every GUI object alive at that moment (their reference cycles
  never collected). The oldest generation is walked only by a full collection, which CPython runs when the objects
  promoted since the last one exceed a quarter of the survivors, so the lineup costs one full pass at some later
  point instead of a stall per load. When something else froze objects before (``gc.get_freeze_count()``), the
  promotion is skipped rather than thaw what is not ours.
- :func:`trim_heap`: glibc keeps freed pages after a big free (10-25 MiB after a load); ``malloc_trim(0)`` hands
  them back (a ctypes call, so the GIL is released meanwhile).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import gc
import sys
import threading
from collections.abc import Callable, Iterator

PARSE_SWITCH_INTERVAL_S = 0.0002
"""The GIL switch interval while a worker parses (the default is 0.005 s): see :func:`quick_switches`."""


class _Shared:
    """A process-wide setting held by overlapping users: the first one in changes it, the last one out restores
    what the first one found."""

    def __init__(self, read: Callable[[], object], apply: Callable[[object], object],
                 restore: Callable[[object], object]) -> None:
        self._read, self._apply, self._restore = read, apply, restore
        self._lock = threading.Lock()
        self._users = 0
        self._found: object = None

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        with self._lock:
            if self._users == 0:
                self._found = self._read()
                self._apply(self._found)
            self._users += 1
        try:
            yield
        finally:
            with self._lock:
                self._users -= 1
                if self._users == 0:
                    self._restore(self._found)


def _restore_collector(was_enabled: object) -> None:
    if was_enabled:
        gc.enable()


def _quicker(found: object) -> None:
    assert isinstance(found, float)
    sys.setswitchinterval(min(found, PARSE_SWITCH_INTERVAL_S))


def _set_interval(found: object) -> None:
    assert isinstance(found, float)
    sys.setswitchinterval(found)


_collector = _Shared(gc.isenabled, lambda _found: gc.disable(), _restore_collector)
_switches = _Shared(sys.getswitchinterval, _quicker, _set_interval)
_promote_lock = threading.Lock()


def collector_paused() -> contextlib.AbstractContextManager[None]:
    """The cyclic garbage collector stays off inside the block (and comes back on only if it was on)."""
    return _collector.held()


def quick_switches() -> contextlib.AbstractContextManager[None]:
    """The GIL switch interval is at most :data:`PARSE_SWITCH_INTERVAL_S` inside the block."""
    return _switches.held()


def promote_to_oldest() -> bool:
    """Move every object the collector tracks into its oldest generation at once (no pass over them); False when
    objects were frozen by someone else, which this must not thaw."""
    with _promote_lock:
        if gc.get_freeze_count():
            return False
        gc.freeze()
        gc.unfreeze()
        return True


@contextlib.contextmanager
def bulk_load() -> Iterator[None]:
    """Build many long-lived objects: collector off, quick GIL switches, then the new objects straight into the
    oldest generation. The interpreter is left as it was found (collector state, switch interval, freeze count)."""
    with collector_paused(), quick_switches():
        yield
        promote_to_oldest()


def _libc_trim() -> Callable[[int], int] | None:
    name = ctypes.util.find_library("c") if sys.platform.startswith("linux") else None
    if not name:
        return None
    try:
        trim: Callable[[int], int] = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        return None
    return trim


_malloc_trim = _libc_trim()


def trim_heap() -> bool:
    """Hand the C heap's free pages back to the system; False where there is no ``malloc_trim`` (not glibc)."""
    if _malloc_trim is None:
        return False
    _malloc_trim(0)
    return True
