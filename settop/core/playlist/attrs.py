"""Tokenizer for the attribute lists of ``#EXTINF`` and ``#EXTM3U`` lines, and the one fast path in front of it.

An ``#EXTINF`` body is ``<duration> key="value" key='value' key=value ...,<display name>``. Names are
lower-cased (``tvg-ID`` is ``tvg-id``); a value may hold commas, ``=`` and the other quote; the display name
starts after the first comma outside quotes and may itself hold commas and quotes.

Almost every real line is ``-1 key="value" key="value",Name`` with lower-case names and single spaces:
:func:`split_shape` recognises exactly that shape with one split on ``"`` (the parser's only fast path; the
caller checks each shape's keys once, see :class:`settop.core.playlist.build.Shape`). Anything else goes through
the character tokenizer (:func:`split_extinf`, :func:`tokenize`), which gives the same result on the lines both
accept and repairs the rest: an unterminated quote (``x-tvg-url="a.xml catchup-correction="-2.5"``, as in Kodi's
own README) is closed before the attribute it swallowed, attributes without a space between them are split,
stray words are reported, and a line without a comma takes its stray words as the name.

Bounded whatever the line: at most :data:`MAX_ATTRIBUTES` attributes and :data:`MAX_STRAY` stray words are kept
and at most :data:`MAX_LINE_PROBLEMS` problems are reported per line (a line of a million quotes is read in one
pass and costs no more memory than a short one).
"""

from __future__ import annotations

import re
from typing import Any

_DURATION = re.compile(r"[-+]?\d+(?:\.\d*)?")
_SHAPE_DURATION = re.compile(r"-?\d+(?:\.\d+)?")
KEY_PART = re.compile(r" [a-z0-9][a-z0-9_.-]*=")
"""One ``' key='`` of the usual shape's attribute section (see :func:`split_shape`)."""
MAX_ATTRIBUTES = 256
"""Attributes read from one line; the rest are skipped with one problem."""
MAX_STRAY = 16
"""Stray words kept from one line (for the name of a line without a comma, and the message)."""
_SHAPE_QUOTES = 2 * MAX_ATTRIBUTES + 2
_COMMA_OR_QUOTE = re.compile(r"""[,"']""")
MAX_LINE_PROBLEMS = 8
"""Problems reported for one line; one more says that there were more."""

Pairs = list[tuple[str, str]]
Attrs = dict[str, str]
"""Attributes keyed as they appear on the common line, ``' tvg-id='``: see :func:`attr_key`."""


def attr_key(name: str) -> str:
    """The key :data:`Attrs` uses for an attribute name (saves building 1.2M name strings per 100k channels)."""
    return f" {name}="


def attr_name(key: str) -> str:
    """The attribute name of an :data:`Attrs` key."""
    return key[1:-1]


def add_problem(problems: list[str], message: str) -> None:
    """Append ``message`` unless the line already has :data:`MAX_LINE_PROBLEMS`; then say once that more were."""
    if len(problems) < MAX_LINE_PROBLEMS:
        problems.append(message)
    elif len(problems) == MAX_LINE_PROBLEMS:
        problems.append("more problems on this line not shown")


def split_shape(line: str, start: int) -> tuple[list[Any], str, str] | None:
    """For ``line[start:]`` of the usual shape ``<duration> key="value" ...,Name`` (or ``<duration>,Name``; a name
    free of quotes): the line split on ``"`` with ``""`` at index 0 and None last (values at odd indexes), the
    ``"``-joined attribute keys (``' tvg-id=" tvg-name='``: its shape; ``""`` without attributes), and the name;
    else None. The keys are not checked here: the caller checks each shape once (``KEY_PART``, no repeats) and
    sends lines of a bad one to :func:`split_extinf`, which reads every line this accepts to the same values.
    """
    parts: list[Any] = line.split('"', _SHAPE_QUOTES)
    if not len(parts) & 1 or len(parts) > _SHAPE_QUOTES:  # a line of more quotes is the tokenizer's (bounded)
        return None
    head = parts[0]
    if head.startswith(("-1 ", "-1,"), start):
        cut = start + 2
    else:
        duration = _SHAPE_DURATION.match(head, start)
        if duration is None:
            return None
        cut = duration.end()
    tail = head[cut:] if len(parts) == 1 else parts[-1]
    if tail[:1] == ",":
        name = tail[1:].strip()
    elif tail[:2] == " ,":
        name = tail[2:].strip()
    else:
        return None
    if len(parts) == 1:
        return ["", None], "", name
    if head[cut : cut + 1] != " ":  # ``-1"x",N``: no key before the first quote ("" is the shape of no attributes)
        return None
    parts[0] = head[cut:]
    shape = '"'.join(parts[:-1:2])
    parts[0] = ""
    parts[-1] = None
    return parts, shape, name


