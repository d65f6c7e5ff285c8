"""Volume and mute from the remote: the player, the remembered level, and the panel that shows it for a moment."""

from __future__ import annotations

from settop.core.state.store import StateStore
from settop.player.base import Player
from settop.ui.live.osd import AutoHide, VolumePanel

VOLUME_STEP = 5
MAX_VOLUME = 200  # percent; libVLC amplifies above 100
SHOWN_S = 2.5


class VolumeControl:
    """Changes the player's volume and mute, remembers them in the state store and shows the volume panel."""

    def __init__(self, player: Player, state: StateStore) -> None:
        self.player = player
        self.state = state
        self.panel = VolumePanel()
        self.hider = AutoHide(self.panel, SHOWN_S)

    def change(self, delta: int) -> None:
        """Up or down by ``delta`` percent; turning it up unmutes."""
        volume = max(0, min(MAX_VOLUME, self.player.volume() + delta))
        self.player.set_volume(volume)
        if self.player.is_muted() and delta > 0:
            self.player.set_mute(False)
            self.state.set_muted(False)
        self.state.set_volume(volume)
        self.show()

    def toggle_mute(self) -> None:
        muted = not self.player.is_muted()
        self.player.set_mute(muted)
        self.state.set_muted(muted)
        self.show()

    def show(self) -> None:
        self.panel.show_volume(self.player.volume(), self.player.is_muted())
        self.hider.poke()
