"""From one playlist entry's raw attributes to a Channel: numbers, groups, shifts, catch-up, keys.

Catch-up (the reading chosen where Kodi's pvr.iptvsimple and OTT Navigator differ):

- The mode comes from ``catchup``, else ``catchup-type``; ``fs`` folds to ``flussonic``. Modes settop cannot
  build (``archive``, OTT's ``timeshift`` type, ``flussonic-dash``, ...) give a warning and no catch-up.
- Without a mode of its own a channel takes, in order: the header's ``xc`` "XEEV" mode only when its name
  starts with ``* `` or ``[+] `` (as Kodi does); the header's mode; ``default`` when it has a
  ``catchup-source``; ``shift`` when ``timeshift`` or ``tvg-rec`` is a positive number of days.
- ``timeshift`` and ``tvg-rec`` are both read as days, as Kodi reads them. OTT Navigator reads ``tvg-rec`` as a
  0/1 flag with larger numbers as days: ``tvg-rec="1"`` thus gives one day, which still turns catch-up on for
  an OTT user, and ``0`` turns nothing on in either reading.
- Days: the channel's ``catchup-days``, else the header's (applied even without a header ``catchup-source``),
  else ``timeshift``/``tvg-rec``, else 0, meaning "not stated: the player's default applies".
- Source: the channel's ``catchup-source``, else the header's (which Kodi reads and then forgets to apply).
- Correction: the channel's ``catchup-correction``, else the header's, in hours.
- ``default`` with an empty source is kept as is (Kodi then behaves as ``append``): the catch-up URL builder
  decides, since only it knows the settings.

Channel keys (:func:`assign_keys`): ``id:<tvg-id>`` (case-folded) when the entry has a ``tvg-id``, else
``name:<name>|<first group>`` (case-folded, spaces collapsed). The URL never takes part, so a provider rotating
tokens in it keeps the key, and no position does, so re-ordering keeps it too. When two entries share a
``tvg-id`` (SD and HD feeds of one channel) both get the name added, ``id:<tvg-id>|<name>``; whatever is still
shared gets ``#2``, ``#3`` ... in file order, the first keeping the plain key.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from typing import Any

from settop.core.m3u_attrs import Attrs, attr_key, attr_name
from settop.core.models import Catchup, Channel

CHANNEL_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Channel))
NAME, URL, TVG_ID, TVG_NAME, LOGO, GROUPS = range(6)
"""Indexes into a row: the Channel fields after ``key``."""

CATCHUP_MODES = {
    "default": "default",
    "append": "append",
    "shift": "shift",
    "flussonic": "flussonic",
    "fs": "flussonic",
    "flussonic-hls": "flussonic-hls",
    "flussonic-ts": "flussonic-ts",
    "xc": "xc",
    "vod": "vod",
}
XEEV_PREFIXES = ("* ", "[+] ")
MAX_NUMBER = 9_999_999
MAX_SHIFT_HOURS = 48.0
MAX_DAYS = 3650

Warn = Callable[[int, str], None]
_MISSING: Any = object()


class _ChannelShell:
    """Same slot layout as Channel but mutable: filled attribute by attribute, then re-classed as Channel.

    A frozen dataclass sets each of its 18 fields through ``object.__setattr__``; building 100,000 channels
    that way costs more than the rest of the parse, and a cached reload is mostly that. The shell sets the
    slots directly and then takes Channel's class, which Python allows for identical layouts. If Channel's
    fields ever differ from the shell's, :data:`make_channel` is plain ``Channel`` (checked at import).
    """

    __slots__ = CHANNEL_FIELDS


def _make_via_shell(  # noqa: PLR0917 - the positional order of Channel's fields is the point
    key: str,
    name: str,
    url: str,
    tvg_id: str,
    tvg_name: str,
    logo: str,
    groups: tuple[str, ...],
    number: int | None,
    number_minor: int | None,
    radio: bool,
    tvg_shift: float,
    catchup: Catchup | None,
    headers: tuple[tuple[str, str], ...],
    vlc_options: tuple[str, ...],
    properties: tuple[tuple[str, str], ...],
    attrs: tuple[tuple[str, str], ...],
    media: bool,
    line: int,
) -> Channel:
    shell = _ChannelShell()
    shell.key = key  # type: ignore[attr-defined]
    shell.name = name  # type: ignore[attr-defined]
    shell.url = url  # type: ignore[attr-defined]
    shell.tvg_id = tvg_id  # type: ignore[attr-defined]
    shell.tvg_name = tvg_name  # type: ignore[attr-defined]
    shell.logo = logo  # type: ignore[attr-defined]
    shell.groups = groups  # type: ignore[attr-defined]
    shell.number = number  # type: ignore[attr-defined]
    shell.number_minor = number_minor  # type: ignore[attr-defined]
    shell.radio = radio  # type: ignore[attr-defined]
    shell.tvg_shift = tvg_shift  # type: ignore[attr-defined]
    shell.catchup = catchup  # type: ignore[attr-defined]
    shell.headers = headers  # type: ignore[attr-defined]
    shell.vlc_options = vlc_options  # type: ignore[attr-defined]
    shell.properties = properties  # type: ignore[attr-defined]
    shell.attrs = attrs  # type: ignore[attr-defined]
    shell.media = media  # type: ignore[attr-defined]
    shell.line = line  # type: ignore[attr-defined]
    shell.__class__ = Channel  # type: ignore[assignment]
    return shell  # type: ignore[return-value]


def _pick_maker() -> Callable[..., Channel]:
    sample: tuple[Any, ...] = ("k", "n", "u", "i", "t", "l", ("g",), 1, 2, True, 1.5, Catchup("shift", 1))
    sample += ((("a", "b"),), ("c",), (), (("x", "y"),), True, 3)
    try:
        made = _make_via_shell(*sample)
        if type(made) is Channel and made == Channel(*sample) and len(CHANNEL_FIELDS) == len(sample):
            return _make_via_shell
    except (TypeError, ValueError, AttributeError):
        pass
    return Channel


make_channel: Callable[..., Channel] = _pick_maker()
"""Build a Channel from its field values in declaration order (positional), faster than ``Channel(...)``."""


@dataclass(frozen=True, slots=True)
class HeaderDefaults:
    """What an ``#EXTM3U`` header sets for every channel that does not say otherwise."""

    tvg_shift: float = 0.0
    catchup_mode: str = ""
    catchup_days: int | None = None
    catchup_source: str = ""
    catchup_correction: float | None = None


