"""Lenient reading of player-API JSON: numbers as strings, nulls, missing fields, lists sent as objects.

Panels differ and none follows a schema, so every reader here takes ``Any`` and returns a plain value or a default;
nothing raises on content. Only :func:`decode` raises, when a body is not JSON at all.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from typing import Any

_TRUE = frozenset({"1", "true", "yes", "on"})


class NotJson(ValueError):
    """A body that is not JSON; ``kind`` is ``html`` (a web page), ``empty`` or ``malformed``."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


def decode(data: bytes) -> Any:
    """The JSON value of ``data`` (UTF-8, BOM allowed); raises :class:`NotJson` saying what it was instead."""
    text = data.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    if not text:
        raise NotJson("empty")
    if text[0] == "<":
        raise NotJson("html")
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        raise NotJson("malformed") from None


def text(value: Any) -> str:
    """A string field: None and containers become "", numbers their text; surrounding space goes."""
    if value is None or isinstance(value, (dict, list, bool)):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def integer(value: Any) -> int | None:
    """An integer field sent as a number, a string (``"12"``, ``"12.0"``, ``" 7 "``) or not at all."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    number = real(value)
    return int(number) if number is not None else None


def real(value: Any) -> float | None:
    """A number field (float or int, maybe as text); None for anything else, NaN and infinities."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        try:
            number = float(str(value).strip().replace(",", "."))
        except ValueError:
            return None
    return number if math.isfinite(number) else None


def flag(value: Any) -> bool:
    """A 0/1 field sent as a number, a string or a boolean."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value != 0
    return text(value).lower() in _TRUE


def records(value: Any) -> list[dict[str, Any]]:
    """The objects of a list answer; some panels send ``{"1": {...}, "2": {...}}``, others null or ``[]``."""
    if isinstance(value, dict):
        value = list(value.values())
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, dict)]


def mapping(value: Any) -> dict[str, Any]:
    """An object field, or ``{}`` when it is missing, null or something else."""
    return value if isinstance(value, dict) else {}


def strings(value: Any) -> tuple[str, ...]:
    """A list of strings (``allowed_output_formats``); a single string counts as a list of one."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return ()
    return tuple(t for t in (text(item) for item in value) if t)


def maybe_base64(value: Any) -> str:
    """Short-EPG titles and descriptions are often base64: decode them when they are, else keep the text."""
    raw = text(value)
    if not raw or len(raw) % 4 or any(ch.isspace() for ch in raw):
        return raw
    try:
        decoded = base64.b64decode(raw, validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return raw
    return decoded if decoded.isprintable() else raw
