"""Turns player listener calls, made on libVLC's and the player's threads, into Qt signals on the GUI thread."""

from __future__ import annotations

from PyQt6.QtCore import QObject, Qt, pyqtSignal

from settop.player.base import Player, PlayerEvent


class PlayerBridge(QObject):
    """Relays ``PlayerEvent``s to the GUI thread.

    Signals: ``event(PlayerEvent)``, always emitted on the thread this object lives in (the GUI thread). When a
    player is given, the bridge listens to it and drops events of a request the player no longer plays (a zap
    that happened while the event was queued), so a slot never sees an old channel's error after a new zap.
    """

    event = pyqtSignal(object)  # type: ignore[assignment]  # the agreed name; shadows QObject.event in Python only
    _relay = pyqtSignal(object)

    def __init__(self, player: Player | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._player = player
        self._relay.connect(self._deliver, Qt.ConnectionType.QueuedConnection)  # type: ignore[call-arg]
        if player is not None:
            player.add_listener(self.post)

    def post(self, event: PlayerEvent) -> None:
        """A player listener: safe to call from any thread."""
        self._relay.emit(event)

    def _deliver(self, event: PlayerEvent) -> None:
        player = self._player
        if player is not None and event.request is not None and event.request is not player.request:
            return
        self.event.emit(event)
