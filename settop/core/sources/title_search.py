"""Films and series by title for the guide's search: case and accents ignored, best matches first.

Pure (no Qt) and made for a worker thread: the names are folded once, on the first search (or ``prepare``), into one
text per kind, and each keystroke is a few ``str.find`` calls over it, so 50,000 titles answer in about a
millisecond whatever the query (a word in every title is cut short after :data:`MAX_SCAN` matches).
"""

from __future__ import annotations

import threading
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from settop.core.sources.ondemand import Title

LIMIT = 8  # titles shown per group
MAX_SCAN = 2000  # matches ranked per group at most (a one-letter query matches nearly every title)


def fold(text: str) -> str:
    """Lower case without accents (``Amélie`` -> ``amelie``); other scripts keep their letters."""
    folded = text.casefold()
    if folded.isascii():
        return folded.replace("\n", " ")
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("\n", " ")


@dataclass(frozen=True, slots=True)
class TitleHits:
    """What a query found: films and series, best first, at most ``LIMIT`` each."""

    query: str
    movies: tuple[Title, ...] = ()
    series: tuple[Title, ...] = ()

    def __len__(self) -> int:
        return len(self.movies) + len(self.series)


class _Names:
    """One kind's folded names as one text (``\\n`` before each) and where each name starts in it."""

    def __init__(self, titles: Sequence[Title]) -> None:
        self.titles = titles
        self.folded = [fold(title.name) for title in titles]
        self.starts: list[int] = []
        offset = 0
        for name in self.folded:
            self.starts.append(offset + 1)
            offset += len(name) + 1
        self.text = "".join("\n" + name for name in self.folded)

    def find(self, needle: str, limit: int) -> tuple[Title, ...]:
        """Titles whose folded name contains ``needle``: the name itself, then names starting with it, then words
        starting with it, then the rest; library order within each."""
        found: list[tuple[int, int]] = []
        text, starts, folded = self.text, self.starts, self.folded
        position = text.find(needle)
        while position >= 0 and len(found) < MAX_SCAN:
            index = bisect_right(starts, position) - 1
            name, at = folded[index], position - starts[index]
            if name == needle:
                rank = 0
            elif at == 0:
                rank = 1
            elif not name[at - 1].isalnum():
                rank = 2
            else:
                rank = 3
            found.append((rank, index))
            following = starts[index + 1] if index + 1 < len(starts) else len(text)
            position = text.find(needle, following)
        found.sort()
        return tuple(self.titles[index] for _rank, index in found[:limit])


class TitleFinder:
    """The films and series of one library load; safe to use from one worker thread while the GUI holds it."""

    def __init__(self, movies: Sequence[Title], series: Sequence[Title]) -> None:
        self._titles = (movies, series)
        self._names: tuple[_Names, _Names] | None = None
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._titles[0]) + len(self._titles[1])

    def prepare(self) -> tuple[_Names, _Names]:
        """Fold the names (once; the first search does it when nobody did)."""
        with self._lock:
            if self._names is None:
                self._names = (_Names(self._titles[0]), _Names(self._titles[1]))
            return self._names

    def find(self, query: str, limit: int = LIMIT) -> TitleHits:
        needle = fold(query).strip()
        if not needle or not len(self):
            return TitleHits(query)
        movies, series = self.prepare()
        return TitleHits(query, movies.find(needle, limit), series.find(needle, limit))
