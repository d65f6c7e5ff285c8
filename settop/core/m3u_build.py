"""From one playlist entry's raw attributes to Channel field values: numbers, groups, shifts, media, catch-up.

Catch-up is read by :mod:`settop.core.m3u_catchup`, keys are given by :mod:`settop.core.m3u_channel`.
"""

from __future__ import annotations

from typing import Any

from settop.core.m3u_attrs import Attrs, attr_key, attr_name
from settop.core.m3u_catchup import XEEV_PREFIXES, CatchupRaw, HeaderDefaults, Warn, catchup_from, parse_hours
from settop.core.m3u_catchup import quote as _quote
from settop.core.models import Catchup

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
_MEDIA_KEYS = (attr_key("media-dir"), attr_key("media-size"))


class EntryBuilder:
    """Turns one entry's attributes into Channel field values, applying the header's defaults."""

    def __init__(self, defaults: HeaderDefaults, warn: Warn) -> None:
        self.defaults = defaults
        self.warn = warn
        self._header_catchup = bool(defaults.catchup_mode or defaults.catchup_source)
        # Shared values: fewer objects to build, to hold and for the cyclic collector to walk afterwards.
        self._catchups: dict[CatchupRaw, Catchup | None] = {}
        self._shifts: dict[str, float | None] = {}
        self._groups: dict[str, tuple[str, ...]] = {}
        self._attrs: dict[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]] = {}

    def fields(  # noqa: PLR0917 - called once per entry: positional is measurably faster
        self,
        line: int,
        attrs: Attrs,
        name: str,
        url: str,
        groups: tuple[str, ...],
        headers: tuple[tuple[str, str], ...],
        vlc_options: tuple[str, ...],
        properties: tuple[tuple[str, str], ...],
        vod: bool,
    ) -> tuple[Any, ...]:
        """The Channel field values after ``key``, in declaration order (keys come from :func:`assign_keys`).

        ``attrs`` is consumed: what is left after the known attributes is kept raw in ``Channel.attrs``.
        ``groups``: the ``#EXTGRP`` groups; with a ``group-title`` they are added after its groups.
        """
        pop = attrs.pop
        tvg_id = pop(_ID, "").strip()
        tvg_name = pop(_NAME, "").strip()
        logo = pop(_LOGO, "").strip()
        group_title = pop(_GROUP, None)
        if group_title is not None:
            titled = self._groups.get(group_title)
            if titled is None:
                titled = self._groups[group_title] = split_groups(group_title)
            groups = _merge(titled, groups) if groups else titled
        number = minor = None
        chno = pop(_CHNO, None)
        ch_number = pop(_CH_NUMBER, None)
        raw_number = chno or ch_number
        if raw_number:
            if raw_number.isdigit() and raw_number.isascii() and len(raw_number) < 8:
                number = int(raw_number)
            else:
                parsed = parse_number(raw_number)
                if parsed is None:
                    self.warn(line, f"channel number {_quote(raw_number)} is not a number; ignored")
                else:
                    number, minor = parsed
        radio_raw = pop(_RADIO, None)
        radio = radio_raw is not None and (radio_raw == "true" or radio_raw.strip().lower() == "true")
        shift = self.defaults.tvg_shift
        shift_raw = pop(_SHIFT, None)
        if shift_raw:
            parsed_shift = self._shifts.get(shift_raw, _MISSING)
            if parsed_shift is _MISSING:
                parsed_shift = self._shifts[shift_raw] = parse_hours(shift_raw)
            if parsed_shift is None:
                if shift_raw.strip():
                    self.warn(line, f"tvg-shift {_quote(shift_raw)} is not a number of hours; ignored")
            else:
                shift = parsed_shift
        if self._header_catchup or not attrs.keys().isdisjoint(_CATCHUP_KEYS):
            catchup = self._catchup(line, attrs, name, tvg_name)
        else:
            catchup = None
        media_raw = pop(_MEDIA, None)
        media = vod or (media_raw is not None and media_raw.strip().lower() == "true")
        if not media and not attrs.keys().isdisjoint(_MEDIA_KEYS):
            media = True
        if not name:
            name = tvg_name
            if not name:
                name = name_from_url(url)
                self.warn(line, f"entry without a name; called {_quote(name)} after its URL")
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
            self._shared_attrs(attrs) if attrs else (),
            media,
            line,
        )

    def _shared_attrs(self, attrs: Attrs) -> tuple[tuple[str, str], ...]:
        items = tuple(attrs.items())
        shared = self._attrs.get(items)
        if shared is None:
            shared = self._attrs[items] = tuple([(attr_name(key), value) for key, value in items])
        return shared

    def _catchup(self, line: int, attrs: Attrs, name: str, tvg_name: str) -> Catchup | None:
        pop = attrs.pop
        raw = (
            pop(_CATCHUP, ""),
            pop(_CATCHUP_TYPE, ""),
            pop(_CATCHUP_SOURCE, ""),
            pop(_CATCHUP_DAYS, ""),
            pop(_CATCHUP_CORRECTION, ""),
            pop(_TIMESHIFT, ""),
            pop(_TVG_REC, ""),
            self.defaults.catchup_mode == "xc" and (name or tvg_name).startswith(XEEV_PREFIXES),
        )
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
