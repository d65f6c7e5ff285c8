"""Skips on the remote grow while a key is pressed again and again; digits jump to a percentage; never the end."""

from __future__ import annotations

import pytest

from settop.ui.library.seek import END_MARGIN_MS, SeekSteps, percent_target, target


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_steps_grow_while_pressed_and_start_again_after_a_pause() -> None:
    clock = Clock()
    steps = SeekSteps(clock)
    sizes = []
    for _ in range(10):
        sizes.append(steps.next(1))
        clock.now += 0.3
    assert sizes == [10_000] * 3 + [30_000] * 3 + [60_000] * 3 + [300_000]
    clock.now += 5
    assert steps.next(1) == 10_000
    assert steps.next(-1) == -10_000  # a change of direction starts again too


@pytest.mark.parametrize(("position", "delta", "length", "expected"), [
    (5_000, -10_000, 600_000, 0),
    (590_000, 30_000, 600_000, 600_000 - END_MARGIN_MS),
    (10_000, 30_000, 0, 40_000),
], ids=["not-before-start", "not-the-end", "unknown-length"])
def test_target(position: int, delta: int, length: int, expected: int) -> None:
    assert target(position, delta, length) == expected


@pytest.mark.parametrize(("digit", "expected"), [(0, 0), (5, 300_000), (9, 540_000)], ids=["0", "5", "9"])
def test_digits_are_tenths(digit: int, expected: int) -> None:
    assert percent_target(digit, 600_000) == expected
