"""From one playlist entry's raw attributes to Channel field values: numbers, groups, shifts, media, catch-up.

Catch-up is read by :mod:`settop.core.playlist.catchup_attrs`, keys are given by :mod:`settop.core.playlist.channel`.
"""

from __future__ import annotations

from operator import itemgetter
from typing import Any

from settop.core.models import Catchup
from settop.core.playlist.attrs import KEY_PART, Attrs, attr_key, attr_name
from settop.core.playlist.catchup_attrs import (
    XEEV_PREFIXES,
    CatchupRaw,
    HeaderDefaults,
    Warn,
    catchup_from,
    parse_hours,
)
from settop.core.playlist.catchup_attrs import quote as _quote
from settop.core.playlist.vlcopts import HEADER_OPTIONS, check_option

MAX_NUMBER = 9_999_999
_MISSING: Any = object()


def parse_number(value: str) -> tuple[int | None, int | None] | None:
    """``"5"`` -> (5, None); ``"5.1"`` -> (5, 1); None when it is not a channel number."""
    value = value.strip()
    if len(value) > 16:  # also keeps int() far from its 4,300-digit limit
        return None
    if value.isascii() and value.isdigit():
        number = int(value)
        return (number, None) if number <= MAX_NUMBER else None
    major, dot, minor = value.partition(".")
    digits = major.isascii() and major.isdigit() and minor.isascii() and minor.isdigit()
    if dot and digits and int(major) <= MAX_NUMBER and int(minor) <= MAX_NUMBER:
        return int(major), int(minor)
    return None


def split_groups(value: str) -> tuple[str, ...]:
    """``"News;HD"`` -> ("News", "HD"), dropping empty parts and repeats."""
    if ";" not in value:
        value = value.strip()
        return (value,) if value else ()
    return tuple(dict.fromkeys(part.strip() for part in value.split(";") if part.strip()))


_ID, _NAME, _LOGO, _GROUP, _CHNO, _CH_NUMBER, _RADIO, _SHIFT, _MEDIA = map(
    attr_key, ("tvg-id", "tvg-name", "tvg-logo", "group-title", "tvg-chno", "ch-number", "radio", "tvg-shift", "media")
)
_CATCHUP, _CATCHUP_TYPE, _CATCHUP_SOURCE, _CATCHUP_DAYS, _CATCHUP_CORRECTION, _TIMESHIFT, _TVG_REC = map(
    attr_key,
    ("catchup", "catchup-type", "catchup-source", "catchup-days", "catchup-correction", "timeshift", "tvg-rec"),
)
_CATCHUP_KEYS = (_CATCHUP, _CATCHUP_TYPE, _CATCHUP_SOURCE, _CATCHUP_DAYS, _CATCHUP_CORRECTION, _TIMESHIFT, _TVG_REC)
HEADER_ATTRIBUTES: tuple[tuple[str, str], ...] = (
    ("http-user-agent", "User-Agent"), ("user-agent", "User-Agent"),
    ("http-referrer", "Referer"), ("referrer", "Referer"), ("http-referer", "Referer"), ("referer", "Referer"),
)  # fmt: skip
"""``#EXTINF`` attributes read as the channel's headers (iptv-org and iptv-playlist-parser write them), in order of
precedence: the first one present gives the header. ``#EXTVLCOPT`` lines and the URL's ``|`` headers win over them."""
_HEADER_KEYS = tuple(attr_key(name) for name, _ in HEADER_ATTRIBUTES)
_MEDIA_KEYS = (attr_key("media-dir"), attr_key("media-size"))
_KNOWN: tuple[tuple[str, str | None], ...] = (
    (_ID, ""), (_NAME, ""), (_LOGO, ""), (_GROUP, None), (_CHNO, None), (_CH_NUMBER, None), (_RADIO, None),
    (_SHIFT, None), (_MEDIA, None), *((key, "") for key in _CATCHUP_KEYS), *((key, None) for key in _HEADER_KEYS),
)  # fmt: skip
"""The attributes :meth:`EntryBuilder.fields` reads, with the value an absent one reads as; the rest are kept raw."""
_KNOWN_KEYS = frozenset(key for key, _ in _KNOWN)
_CATCHUP_AT = slice(9, 9 + len(_CATCHUP_KEYS))
_HEADERS_AT = slice(_CATCHUP_AT.stop, None)
MAX_SHAPES = 256
"""Shapes (attribute name sequences) remembered per parse; a playlist past that reads the rest through dicts."""
MAX_EXTRA = 64
"""Unknown attributes kept per entry (``Channel.attrs``); the rest are dropped with a warning."""


