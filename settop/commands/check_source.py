"""The playlist of `settop check`, read in pieces: a million entries never sit in memory as Channel objects at once.

The text is cut after a URL line every ``CHUNK`` entries (an entry's ``#EXTINF`` and options always stay with its
URL) and each piece is parsed on its own, with the ``#EXTM3U`` header line put in front so its defaults apply.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from settop.core.models import Channel
from settop.core.playlist import m3u
from settop.core.secrets import learn_playlist

CHUNK = 2000
LEARN_CHUNKS = 2
"""Secrets are learnt from the first pieces (a playlist repeats its credentials)."""


@dataclass(frozen=True, slots=True)
class PlaylistText:
    """A decoded playlist and how to resolve its entries."""

    text: str
    base_url: str
    remote: bool

    def channels(self, chunk: int = CHUNK) -> Iterator[Channel]:
        """Every channel, in order, parsed ``chunk`` entries at a time."""
        header = ""
        piece: list[str] = []
        urls = pieces = 0
        for line in _lines(self.text):
            stripped = line.strip()
            if not header and stripped[:7].upper() == "#EXTM3U":
                header = stripped
            piece.append(line)
            if stripped and stripped[0] != "#":
                urls += 1
                if urls >= chunk:
                    yield from self._parse(piece, header if pieces else "", pieces)
                    piece, urls, pieces = [], 0, pieces + 1
        if piece:
            yield from self._parse(piece, header if pieces else "", pieces)

    def _parse(self, piece: list[str], header: str, number: int) -> Iterator[Channel]:
        text = (header + "\n" if header else "") + "".join(piece)
        playlist = m3u.parse(text, base_url=self.base_url, remote=self.remote)
        if number < LEARN_CHUNKS:
            learn_playlist(playlist)
        return iter(playlist.channels)

    def survey(self) -> tuple[int, int]:
        """(how many channels, the longest name's length), in one parse that keeps nothing."""
        count = longest = 0
        for channel in self.channels():
            count += 1
            longest = max(longest, len(channel.name))
        return count, longest


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` with their ends, one at a time (no copy of the whole text: io.StringIO keeps four
    bytes a character)."""
    if "\n" not in text:
        text = text.replace("\r", "\n")  # old Mac line ends
    start, size = 0, len(text)
    while start < size:
        end = text.find("\n", start)
        end = size if end < 0 else end + 1
        yield text[start:end]
        start = end


def decoded(data: bytes, base_url: str, remote: bool) -> PlaylistText:
    """The playlist bytes as text (UTF-16 by BOM, UTF-8, else the parser's fallback)."""
    text, _warning = m3u.decode(data)
    return PlaylistText(text.removeprefix("\ufeff"), base_url, remote)
