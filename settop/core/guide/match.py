"""Matching playlist channels to guide channels: manual mapping, then tvg-id, then normalised names; with a report."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from settop.core.models import Channel, GuideChannel

#: How a channel was matched, best first; the rank decides when a channel has several candidates.
HOW_MANUAL = "manual"
HOW_TVG_ID = "tvg-id"
HOW_TVG_NAME = "tvg-name"
HOW_NAME = "name"
_RANK = {HOW_MANUAL: 0, HOW_TVG_ID: 1, HOW_TVG_NAME: 2, HOW_NAME: 3}

#: Guide channels compared in detail (difflib) for each unmatched channel.
SHORTLIST = 20
_NOISE = re.compile(r"[^\w+]+")
_QUALITY = frozenset({"hd", "fhd", "uhd", "sd", "4k", "8k", "hevc", "h264", "h265", "1080p", "720p", "576p", "hq"})


def normalise_name(name: str) -> str:
    """Fold a name for comparison: no case, accents, punctuation or quality tags (``BBC One HD`` -> ``bbc one``)."""
    folded = unicodedata.normalize("NFKD", name.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c)).replace("_", " ")
    tokens = _NOISE.sub(" ", folded).split()
    while len(tokens) > 1 and tokens[-1] in _QUALITY:
        tokens.pop()
    return " ".join(tokens)


@dataclass(frozen=True, slots=True)
class Unmatched:
    """A playlist channel without guide data and the guide channels that look closest (ids with their names)."""

    key: str
    name: str
    tvg_id: str
    candidates: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MatchReport:
    """What matching achieved: ``matched`` maps channel key -> (guide channel id, how)."""

    matched: Mapping[str, tuple[str, str]]
    unmatched: tuple[Unmatched, ...]
    channels_total: int


class ChannelMatcher:
    """Collects candidate matches while guide channels stream by, then picks the best one per playlist channel.

    Several playlist channels may share one guide channel (HD and SD entries of one station).
    """

    def __init__(self, channels: Sequence[Channel], mappings: Mapping[str, str] | None = None) -> None:
        self.channels = tuple(channels)
        self._by_manual: dict[str, list[str]] = {}
        self._by_id: dict[str, list[str]] = {}
        self._by_tvg_name: dict[str, list[str]] = {}
        self._by_name: dict[str, list[str]] = {}
        keys = {c.key for c in self.channels}
        for key, guide_id in (mappings or {}).items():
            if key in keys and guide_id:
                self._by_manual.setdefault(guide_id, []).append(key)
        for channel in self.channels:
            if channel.tvg_id:
                self._by_id.setdefault(channel.tvg_id.casefold(), []).append(channel.key)
            if channel.tvg_name:
                self._by_tvg_name.setdefault(normalise_name(channel.tvg_name), []).append(channel.key)
            if channel.name:
                self._by_name.setdefault(normalise_name(channel.name), []).append(channel.key)
        self._best: dict[str, tuple[int, str]] = {}  # key -> (rank, guide id)
        self._wanted: dict[str, bool] = {}  # guide id -> has any candidate

    def _offer(self, keys: Iterable[str], rank: int, guide_id: str) -> bool:
        found = False
        for key in keys:
            found = True
            best = self._best.get(key)
            if best is None or rank < best[0]:
                self._best[key] = (rank, guide_id)
        return found

    def add_guide_channel(self, channel: GuideChannel) -> bool:
        """Consider a ``<channel>``; returns whether any playlist channel may use it."""
        gid = channel.id
        found = self._offer(self._by_manual.get(gid, ()), 0, gid)
        found |= self._offer(self._by_id.get(gid.casefold(), ()), 1, gid)
        for display in channel.display_names:
            norm = normalise_name(display)
            found |= self._offer(self._by_tvg_name.get(norm, ()), 2, gid)
            found |= self._offer(self._by_name.get(norm, ()), 3, gid)
        self._wanted[gid] = self._wanted.get(gid, False) or found
        return found

    def wants(self, guide_id: str) -> bool:
        """Whether programmes of ``guide_id`` may be needed; ids never declared by a ``<channel>`` match by id only."""
        wanted = self._wanted.get(guide_id)
        if wanted is None:
            wanted = self._offer(self._by_manual.get(guide_id, ()), 0, guide_id)
            wanted |= self._offer(self._by_id.get(guide_id.casefold(), ()), 1, guide_id)
            self._wanted[guide_id] = wanted
        return wanted

    def result(self) -> dict[str, tuple[str, str]]:
        """Final choice: channel key -> (guide channel id, how)."""
        names = {rank: how for how, rank in _RANK.items()}
        return {key: (gid, names[rank]) for key, (rank, gid) in self._best.items()}


class GuideIndex:
    """Normalised labels (id and display names) of guide channels with a token index, built once per report."""

    def __init__(self, guide_channels: Sequence[GuideChannel]) -> None:
        self.channels = tuple(guide_channels)
        self.labels = [[normalise_name(n) for n in (g.id, *g.display_names)] for g in self.channels]
        self.tokens: dict[str, set[int]] = {}
        for index, own in enumerate(self.labels):
            for label in own:
                for token in label.split():
                    self.tokens.setdefault(token, set()).add(index)
        # A token most channels share ("tv", "uk", "hd") says nothing about which one is meant.
        self._common = max(25, len(self.channels) // 10)

    def shortlist(self, tokens: Iterable[str], size: int = SHORTLIST) -> list[int]:
        """Up to ``size`` guide channels sharing the most telling tokens with ``tokens``."""
        shared: Counter[int] = Counter()
        for token in tokens:
            hits = self.tokens.get(token)
            if hits is not None and len(hits) <= self._common:
                shared.update(hits)
        return [number for number, _count in shared.most_common(size)]


def closest(channel: Channel, index: GuideIndex, limit: int = 3) -> tuple[str, ...]:
    """The guide channels whose ids or names look most like ``channel``, as ``"id (name)"`` strings."""
    wanted = [normalise_name(t) for t in (channel.tvg_name, channel.name, channel.tvg_id) if t]
    if not wanted:
        return ()
    scored: list[tuple[float, int]] = []
    matcher = difflib.SequenceMatcher(autojunk=False)
    for number in index.shortlist({tok for w in wanted for tok in w.split()}):
        best = 0.0
        for label in index.labels[number]:
            matcher.set_seq2(label)
            for w in wanted:
                matcher.set_seq1(w)
                if matcher.real_quick_ratio() > best and matcher.quick_ratio() > best:
                    best = max(best, matcher.ratio())
        if best >= 0.5:
            scored.append((best, number))
    scored.sort(key=lambda item: (-item[0], item[1]))
    out = []
    for _score, number in scored[:limit]:
        guide = index.channels[number]
        out.append(f"{guide.id} ({guide.display_names[0]})" if guide.display_names else guide.id)
    return tuple(out)


def build_report(
    channels: Sequence[Channel], matched: Mapping[str, tuple[str, str]], guide_channels: Sequence[GuideChannel]
) -> MatchReport:
    """The report a user acts on: what matched, and for each unmatched channel the closest guide channels."""
    index = GuideIndex(guide_channels)
    unmatched = tuple(Unmatched(c.key, c.name, c.tvg_id, closest(c, index)) for c in channels if c.key not in matched)
    return MatchReport(matched=dict(matched), unmatched=unmatched, channels_total=len(channels))
