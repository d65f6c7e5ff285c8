"""What every screen offers the dispatcher: a keymap context and a table of the actions it handles."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PyQt6.QtCore import QRect
from PyQt6.QtWidgets import QWidget

from settop.input.buttons import NUMBER_ACTIONS, Action, Context
from settop.ui.widgets.theme import Theme

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
    geometry_for: where each own panel goes in a window of ``rect`` (window coordinates) with ``theme``; the
        window places them through the overlay host (child widgets or top-level overlay windows).
    """

    context: Context = Context.live
    covers_video: bool = False  # a full-screen screen hides what is under it

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
