"""What every screen offers the dispatcher: a keymap context and a handler for named actions."""

from __future__ import annotations

from PyQt6.QtCore import QRect
from PyQt6.QtWidgets import QWidget

from settop.ui.widgets.theme import Theme


class Screen:
    """Mixed into a panel (or a controller owning several panels) that takes part in the screen stack.

    context: the keymap context (``live``, ``channel_list``, ``guide``, ``settings``, ``dialog``).
    handle_action: gets an action name (``"select"``, ``"channel_up"``, ...) and returns True when it used it;
        otherwise the screen below gets it, and finally the window (volume, full screen, quit).
    accepts_text / handle_text: screens with a text field take typed characters ("\\b" erases, "\\n" accepts).
    geometry_for: where each own panel goes in a window of ``rect`` (window coordinates) with ``theme``; the
        window places them through the overlay host (child widgets or top-level overlay windows).
    """

    context: str = "live"
    covers_video: bool = False  # a full-screen screen hides what is under it

    def handle_action(self, action: str) -> bool:
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
