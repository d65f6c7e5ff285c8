"""The playback settings a player follows: read when it is made, applied at start, and re-applied when one changes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from settop.core.state.settings import Settings
from settop.player.base import Player


def aspect_value(setting: str) -> str:
    """``playback.aspect`` as the player takes it: ``auto`` is the source's own shape (``""``)."""
    return "" if setting == "auto" else setting


def player_options(settings: Settings) -> dict[str, Any]:
    """Keyword arguments of ``VlcPlayer`` that come from the settings."""
    return {
        "hw_decoding": settings.get_str("playback.hw_decoding"),
        "stall_seconds": settings.get_int("playback.stall_seconds"),
        "network_caching_ms": settings.get_int("playback.network_caching_ms"),
        "reconnect_attempts": settings.get_int("playback.reconnect_attempts"),
    }


def apply_at_start(player: Player, settings: Settings) -> None:
    """The picture settings a saved file holds, before the first channel plays (a saved 4:3 plays as 4:3)."""
    player.set_aspect_ratio(aspect_value(settings.get_str("playback.aspect")))
    deinterlace = settings.get_str("playback.deinterlace")
    if deinterlace != "auto":  # libVLC starts in automatic mode
        player.set_deinterlace(deinterlace)


def appliers(player: Player) -> dict[str, Callable[[Any], None]]:
    """What each playback setting does at once when the settings screen changes it."""
    return {
        "playback.aspect": lambda v: player.set_aspect_ratio(aspect_value(str(v))),
        "playback.deinterlace": lambda v: player.set_deinterlace(str(v)),
        "playback.network_caching_ms": lambda v: player.set_network_caching(int(v)),
        "playback.reconnect_attempts": lambda v: player.set_reconnect_attempts(int(v)),
    }