def split_extinf(body: str) -> tuple[Attrs, str, list[str]]:
    """Split the text after ``#EXTINF:`` into (attributes, display name, problems found): the tokenizer.

    Attribute names are lower-cased, values kept exactly, the first of a repeated attribute wins.
    ``problems`` are short readable messages about what was repaired or ignored (never raised).
    """
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
            add_problem(problems, f"stray text in #EXTINF attributes ignored: {_short(' '.join(stray))}")
    else:
        name = " ".join(stray)
        add_problem(problems, "#EXTINF without a comma before the name")
    attrs: Attrs = {}
    for attr, value in pairs:
        key = attr_key(attr)
        if key in attrs:
            add_problem(problems, f"attribute {_short(attr_name(key))!r} given twice; the first is used")
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
            if len(stray) > MAX_STRAY:
                return pairs, _skip_to_comma(text, i, stop_at_comma), _too_many(stray, problems)
            continue
        j = i
        while j < n and text[j] not in "=,\"'" and not text[j].isspace():
            j += 1
        if j == i or j >= n or text[j] != "=":
            j = max(j, i + 1)
            stray.append(text[i:j])
            i = j
            if len(stray) > MAX_STRAY:
                return pairs, _skip_to_comma(text, i, stop_at_comma), _too_many(stray, problems)
            continue
        key = text[i:j].lower()
        k = j + 1
        if k < n and text[k] in "\"'":
            quote = text[k]
            end = text.find(quote, k + 1)
            if end < 0:
                stop = _unquoted_end(text, k + 1, stop_at_comma)
                value = text[k + 1 : stop]
                add_problem(problems, f"unterminated quote in attribute '{_short(key)}'")
                i = stop
            else:
                value = text[k + 1 : end]
                i = end + 1
                if i < n and text[i] != "," and not text[i].isspace():
                    swallowed = _swallowed_key(value)
                    if swallowed is not None:
                        add_problem(problems, f"unterminated quote in attribute '{_short(key)}' repaired")
                        i = k + 1 + swallowed[1]
                        value = value[: swallowed[0]]
        else:
            stop = _unquoted_end(text, k, stop_at_comma)
            value = text[k:stop]
            i = stop
        if len(pairs) < MAX_ATTRIBUTES:
            pairs.append((key, value))
        else:
            add_problem(problems, f"more than {MAX_ATTRIBUTES} attributes; the rest are ignored")
            return pairs, _skip_to_comma(text, i, stop_at_comma), stray


def _skip_to_comma(text: str, start: int, stop_at_comma: bool) -> int:
    """Where :func:`tokenize` would stop, found at C speed for the rest of a line past its caps: the first comma
    outside quotes (quoted runs are opaque, as the tokenizer reads them), else the end."""
    n = len(text)
    if not stop_at_comma:
        return n
    i = start
    while True:
        special = _COMMA_OR_QUOTE.search(text, i)
        if special is None:
            return n
        if special.group() == ",":
            return special.start()
        close = text.find(special.group(), special.start() + 1)
        if close < 0:
            return n
        i = close + 1


def _too_many(stray: list[str], problems: list[str]) -> list[str]:
    add_problem(problems, f"more than {MAX_STRAY} stray words; the rest of the attributes are ignored")
    return stray[:MAX_STRAY]


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
