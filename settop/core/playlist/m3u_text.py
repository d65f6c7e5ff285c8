"""Playlist bytes to lines: decoding (BOMs, UTF-16 without one, legacy 8-bit), line breaks, and the per-line bounds.

Everything here works on the whole text at C speed and touches single lines only when the text needs it (a NUL
byte, an over-long line), so an ordinary playlist pays a few scans and nothing per line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from settop.core.models import ParseWarning

Warn = Callable[[int, str], None]

SPLIT_CHUNK = 1 << 20
"""Characters per ``str.splitlines`` call in :func:`split_lines` (each call holds the GIL about 1 ms)."""
MAX_LINE_CHARS = 128 * 1024
"""Longer lines are skipped with a warning: no channel's URL or attributes come near (a logo given inline as a
``data:`` URI is a few kilobytes); a 100 MB "URL" is not a channel, and reading it would cost its size many times."""
_EXOTIC_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_ASCII_BREAKS = tuple(char.encode() for char in _EXOTIC_BREAKS if char.isascii())
_OTHER_BREAKS = tuple(char for char in _EXOTIC_BREAKS if not char.isascii())
_UTF16_SAMPLE = 4096


class Decoded(NamedTuple):
    """Decoded playlist text, and what its bytes told at C speed (scanning the bytes is many times faster than
    scanning a text of non-Latin characters, which Python stores two or four bytes a character)."""

    text: str
    warning: ParseWarning | None
    nul: bool
    """The text may hold NUL characters."""
    breaks: bool | None
    """The text holds line breaks other than CR and LF (None: not known, :func:`split_lines` looks)."""


def decode(data: bytes) -> tuple[str, ParseWarning | None]:
    """Playlist bytes to text, with a warning (on the line of the first bad byte) when it was not UTF-8.

    UTF-8 or UTF-16 by BOM; UTF-16 without a BOM is recognised by its zero bytes (every other byte of an ASCII
    text) and read with a warning; else UTF-8 with a cp1252/latin-1 fallback.
    """
    decoded = decode_checked(data)
    return decoded.text, decoded.warning


def decode_checked(data: bytes) -> Decoded:
    """:func:`decode`, with what the bytes tell about NUL characters and unusual line breaks."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
        return Decoded(text, None, "\x00" in text, None)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    utf16 = utf16_without_bom(data)
    if utf16 is not None:
        text = data.decode(utf16, errors="replace")
        warning = ParseWarning(0, f"the playlist is {utf16.upper()} without a byte order mark; read as such")
        return Decoded(text, warning, "\x00" in text, None)
    nul = b"\x00" in data
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
    else:
        # The ASCII ones in the bytes (memchr); the others only where the text can hold them.
        breaks = any(char in data for char in _ASCII_BREAKS)
        breaks = breaks or (not text.isascii() and any(char in text for char in _OTHER_BREAKS))
        return Decoded(text, None, nul, breaks)
    try:
        text, encoding = data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        text, encoding = data.decode("latin-1"), "latin-1"
    return Decoded(text, ParseWarning(line, f"the playlist is not valid UTF-8; read as {encoding}"), nul, None)


def utf16_without_bom(data: bytes) -> str | None:
    """``"utf-16-le"`` or ``"utf-16-be"`` when ``data`` looks like UTF-16 text without a BOM, else None.

    In UTF-16 every character of the Latin, Greek, Cyrillic, Arabic ... ranges has one zero byte, always on the same
    side; text in UTF-8 or an 8-bit code has none. More than a third of the even (or odd) bytes of the first 4 KiB
    zero, and hardly any of the other side, is UTF-16.
    """
    sample = data[:_UTF16_SAMPLE]
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    pairs = len(sample) // 2
    if odd > pairs / 3 and even < pairs / 20:
        return "utf-16-le"
    if even > pairs / 3 and odd < pairs / 20:
        return "utf-16-be"
    return None


def split_lines(text: str, breaks: bool | None = None) -> list[str]:
    """Lines on LF, CRLF or CR only (``str.splitlines`` also breaks on form feeds and U+2028, which names use).

    breaks: whether the text holds such other breaks, when the caller knows (see :class:`Decoded`).
    """
    if breaks is None:
        breaks = any(char in text for char in _EXOTIC_BREAKS)  # eight fast scans beat one regex over the text
    if not breaks:
        if len(text) <= SPLIT_CHUNK:
            return text.splitlines()
        # In slices cut after a "\n" (so a "\r\n" stays whole): one splitlines over 40 MB holds the GIL ~50 ms,
        # which a GUI thread waiting on a parse in a worker would see as a stall.
        lines: list[str] = []
        start, end = 0, len(text)
        while start < end:
            cut = text.find("\n", start + SPLIT_CHUNK)
            stop = end if cut < 0 else cut + 1
            lines += text[start:stop].splitlines()
            start = stop
        return lines
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and not lines[-1]:
        lines.pop()
    return lines


def bound_lines(lines: list[str], warn: Warn) -> None:
    """Blank out lines longer than :data:`MAX_LINE_CHARS`, each with a warning.

    Costs one C-speed pass over the lengths when no line is long.
    """
    if lines and max(map(len, lines)) > MAX_LINE_CHARS:
        for index, line in enumerate(lines):
            if len(line) > MAX_LINE_CHARS:
                lines[index] = ""
                warn(index + 1, f"line of {len(line):,} characters is longer than {MAX_LINE_CHARS:,}; skipped")


def remove_nuls(lines: list[str], warn: Warn) -> None:
    """Remove NUL characters from ``lines``, with a warning per line (call it only when the text holds one)."""
    for index, line in enumerate(lines):
        if "\x00" in line:
            lines[index] = line.replace("\x00", "")
            warn(index + 1, "NUL characters removed from the line")
