"""Extended-M3U playlist parser: lenient per entry, warnings with line numbers, never raises on content.

Reads what Kodi's pvr.iptvsimple reads (see ``notes/formats.md``) and what the field writes:

- ``#EXTM3U`` header attributes, kept raw in ``Playlist.header``; guide URLs from ``x-tvg-url``, ``url-tvg``
  and ``tvg-url`` (each a comma list, all kept in order, without repeats); ``tvg-shift`` and ``catchup*`` as
  defaults for the channels. A second ``#EXTM3U`` (joined playlists) is merged: its guide URLs are added.
- ``#EXTINF`` attributes through :mod:`settop.core.playlist.attrs`, fields through :mod:`settop.core.playlist.build`;
  catch-up and channel keys are decisions documented in :mod:`settop.core.playlist.catchup_attrs` and
  :mod:`settop.core.playlist.channel`; schemes, relative URLs, headers and options in :mod:`settop.core.playlist.urls`.
- ``#EXTGRP:a;b`` persists for the following entries until an empty ``#EXTGRP`` or an entry with its own
  ``group-title`` (as Kodi does); one given after an entry's ``#EXTINF`` adds to that entry's groups.
- ``#EXTVLCOPT:name=value`` (also Kodi's ``#EXTVLCOPT--name=value``) and ``url|User-Agent=..&Referer=..``
  (``!name=`` too): checked by :func:`settop.core.playlist.vlcopts.check_option`; user agent and referrer become
  ``Channel.headers``, the other allowed options ``Channel.vlc_options``, and the rest is dropped with a warning
  naming the option (never its value). The URL's own headers win over ``#EXTVLCOPT``.
- ``#KODIPROP:key=value`` kept in ``Channel.properties`` (``inputstreamaddon``/``inputstreamclass`` read as
  ``inputstream``); DRM licence properties are dropped with a warning, since libVLC plays no DRM.
- ``#EXT-X-PLAYLIST-TYPE:VOD`` marks the entry as media. Other ``#EXT`` tags are reported once per tag;
  plain ``#`` comments are skipped.
- Stream schemes: those of ``settop.core.address`` (http(s), rtmp(s), rtsp, rtp, udp, mms, mmsh, srt); a local
  playlist may also name ``file:`` URLs and local paths, a remote one (``remote=True``) may not, nor guide URLs
  (``x-tvg-url``) that are local. Other schemes (smb, plugin, v4l2, ...) drop the entry with a warning.
  Relative URLs are resolved against ``base_url``: the playlist's URL, its file or its folder.
- Lenient: BOM, CRLF/CR/LF mixes, a missing ``#EXTM3U``, blank lines, junk lines (a line of ``=====`` is not
  a channel), an ``#EXTINF`` without URL, a URL without ``#EXTINF``, non-UTF-8 bytes (:func:`parse_bytes`).
"""

from __future__ import annotations

import logging
from typing import Any

from settop.core import runtime
from settop.core.models import Channel, ParseWarning, Playlist
from settop.core.playlist.attrs import Attrs, attr_key, split_extinf_at, split_shape, tokenize
from settop.core.playlist.build import EntryBuilder, Shaped, name_from_url
from settop.core.playlist.catchup_attrs import HeaderDefaults, header_defaults
from settop.core.playlist.channel import assign_keys, make_channel
from settop.core.playlist.urls import (
    STREAM_SCHEMES,
    Refusal,
    UrlResolver,
    looks_like_url,
    player_settings,
    read_pipe_headers,
)

__all__ = ["GUIDE_URL_KEYS", "MAX_WARNINGS", "STREAM_SCHEMES", "decode", "parse", "parse_bytes", "split_lines"]

log = logging.getLogger("settop.playlist")

GUIDE_URL_KEYS = ("x-tvg-url", "url-tvg", "tvg-url")
MAX_WARNINGS = 1000
"""Warnings kept per parse; the rest are counted in one last warning."""

SPLIT_CHUNK = 1 << 20
"""Characters per ``str.splitlines`` call in :func:`split_lines` (each call holds the GIL about 1 ms)."""
_EXOTIC_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_KODIPROP_ALIASES = {"inputstreamaddon": "inputstream", "inputstreamclass": "inputstream"}
_DRM_WORDS = ("license", "licence", "drm", "server_certificate")
_GROUP_TITLE = attr_key("group-title")


