"""What the live screen says and does for each player event: picture up, buffering, reconnecting, errors, end."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from settop.i18n import _
from settop.player.base import PlayerEvent, PlayerState
from settop.ui.live import menus as live_menus
from settop.ui.live import ondemand

if TYPE_CHECKING:
    from settop.ui.live.screen import LiveScreen


def first_frame(live: LiveScreen, _event: PlayerEvent) -> None:
    live.failover.worked()
    live.has_picture = True
    live.fetch_ahead(after_s=0.0)  # the new channel is up: its neighbours' turn
    live.opening_timer.stop()
    live.status.clear()
    if live.banner.isVisible():
        live.show_banner()
    ondemand.check(live)  # a finished playlist (a film in the lineup) continues as on demand


def buffering(live: LiveScreen, event: PlayerEvent) -> None:
    if live.has_picture and event.percent < 100:
        live.status.show_status("buffering", _("Buffering {percent} %").format(percent=round(event.percent)))
    elif event.percent >= 100:
        live.status.clear("buffering")


def reconnecting(live: LiveScreen, event: PlayerEvent) -> None:
    live.has_picture = False
    live.status.show_status("reconnecting", _("Connection lost. Reconnecting {attempt}/{attempts}…").format(
                                attempt=event.attempt, attempts=event.attempts),
                            live.hint_lines[0])


def error(live: LiveScreen, event: PlayerEvent) -> None:
    if live.failover.after_error():
        return  # another source's copy of the channel plays now
    live.opening_timer.stop()
    live.has_picture = False
    live.clear_picture()  # not the frozen last picture of this channel, or of the one zapped away from
    hint = live.hint_lines[1 if event.retryable else 0]
    message = event.message or _("This channel cannot be played")
    if "retry_in_s" in event.extra:  # the player keeps trying slowly while the viewer stays on the channel
        message += " " + _("Trying again every {seconds} s.").format(seconds=event.extra["retry_in_s"])
    live.status.show_status("error", message, hint)


def ended(live: LiveScreen, _event: PlayerEvent) -> None:
    live.has_picture = False
    live.status.show_status("ended", _("The stream ended"), live.hint_lines[1])


def tracks(live: LiveScreen, _event: PlayerEvent) -> None:
    live_menus.apply_remembered_audio(live)
    if live.banner.isVisible():
        live.show_banner()


def state(live: LiveScreen, event: PlayerEvent) -> None:
    if event.state == PlayerState.PLAYING and live.status.kind == "reconnecting":
        live.status.clear("reconnecting")


HANDLERS: dict[str, Callable[[LiveScreen, PlayerEvent], None]] = {
    "first_frame": first_frame, "buffering": buffering, "reconnecting": reconnecting, "error": error,
    "ended": ended, "tracks": tracks, "state": state, "on_demand": ondemand.start,
}
"""Player event kind -> what the live screen does (other kinds are not shown)."""


def on_player_event(live: LiveScreen, event: PlayerEvent) -> None:
    """An event of the channel on screen (events of a channel zapped away from are dropped)."""
    request = event.request
    if request is not None and request.channel_key and request.channel_key != live.current_key():
        return
    handler = HANDLERS.get(event.kind)
    if handler is not None:
        handler(live, event)
    if live.vod.item is not None:  # the seek bar of an entry playing as on demand
        live.vod.on_player_event(event)
