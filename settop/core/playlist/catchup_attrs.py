"""Catch-up attributes of an M3U entry and the defaults of its header, read into a Catchup.

The reading chosen where Kodi's pvr.iptvsimple and OTT Navigator differ:

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
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from settop.core.models import Catchup

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
MAX_SHIFT_HOURS = 48.0
MAX_DAYS = 3650

Warn = Callable[[int, str], None]


@dataclass(frozen=True, slots=True)
class HeaderDefaults:
    """What an ``#EXTM3U`` header sets for every channel that does not say otherwise."""

    tvg_shift: float = 0.0
    catchup_mode: str = ""
    catchup_days: int | None = None
    catchup_source: str = ""
    catchup_correction: float | None = None


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
    if len(text) > 16:  # also keeps int() far from its 4,300-digit limit
        return None
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


def header_defaults(attrs: dict[str, str], line: int, warn: Warn) -> HeaderDefaults:
    """Read the channel defaults from the attributes of an ``#EXTM3U`` line."""
    shift = 0.0
    if "tvg-shift" in attrs:
        parsed = parse_hours(attrs["tvg-shift"])
        if parsed is None:
            warn(line, f"header tvg-shift {quote(attrs['tvg-shift'])} is not a number of hours; ignored")
        else:
            shift = parsed
    mode_raw = (attrs.get("catchup") or attrs.get("catchup-type") or "").strip().lower()
    mode = CATCHUP_MODES.get(mode_raw, "")
    if mode_raw and not mode:
        warn(line, f"header catch-up type {quote(mode_raw)} is not supported; ignored")
    days = None
    if "catchup-days" in attrs:
        days = parse_days(attrs["catchup-days"])
        if days is None:
            warn(line, f"header catchup-days {quote(attrs['catchup-days'])} is not a number of days; ignored")
    correction = None
    if "catchup-correction" in attrs:
        correction = parse_hours(attrs["catchup-correction"])
        if correction is None:
            warn(line, f"header catchup-correction {quote(attrs['catchup-correction'])} is not hours; ignored")
    return HeaderDefaults(shift, mode, days, attrs.get("catchup-source", "").strip(), correction)


CatchupRaw = tuple[str, str, str, str, str, str, str, bool]
"""catchup, catchup-type, catchup-source, catchup-days, catchup-correction, timeshift, tvg-rec, XEEV-marked."""


def catchup_from(raw: CatchupRaw, defaults: HeaderDefaults, problems: list[str]) -> Catchup | None:
    """The catch-up of one entry from its raw attributes and the header's defaults (see the module docstring)."""
    source = raw[2].strip()
    shift_days = _shift_days(raw, problems)
    mode = _mode(raw, defaults, source, shift_days, problems)
    if not mode:
        return None
    days: int | None = None
    if raw[3].strip():
        days = parse_days(raw[3])
        if days is None:
            problems.append(f"catchup-days {quote(raw[3])} is not a number of days; ignored")
    if days is None:
        days = defaults.catchup_days if defaults.catchup_days is not None else shift_days
    correction: float | None = None
    if raw[4].strip():
        correction = parse_hours(raw[4])
        if correction is None:
            problems.append(f"catchup-correction {quote(raw[4])} is not hours; ignored")
    if correction is None:
        correction = defaults.catchup_correction or 0.0
    return Catchup(mode, days, source or defaults.catchup_source, correction)


def _shift_days(raw: CatchupRaw, problems: list[str]) -> int:
    """The days of ``timeshift`` (or else ``tvg-rec``), 0 without either."""
    shift_days = 0
    for label, value in (("timeshift", raw[5]), ("tvg-rec", raw[6])):
        if value.strip():
            parsed = parse_days(value)
            if parsed is None:
                problems.append(f"{label} {quote(value)} is not a number of days; ignored")
            elif not shift_days:
                shift_days = parsed
    return shift_days


def _mode(raw: CatchupRaw, defaults: HeaderDefaults, source: str, shift_days: int, problems: list[str]) -> str:
    """The entry's catch-up mode: its own type, else the header's, else what its source or shift days imply
    ("" for none)."""
    mode_raw = (raw[0].strip() or raw[1].strip()).lower()
    if mode_raw:
        mode = CATCHUP_MODES.get(mode_raw, "")
        if not mode:
            problems.append(f"catch-up type {quote(mode_raw)} is not supported; catch-up off")
        return mode
    if defaults.catchup_mode == "xc":
        return "xc" if raw[7] else ""
    if defaults.catchup_mode:
        return defaults.catchup_mode
    if source:
        return "default"
    return "shift" if shift_days else ""


def quote(value: str, limit: int = 40) -> str:
    """A value for a warning: stripped, shortened, in quotes."""
    value = value.strip()
    return repr(value if len(value) <= limit else value[: limit - 1] + "…")
