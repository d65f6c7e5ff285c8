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
- Headers, lowest precedence first: the ``#EXTINF`` attributes ``http-user-agent``/``user-agent`` and
  ``http-referrer``/``referrer`` (iptv-org), then ``#EXTVLCOPT:name=value`` (also Kodi's
  ``#EXTVLCOPT--name=value``), then the URL's ``url|User-Agent=..&Referer=..`` (Kodi, ``!name=`` too) or
  ``url|Referer="..."|User-Agent="..."`` (iptv-org). Each is checked by
  :func:`settop.core.playlist.vlcopts.check_option`; user agent and referrer become ``Channel.headers``, the other
  allowed options ``Channel.vlc_options``, and the rest is dropped with a warning naming the option (never its
  value). libVLC 3 sends no other header per media: any other header name is reported once per playlist.
- ``#KODIPROP:key=value`` kept in ``Channel.properties`` (``inputstreamaddon``/``inputstreamclass`` read as
  ``inputstream``); DRM licence properties are dropped with a warning, since libVLC plays no DRM.
- ``#EXT-X-PLAYLIST-TYPE:VOD`` marks the entry as media. Other ``#EXT`` tags are reported once per tag;
  plain ``#`` comments are skipped.
- Stream schemes: those of ``settop.core.address`` (http(s), rtmp(s), rtsp, rtp, udp, mms, mmsh, srt); a local
  playlist may also name ``file:`` URLs and local paths, a remote one (``remote=True``) may not, nor guide URLs
  (``x-tvg-url``) that are local. Other schemes (smb, plugin, v4l2, ...) drop the entry with a warning.
  Relative URLs are resolved against ``base_url``: the playlist's URL, its file or its folder.
- Tags are dispatched through one table (:data:`TAGS`); ``#EXTINF`` lines of the usual shape are read by the one
  fast path (:func:`settop.core.playlist.attrs.split_shape`), the rest by the tokenizer.
- Bounded: lines over :data:`settop.core.playlist.m3u_text.MAX_LINE_CHARS` are skipped, NUL characters removed,
  attributes and problems capped per line (:mod:`settop.core.playlist.attrs`), warnings per playlist
  (:data:`MAX_WARNINGS`), unknown attributes per entry (:data:`settop.core.playlist.build.MAX_EXTRA`).
