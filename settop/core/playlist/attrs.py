"""Tokenizer for the attribute lists of ``#EXTINF`` and ``#EXTM3U`` lines, with a fast path for the usual shape.

An ``#EXTINF`` body is ``<duration> key="value" key='value' key=value ...,<display name>``. Names are
lower-cased (``tvg-ID`` is ``tvg-id``); a value may hold commas, ``=`` and the other quote; the display name
starts after the first comma outside quotes and may itself hold commas and quotes.

Almost every real line is ``-1 key="value" key="value",Name`` with lower-case names and single spaces: one
regular expression recognises exactly that shape (:data:`_FAST_EXTINF`), a split on ``"`` cuts it into names
and values, and anything else (or a repeated name) goes through the character
tokenizer :func:`tokenize`, which gives the same result on the lines both accept and repairs the rest:
an unterminated quote (``x-tvg-url="a.xml catchup-correction="-2.5"``, as in Kodi's own README) is closed
before the attribute it swallowed, attributes without a space between them are split, stray words are
reported, and a line without a comma takes its stray words as the name.
"""

from __future__ import annotations

import re
from typing import Any

_FAST_EXTINF = re.compile(r'[ \t]*-?\d+(?:\.\d+)?((?: [a-z0-9][a-z0-9_.-]*="[^"]*")*) ?,')
_DURATION = re.compile(r"[-+]?\d+(?:\.\d*)?")
KEY_PART = re.compile(r" [a-z0-9][a-z0-9_.-]*=")
"""One ``' key='`` of :data:`_FAST_EXTINF`'s attribute section."""
_KNOWN_KEYS: set[str] = set()
_MAX_KNOWN_KEYS = 4096

Pairs = list[tuple[str, str]]
Attrs = dict[str, str]
"""Attributes keyed as they appear on the common line, ``' tvg-id='``: see :func:`attr_key`."""


def attr_key(name: str) -> str:
    """The key :data:`Attrs` uses for an attribute name (saves building 1.2M name strings per 100k channels)."""
    return f" {name}="


def attr_name(key: str) -> str:
    """The attribute name of an :data:`Attrs` key."""
    return key[1:-1]


def split_extinf(body: str) -> tuple[Attrs, str, list[str]]:
    """Split the text after ``#EXTINF:`` into (attributes, display name, problems found).

    Attribute names are lower-cased, values kept exactly, the first of a repeated attribute wins.
    ``problems`` are short readable messages about what was repaired or ignored (never raised).
    """
    return split_extinf_at(body, 0)


def split_extinf_at(line: str, start: int) -> tuple[Attrs, str, list[str]]:
    """:func:`split_extinf` of ``line[start:]``, without copying the line for the usual shape.

    First a split on ``"`` alone, for ``-1 key="value" ...,Name`` with a name free of quotes: it accepts only
    what :data:`_FAST_EXTINF` accepts and reads it the same way, with each ``' key='`` checked once against
    :data:`KEY_PART` and then remembered; then the regular expression; then the tokenizer.
    """
    parts = line.split('"')
    if len(parts) > 2 and parts[0].startswith("-1 ", start):
        tail = parts.pop()
        if tail[:1] == "," or tail[:2] == " ,":
            parts[0] = parts[0][start + 2 :]
            keys = parts[::2]
            if _KNOWN_KEYS.issuperset(keys) or _known(keys):
                pairs = iter(parts)
                attrs = dict(zip(pairs, pairs, strict=False))
                if 2 * len(attrs) == len(parts):
                    return attrs, tail[tail.index(",") + 1 :].strip(), []
    match = _FAST_EXTINF.match(line, start)
    if match is not None:
        section = match.group(1)
        name = line[match.end() :].strip()
        if not section:
            return {}, name, []
        parts = section.split('"')  # [' a=', 'x', ' b=', 'y', ''] -> {' a=': 'x', ' b=': 'y'}
        pairs = iter(parts)
        attrs = dict(zip(pairs, pairs, strict=False))
        if 2 * len(attrs) + 1 == len(parts):
            return attrs, name, []
    return _split_extinf_slow(line[start:])


def split_shape(line: str, start: int) -> tuple[list[Any], str, str] | None:
    """For ``line[start:]`` of the usual shape ``-1 key="value" ...,Name`` (a name free of quotes): the line split
    on ``"`` with ``""`` at index 0 and None last (values at odd indexes), the ``"``-joined attribute keys
    (``' tvg-id=" tvg-name='``: its shape), and the name; else None. The keys are not checked here: the caller
    checks each shape once (``KEY_PART``, no repeats) and sends lines of a bad one to :func:`split_extinf_at`.
    """
    parts: list[Any] = line.split('"')
    if len(parts) < 3 or not len(parts) & 1 or not parts[0].startswith("-1 ", start):
        return None
    tail = parts[-1]
    if tail[:1] == ",":
        name = tail[1:].strip()
    elif tail[:2] == " ,":
        name = tail[2:].strip()
    else:
        return None
    parts[0] = parts[0][start + 2 :]
    shape = '"'.join(parts[:-1:2])
    parts[0] = ""
    parts[-1] = None
    return parts, shape, name