def parse_number(value: str) -> tuple[int | None, int | None] | None:
    """``"5"`` -> (5, None); ``"5.1"`` -> (5, 1); None when it is not a channel number."""
    value = value.strip()
    if value.isascii() and value.isdigit():
        number = int(value)
        return (number, None) if number <= MAX_NUMBER else None
    major, dot, minor = value.partition(".")
    digits = major.isascii() and major.isdigit() and minor.isascii() and minor.isdigit()
    if dot and digits and int(major) <= MAX_NUMBER and int(minor) <= MAX_NUMBER:
        return int(major), int(minor)
    return None


def parse_hours(value: str) -> float | None:
    """A time shift in hours (``-4.5``, ``+2``, ``-0,5``); None when not a finite, sane number."""
    try:
        hours = float(value.strip().replace(",", "."))
    except ValueError:
        return None
    if not math.isfinite(hours) or abs(hours) > MAX_SHIFT_HOURS:
        return None
    return hours


def parse_days(value: str) -> int | None:
    """A number of catch-up days (``"7"``, ``"3.0"``); None when not a sane non-negative number."""
    text = value.strip()
    if text.isascii() and text.isdigit():
        days = int(text)
    else:
        try:
            number = float(text)
        except ValueError:
            return None
        if not math.isfinite(number):
            return None
        days = int(number)
    return days if 0 <= days <= MAX_DAYS else None


def split_groups(value: str) -> tuple[str, ...]:
    """``"News;HD"`` -> ("News", "HD"), dropping empty parts and repeats."""
    if ";" not in value:
        value = value.strip()
        return (value,) if value else ()
    return tuple(dict.fromkeys(part.strip() for part in value.split(";") if part.strip()))


