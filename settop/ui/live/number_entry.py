"""Typing a channel number on live TV: digits and one "." shown in a box, tuned after a pause or on OK."""

from __future__ import annotations

from collections.abc import Callable

from PyQt6.QtCore import QObject, QTimer

from settop.ui.live.osd import AutoHide, NumberEntryBox

MAX_DIGITS = 5


class NumberEntry(QObject):
    """The digits typed so far, the box that shows them, and the pause after which they tune.

    find: the lineup index of a channel number, or None. name_of: the name of a lineup index.
    tune: called with the lineup index the number names when it is committed.
    continues: whether a longer channel number starts with the digits typed (then a missing number is not said
        until the pause ends: typing 101 never shows "No channel 10").
    """

    def __init__(self, interval_ms: int, find: Callable[[str], int | None], name_of: Callable[[int], str],
                 tune: Callable[[int], None], parent: QObject | None = None, *,
                 continues: Callable[[str], bool] = lambda _digits: False) -> None:
        super().__init__(parent)
        self._find = find
        self._continues = continues
        self._name_of = name_of
        self._tune = tune
        self.digits = ""
        self.box = NumberEntryBox()
        self.hider = AutoHide(self.box, 0)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.commit)

    def enter_digit(self, digit: int) -> None:
        if len(self.digits.replace(".", "")) >= MAX_DIGITS:
            self.digits = ""
        self.digits += str(digit)
        self._show()

    def enter_separator(self) -> None:
        """The "." between a channel number and its sub-number (5.1): once, after a digit."""
        if not self.digits or "." in self.digits:
            return
        self.digits += "."
        self._show()

    def _show(self) -> None:
        typed = self.digits.rstrip(".")
        index = self._find(typed)
        name = self._name_of(index) if index is not None else None
        if name is None and self._continues(self.digits):
            name = ""  # more digits may come: no "No channel" yet
        self.box.show_entry(self.digits, name)
        self.hider.poke(0)
        self.timer.start()

    def commit(self) -> None:
        """Tune the number typed so far (or say there is no such channel)."""
        digits, self.digits = self.digits.rstrip("."), ""
        self.timer.stop()
        if not digits:
            return
        index = self._find(digits)
        if index is None:
            self.box.show_entry(digits, None)
            self.hider.poke(1.5)
            return
        self.hider.hide()
        self._tune(index)

    def cancel(self) -> None:
        self.digits = ""
        self.timer.stop()
        self.hider.hide()