def parse(text: str, *, base_url: str = "", remote: bool = False) -> Playlist:
    """Parse playlist text; see the module docstring. Never raises on content.

    base_url: the playlist's own URL, file or folder, for relative entries ("" leaves them as they are).
    remote: the playlist came from the network, so entries may not name local files.
    """
    with runtime.collector_paused():  # ~10 new objects per channel: no collector rescans meanwhile
        playlist = _Parser(base_url, remote).run(text)
    log.debug("parsed %d channels with %d warnings", len(playlist.channels), len(playlist.warnings))
    return playlist


def parse_bytes(data: bytes, *, base_url: str = "", remote: bool = False) -> Playlist:
    """Decode (UTF-8 or UTF-16 by BOM, else UTF-8 with a cp1252/latin-1 fallback and a warning), then parse."""
    text, warning = decode(data)
    playlist = parse(text, base_url=base_url, remote=remote)
    if warning is None:
        return playlist
    return Playlist(
        channels=playlist.channels,
        epg_urls=playlist.epg_urls,
        warnings=(warning, *playlist.warnings),
        header=playlist.header,
        tvg_shift=playlist.tvg_shift,
    )


def decode(data: bytes) -> tuple[str, ParseWarning | None]:
    """Playlist bytes to text, with a warning (on the line of the first bad byte) when it was not UTF-8."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
    try:
        text, encoding = data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        text, encoding = data.decode("latin-1"), "latin-1"
    return text, ParseWarning(line, f"the playlist is not valid UTF-8; read as {encoding}")


def split_lines(text: str) -> list[str]:
    """Lines on LF, CRLF or CR only (``str.splitlines`` also breaks on form feeds and U+2028, which names use)."""
    if not any(char in text for char in _EXOTIC_BREAKS):  # eight fast scans beat one regex over the text
        if len(text) <= SPLIT_CHUNK:
            return text.splitlines()
        # In slices cut after a "\n" (so a "\r\n" stays whole): one splitlines over 40 MB holds the GIL ~50 ms,
        # which a GUI thread waiting on a parse in a worker would see as a stall.
        lines: list[str] = []
        start, end = 0, len(text)
        while start < end:
            cut = text.find("\n", start + SPLIT_CHUNK)
            stop = end if cut < 0 else cut + 1
            lines += text[start:stop].splitlines()
            start = stop
        return lines
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and not lines[-1]:
        lines.pop()
    return lines


class _Parser:
    """One parse: the state that lives across lines (header, persisting groups, the entry being read)."""

    def __init__(self, base_url: str, remote: bool) -> None:
        self.urls = UrlResolver(base_url, remote)
        self.sink = _Warnings()
        self.warn = self.sink.warn
        self.header: list[tuple[str, str]] = []
        self.epg_urls: dict[str, None] = {}
        self.defaults = HeaderDefaults()
        self.builder = EntryBuilder(self.defaults, self.sink.warn)
        self.seen_header = False
        self.unknown_tags: dict[str, int] = {}
        self.groups: tuple[str, ...] = ()
        """The groups of the last #EXTGRP, persisting until an empty one or a group-title."""
        self.rows: list[tuple[Any, ...]] = []
        # The entry being read: its #EXTINF, and the directives seen since the last URL.
        self.extinf: tuple[int, Attrs | Shaped, str] | None = None
        self.options: list[tuple[int, str]] = []
        self.properties: list[tuple[str, str]] = []
        self.entry_groups: dict[str, None] | None = None
        """Groups of the #EXTGRP lines after the entry's #EXTINF (an ordered set: thousands may come)."""
        self.vod = False
        self.first = True

    def run(self, text: str) -> Playlist:
        if text.startswith("\ufeff"):
            text = text[1:]
        self._lines(split_lines(text), 1)
        rows, self.rows = self.rows, []
        if self.extinf is not None:
            self.warn(self.extinf[0], "#EXTINF without a URL at the end of the playlist; entry skipped")
        keys = assign_keys(rows)
        warnings = self.sink.warnings
        warnings.sort(key=_line_of)  # entries are checked when their URL arrives: report in file order
        if self.sink.dropped:
            warnings.append(ParseWarning(0, f"{self.sink.dropped} more warnings not shown"))
        channels: tuple[Channel, ...] = tuple([make_channel(key, *row) for key, row in zip(keys, rows, strict=True)])
        return Playlist(
            channels=channels,
            epg_urls=tuple(self.epg_urls),
            warnings=tuple(warnings),
            header=tuple(self.header),
            tvg_shift=self.defaults.tvg_shift,
        )

    def _lines(self, lines: list[str], start: int) -> None:  # noqa: C901 - hot path; wt-inputs splits this (issue 17)
        """Read ``lines`` (the first being line ``start``), continuing the entry in progress."""
        rows = self.rows
        extinf = self.extinf
        options = self.options
        properties = self.properties
        entry_groups = self.entry_groups
        vod = self.vod
        first = self.first
        fields = self.builder.fields
        for lineno, raw in enumerate(lines, start):
            line = raw.strip()
            if not line:
                continue
            if first and line[:7].upper() != "#EXTM3U":
                self.warn(lineno, "missing #EXTM3U header")
            if line[0] == "#":
                if line.startswith("#EXTINF:") or line[:8].upper() == "#EXTINF:":
                    if extinf is not None:
                        self.warn(extinf[0], "#EXTINF without a URL; entry skipped")
                    shaped = split_shape(line, 8)
                    shape = None if shaped is None else self.builder.shape(shaped[1])
                    if shaped is not None and shape is not None:
                        extinf = (lineno, (shape, shaped[0]), shaped[2])
                    else:
                        read, name, problems = split_extinf_at(line, 8)
                        for problem in problems:
                            self.warn(lineno, problem)
                        extinf = (lineno, read, name)
                    entry_groups = None
                else:
                    entry_groups, vod = self._tag(
                        lineno,
                        line,
                        in_entry=extinf is not None,
                        entry_groups=entry_groups,
                        vod=vod,
                        options=options,
                        properties=properties,
                    )
                    fields = self.builder.fields  # a header makes a new builder
                first = False
                continue
            first = False
            if line.startswith(("http://", "https://")):
                if extinf is not None and not options and entry_groups is None and "|" not in line:
                    # The usual entry (#EXTINF, then its http URL): _entry's work without its branches.
                    entry, name = extinf[1], extinf[2]
                    groups = self.groups
                    if groups and _has_group_title(entry):
                        self.groups = groups = ()  # a group-title ends the #EXTGRP run before it, as in Kodi
                    rows.append(
                        fields(lineno, entry, name, line, groups, (), (), tuple(properties) if properties else (), vod)
                    )
                    extinf = None
                    if properties:
                        properties = []
                    vod = False
                    continue
            elif not looks_like_url(line):
                self.warn(lineno, "not a URL or a tag; line skipped")
                continue
            row = self._entry(
                lineno, line, extinf, options=options, properties=properties, entry_groups=entry_groups, vod=vod
            )
            if row is not None:
                rows.append(row)
            extinf = None
            if options:
                options = []
            if properties:
                properties = []
            entry_groups = None
            vod = False
        self.extinf = extinf
        self.options = options
        self.properties = properties
        self.entry_groups = entry_groups
        self.vod = vod
        self.first = first

    def _tag(
        self,
        lineno: int,
        line: str,
        *,
        in_entry: bool,
        entry_groups: dict[str, None] | None,
        vod: bool,
        options: list[tuple[int, str]],
        properties: list[tuple[str, str]],
    ) -> tuple[dict[str, None] | None, bool]:
        """Handle a ``#`` line other than ``#EXTINF``; returns the entry's (#EXTGRP groups, VOD flag)."""
        tag = line[:21].upper()
        if tag.startswith("#EXTM3U"):
            self._header(lineno, line[7:])
        elif tag.startswith("#EXTVLCOPT"):
            options.append((lineno, line[10:].lstrip(":-")))
        elif tag.startswith("#EXTGRP"):
            self.groups = _split(line[8:] if line[7:8] == ":" else line[7:])
            if in_entry:
                if entry_groups is None:
                    entry_groups = dict.fromkeys(self.groups)
                else:
                    entry_groups.update(dict.fromkeys(self.groups))
        elif tag.startswith("#KODIPROP"):
            self._kodiprop(lineno, line[10:], properties)
        elif tag.startswith("#EXT-X-PLAYLIST-TYPE"):
            vod = vod or line[21:].strip().upper() == "VOD"
        elif tag.startswith("#EXT"):
            name = tag.split(":", 1)[0].split()[0]
            if name not in self.unknown_tags:
                self.unknown_tags[name] = lineno
                self.warn(lineno, f"tag {name} is not supported; ignored")
        return entry_groups, vod

    def _header(self, lineno: int, rest: str) -> None:
        problems: list[str] = []
        pairs, _, stray = tokenize(rest, stop_at_comma=False, problems=problems)
        for problem in problems:
            self.warn(lineno, f"#EXTM3U: {problem}")
        if stray:
            self.warn(lineno, "#EXTM3U: stray text ignored")
        if self.seen_header:
            self.warn(lineno, "another #EXTM3U header (joined playlists?); its guide URLs are added")
        attrs: dict[str, str] = {}
        for key, value in pairs:
            attrs.setdefault(key, value)
        for key in GUIDE_URL_KEYS:
            for part in attrs.get(key, "").split(","):
                url = part.strip()
                checked = self.urls.guide(url) if url else None
                if isinstance(checked, Refusal):
                    self.warn(lineno, f"#EXTM3U: guide address {key} ignored: {checked.reason}")
                elif checked:
                    self.epg_urls.setdefault(checked, None)
        self.header.extend(pairs)
        if not self.seen_header:
            self.defaults = header_defaults(attrs, lineno, self.warn)
            self.builder = EntryBuilder(self.defaults, self.sink.warn)
        self.seen_header = True

    def _kodiprop(self, lineno: int, text: str, properties: list[tuple[str, str]]) -> None:
        key, sep, value = text.partition("=")
        key = key.strip()
        if not sep or not key:
            self.warn(lineno, "#KODIPROP without key=value; ignored")
            return
        lowered = key.lower()
        if any(word in lowered for word in _DRM_WORDS):
            self.warn(lineno, f"#KODIPROP {key!r} ignored: DRM is not supported")
            return
        properties.append((_KODIPROP_ALIASES.get(lowered, key), value.strip()))

    def _entry(
        self,
        lineno: int,
        line: str,
        extinf: tuple[int, Attrs | Shaped, str] | None,
        *,
        options: list[tuple[int, str]],
        properties: list[tuple[str, str]],
        entry_groups: dict[str, None] | None,
        vod: bool,
    ) -> tuple[Any, ...] | None:
        """The field row of the entry a URL line closes, or None when the entry is dropped."""
        url = line
        pipe_headers: dict[str, str] | None = None
        if "|" in line:
            url, _, tail = line.partition("|")
            url = url.strip()
            pipe_headers = read_pipe_headers(lineno, tail, self.warn)
            if not url:
                self.warn(lineno, "an entry's address is empty; entry skipped")
                return None
        if not url.startswith(("http://", "https://")):
            resolved = self.urls.resolve(url)
            if isinstance(resolved, Refusal):
                name = extinf[2] if extinf is not None and extinf[2] else name_from_url(url)
                self.warn(lineno, f"channel {name!r} dropped: {resolved.reason}")
                return None
            url = resolved
        headers: tuple[tuple[str, str], ...] = ()
        vlc_options: tuple[str, ...] = ()
        if options or pipe_headers:
            headers, vlc_options = player_settings(options, pipe_headers, self.warn)
        if extinf is None:
            attrs: Attrs | Shaped = {}
            name = name_from_url(url)
            self.warn(lineno, f"URL without #EXTINF; called {name!r} after its URL")
        else:
            _, attrs, name = extinf
        groups = self.groups if entry_groups is None else tuple(entry_groups)
        if entry_groups is None and _has_group_title(attrs):
            self.groups = ()  # a group-title ends the #EXTGRP run before it, as in Kodi
            groups = ()
        return self.builder.fields(
            lineno, attrs, name, url, groups, headers, vlc_options, tuple(properties) if properties else (), vod
        )


class _Warnings:
    """Collects warnings (a separate object, so the builders holding ``warn`` do not tie up the parser)."""

    def __init__(self) -> None:
        self.warnings: list[ParseWarning] = []
        self.dropped = 0

    def warn(self, line: int, message: str) -> None:
        if len(self.warnings) < MAX_WARNINGS:
            self.warnings.append(ParseWarning(line, message))
        else:
            self.dropped += 1


def _has_group_title(attrs: Attrs | Shaped) -> bool:
    return attrs[0].group_title if type(attrs) is tuple else _GROUP_TITLE in attrs


def _line_of(warning: ParseWarning) -> int:
    return warning.line


def _split(value: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(part.strip() for part in value.split(";") if part.strip()))
