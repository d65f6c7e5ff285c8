"""A live-lineup address that turns out to be a film (a finished HLS playlist) plays as on-demand: the seek bar and
its keys, and the end of the video is an end, not a reconnect.

Found at the first picture from what the zap cache saw of the playlist libVLC fetched through it (``#EXT-X-ENDLIST``,
itself or behind a master playlist): no extra request, nothing on the GUI thread but a dictionary look-up, and the
stream goes on playing (``Player.continue_on_demand``) rather than starting again.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from settop.core.redact import redact
from settop.i18n import _
from settop.input.buttons import Action
from settop.player.base import PlayerEvent
from settop.ui.library.playback import VodItem, VodScreen

if TYPE_CHECKING:
    from settop.ui.live.screen import LiveScreen

log = logging.getLogger("settop.ui.live.screen")

PASSED = frozenset({Action.channel_up, Action.channel_down, Action.last_channel, Action.guide, Action.menu})
"""Keys the bar leaves to live TV and the screens it opens: the viewer is still in the channel lineup."""


class LiveVodScreen(VodScreen):
    """The on-demand seek bar over a live-lineup entry that plays as on demand; zapping keys go on to live TV."""

    def attach(self, item: VodItem) -> None:
        """Show the bar over ``item``, which the player already plays (nothing starts again)."""
        self.item = item
        self.tracker = None  # an entry of the live lineup keeps no resume point
        self.ended = False
        self.follow()
        self.poke()

    def let_go(self) -> None:
        """Forget the entry without stopping the player (the viewer tuned to something else)."""
        self.unfollow()
        self.item = None

    def handle_action(self, action: Action) -> bool:
        return action not in PASSED and super().handle_action(action)


def check(live: LiveScreen) -> None:
    """At the first picture: a channel whose playlist turned out to be finished continues as on demand."""
    cache, url, request = live.zap_cache, live.playing_url, live.player.request
    if cache is not None and url and request is not None and request.live and cache.finished(url):
        live.player.continue_on_demand()


def start(live: LiveScreen, event: PlayerEvent) -> None:
    """The player plays the channel on screen as on demand now: the seek bar comes up over live TV."""
    channel, request = live.current_channel(), event.request
    if channel is None or request is None:
        return
    log.info("%s is a finished playlist: played as on demand", redact(channel.name))
    live.status.clear()
    live.banner_hider.hide()
    live.vod.attach(VodItem(key=channel.key, name=channel.name, url=request.url, headers=request.headers))
    if not live.window.has(live.vod):
        live.window.push(live.vod)


def leave(live: LiveScreen) -> None:
    """Another channel is tuned: the bar goes, the player is left alone (it plays the new channel)."""
    if live.vod.item is not None or live.window.has(live.vod):
        live.vod.let_go()
        live.window.pop(live.vod)


def finished(live: LiveScreen) -> None:
    """Back or Stop on the bar, or the end of the video: live TV says so; OK plays the entry again."""
    ended = live.vod.ended
    live.window.pop(live.vod)
    live.has_picture = False
    live.status.show_status("ended", _("The end") if ended else _("Stopped"), live.hint_lines[1])
