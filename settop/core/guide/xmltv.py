"""Streaming XMLTV reader: safe XML, every time form and field, flat memory whatever the guide size."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any, Final

from lxml import etree

from settop.core.guide import xmltv_fields as fields
from settop.core.guide.timeparse import TimeFormatError, TimeParser
from settop.core.guide.xmltv_fields import add_variant, best_variant, episode_label, lang_rank, star_rating, text_of
from settop.core.guide.xmltv_io import DEFAULT_MAX_BYTES, GuideError, open_guide
from settop.core.models import GuideChannel, ParseWarning, Programme

__all__ = ["DEFAULT_MAX_BYTES", "GuideError", "GuideSyntaxError", "Row", "XmltvReader", "open_guide", "read_guide"]

log = logging.getLogger("settop.guide")

#: How many skipped programmes are described in detail; the rest are only counted.
DETAILED_WARNINGS: Final = 5
#: Entries in the per-reader caches of parsed times and episode labels (cleared when full).
TIME_CACHE: Final = 50_000
#: Bytes handed to libxml2 at a time (larger chunks, fewer round trips; the tree holds at most this much).
CHUNK: Final = 1 << 18

FLAG_NEW: Final = 1
FLAG_PREMIERE: Final = 2

# A programme as the store wants it, before it becomes a Programme:
# (channel_id, start, stop, title, sub_title, desc, categories joined by "\n", episode, icon, rating, star_rating,
#  date, flags, catchup_id). stop == 0 means the guide gave none. The store swaps the id for its integer.
Row = tuple[Any, int, int, str, str, str, str, str, str, str, float | None, str, int, str]


class GuideSyntaxError(GuideError):
    """The guide is not well-formed XML; ``line`` is where the parser noticed it."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


