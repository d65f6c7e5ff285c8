"""Streaming XMLTV reader: gzip/xz/plain by magic bytes, capped size, safe XML, flat memory whatever the guide size."""

from __future__ import annotations

import gzip
import io
import logging
import lzma
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any, Final

from lxml import etree

from settop.core.models import GuideChannel, ParseWarning, Programme
from settop.core.timeparse import TimeFormatError, TimeParser

log = logging.getLogger("settop.guide")

DEFAULT_MAX_BYTES: Final = 2 * 1024**3
GZIP_MAGIC: Final = b"\x1f\x8b"
XZ_MAGIC: Final = b"\xfd7zXZ\x00"
#: How many skipped programmes are described in detail; the rest are only counted.
DETAILED_WARNINGS: Final = 5

FLAG_NEW: Final = 1
FLAG_PREMIERE: Final = 2

# A programme as the store wants it, before it becomes a Programme:
# (channel_id, start, stop, title, sub_title, desc, categories joined by "\n", episode, icon, rating, star_rating,
#  date, flags, catchup_id). stop == 0 means the guide gave none.
Row = tuple[str, int, int, str, str, str, str, str, str, str, float | None, str, int, str]

_NS_PART = re.compile(r"\s*(\d*)\s*(?:/\s*(\d*))?\s*")


class GuideError(Exception):
    """A guide that cannot be read at all; ``str(exc)`` is a user-readable message naming the guide."""


class _CappedRaw(io.RawIOBase):
    """Reads a (decompressing) stream and refuses to hand out more than ``max_bytes``; ``position`` tracks the input."""

    def __init__(self, inner: IO[bytes], outer: IO[bytes], max_bytes: int, name: str) -> None:
        super().__init__()
        self._inner = inner
        self._outer = outer
        self._left = max_bytes
        self._max = max_bytes
        self._name = name

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        data = self._inner.read(min(len(view), self._left + 1))
        if len(data) > self._left:
            raise GuideError(f"{self._name}: larger than {self._max // (1024 * 1024)} MiB once decompressed; refused")
        self._left -= len(data)
        view[: len(data)] = data
        return len(data)

    def position(self) -> int:
        """Bytes consumed from the file on disk (compressed side), for progress."""
        try:
            return self._outer.tell()
        except (OSError, ValueError):
            return 0

    def close(self) -> None:
        try:
            self._inner.close()
            self._outer.close()
        finally:
            super().close()


