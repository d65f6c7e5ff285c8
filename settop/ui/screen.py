"""What every screen offers the dispatcher: a keymap context and a table of the actions it handles."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from PyQt6.QtCore import QRect
from PyQt6.QtWidgets import QWidget

from settop.input.buttons import NUMBER_ACTIONS, Action, Context
from settop.ui.widgets.hints import Hint
from settop.ui.widgets.theme import Theme

HintMaker = Callable[[Context, Sequence[Hint]], str]
"""Makes a key hint line for a context from the active keymap (``MainWindow.hint_line``)."""

ActionTable = Mapping[Action, Callable[[], object]]
"""A screen's handled actions: each action it uses and what it does (the return value is ignored)."""

DIGITS: dict[Action, int] = {action: digit for digit, action in enumerate(NUMBER_ACTIONS)}
"""``number_0`` .. ``number_9`` and their digits."""

WINDOW_ACTIONS = frozenset({Action.volume_up, Action.volume_down, Action.mute, Action.fullscreen, Action.quit})
"""What a modal screen still lets through to the live screen and the window below it."""


def run_action(table: ActionTable, action: Action) -> bool:
    """Run ``action``'s handler from ``table``; False when the table has none."""
    handler = table.get(action)
    if handler is None:
        return False
    handler()
    return True


class Screen:
    """Mixed into a panel (or a controller owning several panels) that takes part in the screen stack.

    context: the keymap context (``live``, ``channel_list``, ``guide``, ``settings``, ``dialog``).
    handle_action: gets an :class:`Action` and returns True when it used it; otherwise the screen below gets it,
        and finally the window (volume, full screen, quit). Screens keep their handled actions in a table
        (:data:`ActionTable`) and look the action up in it.
    accepts_text / handle_text: screens with a text field take typed characters ("\\b" erases, "\\n" accepts).
    hints / show_hint / make_hints: the screen's key hint as :class:`Hint` items; the window makes the line from
        the active keymap (only keys that do it here) and hands it to ``show_hint`` when the screen opens or the
        language changes (``make_hints`` gets the maker itself, for screens with more than one line).
    geometry_for: where each own panel goes in a window of ``rect`` (window coordinates) with ``theme``; the
        window places them through the overlay host (child widgets or top-level overlay windows).
    """

    context: Context = Context.live
    covers_video: bool = False  # a full-screen screen hides what is under it
    modal: bool = True  # False: a notice that lets the screen below go on (keys, banner) while it shows
    hints: Sequence[Hint] = ()

    def make_hints(self, make: HintMaker) -> None:
        """The window hands over how hint lines are made (from the active keymap) when the screen opens and when
        the language changes; by default the line for ``hints`` goes to ``show_hint``."""
        self.show_hint(make(self.context, self.hints))

    def show_hint(self, text: str) -> None:
        """The hint line for ``hints``, made from the active keymap."""

    def handle_action(self, action: Action) -> bool:
        return False

    def accepts_text(self) -> bool:
        return False

    def handle_text(self, text: str) -> bool:
        return False

    def geometry_for(self, rect: QRect, theme: Theme) -> list[tuple[QWidget, QRect]]:
        """Panel rectangles; called on open and on every resize."""
        return []

    def opened(self) -> None:
        """Called when pushed on the stack (after layout)."""

    def closed(self) -> None:
        """Called when removed from the stack."""

    def covered(self) -> None:
        """Called when another screen opens above this one."""

    def uncovered(self) -> None:
        """Called when the screens above this one closed: it is on top again."""
