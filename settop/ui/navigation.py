"""The full-screen screens the Guide and Menu keys open from anywhere: the guide grid and the settings."""

from __future__ import annotations

from collections.abc import Callable

from settop.i18n import _
from settop.input.buttons import Action
from settop.ui.guide.grid import GuideGridScreen
from settop.ui.guide.service import GuideService
from settop.ui.screen import ActionTable
from settop.ui.settings.pages import SettingsEnv, build_settings
from settop.ui.settings.screen import SettingsScreen


class Navigation:
    """Opens the guide grid (``grid`` is None without a guide store) and the settings built on ``env``."""

    def __init__(self, env: SettingsEnv, grid: GuideGridScreen | None, guide: GuideService | None,
                 record: Callable[[], object] | None = None) -> None:
        self.env = env
        self.record = record
        self.window = env.window
        self.grid = grid
        self.guide = guide
        self.settings_screen: SettingsScreen | None = None

    @property
    def actions(self) -> ActionTable:
        """The keys that reach these screens when nothing on screen used them."""
        table: dict[Action, Callable[[], object]] = {Action.guide: self.open_guide, Action.menu: self.open_settings}
        if self.record is not None:
            table[Action.record] = self.record  # bound in [live]: record the channel playing
        return table

    def open_settings(self) -> SettingsScreen:
        window = self.window
        if self.settings_screen is not None and window.has(self.settings_screen):
            return self.settings_screen
        screen = build_settings(self.env)
        screen.close_requested.connect(lambda: window.pop(screen))
        self.settings_screen = screen
        window.push(screen)
        return screen

    def open_guide(self) -> None:
        if self.grid is None:
            self.window.notify(_("No guide yet: add a guide source in Menu › Guide sources"), 4)
            return
        if not self.window.has(self.grid):
            self.grid.open()
        if self.guide is not None and self.guide.busy:  # say why the grid may still be filling
            self.window.notify(self.guide.activity or _("Reading the guide…"), 3)
