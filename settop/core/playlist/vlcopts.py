"""The whitelist of per-media libVLC options a playlist may set, with a check of each value.

Playlist text reaches libVLC only through this module: the M3U parser keeps the options that pass
:func:`check_option`, and the player checks them again before ``Media.add_option_flag(":" + opt, 0)``.
``http-user-agent`` and ``http-referrer`` are carried as ``Channel.headers`` (``User-Agent``, ``Referer``);
the other allowed options as ``Channel.vlc_options``.
"""

from __future__ import annotations

import re

ALLOWED: frozenset[str] = frozenset(
    {"http-user-agent", "http-referrer", "program", "network-caching", "audio-language", "sub-language"}
)

HEADER_OPTIONS = {"User-Agent": "http-user-agent", "Referer": "http-referrer"}
"""The only HTTP headers libVLC 3 sends per media, and the option that sends each."""
OPTION_HEADERS = {option: header for header, option in HEADER_OPTIONS.items()}

MAX_VALUE_LENGTH = 1024
"""Longer values are refused: no real user agent or referrer comes near it."""

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_LANGUAGES = re.compile(r"[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*(?:,[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*)*")
_NUMERIC_LIMITS = {"program": 65535, "network-caching": 60000}


def option_name(option: str) -> str:
    """The name part of ``name=value`` (lower-cased, without a leading ``:`` or ``--``), for messages."""
    return option.partition("=")[0].strip().lstrip(":-").lower()


def check_option(option: str) -> tuple[str, str] | None:
    """Check one ``name=value`` option; returns ``(name, value)`` when it may be given to libVLC, else None.

    The name must be in :data:`ALLOWED`; the value must be non-empty, at most :data:`MAX_VALUE_LENGTH`
    characters, free of control characters (CR, LF, NUL, ...), a bounded non-negative integer for ``program``
    and ``network-caching``, and a comma list of language tags for ``audio-language`` and ``sub-language``.
    A leading ``:`` or ``--`` before the name is tolerated.
    """
    name, sep, value = option.partition("=")
    name = name.strip().lstrip(":-").lower()
    value = value.strip()
    if not sep or name not in ALLOWED or not value or len(value) > MAX_VALUE_LENGTH:
        return None
    if _CONTROL.search(value):
        return None
    limit = _NUMERIC_LIMITS.get(name)
    if limit is not None:
        if not (value.isascii() and value.isdigit()) or len(value) > 9 or int(value) > limit:
            return None
        return name, str(int(value))
    if name in ("audio-language", "sub-language") and not _LANGUAGES.fullmatch(value):
        return None
    return name, value
