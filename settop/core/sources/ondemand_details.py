"""Where a detail page's facts and a series' episodes come from: the provider account, or nothing (M3U titles)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from settop.core.sources.ondemand import Details, SeriesInfo, Title
from settop.core.state.settings import PlaylistSource

if TYPE_CHECKING:
    from settop.core.sources.xtream import XtreamClient


class DetailsSource(Protocol):
    """Facts for a title; called on a worker thread; raises XtreamError/FetchError on failure."""

    def details(self, title: Title) -> Details: ...

    def series(self, title: Title) -> SeriesInfo: ...


class NoDetails:
    """M3U titles: the playlist says nothing more than the name, group and poster."""

    def details(self, title: Title) -> Details:
        return Details(poster=title.poster, year=title.year, rating=title.rating)

    def series(self, title: Title) -> SeriesInfo:
        return SeriesInfo(self.details(title))


class AccountDetails:
    """A provider account's ``get_vod_info`` and ``get_series_info``."""

    def __init__(self, config: PlaylistSource) -> None:
        self.config = config

    def _client(self) -> XtreamClient:
        from settop.core.sources.xtream import XtreamClient, account_from_address

        account = account_from_address(self.config.source, self.config.username, self.config.password)
        return XtreamClient(account, allow_insecure=self.config.allow_insecure, user_agent=self.config.user_agent)

    def details(self, title: Title) -> Details:
        if not title.item_id:
            return NoDetails().details(title)
        return self._client().movie_details(title.item_id)

    def series(self, title: Title) -> SeriesInfo:
        if not title.item_id:
            return NoDetails().series(title)
        return self._client().series_info(title.item_id)


class SourcesDetails:
    """Titles of several sources: a provider account's titles (keys ``xc:<host>:...``) ask that account."""

    def __init__(self, sources: Sequence[PlaylistSource]) -> None:
        self.accounts = {_host(s): AccountDetails(s) for s in sources if s.kind == "xtream"}

    def _for(self, title: Title) -> DetailsSource:
        kind, _sep, rest = title.key.partition(":")
        for host, source in self.accounts.items():
            if kind == "xc" and rest.startswith(host + ":"):
                return source
        return NoDetails()

    def details(self, title: Title) -> Details:
        return self._for(title).details(title)

    def series(self, title: Title) -> SeriesInfo:
        return self._for(title).series(title)


def _host(source: PlaylistSource) -> str:
    from settop.core.sources.xtream import XtreamError, account_from_address

    try:
        return account_from_address(source.source, source.username, source.password).host
    except XtreamError:
        return ""


def details_source(sources: Sequence[PlaylistSource]) -> DetailsSource:
    """The details of titles of ``sources`` (provider accounts ask their server; M3U titles have none)."""
    return SourcesDetails(sources)