- Lenient: BOM, UTF-16 without a BOM, CRLF/CR/LF mixes, a missing ``#EXTM3U``, blank lines, junk lines (a line of
  ``=====`` is not a channel), an ``#EXTINF`` without URL, a URL without ``#EXTINF``, non-UTF-8 bytes
  (:func:`parse_bytes`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from settop.core import runtime
from settop.core.models import Channel, ParseWarning, Playlist
from settop.core.playlist.attrs import Attrs, attr_key, split_extinf, split_shape, tokenize
from settop.core.playlist.build import EntryBuilder, Shaped, name_from_url
from settop.core.playlist.catchup_attrs import HeaderDefaults, header_defaults
from settop.core.playlist.channel import assign_keys, make_channel
from settop.core.playlist.m3u_text import SPLIT_CHUNK, bound_lines, decode, decode_checked, remove_nuls, split_lines
from settop.core.playlist.urls import (
    STREAM_SCHEMES,
    Refusal,
    UrlResolver,
    looks_like_url,
    player_settings,
    read_pipe_headers,
)

__all__ = [
    "GUIDE_URL_KEYS",
    "MAX_WARNINGS",
    "SPLIT_CHUNK",
    "STREAM_SCHEMES",
    "TAGS",
    "decode",
    "parse",
    "parse_bytes",
    "split_lines",
]

log = logging.getLogger("settop.playlist")

GUIDE_URL_KEYS = ("x-tvg-url", "url-tvg", "tvg-url")
MAX_WARNINGS = 1000
"""Warnings kept per parse; the rest are counted in one last warning."""

TAGS: tuple[tuple[str, str], ...] = (
    ("#EXTINF:", "_extinf"),
    ("#EXTM3U", "_extm3u"),
    ("#EXTVLCOPT", "_extvlcopt"),
    ("#EXTGRP", "_extgrp"),
    ("#KODIPROP", "_kodiprop"),
    ("#EXT-X-PLAYLIST-TYPE", "_playlist_type"),
    ("#EXT", "_unknown_tag"),
)
"""Tag -> handler method of the parser. A ``#`` line goes to the first tag it starts with (case-insensitive); one
matching none is a comment. The common lines, whose tag is spelled exactly and ends at a ``:``, are found by one
dictionary lookup of the text before the ``:``."""
_KODIPROP_ALIASES = {"inputstreamaddon": "inputstream", "inputstreamclass": "inputstream"}
_DRM_WORDS = ("license", "licence", "drm", "server_certificate")
_GROUP_TITLE = attr_key("group-title")
_TAG_NAME_END = 24
"""How far to look for the ``:`` that ends a tag's name (the longest, ``#EXT-X-PLAYLIST-TYPE``, is 20)."""

Handler = Callable[[int, str], None]


def parse(text: str, *, base_url: str = "", remote: bool = False) -> Playlist:
    """Parse playlist text; see the module docstring. Never raises on content.

    base_url: the playlist's own URL, file or folder, for relative entries ("" leaves them as they are).
    remote: the playlist came from the network, so entries may not name local files.
    """
    return _parse([text], base_url, remote, "\x00" in text, None)


def _parse(text: list[str], base_url: str, remote: bool, nul: bool, breaks: bool | None) -> Playlist:
    """``text``: the text in a list, which the parser empties (so the text is freed once it is split in lines)."""
    with runtime.collector_paused():  # ~10 new objects per channel: no collector rescans meanwhile
        playlist = _Parser(base_url, remote).run(text, nul, breaks)
    log.debug("parsed %d channels with %d warnings", len(playlist.channels), len(playlist.warnings))
    return playlist


def parse_bytes(data: bytes, *, base_url: str = "", remote: bool = False) -> Playlist:
    """Decode (see :func:`settop.core.playlist.m3u_text.decode`), then parse."""
    decoded = decode_checked(data)
    warning, nul, breaks = decoded.warning, decoded.nul, decoded.breaks
    box = [decoded.text]
    del decoded
    playlist = _parse(box, base_url, remote, nul, breaks)
    if warning is None:
        return playlist
    return Playlist(
        channels=playlist.channels,
        epg_urls=playlist.epg_urls,
        warnings=(warning, *playlist.warnings),
        header=playlist.header,
        tvg_shift=playlist.tvg_shift,
    )


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
        self.fields = self.builder.fields
        self.shape_of = self.builder.shape
        self.seen_header = False
        self.reported: set[str] = set()
        """What is reported once per playlist: unknown tags, headers the player cannot send."""
        self.groups: tuple[str, ...] = ()
        """The groups of the last #EXTGRP, persisting until an empty one or a group-title."""
        self.rows: list[tuple[Any, ...]] = []
        self.handlers: list[tuple[str, Handler]] = [(tag, getattr(self, name)) for tag, name in TAGS]
        self.by_name: dict[str, Handler] = {tag.rstrip(":"): handler for tag, handler in self.handlers}
        # The entry being read: its #EXTINF, and the directives seen since the last URL.
        self.extinf: tuple[int, Attrs | Shaped, str] | None = None
        self.options: list[tuple[int, str]] = []
        self.properties: list[tuple[str, str]] = []
        self.entry_groups: dict[str, None] | None = None
        """Groups of the #EXTGRP lines after the entry's #EXTINF (an ordered set: thousands may come)."""
        self.vod = False

    def run(self, box: list[str], nul: bool, breaks: bool | None) -> Playlist:
        """``box``: the text in a list, emptied here; ``nul``: the text may hold NUL characters (they are removed,
        with a warning per line); ``breaks``: see :func:`settop.core.playlist.m3u_text.split_lines`."""
        text = box.pop()
        if text.startswith("\ufeff"):
            text = text[1:]
        lines = split_lines(text, breaks)
        del text
        bound_lines(lines, self.warn)
        if nul:
            remove_nuls(lines, self.warn)
        self._check_header(lines)
        self._read(lines)
        del lines
        if self.extinf is not None:
            self.warn(self.extinf[0], "#EXTINF without a URL at the end of the playlist; entry skipped")
        return self._playlist()

    def _check_header(self, lines: list[str]) -> None:
        for lineno, line in enumerate(lines, 1):
            if line.strip():
                if line.lstrip()[:7].upper() != "#EXTM3U":
                    self.warn(lineno, "missing #EXTM3U header")
                return

    def _read(self, lines: list[str]) -> None:
        """Send each line to its tag's handler, or to :meth:`_url`; blank lines are skipped."""
        by_name = self.by_name.get
        by_prefix = self._handler
        url = self._url
        for lineno, raw in enumerate(lines, 1):
            line = raw.strip()
            if not line:
                continue
            if line[0] == "#":
                colon = line.find(":", 1, _TAG_NAME_END)
                handler = by_name(line[:colon]) if colon > 0 else None
                (handler or by_prefix(line))(lineno, line)
            else:
                url(lineno, line)

    def _handler(self, line: str) -> Handler:
        """The handler of a ``#`` line whose tag is not spelled exactly (lower case, no ``:``): see :data:`TAGS`."""
        upper = line[:_TAG_NAME_END].upper()
        for tag, handler in self.handlers:
            if upper.startswith(tag):
                return handler
        return self._comment

    def _playlist(self) -> Playlist:
        rows, self.rows = self.rows, []
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

    def _report_once(self, what: str, lineno: int, message: str) -> None:
        if what not in self.reported:
            self.reported.add(what)
            self.warn(lineno, message)

    # Tag handlers (see TAGS): each gets the line number and the stripped line.

    def _extinf(self, lineno: int, line: str) -> None:
        """``#EXTINF:<duration> attributes,<name>`` opens an entry; the usual shape skips the tokenizer."""
        if self.extinf is not None:
            self.warn(self.extinf[0], "#EXTINF without a URL; entry skipped")
        shaped = split_shape(line, 8)
        if shaped is not None:
            shape = self.shape_of(shaped[1])
            if shape is not None:
                self.extinf = (lineno, (shape, shaped[0]), shaped[2])
                self.entry_groups = None
                return
        attrs, name, problems = split_extinf(line[8:])
        for problem in problems:
            self.warn(lineno, problem)
        self.extinf = (lineno, attrs, name)
        self.entry_groups = None

    def _extm3u(self, lineno: int, line: str) -> None:
        """The header: guide URLs (all kept, in order, without repeats) and the defaults of the channels."""
        problems: list[str] = []
        pairs, _, stray = tokenize(line[7:], stop_at_comma=False, problems=problems)
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
            self.fields = self.builder.fields
            self.shape_of = self.builder.shape
        self.seen_header = True

    def _extvlcopt(self, lineno: int, line: str) -> None:
        """``#EXTVLCOPT:name=value`` (or Kodi's ``#EXTVLCOPT--name=value``): checked when the URL arrives."""
        self.options.append((lineno, line[10:].lstrip(":-")))

    def _extgrp(self, lineno: int, line: str) -> None:
        """``#EXTGRP:a;b``: groups for this and the following entries; inside an entry, added to its own."""
        self.groups = _split(line[8:] if line[7:8] == ":" else line[7:])
        if self.extinf is not None:
            if self.entry_groups is None:
                self.entry_groups = dict.fromkeys(self.groups)
            else:
                self.entry_groups.update(dict.fromkeys(self.groups))

    def _kodiprop(self, lineno: int, line: str) -> None:
        """``#KODIPROP:key=value``, kept for the entry; DRM licence properties dropped (libVLC plays no DRM)."""
        key, sep, value = line[10:].partition("=")
        key = key.strip()
        if not sep or not key:
            self.warn(lineno, "#KODIPROP without key=value; ignored")
            return
        lowered = key.lower()
        if any(word in lowered for word in _DRM_WORDS):
            self.warn(lineno, f"#KODIPROP {key!r} ignored: DRM is not supported")
            return
        self.properties.append((_KODIPROP_ALIASES.get(lowered, key), value.strip()))

    def _playlist_type(self, lineno: int, line: str) -> None:
        """``#EXT-X-PLAYLIST-TYPE:VOD`` marks the entry as media."""
        self.vod = self.vod or line[21:].strip().upper() == "VOD"

    def _unknown_tag(self, lineno: int, line: str) -> None:
        """Another ``#EXT`` tag: reported once per tag name."""
        name = line[:_TAG_NAME_END].upper().split(":", 1)[0].split()[0]
        self._report_once("tag " + name, lineno, f"tag {name} is not supported; ignored")

    def _comment(self, lineno: int, line: str) -> None:
        """A plain ``#`` comment."""

    # The line that closes an entry.

    def _url(self, lineno: int, line: str) -> None:
        """A line that is not a tag: the URL that closes the entry in progress (which is then built, or dropped
        with a warning), or junk (skipped with a warning, the entry goes on)."""
        if "|" in line or not line.startswith(("http://", "https://")):
            address = self._address(lineno, line)
            if address is None:
                return
            url, pipe_headers = address
        else:
            url, pipe_headers = line, None
        if url:
            headers: tuple[tuple[str, str], ...] = ()
            vlc_options: tuple[str, ...] = ()
            if self.options or pipe_headers:
                headers, vlc_options = player_settings(self.options, pipe_headers, self.warn)
            extinf = self.extinf
            if extinf is None:
                attrs: Attrs | Shaped = {}
                name = name_from_url(url)
                self.warn(lineno, f"URL without #EXTINF; called {name!r} after its URL")
            else:
                _, attrs, name = extinf
            groups = self.groups if self.entry_groups is None and not self.groups else self._entry_groups(attrs)
            properties = tuple(self.properties) if self.properties else ()
            self.rows.append(self.fields(lineno, attrs, name, url, groups, headers, vlc_options, properties, self.vod))
        self.extinf = None
        if self.options:
            self.options = []
        if self.properties:
            self.properties = []
        self.entry_groups = None
        self.vod = False

    def _address(self, lineno: int, line: str) -> tuple[str, dict[str, str] | None] | None:
        """For a URL line that is not plain http(s): (the URL to play, or "" when the entry is dropped; its
        ``|`` headers), or None when the line is junk."""
        if not line.startswith(("http://", "https://")) and not looks_like_url(line):
            self.warn(lineno, "not a URL or a tag; line skipped")
            return None
        url = line
        pipe_headers: dict[str, str] | None = None
        if "|" in line:
            url, pipe_headers = self._pipe(lineno, line)
            if not url:
                self.warn(lineno, "an entry's address is empty; entry skipped")
                return "", None
        if not url.startswith(("http://", "https://")):
            resolved = self.urls.resolve(url)
            if isinstance(resolved, Refusal):
                extinf = self.extinf
                name = extinf[2] if extinf is not None and extinf[2] else name_from_url(url)
                self.warn(lineno, f"channel {name!r} dropped: {resolved.reason}")
                return "", None
            url = resolved
        return url, pipe_headers

    def _pipe(self, lineno: int, line: str) -> tuple[str, dict[str, str]]:
        """``url|headers``: (the URL, its headers); header names the player cannot send are reported once."""
        url, _, tail = line.partition("|")
        headers, unsupported = read_pipe_headers(lineno, tail, self.warn)
        for name in unsupported:
            message = f"URL header {name!r} is not supported by the player; ignored (reported once)"
            self._report_once("header " + name.lower(), lineno, message)
        return url.strip(), headers

    def _entry_groups(self, attrs: Attrs | Shaped) -> tuple[str, ...]:
        """The ``#EXTGRP`` groups of the entry: its own, else the persisting ones unless it has a ``group-title``."""
        if self.entry_groups is not None:
            return tuple(self.entry_groups)
        if self.groups and _has_group_title(attrs):
            self.groups = ()  # a group-title ends the #EXTGRP run before it, as in Kodi
        return self.groups


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