def header_defaults(attrs: dict[str, str], line: int, warn: Warn) -> HeaderDefaults:
    """Read the channel defaults from the attributes of an ``#EXTM3U`` line."""
    shift = 0.0
    if "tvg-shift" in attrs:
        parsed = parse_hours(attrs["tvg-shift"])
        if parsed is None:
            warn(line, f"header tvg-shift {_quote(attrs['tvg-shift'])} is not a number of hours; ignored")
        else:
            shift = parsed
    mode_raw = (attrs.get("catchup") or attrs.get("catchup-type") or "").strip().lower()
    mode = CATCHUP_MODES.get(mode_raw, "")
    if mode_raw and not mode:
        warn(line, f"header catch-up type {_quote(mode_raw)} is not supported; ignored")
    days = None
    if "catchup-days" in attrs:
        days = parse_days(attrs["catchup-days"])
        if days is None:
            warn(line, f"header catchup-days {_quote(attrs['catchup-days'])} is not a number of days; ignored")
    correction = None
    if "catchup-correction" in attrs:
        correction = parse_hours(attrs["catchup-correction"])
        if correction is None:
            warn(line, f"header catchup-correction {_quote(attrs['catchup-correction'])} is not hours; ignored")
    return HeaderDefaults(shift, mode, days, attrs.get("catchup-source", "").strip(), correction)


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


CatchupRaw = tuple[str, str, str, str, str, str, str, bool]
"""catchup, catchup-type, catchup-source, catchup-days, catchup-correction, timeshift, tvg-rec, XEEV-marked."""


def catchup_from(raw: CatchupRaw, defaults: HeaderDefaults, problems: list[str]) -> Catchup | None:
    """The catch-up of one entry from its raw attributes and the header's defaults (see the module docstring)."""
    mode_raw = (raw[0].strip() or raw[1].strip()).lower()
    source = raw[2].strip()
    shift_days = 0
    for label, value in (("timeshift", raw[5]), ("tvg-rec", raw[6])):
        if value.strip():
            parsed = parse_days(value)
            if parsed is None:
                problems.append(f"{label} {_quote(value)} is not a number of days; ignored")
            elif not shift_days:
                shift_days = parsed
    if mode_raw:
        mode = CATCHUP_MODES.get(mode_raw, "")
        if not mode:
            problems.append(f"catch-up type {_quote(mode_raw)} is not supported; catch-up off")
            return None
    elif defaults.catchup_mode == "xc":
        mode = "xc" if raw[7] else ""
    elif defaults.catchup_mode:
        mode = defaults.catchup_mode
    elif source:
        mode = "default"
    elif shift_days:
        mode = "shift"
    else:
        mode = ""
    if not mode:
        return None
    days: int | None = None
    if raw[3].strip():
        days = parse_days(raw[3])
        if days is None:
            problems.append(f"catchup-days {_quote(raw[3])} is not a number of days; ignored")
    if days is None:
        days = defaults.catchup_days if defaults.catchup_days is not None else shift_days
    correction: float | None = None
    if raw[4].strip():
        correction = parse_hours(raw[4])
        if correction is None:
            problems.append(f"catchup-correction {_quote(raw[4])} is not hours; ignored")
    if correction is None:
        correction = defaults.catchup_correction or 0.0
    return Catchup(mode, days, source or defaults.catchup_source, correction)


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


def normalise(text: str) -> str:
    """Case-folded with runs of white space collapsed: the form keys compare names in."""
    return " ".join(text.casefold().split())


def assign_keys(rows: Sequence[Sequence[Any]]) -> list[str]:
    """The key of every row (Channel fields without the key) as the module docstring describes."""
    primary = [
        "id:" + row[TVG_ID].casefold() if row[TVG_ID] else f"name:{normalise(row[NAME])}|{_first_group(row)}"
        for row in rows
    ]
    if len(set(primary)) == len(primary):
        return primary
    counts = Counter(primary)
    keys = [
        f"{key}|{normalise(row[NAME])}" if counts[key] > 1 and key.startswith("id:") else key
        for key, row in zip(primary, rows, strict=True)
    ]
    counts = Counter(keys)
    seen: Counter[str] = Counter()
    for index, key in enumerate(keys):
        if counts[key] > 1:
            seen[key] += 1
            if seen[key] > 1:
                keys[index] = f"{key}#{seen[key]}"
    return keys


def _merge(first: tuple[str, ...], second: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*first, *second)))


def _first_group(row: Sequence[Any]) -> str:
    groups: tuple[str, ...] = row[GROUPS]
    return normalise(groups[0]) if groups else ""


def _quote(value: str, limit: int = 40) -> str:
    value = value.strip()
    return repr(value if len(value) <= limit else value[: limit - 1] + "…")
