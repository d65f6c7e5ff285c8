"""Fast parsing of XMLTV date-times (``YYYYmmddHHMMSS +HHMM`` and the shorter and named-zone forms) to UTC epochs."""

from __future__ import annotations

import calendar
import re

#: Zone names real guides write instead of a numeric offset, in seconds east of UTC. XMLTV's own test data uses
#: ``BST`` for British Summer Time; the North American and European names follow common usage.
NAMED_ZONES: dict[str, int] = {
    "UTC": 0, "GMT": 0, "Z": 0, "UT": 0, "WET": 0,
    "BST": 3600, "IST": 3600, "WEST": 3600, "CET": 3600, "MET": 3600,
    "CEST": 7200, "MEST": 7200, "EET": 7200, "SAST": 7200,
    "EEST": 10800, "MSK": 10800,
    "EST": -18000, "EDT": -14400, "CST": -21600, "CDT": -18000,
    "MST": -25200, "MDT": -21600, "PST": -28800, "PDT": -25200,
    "AKST": -32400, "AKDT": -28800, "HST": -36000,
    "AST": -14400, "ADT": -10800, "NST": -12600, "NDT": -9000,
    "AWST": 28800, "ACST": 34200, "ACDT": 37800, "AEST": 36000, "AEDT": 39600,
    "NZST": 43200, "NZDT": 46800, "JST": 32400, "KST": 32400, "HKT": 28800,
}  # fmt: skip

_OFFSET = re.compile(r"([+-])(\d{1,2}):?(\d{2})?")
_DIGITS_LENGTHS = (14, 12, 10, 8, 6, 4)


class TimeFormatError(ValueError):
    """The text is not an XMLTV date-time."""


class TimeParser:
    """Turns XMLTV time strings into UTC epoch seconds, caching per-day epochs and zone offsets.

    default_offset: seconds east of UTC assumed when a time carries no zone.
    missing_zone: how many times parsed so far had no zone (callers report it once).
    """

    __slots__ = ("_days", "_zones", "default_offset", "missing_zone")

    def __init__(self, default_offset: int = 0) -> None:
        self.default_offset = default_offset
        self.missing_zone = 0
        self._days: dict[str, int] = {}
        self._zones: dict[str, int] = {}

    def parse(self, text: str) -> int:
        """Return UTC epoch seconds for ``text``; raises :class:`TimeFormatError` when it cannot be read."""
        # Fast path: "YYYYmmddHHMMSS +HHMM", the form nearly every guide uses.
        if len(text) == 20 and text[14] == " ":
            day = self._days.get(text[:8])
            offset = self._zones.get(text[15:])
            if day is not None and offset is not None and text[8:14].isdecimal():
                hour, minute, second = int(text[8:10]), int(text[10:12]), int(text[12:14])
                if hour <= 24 and minute <= 59 and second <= 60:
                    return day + hour * 3600 + minute * 60 + second - offset
        elif len(text) == 14 and text.isdecimal():  # no zone: the default offset, counted for the report
            day = self._days.get(text[:8])
            if day is not None:
                hour, minute, second = int(text[8:10]), int(text[10:12]), int(text[12:14])
                if hour <= 24 and minute <= 59 and second <= 60:
                    self.missing_zone += 1
                    return day + hour * 3600 + minute * 60 + second - self.default_offset
        return self._parse_slow(text)

    def _parse_slow(self, text: str) -> int:
        value = text.strip()
        digits = 0
        while digits < len(value) and value[digits].isdecimal():
            digits += 1
        if digits > 14 or digits not in _DIGITS_LENGTHS:
            raise TimeFormatError(f"not a time: {text!r}")
        body = value[:digits].ljust(14, "0")
        if digits < 8:  # "YYYY" or "YYYYmm": the first day of the period
            body = (value[:digits] + "0101"[digits - 4 :] + "000000").ljust(14, "0")
        rest = value[digits:]
        if rest.startswith("."):  # fractional seconds: drop them
            rest = rest.lstrip(".0123456789")
        offset = self._zone(rest.strip(), text)
        day = self._day(body[:8], text)
        try:
            hour, minute, second = int(body[8:10]), int(body[10:12]), int(body[12:14])
        except ValueError:
            raise TimeFormatError(f"not a time: {text!r}") from None
        if hour > 24 or minute > 59 or second > 60:
            raise TimeFormatError(f"not a time: {text!r}")
        return day + hour * 3600 + minute * 60 + second - offset

    def _day(self, ymd: str, text: str) -> int:
        day = self._days.get(ymd)
        if day is None:
            try:
                year, month, mday = int(ymd[:4]), int(ymd[4:6]), int(ymd[6:8])
                if not (1 <= month <= 12 and 1 <= mday <= calendar.monthrange(year, month)[1]):
                    raise TimeFormatError(f"not a date: {text!r}")
                day = calendar.timegm((year, month, mday, 0, 0, 0))
            except (ValueError, OverflowError):
                raise TimeFormatError(f"not a date: {text!r}") from None
            self._days[ymd] = day
        return day

    def _zone(self, zone: str, text: str) -> int:
        if not zone:
            self.missing_zone += 1
            return self.default_offset
        offset = self._zones.get(zone)
        if offset is not None:
            return offset
        match = _OFFSET.fullmatch(zone)
        if match:
            sign, hours, minutes = match.groups()
            if len(hours) == 1 and minutes is None:
                raise TimeFormatError(f"bad zone in {text!r}")
            if minutes is None and len(hours) == 2 and zone[1:].isdecimal():
                minutes = "00"
            value = int(hours) * 3600 + int(minutes or 0) * 60
            if value > 18 * 3600:
                raise TimeFormatError(f"bad zone in {text!r}")
            offset = -value if sign == "-" else value
        else:
            named = NAMED_ZONES.get(zone.upper())
            if named is None:
                raise TimeFormatError(f"unknown zone in {text!r}")
            offset = named
        self._zones[zone] = offset
        return offset


def parse_xmltv_time(text: str, default_offset: int = 0) -> int:
    """Parse one XMLTV time to UTC epoch seconds (a one-off :class:`TimeParser`)."""
    return TimeParser(default_offset).parse(text)