class Shape:
    """How to read the ``#EXTINF`` attributes of one shape: the same names in the same order.

    Applied to the list of a line split on ``"`` (see :func:`settop.core.playlist.attrs.split_shape`: values at odd
    indexes, ``""`` at index 0 and None last), it gives what the pops of :meth:`EntryBuilder.fields` would give
    from the line's attribute dict, without building the dict.
    """

    __slots__ = ("catchup", "group_title", "headers", "known", "leftover", "leftover_names", "media_keys", "shared")

    def __init__(self, keys: list[str]) -> None:
        where = {key: 2 * i + 1 for i, key in enumerate(keys)}
        self.known = itemgetter(*(where.get(key, 0 if default == "" else -1) for key, default in _KNOWN))
        rest = [(attr_name(key), index) for key, index in where.items() if key not in _KNOWN_KEYS][:MAX_EXTRA]
        self.leftover_names = tuple(name for name, _ in rest)
        self.leftover = itemgetter(*(index for _, index in rest)) if rest else None
        self.catchup = any(key in where for key in _CATCHUP_KEYS)
        self.headers = any(key in where for key in _HEADER_KEYS)
        self.media_keys = any(key in where for key in _MEDIA_KEYS)
        self.group_title = _GROUP in where
        self.shared: dict[Any, tuple[tuple[str, str], ...]] = {}
        """Leftover pairs by their values: one shared tuple per distinct set."""

    def leftovers(self, parts: list[Any]) -> tuple[tuple[str, str], ...]:
        if self.leftover is None:
            return ()
        values = self.leftover(parts)
        shared = self.shared.get(values)
        if shared is None:
            if len(self.leftover_names) == 1:
                shared = ((self.leftover_names[0], values),)
            else:
                shared = tuple(zip(self.leftover_names, values, strict=True))
            self.shared[values] = shared
        return shared


Shaped = tuple[Shape, list[Any]]
"""An entry's attributes read through its :class:`Shape`: (shape, the line split on ``"``)."""


