"""On-demand entries of an M3U go to the library, by stable key; the library index and "Continue watching"."""

from __future__ import annotations

from pathlib import Path

import pytest

from settop.core.models import Playlist
from settop.core.playlist import m3u
from settop.core.sources.library_index import LibraryIndex, series_key_of
from settop.core.sources.m3u import M3USource
from settop.core.sources.ondemand_m3u import on_demand_kind, split_on_demand
from settop.core.state.resume import ResumePoint
from settop.core.state.settings import PlaylistSource

PLAYLIST = """#EXTM3U
#EXTINF:-1 tvg-id="news" group-title="News",News 24
http://tv.example/live/u/p/1.ts
#EXTINF:-1 group-title="Films" media="true" tvg-logo="http://img.example/a.jpg",A Film
http://tv.example/films/a.mp4?token={token}
#EXTINF:-1 group-title="Films",Another Film
http://tv.example/movie/u/{token}/77.mkv
#EXTINF:-1 group-title="Crime",Show S01 E01
http://tv.example/series/u/{token}/501.mp4
#EXTINF:-1 group-title="Sport",Match
http://tv.example/sport/match.m3u8
"""


def parse(token: str = "abc") -> Playlist:
    return m3u.parse(PLAYLIST.format(token=token))


@pytest.mark.parametrize(("url", "media", "kind"), [
    ("http://h/live/u/p/1.ts", False, ""),
    ("http://h/movie/u/p/1.mp4", False, "movie"),
    ("http://h/panel/series/u/p/1.mkv", False, "series"),
    ("http://h/x.mp4", True, "movie"),
    ("http://h/movies.m3u8", False, ""),
    ("http://h/live?path=/movie/1", False, ""),
], ids=["live", "movie-path", "series-path", "media-attr", "word-in-name", "in-query"])
def test_on_demand_kind(url: str, media: bool, kind: str) -> None:
    from settop.core.models import Channel

    assert on_demand_kind(Channel(key="k", name="n", url=url, media=media)) == kind


def test_on_demand_entries_leave_the_lineup_for_the_library() -> None:
    live, library = split_on_demand(parse())
    assert [c.name for c in live.channels] == ["News 24", "Match"]
    assert [t.name for t in library.movies] == ["A Film", "Another Film"]
    assert [t.name for t in library.series] == ["Show S01 E01"]
    assert [c.name for c in library.movie_categories] == ["Films"]
    film = library.movies[0]
    assert (film.kind, film.category, film.poster) == ("movie", "Films", "http://img.example/a.jpg")
    assert film.url.endswith("a.mp4?token=abc")


def test_keys_survive_a_new_token() -> None:
    _live, before = split_on_demand(parse("abc"))
    _live, after = split_on_demand(parse("xyz"))
    assert [t.key for t in before.movies + before.series] == [t.key for t in after.movies + after.series]
    assert all("abc" not in t.key for t in before.movies)


def test_a_live_only_playlist_is_not_copied() -> None:
    playlist = m3u.parse("#EXTM3U\n#EXTINF:-1,One\nhttp://h/1.ts\n")
    live, library = split_on_demand(playlist)
    assert live is playlist and not library.movies and not library.series


def test_the_index_groups_by_category_and_puts_unfinished_titles_first() -> None:
    _live, library = split_on_demand(parse())
    index = LibraryIndex(library, "movie")
    assert index.categories == ["Films"] and list(index.in_category("Films")) == [0, 1]
    points = [ResumePoint(index.titles[0].key, 60_000, 100_000, at=10.0),
              ResumePoint(index.titles[1].key, 99_000, 100_000, at=20.0, watched=True),
              ResumePoint("m3u:unknown", 60_000, 100_000, at=30.0)]
    assert index.continue_watching(points) == [0]


def test_an_episode_counts_for_its_series() -> None:
    assert series_key_of("xc:h:8080:episode:2001:101") == "xc:h:8080:series:2001"
    assert series_key_of("m3u:name:x") == "m3u:name:x"


def test_an_m3u_source_gives_its_library_and_keeps_the_whole_parse_for_the_cache(tmp_path: Path) -> None:
    path = tmp_path / "tv.m3u"
    path.write_text(PLAYLIST.format(token="abc"), encoding="utf-8")
    content = M3USource(PlaylistSource(source=str(path))).load()
    assert [c.name for c in content.playlist.channels] == ["News 24", "Match"]
    assert content.parsed is not None and len(content.parsed.channels) == 5
    assert [t.name for t in content.library.movies] == ["A Film", "Another Film"]
