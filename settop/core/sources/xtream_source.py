"""The provider-account kind of source: a ``[[playlists]]`` entry with ``kind = "xtream"`` loaded through the
player API (live channels for the lineup, films and series for the library, the account's connection limit)."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from settop.core.sources.base import Progress, SourceContent
from settop.core.sources.m3u import ConfiguredSource
from settop.core.sources.xtream import XtreamClient, account_from_address
from settop.core.sources.xtream_models import Account


@dataclass(frozen=True, slots=True)
class XtreamSource(ConfiguredSource):
    """A provider account as a :class:`~settop.core.sources.base.Source`."""

    def account(self) -> Account:
        return account_from_address(self.config.source, self.config.username, self.config.password)

    def client(self, cancel: threading.Event | None = None) -> XtreamClient:
        """A player-API client of this account (with its insecure-TLS and User-Agent settings)."""
        return XtreamClient(self.account(), allow_insecure=self.config.allow_insecure,
                            user_agent=self.config.user_agent, cancel=cancel)

    def load(self, cancel: threading.Event | None = None, progress: Progress | None = None,
             known_key: str = "") -> SourceContent:
        """Log in, then read live channels, films and series; raises XtreamError (in words) when the account
        cannot be used. Each answer falls back to its last good copy when the server fails (marked stale)."""
        client = self.client(cancel)
        status = client.status(fresh=False)
        if progress is not None:
            progress(-1, None)
        if not client.stale_reason:
            client.check(time.time())  # expired, banned, disabled: said in words (a stale copy is not judged again)
        playlist = client.live(status)
        library = client.library()
        return SourceContent(playlist, client.account.host, bool(client.stale_reason), client.stale_reason,
                             library=library, max_connections=status.max_connections)
