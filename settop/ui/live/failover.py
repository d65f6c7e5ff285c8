"""Failover between the sources of a merged channel: which copy plays, the next one when it fails, the viewer's pick.

A channel of a merged lineup may come from several sources (:class:`~settop.core.sources.merge.Alternate`). The copy
that worked last is remembered by channel key and played first; when the playing copy fails for good (not found,
refused, or dropped beyond the reconnect policy: the player's ``error`` event) the next untried copy plays by itself
with a short notice. The viewer can pick a copy in the long-OK menu.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from settop.core.models import Channel
from settop.core.sources.merge import Alternate
from settop.i18n import _

if TYPE_CHECKING:
    from settop.ui.live.screen import LiveScreen

log = logging.getLogger("settop.ui.failover")


class Failover:
    """The copies of the playing channel and which of them were tried since the viewer tuned it."""

    def __init__(self, live: LiveScreen) -> None:
        self.live = live
        self.playing_key = ""  # the key of the copy playing now
        self.tried: set[str] = set()

    def choices(self, index: int | None = None) -> tuple[Alternate, ...]:
        """Every source's copy of lineup row ``index`` (default: the playing one); empty for a single source."""
        lineup, index = self.live.lineup, self.live.current if index is None else index
        if lineup is None or index is None:
            return ()
        return lineup.choices(index)

    def source_name(self, alternate: Alternate) -> str:
        lineup = self.live.lineup
        merged = lineup.merged if lineup is not None else None
        return merged.parts[alternate.part].name if merged is not None else ""

    def copy_for(self, index: int) -> Channel:
        """What to play for row ``index`` on a fresh tune: the copy that worked last, else the row's own."""
        assert self.live.lineup is not None
        row = self.live.lineup.channels[index]
        self.tried = set()
        choices = self.choices(index)
        preferred = self.live.state.preferred_copy(row.key) if len(choices) > 1 else None
        chosen = next((alt.channel for alt in choices if alt.channel.key == preferred), row)
        self.playing_key = chosen.key
        return chosen

    def after_error(self) -> bool:
        """The playing copy failed for good: play the next untried one and say so; False when none is left."""
        choices = self.choices()
        if len(choices) < 2:
            return False
        self.tried.add(self.playing_key)
        failed = next((alt for alt in choices if alt.channel.key == self.playing_key), choices[0])
        untried = [alt for alt in choices if alt.channel.key not in self.tried]
        if not untried:
            self.tried.clear()  # a Retry goes round all the copies again
            return False
        following = untried[0]
        log.info("copy from %s failed; trying %s", self.source_name(failed) or "?", self.source_name(following) or "?")
        self.live.window.notify(_("{failed} does not answer: playing from {source}").format(
            failed=self.source_name(failed), source=self.source_name(following)), 4)
        self._play(following)
        return True

    def worked(self) -> None:
        """The playing copy shows pictures: remember it for this channel."""
        channel = self.live.current_channel()
        if channel is not None and len(self.choices()) > 1 \
                and self.live.state.preferred_copy(channel.key) != self.playing_key:
            self.live.state.set_preferred_copy(channel.key, self.playing_key)

    def choose(self, alternate: Alternate) -> None:
        """The viewer picked this copy in the menu."""
        self.tried = set()
        self.live.window.notify(_("Playing from {source}").format(source=self.source_name(alternate)), 3)
        self._play(alternate)

    def _play(self, alternate: Alternate) -> None:
        index = self.live.current
        if index is None:
            return
        self.playing_key = alternate.channel.key
        self.live.play_copy(index, alternate.channel)
