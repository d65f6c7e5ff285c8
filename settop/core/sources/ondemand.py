"""On-demand value objects shared by every source kind: films and series, their details, seasons and episodes."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Category:
    """A live, film or series category of the account."""

    id: str
    name: str


@dataclass(frozen=True, slots=True)
class Title:
    """A film or a series in the library.

    key: stable identity for resume positions and watched marks; built from the provider's id (films, series) or the
        entry's name and group (M3U), never from a URL, so a rotating token keeps it.
    kind: ``movie`` or ``series``.
    url: what plays (films only; it may carry the password: never log it unredacted); "" for a series.
    item_id: the provider's ``stream_id`` (film) or ``series_id``; "" for M3U entries.
    rating: 0-10, None when not given.
    """

    key: str
    kind: str
    name: str
    category: str = ""
    poster: str = ""
    url: str = field(default="", repr=False)
    item_id: str = ""
    rating: float | None = None
    year: str = ""
    added: int = 0
    headers: tuple[tuple[str, str], ...] = ()  # HTTP headers for the stream (an M3U entry's User-Agent, Referer)


@dataclass(frozen=True, slots=True)
class Details:
    """What a detail page shows about a film or a series; empty fields were not given."""

    plot: str = ""
    year: str = ""
    genre: str = ""
    rating: float | None = None
    duration_s: int = 0
    cast: str = ""
    director: str = ""
    poster: str = ""
    backdrop: str = ""


@dataclass(frozen=True, slots=True)
class Episode:
    """One episode of a series; ``key`` is stable (series id, season, episode id), ``url`` may carry the password."""

    key: str
    season: int
    number: int
    title: str
    url: str = field(default="", repr=False)
    duration_s: int = 0
    plot: str = ""
    image: str = ""


@dataclass(frozen=True, slots=True)
class Season:
    """A season of a series with its episodes in order."""

    number: int
    name: str
    episodes: tuple[Episode, ...] = ()


@dataclass(frozen=True, slots=True)
class SeriesInfo:
    """A series' details and seasons (in order of their number)."""

    details: Details
    seasons: tuple[Season, ...] = ()

    def next_episode(self, key: str) -> Episode | None:
        """The episode after ``key`` (the first of the next season after a season's last), or None."""
        episodes = [episode for season in self.seasons for episode in season.episodes]
        for index, episode in enumerate(episodes[:-1]):
            if episode.key == key:
                return episodes[index + 1]
        return None


@dataclass(frozen=True, slots=True)
class Library:
    """The on-demand part of a source: categories and titles of films and series."""

    movie_categories: tuple[Category, ...] = ()
    movies: tuple[Title, ...] = ()
    series_categories: tuple[Category, ...] = ()
    series: tuple[Title, ...] = ()
