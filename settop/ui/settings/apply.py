"""What a changed setting does to the running app at once (the rest applies at the next start or refresh)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from settop.core.state.settings import Settings
from settop.i18n import preferred_languages
from settop.player.base import Player
from settop.player.tuning import appliers as player_appliers
from settop.ui.guide.service import GuideService
from settop.ui.i18n_qt import apply_digits_setting, apply_language_setting
from settop.ui.live.screen import LiveScreen
from settop.ui.widgets.pin import Parental

Appliers = dict[str, Callable[[Any], None]]


def appliers(settings: Settings, player: Player, live: LiveScreen, guide: GuideService | None,
             parental: Parental) -> Appliers:
    """Setting name -> what to do with its new value, for the settings pages."""

    def language(value: object) -> None:
        """The interface switches at once; audio tracks follow it from the next tune when
        ``playback.audio_languages`` is empty (the guide's languages follow it at the next guide refresh)."""
        apply_language_setting(value)
        player.set_audio_languages(preferred_languages(settings.get_list("playback.audio_languages")))

    def offsets(_value: object) -> None:
        if guide is not None:
            guide.apply_offsets()

    def reread(_value: object) -> None:
        if guide is not None:
            guide.reread()

    def hidden_groups(_value: object) -> None:
        live.zap_order = live.channel_list.visible_all()

    return {
        **player_appliers(player),
        "live.osd_seconds": lambda v: setattr(live.banner_hider, "seconds", float(v)),
        "ui.language": language,
        "ui.digits": apply_digits_setting,
        "live.number_entry_ms": lambda v: live.numbers.timer.setInterval(int(v)),
        "guide.offset_hours": offsets,
        "guide.channel_offsets": offsets,
        **dict.fromkeys(("guide.past_days", "guide.future_days", "guide.languages"), reread),
        "ui.hidden_groups": hidden_groups,
        "parental.locked_groups": lambda _v: parental.changed(),
        "parental.locked_channels": lambda _v: parental.changed(),
    }
