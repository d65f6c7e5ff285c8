"""The process-wide tricks in settop.core.runtime leave the interpreter as they found it, and do what they say."""

from __future__ import annotations

import gc
import math
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest

from settop.core import runtime


def interpreter() -> tuple[bool, float, int]:
    """What a load must leave as it found it: collector on/off, GIL switch interval, frozen objects."""
    return gc.isenabled(), sys.getswitchinterval(), gc.get_freeze_count()


@pytest.fixture(params=[True, False], ids=["collector-on", "collector-off"])
def collector(request: pytest.FixtureRequest) -> Iterator[bool]:
    was = gc.isenabled()
    if request.param:
        gc.enable()
    else:
        gc.disable()
    yield request.param
    if was:
        gc.enable()
    else:
        gc.disable()


def test_bulk_load_leaves_the_interpreter_as_found(collector: bool) -> None:
    before = interpreter()
    with runtime.bulk_load():
        assert not gc.isenabled()
        assert math.isclose(sys.getswitchinterval(), min(before[1], runtime.PARSE_SWITCH_INTERVAL_S))
        built = [object() for _ in range(1000)]
    assert interpreter() == before
    assert built


def test_new_objects_go_to_the_oldest_generation_unfrozen() -> None:
    class Marker:
        pass

    with runtime.bulk_load():
        made = [Marker() for _ in range(100)]
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    assert all(id(m) in oldest for m in made)
    assert gc.get_freeze_count() == 0
    assert gc.get_count()[0] < 100  # the young generation starts empty again: no pass over the new objects


def test_someone_elses_freeze_is_not_thawed() -> None:
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assert frozen > 0
        with runtime.bulk_load():
            pass
        assert gc.get_freeze_count() == frozen
        assert not runtime.promote_to_oldest()
    finally:
        gc.unfreeze()


@pytest.mark.parametrize("depth", [1, 2, 3], ids=["single", "nested", "three-deep"])
def test_nested_users_restore_at_the_last_exit(depth: int) -> None:
    before = interpreter()

    def enter(level: int) -> None:
        with runtime.bulk_load():
            assert math.isclose(sys.getswitchinterval(), min(before[1], runtime.PARSE_SWITCH_INTERVAL_S))
            assert not gc.isenabled()
            if level > 1:
                enter(level - 1)
            assert not gc.isenabled()  # an inner exit does not switch the collector back on early

    enter(depth)
    assert interpreter() == before


def test_overlapping_loads_on_two_threads_restore_what_the_first_found() -> None:
    before = interpreter()
    inside, release = threading.Event(), threading.Event()

    def other() -> None:
        with runtime.bulk_load():
            inside.set()
            release.wait(5)

    thread = threading.Thread(target=other)
    thread.start()
    assert inside.wait(5)
    with runtime.bulk_load():
        release.set()
        thread.join(5)
        assert not gc.isenabled()
        assert math.isclose(sys.getswitchinterval(), min(before[1], runtime.PARSE_SWITCH_INTERVAL_S))
    assert interpreter() == before


TRIM_PROBE = """
import sys
from settop.core import runtime
def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
blocks = [bytes(4000) for _ in range(20000)]  # 80 MB of malloc'd blocks
keep = blocks[::64]  # survivors all over the heap: free() alone cannot shrink it
del blocks
before = rss()
print(runtime.trim_heap(), before - rss())
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="malloc_trim is glibc's")
def test_trim_heap_hands_free_pages_back() -> None:
    """After freeing 80 MB between survivors, free() keeps the pages; trim_heap gives most of them back."""
    done = subprocess.run([sys.executable, "-c", TRIM_PROBE], capture_output=True, text=True, timeout=60,
                          check=True)
    trimmed, released_mib = done.stdout.split()
    assert trimmed == "True"
    assert float(released_mib) > 40