def open_guide(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> io.BufferedReader:
    """Open a guide file, undoing gzip or xz found by magic bytes, with a cap on the decompressed size.

    The returned reader's ``raw.position()`` gives the compressed bytes consumed so far.
    """
    name = path.name
    try:
        outer: IO[bytes] = open(path, "rb")  # noqa: SIM115 - closed by the returned reader
    except OSError as exc:
        raise GuideError(f"{name}: cannot open ({exc.strerror or exc})") from None
    head = outer.read(6)
    outer.seek(0)
    inner: IO[bytes]
    if head.startswith(GZIP_MAGIC):
        inner = gzip.GzipFile(fileobj=outer, mode="rb")
    elif head.startswith(XZ_MAGIC):
        inner = lzma.LZMAFile(outer, mode="rb")
    elif head.startswith(b"PK\x03\x04"):
        outer.close()
        raise GuideError(f"{name}: a zip archive, not an XMLTV guide; unpack it first")
    else:
        inner = outer
    return io.BufferedReader(_CappedRaw(inner, outer, max_bytes, name), buffer_size=1 << 16)


def _text(elem: Any) -> str:
    text: str | None = elem.text
    if len(elem):  # mixed content such as <desc>a<x-fig-roll/>b</desc>
        text = "".join(t for t in elem.itertext() if isinstance(t, str))
    return text.strip() if text else ""


def _lang_rank(lang: str | None, languages: Sequence[str]) -> int:
    if lang and languages:
        lang = lang.lower()
        for rank, wanted in enumerate(languages):
            if lang == wanted or lang.startswith(wanted + "-") or lang.startswith(wanted + "_"):
                return rank
    return len(languages) + (0 if not lang else 1)


def _pick(variants: list[tuple[str | None, str]], languages: Sequence[str]) -> str:
    if len(variants) == 1:
        return variants[0][1]
    best = min(range(len(variants)), key=lambda i: (_lang_rank(variants[i][0], languages), i))
    return variants[best][1]


def episode_label(xmltv_ns: str, onscreen: str) -> str:
    """A readable episode label: ``S2 E5`` from ``xmltv_ns`` (zero-based ``season.episode.part``), else onscreen."""
    if xmltv_ns:
        parts = xmltv_ns.split(".")
        labels: list[str] = []
        for letter, part in zip(("S", "E", "P"), parts[:3], strict=False):
            match = _NS_PART.fullmatch(part)
            if not match:
                labels = []
                break
            number, total = match.groups()
            if number:
                label = f"{letter}{int(number) + 1}"
                if total and letter == "P":
                    label += f"/{int(total)}"
                labels.append(label)
        if labels:
            return " ".join(labels)
    return onscreen.strip()


def _star_rating(text: str) -> float | None:
    value, _, scale = text.partition("/")
    try:
        number = float(value)
        top = float(scale) if scale else 10.0
    except ValueError:
        return None
    if top <= 0 or number < 0:
        return None
    return round(min(number / top, 1.0) * 10, 2)


class XmltvReader:
    """Reads one XMLTV document as a stream of channels and programmes.

    languages: preferred ``lang`` codes, best first (``("de", "en")``); used for title, sub-title, desc, categories.
    default_offset: seconds east of UTC assumed for times without a zone (reported once).
    keep_channel: when given, programmes of other channel ids are skipped without reading their content.
    window: (start, end) UTC epochs; programmes wholly outside are skipped cheaply.
    name: how the guide is named in messages (already redacted).

    After reading: ``warnings`` (first few with line numbers), ``skipped`` (malformed programmes), ``filtered``
    (outside the window or of unwanted channels), ``missing_zone`` (times without a zone).
    """

    def __init__(
        self,
        *,
        languages: Sequence[str] = (),
        default_offset: int = 0,
        keep_channel: Callable[[str], bool] | None = None,
        window: tuple[int, int] | None = None,
        name: str = "guide",
    ) -> None:
        self.languages = tuple(lang.lower() for lang in languages)
        self.keep_channel = keep_channel
        self.window = window
        self.name = name
        self.warnings: list[ParseWarning] = []
        self.skipped = 0
        self.filtered = 0
        self.channels = 0
        self.programmes = 0
        self._times = TimeParser(default_offset)

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
        """Like :meth:`read`, but programmes come as plain :data:`Row` tuples (the store's fast path)."""
        if isinstance(source, Path):
            with open_guide(source) as stream:
                yield from self._read_stream(stream)
        else:
            yield from self._read_stream(source)

    def _read_stream(self, stream: IO[bytes]) -> Iterator[GuideChannel | Row]:
        self._check_start(stream)
        context = etree.iterparse(
            stream, events=("end",), tag=("channel", "programme"), resolve_entities=False, no_network=True,
            load_dtd=False, dtd_validation=False, attribute_defaults=False, huge_tree=False, remove_comments=True,
            remove_pis=True,
        )  # fmt: skip
        checked = False
        try:
            for _event, elem in context:
                if not checked:
                    self._check_root(elem.getroottree().getroot())
                    checked = True
                if elem.tag == "programme":
                    row = self._programme(elem)
                    if row is not None:
                        self.programmes += 1
                        yield row
                else:
                    channel = self._channel(elem)
                    if channel is not None:
                        self.channels += 1
                        yield channel
                elem.clear(keep_tail=False)
                parent = elem.getparent()
                if parent is not None:
                    while elem.getprevious() is not None:
                        del parent[0]
            if not checked:
                self._check_root(context.root)
        except etree.XMLSyntaxError as exc:
            line = exc.position[0] if exc.position else 0
            raise GuideError(f"{self.name}: not valid XML (line {line}: {exc.msg})") from None
        self._report()

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
            self.warnings.append(ParseWarning(line or 0, reason))

    def _report(self) -> None:
        if self.skipped:
            detail = "; ".join(f"line {w.line}: {w.message}" for w in self.warnings[:DETAILED_WARNINGS])
            log.warning("%s: skipped %d malformed programme(s) (%s)", self.name, self.skipped, detail)
        if self.missing_zone:
            offset = self._times.default_offset
            zone = f"{'+' if offset >= 0 else '-'}{abs(offset) // 3600:02d}{abs(offset) % 3600 // 60:02d}"
            message = f"{self.missing_zone} time(s) carry no time zone; read as UTC{zone} (setting guide.default_zone)"
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
                text = _text(child)
                if text:
                    names.setdefault(text, None)
            elif tag == "icon" and not icon:
                icon = (child.get("src") or "").strip()
        return GuideChannel(id=cid, display_names=tuple(names), icon=icon)

    def _programme(self, elem: Any) -> Row | None:
        cid = elem.get("channel")
        start_text = elem.get("start")
        if not cid or not start_text:
            self._skip(elem.sourceline, "no channel" if not cid else "no start time")
            return None
        if self.keep_channel is not None and not self.keep_channel(cid):
            self.filtered += 1
            return None
        times = self._times
        try:
            start = times.parse(start_text)
            stop_text = elem.get("stop")
            stop = times.parse(stop_text) if stop_text else 0
        except TimeFormatError as exc:
            self._skip(elem.sourceline, str(exc))
            return None
        if stop and stop < start:
            self._skip(elem.sourceline, f"stops before it starts ({start_text} .. {stop_text})")
            return None
        window = self.window
        if window is not None and (start >= window[1] or (stop or start + 86400) <= window[0]):
            self.filtered += 1
            return None
        languages = self.languages
        titles: list[tuple[str | None, str]] = []
        subs: list[tuple[str | None, str]] = []
        descs: list[tuple[str | None, str]] = []
        cats: list[tuple[str | None, str]] = []
        ns = onscreen = icon = rating = date = ""
        star: float | None = None
        flags = 0
        for child in elem:
            tag = child.tag
            if tag == "title":
                titles.append((child.get("lang"), _text(child)))
            elif tag == "desc":
                descs.append((child.get("lang"), _text(child)))
            elif tag == "sub-title":
                subs.append((child.get("lang"), _text(child)))
            elif tag == "category":
                cats.append((child.get("lang"), _text(child)))
            elif tag == "episode-num":
                system = child.get("system")
                if system == "xmltv_ns" and not ns:
                    ns = _text(child)
                elif system == "onscreen" and not onscreen:
                    onscreen = _text(child)
            elif tag == "icon" and not icon:
                icon = (child.get("src") or "").strip()
            elif tag == "date":
                date = _text(child)
            elif tag == "rating" and not rating:
                rating = (child.findtext("value") or "").strip()
            elif tag == "star-rating" and star is None:
                star = _star_rating((child.findtext("value") or "").strip())
            elif tag == "new":
                flags |= FLAG_NEW
            elif tag == "premiere":
                flags |= FLAG_PREMIERE
        categories = ""
        if cats:
            if len(cats) > 1 and languages:
                best = min(_lang_rank(lang, languages) for lang, _ in cats)
                cats = [c for c in cats if not c[0] or _lang_rank(c[0], languages) == best]
            categories = "\n".join(dict.fromkeys(text for _, text in cats if text))
        return (
            cid, start, stop, _pick(titles, languages) if titles else "", _pick(subs, languages) if subs else "",
            _pick(descs, languages) if descs else "", categories, episode_label(ns, onscreen) if ns or onscreen else "",
            icon, rating, star, date, flags, (elem.get("catchup-id") or "").strip(),
        )  # fmt: skip


def read_guide(path: Path, *, languages: Sequence[str] = (), default_offset: int = 0) -> list[GuideChannel | Programme]:
    """Read a whole (small) guide into a list; tests and tools use it, the store streams instead."""
    return list(XmltvReader(languages=languages, default_offset=default_offset, name=path.name).read(path))
