"""The M3U playlist kind of source: a ``[[playlists]]`` entry fetched, parsed (through the playlist cache) and
handed to the merge."""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace

from settop.core.models import Playlist
from settop.core.playlist.sniff import NotAPlaylistError, sniff
from settop.core.secrets import learn_playlist
from settop.core.sources.base import Progress, Source, SourceContent
from settop.core.sources.ondemand_m3u import split_on_demand
from settop.core.state.settings import PlaylistSource


@dataclass(frozen=True, slots=True)
class ConfiguredSource:
    """What every kind of source takes from its ``[[playlists]]`` entry: id, name, start number, refresh."""

    config: PlaylistSource
    max_bytes: int | None = None  # fetch.max_playlist_mb (None: the fetcher's playlist default)

    @property
    def id(self) -> str:
        return self.config.id

    @property
    def name(self) -> str:
        return self.config.name

    @property
    def start_number(self) -> int:
        return self.config.start_number

    @property
    def refresh_hours(self) -> float:
        return self.config.refresh_hours



@dataclass(frozen=True, slots=True)
class M3USource(ConfiguredSource):
    """A playlist (a URL or a file) as a :class:`~settop.core.sources.base.Source`."""

    def load(self, cancel: threading.Event | None = None, progress: Progress | None = None,
             known_key: str = "") -> SourceContent:
        """Fetch and parse; when the bytes give ``known_key`` the playlist is left empty (nothing changed).

        A refresh (``known_key`` set) parses without the playlist cache: the cache write is one long call that
        would hold the GIL while TV plays.
        """
        from settop.core.net.fetch import fetch, limits_for
        from settop.core.playlist import cache as playlist_cache
        from settop.core.playlist import m3u

        config = self.config
        headers = {"User-Agent": config.user_agent} if config.user_agent else None
        limits = limits_for("playlist")
        if self.max_bytes is not None:
            limits = replace(limits, max_bytes=self.max_bytes)
        result = fetch(config.source, kind="playlist", limits=limits, allow_insecure=config.allow_insecure,
                       headers=headers, cancel=cancel, progress=progress)
        if progress is not None:
            progress(-1, None)
        data = result.read_bytes()
        found = sniff(data)
        if found is not None:  # a guide, a web page, one stream ...: said in words, and never taken as channels
            raise NotAPlaylistError(found)
        remote = bool(result.final_url)
        base_url = result.final_url or str(result.path)
        key = playlist_cache.cache_key(data, base_url=base_url, remote=remote)
        if key == known_key:
            return SourceContent(Playlist(), result.display, result.stale, result.stale_reason, key, remote)
        if known_key:
            playlist = m3u.parse_bytes(data, base_url=base_url, remote=remote)
        else:
            playlist = playlist_cache.load(data, base_url=base_url, remote=remote, key=key)
        learn_playlist(playlist)  # its secrets are masked wherever they show up from now on
        live, library = split_on_demand(playlist)  # films and episodes go to the library, not the lineup
        return SourceContent(live, result.display, result.stale, result.stale_reason, key, remote, library=library,
                             parsed=playlist if live is not playlist else None)


def sources_from(playlists: tuple[PlaylistSource, ...], max_playlist_bytes: int | None = None) -> list[Source]:
    """The enabled playlists and provider accounts (``kind = "xtream"``) as sources, in the viewer's order;
    ``max_playlist_bytes`` caps each playlist (``fetch.max_playlist_mb``)."""
    from settop.core.sources.xtream_source import XtreamSource

    return [XtreamSource(entry) if entry.kind == "xtream" else M3USource(entry, max_playlist_bytes)
            for entry in playlists if entry.enabled]
