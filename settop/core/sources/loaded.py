"""Loading every configured source on the calling thread: fetch, parse, merge and index, with what each
source's freshness and stated limits are (no Qt: the UI's loader runs it on a worker)."""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from settop.core import runtime
from settop.core.net.budget import source_of
from settop.core.playlist.lineup import Lineup
from settop.core.sources.base import SourceContent
from settop.core.sources.load import LoadResult, SourceProblem, SourceProgress, load_sources
from settop.core.sources.m3u import sources_from
from settop.core.sources.ondemand import Library
from settop.core.state.edits import ChannelEdits
from settop.core.state.settings import PlaylistSource


@dataclass(frozen=True, slots=True)
class Loaded:
    """Loaded sources: the merged lineup plus how fresh each source is, for the status line."""

    source: PlaylistSource  # the first source (what the shell remembers when a single playlist was opened)
    lineup: Lineup | None  # None: unchanged since the last load
    display: str
    remote: bool = True
    stale: bool = False
    stale_reason: str = ""
    seconds: float = 0.0
    sources: tuple[PlaylistSource, ...] = ()
    problems: tuple[SourceProblem, ...] = ()
    library: Library = field(default_factory=Library)  # films and series of every source (a provider account's)
    max_connections: int | None = None  # the first source's limit of streams at once (a provider account's)
    limits: tuple[tuple[str, int], ...] = ()  # (budget source, streams at once) the sources state themselves



def load_all(sources: tuple[PlaylistSource, ...], previous: Mapping[str, SourceContent] | None = None, *,
             only: frozenset[str] | None = None, cancel: threading.Event | None = None,
             progress: SourceProgress | None = None, remembered: Mapping[str, str] | None = None,
             edits: ChannelEdits | None = None, remerge: bool = False,
             max_playlist_bytes: int | None = None) -> tuple[Loaded, LoadResult]:
    """Fetch, parse, merge and index ``sources`` on the calling thread; raises LoadFailed when none loads.

    previous: what each source showed (``LoadResult.contents``); unchanged bytes are not parsed again and the
    lineup is then None (an unchanged refresh costs the GUI thread nothing).
    max_playlist_bytes: the cap on each playlist (``fetch.max_playlist_mb``; None: the fetcher's default).
    """
    started = time.perf_counter()
    # 100,000 channels are long-lived: built with the collector off and quick GIL switches (settop.core.runtime).
    with runtime.bulk_load():
        result = load_sources(sources_from(sources, max_playlist_bytes), previous, only=only, cancel=cancel,
                              progress=progress, remembered=remembered, edits=edits, remerge=remerge)
    runtime.trim_heap()  # the raw bytes, the cache blob and the parse's scratch go back to the system
    shown = [result.contents[s.id] for s in sources if s.id in result.contents]
    display = shown[0].display if len(sources) == 1 and shown else ", ".join(s.name for s in sources)
    stale = [p for p in result.problems if p.stale]
    loaded = Loaded(sources[0], result.lineup, display, any(c.remote for c in shown), bool(stale),
                    stale[0].message if stale else "", time.perf_counter() - started, sources, result.problems,
                    library=_library(shown), max_connections=shown[0].max_connections if shown else None,
                    limits=stream_limits(sources, result.contents))
    return loaded, result


def stream_limits(sources: Sequence[PlaylistSource],
                  contents: Mapping[str, SourceContent]) -> tuple[tuple[str, int], ...]:
    """The stream limits of the hosts the loaded ``sources`` play from (the connection budget counts by host):
    each source's **Streams at once** where the viewer set it, else what the source states (an account's
    ``max_connections``); the lowest where two sources share a host. Cheap enough for the GUI thread (one
    address parse per distinct host prefix), so a changed setting applies without loading anything again."""
    limits: dict[str, int] = {}
    for source in sources:
        content = contents.get(source.id)
        if content is None:
            continue
        n = source.max_streams or content.max_connections
        if not n:
            continue
        urls = [c.url for c in content.playlist.channels] + [m.url for m in content.library.movies]
        for host in hosts_of(urls):
            limits[host] = min(n, limits.get(host, n))
    return tuple(sorted(limits.items()))


def hosts_of(urls: Sequence[str]) -> frozenset[str]:
    """``source_of`` of every address, parsed once per distinct ``scheme://authority`` prefix (a playlist's
    channels share a few: 100,000 addresses take milliseconds, not the third of a second a parse each takes)."""
    prefixes: dict[str, None] = {}
    for url in urls:
        end = url.find("/", url.find("//") + 2)
        prefixes[url if end < 0 else url[:end]] = None
    return frozenset(source_of(prefix) for prefix in prefixes) - {""}


def _library(contents: list[SourceContent]) -> Library:
    """Every source's films and series, in the sources' order."""
    if len(contents) == 1:
        return contents[0].library
    return Library(*(tuple(item for c in contents for item in getattr(c.library, name))
                     for name in ("movie_categories", "movies", "series_categories", "series")))
