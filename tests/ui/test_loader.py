"""Loader helpers: the parse-time GIL switch interval always comes back, and the heap trim is safe to call."""

from __future__ import annotations

import math
import sys
import threading

import pytest

from settop.ui import loader


@pytest.mark.parametrize("depth", [1, 2, 3], ids=["single", "nested", "three-deep"])
def test_quick_switches_restore_the_interval(depth: int) -> None:
    before = sys.getswitchinterval()

    def enter(level: int) -> None:
        with loader._quick_switches():
            assert math.isclose(sys.getswitchinterval(), min(before, loader.PARSE_SWITCH_INTERVAL_S))
            if level > 1:
                enter(level - 1)

    enter(depth)
    assert sys.getswitchinterval() == before


def test_overlapping_loads_on_two_threads_restore_the_interval() -> None:
    before = sys.getswitchinterval()
    inside, release = threading.Event(), threading.Event()

    def other() -> None:
        with loader._quick_switches():
            inside.set()
            release.wait(5)

    thread = threading.Thread(target=other)
    thread.start()
    assert inside.wait(5)
    with loader._quick_switches():
        release.set()
        thread.join(5)
        assert math.isclose(sys.getswitchinterval(), min(before, loader.PARSE_SWITCH_INTERVAL_S))
    assert sys.getswitchinterval() == before


def test_trim_heap_is_safe() -> None:
    loader.trim_heap()  # glibc: malloc_trim(0); elsewhere nothing
