"""Hooks the guide, catch-up, settings and parental lock into a built app (called from ``settop.app.build``)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from settop.core.guide.store import GuideStore
from settop.core.models import Channel
from settop.core.state.settings import Settings
from settop.core.state.store import StateStore
from settop.i18n import _, preferred_languages
from settop.ui.guide.catchup_view import CatchupScreen, guide_shift
from settop.ui.guide.grid import GuideGridScreen
from settop.ui.guide.matching import GuideMatching
from settop.ui.guide.service import GuideService
from settop.ui.i18n_qt import apply_digits_setting, apply_language_setting
from settop.ui.mainwindow import MainWindow
from settop.ui.settings.pages import SettingsEnv, build_settings
from settop.ui.settings.screen import SettingsScreen
from settop.ui.widgets.pin import Parental

log = logging.getLogger("settop.ui.guide")


def make_service(store: GuideStore, settings: Settings, state: StateStore, window: MainWindow,
                 clear_now_next: Any = None) -> GuideService:
    return GuideService(store, settings, state, clear_now_next=clear_now_next or (lambda: None), parent=window)


@dataclass
class GuideHooks:
    """What ``install`` wired, for tests and benchmarks."""

    service: GuideService | None
    grid: GuideGridScreen | None
    catchup: CatchupScreen
    parental: Parental
    env: SettingsEnv
    matching: GuideMatching
    settings_screen: SettingsScreen | None = None

    def open_settings(self) -> SettingsScreen:
        window = self.env.window
        if self.settings_screen is not None and window.has(self.settings_screen):
            return self.settings_screen
        screen = build_settings(self.env)
        screen.close_requested.connect(lambda: window.pop(screen))
        self.settings_screen = screen
        window.push(screen)
        return screen

    def open_guide(self) -> None:
        if self.grid is None:
            self.env.window.notify(_("No guide yet: add a guide source in Menu › Guide sources"), 4)
            return
        if not self.env.window.has(self.grid):
            self.grid.open()
        if self.service is not None and self.service.busy:  # say why the grid may still be filling
            self.env.window.notify(self.service.activity or _("Reading the guide…"), 3)


def language_changed(app: Any, value: object) -> None:
    """``ui.language`` changed: the interface switches at once; audio tracks follow it from the next tune when
    ``playback.audio_languages`` is empty (the guide's languages follow it at the next guide refresh)."""
    apply_language_setting(value)
    if hasattr(app.player, "audio_languages"):
        app.player.audio_languages = tuple(preferred_languages(app.settings.get_list("playback.audio_languages")))


def install(app: Any, events: Any, store: GuideStore | None = None) -> GuideHooks:
    """Wire Guide (grid), Menu (settings), catch-up and the parental gate into ``app``.

    store: the guide store; by default the one behind the live screen's now/next source (``wire_guide``), whose
    ``GuideService`` (``app.guide``) is then used.
    """
    window, live, shell, settings = app.window, app.live, app.shell, app.settings
    source = live.now_next
    service: GuideService | None = getattr(app, "guide", None) if store is None else None
    store = service.store if service is not None else store if store is not None else getattr(source, "store", None)
    if service is None and store is not None:
        service = make_service(store, settings, app.state, window, getattr(source, "clear", None))
        app.closers.append(service.shutdown)

    def shift(channel: Channel) -> int:
        if store is None:
            return round(channel.tvg_shift * 3600)
        return guide_shift(channel, store.offset, store.offsets)

    catchup = CatchupScreen(live, shift)
    events.event.connect(catchup.on_player_event)
    parental = Parental(settings, window)
    live.tune_gate = parental.gate
    live.channel_list.group_locked = parental.is_group_locked
    live.channel_list.group_gate = parental.gate_group

    grid: GuideGridScreen | None = None
    if service is not None and store is not None:
        grid = GuideGridScreen(live, store.programmes, settings, catchup_available=catchup.available,
                               start_catchup=catchup.start)
        service.changed.connect(grid.invalidate)
    if service is not None:
        service.changed.connect(live.guide_updated)
        service.problem.connect(lambda text: window.notify(text, 6))

    def reread() -> None:
        if service is not None:
            service.reread()

    env = SettingsEnv(settings=settings, window=window, live=live, shell=shell, guide=service, parental=parental,
                      keymap=app.keymap)
    matching = GuideMatching(env, app.state)
    env.open_matching = matching.open
    env.applied.update({
        "playback.aspect": lambda v: app.player.set_aspect_ratio("" if v == "auto" else v),
        "playback.deinterlace": lambda v: app.player.set_deinterlace("yadif" if v == "on" else ""),
        "live.osd_seconds": lambda v: setattr(live.banner_hider, "seconds", float(v)),
        "ui.language": lambda v: language_changed(app, v),
        "ui.digits": apply_digits_setting,
        "live.number_entry_ms": lambda v: live.numbers.timer.setInterval(int(v)),
        "guide.offset_hours": lambda _v: service.apply_offsets() if service is not None else None,
        "guide.channel_offsets": lambda _v: service.apply_offsets() if service is not None else None,
        **dict.fromkeys(("guide.past_days", "guide.future_days", "guide.languages"), lambda _v: reread()),
        "ui.hidden_groups": lambda _v: setattr(live, "zap_order", live.channel_list.visible_all()),
        "parental.locked_groups": lambda _v: parental.changed(),
        "parental.locked_channels": lambda _v: parental.changed(),
    })
    hooks = GuideHooks(service, grid, catchup, parental, env, matching)
    window.extra_actions.setdefault("guide", hooks.open_guide)
    window.extra_actions.setdefault("menu", hooks.open_settings)
    return hooks