class EntryBuilder:
    """Turns one entry's attributes into Channel field values, applying the header's defaults."""

    def __init__(self, defaults: HeaderDefaults, warn: Warn) -> None:
        self.defaults = defaults
        self.warn = warn
        self._header_catchup = bool(defaults.catchup_mode or defaults.catchup_source)
        # Shared values: fewer objects to build, to hold and for the cyclic collector to walk afterwards.
        self._catchups: dict[CatchupRaw, Catchup | None] = {}
        self._shifts: dict[str, float] = {}
        self._groups: dict[str, tuple[str, ...]] = {}
        self._attrs: dict[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]] = {}
        self._shapes: dict[str, Shape | None] = {}

    def shape(self, signature: str) -> Shape | None:
        """The :class:`Shape` of a ``"``-joined attribute key sequence; None when a key is unusual or repeated
        (the tokenizer then reads the line and reports what it repairs)."""
        shape = self._shapes.get(signature, _MISSING)
        if shape is _MISSING:
            if len(self._shapes) >= MAX_SHAPES:
                return None
            keys = signature.split('"') if signature else []
            good = len(set(keys)) == len(keys) and all(KEY_PART.fullmatch(key) for key in keys)
            if good and len(keys) - len(_KNOWN_KEYS.intersection(keys)) > MAX_EXTRA:
                good = False  # the tokenizer's dict path reports what it drops
            shape = self._shapes[signature] = Shape(keys) if good else None
        return shape  # type: ignore[no-any-return]

    def fields(  # noqa: PLR0917 - called once per entry: positional is measurably faster
        self,
        line: int,
        attrs: Attrs | Shaped,
        name: str,
        url: str,
        groups: tuple[str, ...],
        headers: tuple[tuple[str, str], ...],
        vlc_options: tuple[str, ...],
        properties: tuple[tuple[str, str], ...],
        vod: bool,
    ) -> tuple[Any, ...]:
        """The Channel field values after ``key``, in declaration order (keys come from :func:`assign_keys`).

        ``attrs``: a dict (consumed: what is left after the known attributes is kept raw in ``Channel.attrs``),
        or the entry's :class:`Shape` and split line, read to the same values.
        ``groups``: the ``#EXTGRP`` groups; with a ``group-title`` they are added after its groups.
        ``headers``: from ``#EXTVLCOPT`` and the URL; they win over the entry's header attributes.
        """
        if type(attrs) is tuple:  # the usual entry, read through its shape (inline: once per entry)
            shape, parts = attrs
            raw = shape.known(parts)
            has_catchup, has_headers, media_keys = shape.catchup, shape.headers, shape.media_keys
            leftovers = shape.leftovers(parts)
        else:
            raw, has_catchup, has_headers, media_keys, leftovers = self._read_dict(line, attrs)  # type: ignore[arg-type]
        tvg_id, tvg_name, logo, group_title, chno, ch_number, radio_raw, shift_raw, media_raw = raw[:9]
        tvg_id = tvg_id.strip()
        tvg_name = tvg_name.strip()
        logo = logo.strip()
        if group_title is not None:
            titled = self._groups.get(group_title)
            groups = self._titled_groups(group_title, groups) if titled is None or groups else titled
        number = minor = None
        raw_number = chno or ch_number
        if raw_number:
            if raw_number.isdigit() and raw_number.isascii() and len(raw_number) < 8:
                number = int(raw_number)
            else:
                number, minor = self._number(line, raw_number)
        radio = radio_raw is not None and (radio_raw == "true" or radio_raw.strip().lower() == "true")
        shift = self.defaults.tvg_shift
        if shift_raw:
            shift = self._shifts.get(shift_raw, _MISSING)
            if shift is _MISSING:
                shift = self._shift(line, shift_raw)
        catchup = self._catchup(line, raw[_CATCHUP_AT], name, tvg_name) if self._header_catchup or has_catchup else None
        if has_headers:
            headers = self._attr_headers(line, raw[_HEADERS_AT], headers)
        media = vod or (media_raw is not None and media_raw.strip().lower() == "true") or media_keys
        if not name:
            name = self._unnamed(line, tvg_name, url)
        elif name == tvg_name:
            name = tvg_name  # one object for both: less memory, and the playlist cache stores and loads it once
        return (
            name,
            url,
            tvg_id,
            tvg_name,
            logo,
            groups,
            number,
            minor,
            radio,
            shift,
            catchup,
            headers,
            vlc_options,
            properties,
            leftovers,
            media,
            line,
        )

    def _read_dict(self, line: int, attrs: Attrs) -> tuple[tuple[Any, ...], bool, bool, bool, tuple[Any, ...]]:
        """(the :data:`_KNOWN` values, any catch-up attribute, any header attribute, media-dir/size, the rest).

        The dict is consumed: what is left after the known attributes is kept raw (at most :data:`MAX_EXTRA`).
        """
        has_catchup = not attrs.keys().isdisjoint(_CATCHUP_KEYS)
        has_headers = not attrs.keys().isdisjoint(_HEADER_KEYS)
        pop = attrs.pop
        raw = tuple([pop(key, default) for key, default in _KNOWN])
        media_keys = not attrs.keys().isdisjoint(_MEDIA_KEYS)
        if len(attrs) > MAX_EXTRA:
            self.warn(line, f"{len(attrs) - MAX_EXTRA} more unknown attributes than {MAX_EXTRA}; not kept")
            attrs = dict(list(attrs.items())[:MAX_EXTRA])
        return raw, has_catchup, has_headers, media_keys, self._shared_attrs(attrs) if attrs else ()

    def _titled_groups(self, group_title: str, groups: tuple[str, ...]) -> tuple[str, ...]:
        """The groups of ``group-title``, then the ``#EXTGRP`` groups not already in them."""
        titled = self._groups.get(group_title)
        if titled is None:
            titled = self._groups[group_title] = split_groups(group_title)
        return _merge(titled, groups) if groups else titled

    def _number(self, line: int, raw_number: str) -> tuple[int | None, int | None]:
        """``tvg-chno`` (or ``ch-number``) as (number, sub-number); a warning and no number when it is not one."""
        parsed = parse_number(raw_number)
        if parsed is None:
            self.warn(line, f"channel number {_quote(raw_number)} is not a number; ignored")
            return None, None
        return parsed

    def _shift(self, line: int, shift_raw: str) -> float:
        """``tvg-shift`` in hours, remembered when it is a number (the caller looks there first); the header's
        default, with a warning, when it is not one."""
        parsed_shift = parse_hours(shift_raw)
        if parsed_shift is None:
            if shift_raw.strip():
                self.warn(line, f"tvg-shift {_quote(shift_raw)} is not a number of hours; ignored")
            return self.defaults.tvg_shift
        self._shifts[shift_raw] = parsed_shift
        return parsed_shift

    def _attr_headers(
        self, line: int, values: tuple[str | None, ...], headers: tuple[tuple[str, str], ...]
    ) -> tuple[tuple[str, str], ...]:
        """The header attributes (:data:`HEADER_ATTRIBUTES`, values in that order) under ``headers``."""
        found: dict[str, str] = {}
        for (attribute, header), value in zip(HEADER_ATTRIBUTES, values, strict=True):
            if value is None or header in found:
                continue
            checked = check_option(f"{HEADER_OPTIONS[header]}={value}")
            if checked is None:
                self.warn(line, f"attribute {attribute!r} has an invalid value; ignored")
            else:
                found[header] = checked[1]
        if not found:
            return headers
        found.update(headers)
        return tuple(found.items())

    def _unnamed(self, line: int, tvg_name: str, url: str) -> str:
        """The name of an entry without one: its ``tvg-name``, else one made from its URL (with a warning)."""
        if tvg_name:
            return tvg_name
        name = name_from_url(url)
        self.warn(line, f"entry without a name; called {_quote(name)} after its URL")
        return name

    def _shared_attrs(self, attrs: Attrs) -> tuple[tuple[str, str], ...]:
        items = tuple(attrs.items())
        shared = self._attrs.get(items)
        if shared is None:
            shared = self._attrs[items] = tuple([(attr_name(key), value) for key, value in items])
        return shared

    def _catchup(self, line: int, values: tuple[str, ...], name: str, tvg_name: str) -> Catchup | None:
        """``values``: the attributes of :data:`_CATCHUP_KEYS`, in that order."""
        xeev = self.defaults.catchup_mode == "xc" and (name or tvg_name).startswith(XEEV_PREFIXES)
        raw: CatchupRaw = (*values, xeev)  # type: ignore[assignment]
        if raw in self._catchups:
            return self._catchups[raw]
        problems: list[str] = []
        catchup = catchup_from(raw, self.defaults, problems)
        if problems:
            for problem in problems:
                self.warn(line, problem)
        else:
            self._catchups[raw] = catchup
        return catchup


def name_from_url(url: str) -> str:
    """A readable name for an entry that has none: the last path segment without extension, else the host."""
    from urllib.parse import unquote, urlsplit

    try:
        parts = urlsplit(url)
    except ValueError:
        return "Unnamed channel"
    path = parts.path.rstrip("/")
    segment = unquote(path.rsplit("/", 1)[-1]) if path else ""
    stem = segment.rsplit(".", 1)[0] if "." in segment[1:] else segment
    return stem or parts.hostname or "Unnamed channel"


def _merge(first: tuple[str, ...], second: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*first, *second)))
