"""Value objects shared by every layer: channels, playlists, guide programmes and catch-up settings."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ParseWarning:
    """Something a parser skipped or repaired, with the 1-based line (or 0 when not tied to a line)."""

    line: int
    message: str


@dataclass(frozen=True, slots=True)
class Catchup:
    """How a channel offers catch-up (time-shifted replay).

    mode: one of ``default append shift flussonic flussonic-hls flussonic-ts xc vod`` (aliases folded by the parser).
    days: how far back programmes can be replayed.
    source: the ``catchup-source`` template ("" when the mode builds the URL itself).
    correction: hours added to programme times before they are put into the URL.
    """

    mode: str
    days: int = 0
    source: str = ""
    correction: float = 0.0


@dataclass(frozen=True, slots=True)
class Channel:
    """One playable entry of a playlist.

    key: stable identity for favorites, history and guide mappings; survives re-ordering and rotating URL tokens.
    number: the channel number to tune by (``tvg-chno``), None when the playlist gives none.
    number_minor: the part after the dot of ``5.1``-style numbers.
    groups: group titles in playlist order (``group-title`` split on ``;`` or ``#EXTGRP``).
    tvg_shift: guide time shift in hours for this channel.
    headers: HTTP headers for the stream, as (name, value) pairs (``User-Agent``, ``Referer``, ...).
    vlc_options: whitelisted libVLC per-media options without the leading colon, e.g. ``network-caching=1000``.
    properties: ``#KODIPROP`` key/value pairs, kept as data.
    attrs: every other ``#EXTINF`` attribute, raw (lower-cased name, value).
    line: the 1-based line of the URL in the playlist, for messages.
    """

    key: str
    name: str
    url: str
    tvg_id: str = ""
    tvg_name: str = ""
    logo: str = ""
    groups: tuple[str, ...] = ()
    number: int | None = None
    number_minor: int | None = None
    radio: bool = False
    tvg_shift: float = 0.0
    catchup: Catchup | None = None
    headers: tuple[tuple[str, str], ...] = ()
    vlc_options: tuple[str, ...] = ()
    properties: tuple[tuple[str, str], ...] = ()
    attrs: tuple[tuple[str, str], ...] = ()
    media: bool = False
    line: int = 0

    @property
    def number_text(self) -> str:
        """The number as a viewer reads it: ``"5"``, ``"5.1"`` or ``""``."""
        if self.number is None:
            return ""
        if self.number_minor is None:
            return str(self.number)
        return f"{self.number}.{self.number_minor}"


@dataclass(frozen=True, slots=True)
class Playlist:
    """A parsed playlist: channels in file order, the guide URLs its header names, and what was repaired."""

    channels: tuple[Channel, ...] = ()
    epg_urls: tuple[str, ...] = ()
    warnings: tuple[ParseWarning, ...] = ()
    header: tuple[tuple[str, str], ...] = ()
    tvg_shift: float = 0.0

    @property
    def groups(self) -> tuple[str, ...]:
        """Every group title, in order of first appearance."""
        seen: dict[str, None] = {}
        for channel in self.channels:
            for group in channel.groups:
                seen.setdefault(group, None)
        return tuple(seen)


@dataclass(frozen=True, slots=True)
class GuideChannel:
    """A ``<channel>`` of an XMLTV guide."""

    id: str
    display_names: tuple[str, ...] = ()
    icon: str = ""


@dataclass(frozen=True, slots=True)
class Programme:
    """A ``<programme>`` of an XMLTV guide; start and stop are UTC epoch seconds.

    episode: a readable episode label (``S2 E5``) built from ``xmltv_ns`` or ``onscreen``.
    star_rating: the first star rating scaled to 0-10, None when absent.
    """

    channel_id: str
    start: int
    stop: int
    title: str
    sub_title: str = ""
    desc: str = ""
    categories: tuple[str, ...] = ()
    episode: str = ""
    icon: str = ""
    rating: str = ""
    star_rating: float | None = None
    date: str = ""
    is_new: bool = False
    premiere: bool = False
    catchup_id: str = ""