def _known(keys: list[str]) -> bool:
    """True when every one of ``keys`` is an attribute key of the usual shape; remembers them (bounded)."""
    for key in keys:
        if key not in _KNOWN_KEYS:
            if KEY_PART.fullmatch(key) is None:
                return False
            if len(_KNOWN_KEYS) < _MAX_KNOWN_KEYS:
                _KNOWN_KEYS.add(key)
    return True


def _split_extinf_slow(body: str) -> tuple[Attrs, str, list[str]]:
    problems: list[str] = []
    n = len(body)
    i = 0
    while i < n and body[i].isspace():
        i += 1
    duration = _DURATION.match(body, i)
    if duration is not None and (duration.end() == n or body[duration.end()].isspace() or body[duration.end()] == ","):
        i = duration.end()
    else:
        problems.append("#EXTINF without a duration")
    pairs, stop, stray = tokenize(body, i, stop_at_comma=True, problems=problems)
    if stop < n:
        name = body[stop + 1 :].strip()
        if stray:
            problems.append(f"stray text in #EXTINF attributes ignored: {_short(' '.join(stray))}")
    else:
        name = " ".join(stray)
        problems.append("#EXTINF without a comma before the name")
    attrs: Attrs = {}
    for attr, value in pairs:
        key = attr_key(attr)
        if key in attrs:
            problems.append(f"attribute {_short(attr_name(key))!r} given twice; the first is used")
        else:
            attrs[key] = value
    return attrs, name, problems


def tokenize(text: str, start: int = 0, *, stop_at_comma: bool, problems: list[str]) -> tuple[Pairs, int, list[str]]:
    """Read ``key=value`` attributes from ``text[start:]``.

    Returns (pairs with lower-cased names, the index of the first comma outside quotes or ``len(text)``,
    stray words that were not attributes). With ``stop_at_comma`` False (the ``#EXTM3U`` header) commas are
    ordinary characters, so ``x-tvg-url=a.xml,b.xml`` is one value. Repairs are appended to ``problems``.
    """
    pairs: Pairs = []
    stray: list[str] = []
    n = len(text)
    i = start
    while True:
        while i < n and text[i].isspace():
            i += 1
        if i >= n:
            return pairs, n, stray
        char = text[i]
        if char == "," and stop_at_comma:
            return pairs, i, stray
        if char in "\"'":
            end = text.find(char, i + 1)
            end = n - 1 if end < 0 else end
            stray.append(text[i : end + 1])
            i = end + 1
            continue
        j = i
        while j < n and text[j] not in "=,\"'" and not text[j].isspace():
            j += 1
        if j == i or j >= n or text[j] != "=":
            j = max(j, i + 1)
            stray.append(text[i:j])
            i = j
            continue
        key = text[i:j].lower()
        k = j + 1
        if k < n and text[k] in "\"'":
            quote = text[k]
            end = text.find(quote, k + 1)
            if end < 0:
                stop = _unquoted_end(text, k + 1, stop_at_comma)
                value = text[k + 1 : stop]
                problems.append(f"unterminated quote in attribute '{_short(key)}'")
                i = stop
            else:
                value = text[k + 1 : end]
                i = end + 1
                if i < n and text[i] != "," and not text[i].isspace():
                    swallowed = _swallowed_key(value)
                    if swallowed is not None:
                        problems.append(f"unterminated quote in attribute '{_short(key)}' repaired")
                        i = k + 1 + swallowed[1]
                        value = value[: swallowed[0]]
        else:
            stop = _unquoted_end(text, k, stop_at_comma)
            value = text[k:stop]
            i = stop
        pairs.append((key, value))


def _swallowed_key(value: str) -> tuple[int, int] | None:
    """For ``'a.xml catchup-correction='``: (end of the real value, start of the swallowed name), else None.

    Scans back from the end (a regex search here is quadratic in a long run of spaces).
    """
    if not value.endswith("="):
        return None
    start = len(value) - 1
    while start > 0 and not value[start - 1].isspace() and value[start - 1] not in "=\"',":
        start -= 1
    if start == len(value) - 1 or start == 0 or not value[start - 1].isspace():
        return None
    end = start - 1
    while end > 0 and value[end - 1].isspace():
        end -= 1
    return end, start


def _unquoted_end(text: str, start: int, stop_at_comma: bool) -> int:
    n = len(text)
    i = start
    while i < n and not text[i].isspace() and not (stop_at_comma and text[i] == ","):
        i += 1
    return i


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
