"""On-demand entries of an M3U playlist: films and episodes go to the library, not to the live lineup.

An entry is on-demand when the parser marked it as media (``media="true"``, ``media-dir``/``media-size``,
``#EXT-X-PLAYLIST-TYPE:VOD``) or its address has a ``/movie/`` or ``/series/`` folder (Xtream-style panels' M3U).
Such an entry ends; a live channel reconnects. Keys are the channel keys (name and group, or tvg-id), never the
URL, so a rotating token keeps a title's resume position.
"""

from __future__ import annotations

import re

from settop.core.models import Channel, Playlist
from settop.core.sources.ondemand import Category, Library, Title

_VOD_PATH = re.compile(r"^[a-z][a-z0-9+.-]*://[^/]+(?:/[^?#]*)?/(movie|series)/", re.IGNORECASE)


def on_demand_kind(channel: Channel) -> str:
    """``movie``, ``series`` or "" (live) for one entry."""
    match = _VOD_PATH.match(channel.url)
    if match:
        return match.group(1).lower()
    return "movie" if channel.media else ""


def split_on_demand(playlist: Playlist) -> tuple[Playlist, Library]:
    """(the playlist without its on-demand entries, those entries as a library). The same playlist object comes
    back when it has none, so nothing is copied for a live-only playlist."""
    kinds = [on_demand_kind(channel) for channel in playlist.channels]
    if not any(kinds):
        return playlist, Library()
    live = tuple(channel for channel, kind in zip(playlist.channels, kinds, strict=True) if not kind)
    movies: list[Title] = []
    series: list[Title] = []
    for channel, kind in zip(playlist.channels, kinds, strict=True):
        if kind:
            title = Title(key="m3u:" + channel.key, kind=kind, name=channel.name,
                          category=channel.groups[0] if channel.groups else "", poster=channel.logo, url=channel.url,
                          headers=channel.headers)
            (movies if kind == "movie" else series).append(title)
    rest = Playlist(channels=live, epg_urls=playlist.epg_urls, warnings=playlist.warnings, header=playlist.header,
                    tvg_shift=playlist.tvg_shift)
    return rest, Library(_categories(movies), tuple(movies), _categories(series), tuple(series))


def _categories(titles: list[Title]) -> tuple[Category, ...]:
    names = dict.fromkeys(t.category for t in titles if t.category)
    return tuple(Category(name, name) for name in names)
