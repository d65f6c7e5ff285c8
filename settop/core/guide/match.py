"""Matching playlist channels to guide channels, strongest rule first; with a report that names each match's rule.

Rules, best first: a manual mapping; ``tvg-id`` (no case); ``tvg-id`` without an ``@feed`` suffix (iptv-org's
``3sat.de@SD`` against ``3sat.de``, either side); ``tvg-name``, then the channel name, against display names with
case, accents, punctuation and trailing quality tags folded (:func:`normalise_name`); the same two with decorations
removed as well (:func:`loose_name`: resolution and status tags in brackets, country prefixes and suffixes such as
``FR:``, ``|FR|``, ``FR -``, ``.fr``, and every space, so ``AlJazeera`` is ``Al Jazeera``). A guide channel that a
rule matched is not given to other playlist channels by a weaker rule.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from settop.core.models import Channel, GuideChannel
from settop.i18n import N_

#: How a channel was matched, best first; the rank decides when a channel has several candidates.
HOW_MANUAL = "manual"
HOW_TVG_ID = "tvg-id"
HOW_FEED_ID = "tvg-id without @feed"
HOW_TVG_NAME = "tvg-name"
HOW_NAME = "name"
HOW_LOOSE_TVG_NAME = "tvg-name without decorations"
HOW_LOOSE_NAME = "name without decorations"
RULE_LABELS = {
    HOW_MANUAL: N_("manual"), HOW_TVG_ID: N_("tvg-id"), HOW_FEED_ID: N_("tvg-id without @feed"),
    HOW_TVG_NAME: N_("tvg-name"), HOW_NAME: N_("name"), HOW_LOOSE_TVG_NAME: N_("tvg-name without decorations"),
    HOW_LOOSE_NAME: N_("name without decorations"),
}  # fmt: skip
"""Each rule as the viewer reads it (translate where shown)."""
_RANK = {HOW_MANUAL: 0, HOW_TVG_ID: 1, HOW_FEED_ID: 2, HOW_TVG_NAME: 3, HOW_NAME: 4, HOW_LOOSE_TVG_NAME: 5,
         HOW_LOOSE_NAME: 6}

#: Guide channels compared in detail (difflib) for each unmatched channel.
SHORTLIST = 20
_NOISE = re.compile(r"[^\w+]+")
_QUALITY = frozenset({"hd", "fhd", "uhd", "sd", "4k", "8k", "hevc", "h264", "h265", "1080p", "720p", "576p", "hq"})
_BRACKETS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_COUNTRY_PREFIX = re.compile(r"^\s*(?:\|[A-Za-z]{2,3}\||[A-Z]{2,3}\s*[:|]|[A-Z]{2,3}\s+-)\s*")
_COUNTRY_SUFFIX = re.compile(r"\s*(?:\|[A-Za-z]{2,3}\||[:|-]\s*[A-Z]{2,3}|\.[a-z]{2})\s*$")
_RESOLUTION = re.compile(r"^\d{3,4}[pi]$")


def normalise_name(name: str) -> str:
    """Fold a name for comparison: no case, accents, punctuation or quality tags (``BBC One HD`` -> ``bbc one``)."""
    folded = unicodedata.normalize("NFKD", name.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c)).replace("_", " ")
    tokens = _NOISE.sub(" ", folded).split()
    while len(tokens) > 1 and tokens[-1] in _QUALITY:
        tokens.pop()
    return " ".join(tokens)


def loose_name(name: str) -> str:
    """:func:`normalise_name` without decorations and spaces: ``FR: 3sat (720p) [Geo-blocked]`` -> ``3sat``,
    ``Al Jazeera Arabic`` and ``AlJazeera Arabic`` -> ``aljazeeraarabic``; "" when nothing is left."""
    bare = _BRACKETS.sub(" ", name)
    bare = _COUNTRY_PREFIX.sub("", bare)
    bare = _COUNTRY_SUFFIX.sub("", bare)
    tokens = normalise_name(bare).split()
    while len(tokens) > 1 and (tokens[-1] in _QUALITY or _RESOLUTION.match(tokens[-1])):
        tokens.pop()
    return "".join(tokens)


def bare_id(tvg_id: str) -> str:
    """``3sat.de@SD`` -> ``3sat.de`` (case-folded); "" when the id has no ``@feed`` suffix."""
    base, at, _feed = tvg_id.partition("@")
    return base.strip().casefold() if at and base.strip() else ""


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
        self._by_bare_id: dict[str, list[str]] = {}
        self._by_loose_tvg_name: dict[str, list[str]] = {}
        self._by_loose_name: dict[str, list[str]] = {}
        keys = {c.key for c in self.channels}
        for key, guide_id in (mappings or {}).items():
            if key in keys and guide_id:
                self._by_manual.setdefault(guide_id, []).append(key)
        for channel in self.channels:
            self._index(channel)
        self._best: dict[str, tuple[int, str]] = {}  # key -> (rank, guide id)
        self._wanted: dict[str, bool] = {}  # guide id -> has any candidate

    def _index(self, channel: Channel) -> None:
        key = channel.key
        if channel.tvg_id:
            self._by_id.setdefault(channel.tvg_id.casefold(), []).append(key)
            bare = bare_id(channel.tvg_id)
            if bare:
                self._by_bare_id.setdefault(bare, []).append(key)
        for text, exact, loose in ((channel.tvg_name, self._by_tvg_name, self._by_loose_tvg_name),
                                   (channel.name, self._by_name, self._by_loose_name)):
            if text:
                exact.setdefault(normalise_name(text), []).append(key)
                folded = loose_name(text)
                if folded:
                    loose.setdefault(folded, []).append(key)

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
        found = self._offer_id(gid)
        for display in channel.display_names:
            norm = normalise_name(display)
            found |= self._offer(self._by_tvg_name.get(norm, ()), 3, gid)
            found |= self._offer(self._by_name.get(norm, ()), 4, gid)
            folded = loose_name(display)
            if folded:
                found |= self._offer(self._by_loose_tvg_name.get(folded, ()), 5, gid)
                found |= self._offer(self._by_loose_name.get(folded, ()), 6, gid)
        self._wanted[gid] = self._wanted.get(gid, False) or found
        return found

    def _offer_id(self, gid: str) -> bool:
        """The id rules: manual mapping, tvg-id, and tvg-id and guide id compared without ``@feed`` suffixes."""
        folded = gid.casefold()
        found = self._offer(self._by_manual.get(gid, ()), 0, gid)
        found |= self._offer(self._by_id.get(folded, ()), 1, gid)
        found |= self._offer(self._by_bare_id.get(folded, ()), 2, gid)
        bare = bare_id(gid)
        if bare:
            found |= self._offer(self._by_id.get(bare, ()), 2, gid)
            found |= self._offer(self._by_bare_id.get(bare, ()), 2, gid)
        return found

    def wants(self, guide_id: str) -> bool:
        """Whether programmes of ``guide_id`` may be needed; ids never declared by a ``<channel>`` match by id only."""
        wanted = self._wanted.get(guide_id)
        if wanted is None:
            wanted = self._offer_id(guide_id)
            self._wanted[guide_id] = wanted
        return wanted

    def result(self) -> dict[str, tuple[str, str]]:
        """Final choice: channel key -> (guide channel id, how). A guide channel goes only to the channels that
        matched it by its strongest rule (an HD and an SD entry with one tvg-id share it; a weaker name match
        of a third channel does not)."""
        names = {rank: how for how, rank in _RANK.items()}
        strongest: dict[str, int] = {}
        for rank, gid in self._best.values():
            strongest[gid] = min(rank, strongest.get(gid, rank))
        return {key: (gid, names[rank]) for key, (rank, gid) in self._best.items() if rank == strongest[gid]}


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