class XmltvReader:
    """Reads one XMLTV document as a stream of channels and programmes.

    languages: preferred ``lang`` codes, best first (``("de", "en")``); used for title, sub-title, desc, categories.
    default_offset: seconds east of UTC assumed for times without a zone (reported once).
    keep_channel: when given, programmes of other channel ids are skipped without reading their content.
    channel_ref: instead of ``keep_channel``, maps a channel id to what the rows should carry (the store's integer
        id), or None to skip the programme.
    window: (start, end) UTC epochs; programmes wholly outside are skipped cheaply.
    name: how the guide is named in messages (already redacted).

    After reading: ``warnings`` (first few with line numbers), ``skipped`` (malformed programmes), ``filtered``
    (outside the window or of unwanted channels), ``missing_zone`` (times without a zone), ``open_ended``
    (programmes without a stop).
    """

    def __init__(
        self,
        *,
        languages: Sequence[str] = (),
        default_offset: int = 0,
        keep_channel: Callable[[str], bool] | None = None,
        channel_ref: Callable[[str], Any] | None = None,
        window: tuple[int, int] | None = None,
        name: str = "guide",
    ) -> None:
        self.languages = tuple(lang.lower() for lang in languages)
        self.keep_channel = keep_channel
        self.channel_ref = channel_ref
        self.window = window
        self.name = name
        self.warnings: list[ParseWarning] = []
        self.skipped = 0
        self.filtered = 0
        self.open_ended = 0
        self.channels = 0
        self.programmes = 0
        #: Added to every line number reported: a part of a file read on its own starts this many lines in.
        self.line_base = 0
        self._times = TimeParser(default_offset)
        self._time_cache: dict[str, int] = {}
        self._episodes: dict[tuple[str, str], str] = {}

    @property
    def missing_zone(self) -> int:
        """How many times had no zone and were read with the default offset."""
        return self._times.missing_zone

    def read(self, source: Path | IO[bytes]) -> Iterator[GuideChannel | Programme]:
        """Yield channels and programmes in document order; raises :class:`GuideError` for a non-XMLTV file."""
        for item in self.read_rows(source):
            if isinstance(item, GuideChannel):
                yield item
            else:
                cid, start, stop, title, sub, desc, cats, episode, icon, rating, star, date, flags, catchup = item
                yield Programme(
                    channel_id=cid, start=start, stop=stop, title=title, sub_title=sub, desc=desc,
                    categories=tuple(cats.split("\n")) if cats else (), episode=episode, icon=icon, rating=rating,
                    star_rating=star, date=date, is_new=bool(flags & FLAG_NEW),
                    premiere=bool(flags & FLAG_PREMIERE), catchup_id=catchup,
                )  # fmt: skip

    def read_rows(self, source: Path | IO[bytes]) -> Iterator[GuideChannel | Row]:
        """Like :meth:`read`, but programmes come as plain :data:`Row` tuples."""
        for batch in self.read_batches(source, 256):
            yield from batch

    def read_batches(
        self,
        source: Path | IO[bytes],
        size: int,
        on_channel: Callable[[GuideChannel], None] | None = None,
        *,
        report: bool = True,
    ) -> Iterator[list[Any]]:
        """The store's fast path: lists of up to ``size`` items in document order (:data:`Row` tuples, and
        :class:`GuideChannel` values unless ``on_channel`` takes those as soon as they are read).
        report: log what was skipped at the end (a caller reading a file in parts calls :meth:`report` itself)."""
        if isinstance(source, Path):
            with open_guide(source) as stream:
                yield from self._read_stream(stream, size, on_channel, report)
        else:
            yield from self._read_stream(source, size, on_channel, report)

    def _read_stream(
        self, stream: IO[bytes], size: int, on_channel: Callable[[GuideChannel], None] | None, report: bool
    ) -> Iterator[list[Any]]:
        self._check_start(stream)
        context = etree.iterparse(
            stream, events=("end",), tag=("channel", "programme"), resolve_entities=False, no_network=True,
            load_dtd=False, dtd_validation=False, attribute_defaults=False, huge_tree=False, remove_blank_text=True,
            remove_comments=True, remove_pis=True, chunk_size=CHUNK,
        )  # fmt: skip
        checked = False
        batch: list[Any] = []
        programme = self._programme
        count = self.programmes
        try:
            for _event, elem in context:
                if not checked:
                    self._check_root(elem.getroottree().getroot())
                    checked = True
                if elem.tag == "programme":
                    row = programme(elem)
                    if row is not None:
                        count += 1
                        batch.append(row)
                        if len(batch) >= size:
                            self.programmes = count
                            yield batch
                            batch = []
                else:
                    channel = self._channel(elem)
                    if channel is not None:
                        self.channels += 1
                        if on_channel is None:
                            batch.append(channel)
                        else:
                            on_channel(channel)
                elem.clear(keep_tail=False)
                parent = elem.getparent()
                if parent is not None:
                    while elem.getprevious() is not None:
                        del parent[0]
            if not checked:
                self._check_root(context.root)
        except etree.XMLSyntaxError as exc:
            line = (exc.position[0] if exc.position else 0) + self.line_base
            raise GuideSyntaxError(f"{self.name}: not valid XML (line {line}: {exc.msg})", line) from None
        self.programmes = count
        if batch:
            yield batch
        if report:
            self.report()

    def _check_start(self, stream: IO[bytes]) -> None:
        peek = getattr(stream, "peek", None)
        head: bytes = peek(512)[:512] if peek else b""
        if not head:
            if peek:
                raise GuideError(f"{self.name}: the file is empty")
            return
        text = head.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n")
        if text and not text.startswith(b"<") and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise GuideError(f"{self.name}: not an XMLTV guide (it does not start with XML)")

    def _check_root(self, root: Any) -> None:
        tag = root.tag if root is not None else None
        if tag != "tv":
            shown = tag if isinstance(tag, str) else "none"
            raise GuideError(f"{self.name}: not an XMLTV guide (root element <{shown}>, expected <tv>)")

    def _skip(self, line: int | None, reason: str) -> None:
        self.skipped += 1
        if len(self.warnings) < DETAILED_WARNINGS:
            self.warnings.append(ParseWarning(line + self.line_base if line else 0, reason))

    def counts(self) -> dict[str, Any]:
        """What this reader counted, for :meth:`absorb` in another process (plain values, marshal-safe)."""
        return {"skipped": self.skipped, "filtered": self.filtered, "open_ended": self.open_ended,
                "channels": self.channels, "programmes": self.programmes, "missing_zone": self.missing_zone,
                "warnings": [(w.line, w.message) for w in self.warnings]}  # fmt: skip

    def absorb(self, counts: dict[str, Any], line_base: int) -> None:
        """Add what a reader of a later part of the same file counted (its lines start ``line_base`` in)."""
        self.skipped += counts["skipped"]
        self.filtered += counts["filtered"]
        self.open_ended += counts["open_ended"]
        self.channels += counts["channels"]
        self.programmes += counts["programmes"]
        self._times.missing_zone += counts["missing_zone"]
        for line, message in counts["warnings"][: DETAILED_WARNINGS - len(self.warnings)]:
            self.warnings.append(ParseWarning(line + line_base if line else 0, message))

    def report(self) -> None:
        """Log the skipped programmes and times without a zone (once, at the end of the whole file)."""
        if self.skipped:
            detail = "; ".join(f"line {w.line}: {w.message}" for w in self.warnings[:DETAILED_WARNINGS])
            log.warning("%s: skipped %d malformed programme(s) (%s)", self.name, self.skipped, detail)
        if self.missing_zone:
            offset = self._times.default_offset
            zone = f"{'+' if offset >= 0 else '-'}{abs(offset) // 3600:02d}{abs(offset) % 3600 // 60:02d}"
            message = f"times without a time zone were read as UTC{zone} (setting guide.default_zone)"
            self.warnings.append(ParseWarning(0, message))
            log.warning("%s: %s", self.name, message)

    def _channel(self, elem: Any) -> GuideChannel | None:
        cid = (elem.get("id") or "").strip()
        if not cid:
            return None
        names: dict[str, None] = {}
        icon = ""
        for child in elem:
            tag = child.tag
            if tag == "display-name":
                text = text_of(child)
                if text:
                    names.setdefault(text, None)
            elif tag == "icon" and not icon:
                icon = (child.get("src") or "").strip()
        return GuideChannel(id=cid, display_names=tuple(names), icon=icon)

    def _time(self, text: str) -> int:
        cache = self._time_cache
        value = cache.get(text)
        if value is None:
            value = self._times.parse(text)
            if len(cache) > TIME_CACHE:
                cache.clear()
            cache[text] = value
        return value

    # -- one programme: called for every <programme> (a million per big guide), so the common case stays inline --
    def _programme(self, elem: Any) -> Row | None:
        """The row for one ``<programme>``, or None when it is malformed or filtered out."""
        get = elem.get
        cid, start_text, stop_text = get("channel"), get("start"), get("stop")
        if not cid or not start_text:
            self._skip(elem.sourceline, "no channel" if not cid else "no start time")
            return None
        ref = self.channel_ref
        if ref is not None:
            cid = ref(cid)
        elif self.keep_channel is not None and not self.keep_channel(cid):
            cid = None
        if cid is None:
            self.filtered += 1
            return None
        cache = self._time_cache
        start = cache.get(start_text)
        stop = cache.get(stop_text) if stop_text else 0
        if start is None or stop is None or not stop_text:
            times = self._times_of(elem, start_text, stop_text)
            if times is None:
                return None
            start, stop = times
        if stop and stop < start:
            self._skip(elem.sourceline, f"stops before it starts ({start_text} .. {stop_text})")
            return None
        window = self.window
        if window is not None and (start >= window[1] or (stop or start + 86400) <= window[0]):
            self.filtered += 1
            return None
        return self._row(elem, cid, start, stop)

    def _times_of(self, elem: Any, start_text: str, stop_text: str | None) -> tuple[int, int] | None:
        """(start, stop) in UTC epochs (stop 0: none given), or None when a time is malformed: for times not yet
        in the cache, and for programmes without a stop (counted)."""
        if not stop_text:
            self.open_ended += 1
        try:
            start = self._time(start_text)
            stop = self._time(stop_text) if stop_text else 0
        except TimeFormatError as exc:
            self._skip(elem.sourceline, str(exc))
            return None
        return start, stop

    def _row(self, elem: Any, cid: Any, start: int, stop: int) -> Row:  # noqa: C901 - the hot path
        """The row from one pass over the programme's children, texts in the preferred language.

        Inline for speed (a million programmes per big guide): a handler call per child, a separate children pass
        returning a tuple, and a call per episode number each cost more (bench.guide). Plain texts, which nearly
        every field is, are read here; mixed content (``<desc>a<b/>c</desc>``) goes through ``text_of``."""
        title: Any = None
        sub: Any = None
        desc: Any = None
        many: dict[str, list[Any]] | None = None
        cats: list[Any] | None = None
        ns = onscreen = icon = rating = date = ""
        star: float | None = None
        flags = 0
        for child in elem:
            tag = child.tag
            if tag == "title":
                if title is None:
                    title = child
                else:
                    many = add_variant(many, tag, title, child)
            elif tag == "desc":
                if desc is None:
                    desc = child
                else:
                    many = add_variant(many, tag, desc, child)
            elif tag == "category":
                if cats is None:
                    cats = [child]
                else:
                    cats.append(child)
            elif tag == "sub-title":
                if sub is None:
                    sub = child
                else:
                    many = add_variant(many, tag, sub, child)
            elif tag == "episode-num":  # the first xmltv_ns and the first onscreen number
                system = child.get("system")
                if system == "xmltv_ns":
                    ns = ns or text_of(child)
                elif system == "onscreen":
                    onscreen = onscreen or text_of(child)
            elif tag == "icon":
                icon = icon or (child.get("src") or "").strip()
            elif tag == "date":
                date = text_of(child)
            elif tag == "rating":
                rating = rating or (child.findtext("value") or "").strip()
            elif tag == "star-rating":
                if star is None:
                    star = star_rating((child.findtext("value") or "").strip())
            else:
                flags |= _FLAGS.get(tag, 0)
        if many is not None:
            languages = self.languages
            title = best_variant(many.get("title"), languages, title)
            desc = best_variant(many.get("desc"), languages, desc)
            sub = best_variant(many.get("sub-title"), languages, sub)
        episode = (self._episodes.get((ns, onscreen)) or self._episode(ns, onscreen)) if ns or onscreen else ""
        catchup = elem.get("catchup-id")
        return (
            cid, start, stop, fields.text_or_blank(title), fields.text_or_blank(sub), fields.text_or_blank(desc),
            "" if cats is None else fields.text_or_blank(cats[0]) if len(cats) == 1 else self._categories(cats),
            episode, icon, rating, star, date, flags, catchup.strip() if catchup else "",
        )  # fmt: skip

    def _categories(self, cats: list[Any]) -> str:
        """Several categories: those in the preferred language (and those without one), joined by newlines."""
        languages = self.languages
        if languages:
            ranks = [lang_rank(c.get("lang"), languages) for c in cats]
            top = min(ranks)
            cats = [c for c, rank in zip(cats, ranks, strict=True) if rank == top or not c.get("lang")]
        if len(cats) == 1:
            return text_of(cats[0])
        return "\n".join(dict.fromkeys(t for t in map(text_of, cats) if t))

    def _episode(self, ns: str, onscreen: str) -> str:
        """The episode label, remembered per (xmltv_ns, onscreen) pair."""
        key = (ns, onscreen)
        episode = self._episodes.get(key) or ""
        if not episode:
            episode = episode_label(ns, onscreen)
            if len(self._episodes) < TIME_CACHE:
                self._episodes[key] = episode
        return episode


_FLAGS: Final = {"new": FLAG_NEW, "premiere": FLAG_PREMIERE}


def read_guide(path: Path, *, languages: Sequence[str] = (), default_offset: int = 0) -> list[GuideChannel | Programme]:
    """Read a whole (small) guide into a list; tests and tools use it, the store streams instead."""
    return list(XmltvReader(languages=languages, default_offset=default_offset, name=path.name).read(path))
