"""XMLTV reader: fields, languages, compression, broken and non-XMLTV files, and the real-world corpus."""

from __future__ import annotations

import bz2
import contextlib
import gzip
import lzma
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from settop.core.guide.xmltv import GuideError, XmltvReader, open_guide, read_guide
from settop.core.guide.xmltv_fields import episode_label
from settop.core.models import GuideChannel, Programme
from tests.conftest import CORPUS, DATA

XMLTV = DATA / "xmltv"
NOON = 1767268800  # 2026-01-01 12:00:00 UTC


def _programmes(items: list[GuideChannel | Programme]) -> list[Programme]:
    return [item for item in items if isinstance(item, Programme)]


def test_basic_channels_and_fields() -> None:
    items = read_guide(XMLTV / "basic.xml", languages=("en",))
    channels = [item for item in items if isinstance(item, GuideChannel)]
    assert channels == [
        GuideChannel("One.uk", ("BBC One", "BBC 1"), "http://127.0.0.1/one.png"),
        GuideChannel("Das.Erste.de", ("Das Erste HD",), ""),
    ]
    news, quiz, tagesschau = _programmes(items)
    assert news == Programme(
        channel_id="One.uk", start=NOON, stop=NOON + 3600, title="News at Noon", sub_title="Headlines",
        desc="The news.\n Second line.", categories=("News", "Current affairs"), episode="S2 E5 P1/2",
        icon="http://127.0.0.1/news.png", rating="PG", star_rating=6.0, date="2026", is_new=True, premiere=True,
        catchup_id="abc-123",
    )  # fmt: skip
    assert (quiz.title, quiz.episode, quiz.desc) == ("Quiz Time", "Ep. 7", "")
    assert (tagesschau.title, tagesschau.start, tagesschau.stop) == (
        "Tagesschau & Wetter",
        NOON + 3600,
        NOON + 3 * 3600,
    )


@pytest.mark.parametrize(
    ("languages", "title", "desc", "categories"),
    [
        ((), "News at Noon", "Die Nachrichten.", ("News", "Nachrichten", "Current affairs")),
        (("de",), "Nachrichten", "Die Nachrichten.", ("Nachrichten",)),
        (("fr", "de"), "Nachrichten", "Die Nachrichten.", ("Nachrichten",)),
        (("EN-gb",), "News at Noon", "The news.\n Second line.", ("News", "Current affairs")),
        (("fr",), "News at Noon", "Die Nachrichten.", ("News", "Nachrichten", "Current affairs")),
    ],
    ids=["document-order", "german", "second-choice", "region-and-case", "none-available"],
)
def test_preferred_languages(languages: tuple[str, ...], title: str, desc: str, categories: tuple[str, ...]) -> None:
    news = _programmes(read_guide(XMLTV / "basic.xml", languages=[lang.lower() for lang in languages]))[0]
    assert (news.title, news.desc, news.categories) == (title, desc, categories)


@pytest.mark.parametrize(
    ("ns", "onscreen", "label"),
    [
        ("1.4.0/2", "", "S2 E5 P1/2"),
        ("0.0.", "", "S1 E1"),
        (" 2 . 9/10 . ", "", "S3 E10"),
        (".12.", "", "E13"),
        ("", "S02E05", "S02E05"),
        ("junk", "S01E01", "S01E01"),
        ("", "", ""),
    ],
    ids=["full", "zero-based", "spaces-and-totals", "episode-only", "onscreen", "bad-ns-falls-back", "none"],
)
def test_episode_label(ns: str, onscreen: str, label: str) -> None:
    assert episode_label(ns, onscreen) == label


@pytest.mark.parametrize("compress", [gzip.compress, lzma.compress, bz2.compress], ids=["gzip", "xz", "bzip2"])
def test_compressed_by_magic_bytes(tmp_path: Path, compress: object) -> None:
    path = tmp_path / "guide.bin"  # the name says nothing: the magic bytes decide
    path.write_bytes(compress((XMLTV / "basic.xml").read_bytes()))  # type: ignore[operator]
    assert read_guide(path) == read_guide(XMLTV / "basic.xml")


def test_decompressed_size_is_capped(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xml.gz"
    bomb.write_bytes(gzip.compress(b"<tv>" + b" " * 5_000_000 + b"</tv>"))
    reader = XmltvReader(name="bomb.xml.gz")
    with pytest.raises(GuideError, match="larger than 1 MiB once decompressed"):
        list(reader.read_rows(open_guide(bomb, max_bytes=1024 * 1024)))


def test_corrupt_gzip_is_a_guide_error(tmp_path: Path) -> None:
    path = tmp_path / "cut.xml.gz"
    path.write_bytes(gzip.compress((XMLTV / "basic.xml").read_bytes())[:300])
    with pytest.raises(GuideError, match="corrupt or truncated"):
        read_guide(path)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("not_xmltv.xml", r"not an XMLTV guide \(root element <rss>"),
        ("playlist_not_guide.m3u", "does not start with XML"),
        ("empty.xml", "the file is empty"),
        ("truncated.xml", r"not valid XML \(line \d+"),
    ],
    ids=["rss-feed", "m3u", "empty", "truncated"],
)
def test_not_a_guide(name: str, message: str) -> None:
    with pytest.raises(GuideError, match=message) as info:
        read_guide(XMLTV / name)
    assert str(info.value).startswith(name)


def test_zip_archive_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "guide.zip"
    path.write_bytes(b"PK\x03\x04" + b"\0" * 40)
    with pytest.raises(GuideError, match="zip archive"):
        read_guide(path)


def test_missing_file() -> None:
    with pytest.raises(GuideError, match="cannot open"):
        read_guide(XMLTV / "absent.xml")


@pytest.mark.allow_warnings("skipped \\d+ malformed programme")
def test_malformed_programmes_are_skipped_with_one_warning(caplog: pytest.LogCaptureFixture) -> None:
    reader = XmltvReader(name="broken")
    titles = [p.title for p in reader.read(XMLTV / "broken_programmes.xml") if isinstance(p, Programme)]
    assert titles == ["Good one", "Good two"]
    assert reader.skipped == 6
    assert [w.line for w in reader.warnings] == [5, 6, 7, 8, 9]  # the first five, with their lines
    assert "no start time" in reader.warnings[0].message
    records = [r for r in caplog.records if r.name == "settop.guide"]
    assert len(records) == 1
    assert "skipped 6 malformed programme(s)" in records[0].getMessage()
    assert "line 5" in records[0].getMessage()


@pytest.mark.allow_warnings("times without a time zone")
def test_missing_zone_uses_default_and_is_reported_once(caplog: pytest.LogCaptureFixture) -> None:
    reader = XmltvReader(default_offset=3600, name="no_zone.xml")
    starts = [p.start for p in reader.read(XMLTV / "no_zone.xml") if isinstance(p, Programme)]
    assert starts == [NOON - 3600, NOON]
    messages = [r.getMessage() for r in caplog.records if r.name == "settop.guide"]
    assert messages == ["no_zone.xml: times without a time zone were read as UTC+0100 (setting guide.default_zone)"]
    assert reader.warnings[-1].line == 0


def test_window_and_channel_filter() -> None:
    reader = XmltvReader(keep_channel=lambda cid: cid == "One.uk", window=(NOON + 1800, NOON + 7200))
    programmes = [p for p in reader.read(XMLTV / "basic.xml") if isinstance(p, Programme)]
    assert [p.title for p in programmes] == ["News at Noon", "Quiz Time"]
    assert reader.filtered == 1
    reader = XmltvReader(window=(NOON + 3600, NOON + 7200))
    programmes = [p for p in reader.read(XMLTV / "basic.xml") if isinstance(p, Programme)]
    assert [p.title for p in programmes] == ["Quiz Time", "Tagesschau & Wetter"]


def _corpus_expectations() -> list[tuple[str, int, int]]:
    readme = CORPUS / "README.md"
    if not readme.exists():
        return []
    rows = []
    for line in readme.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) > 2 and cells[1].startswith("xmltv/") and cells[1].endswith((".xml", ".xml.gz")):
            counts = re.search(r"(\d+) channels, (\d+) programmes", line)
            if counts:
                rows.append((cells[1], int(counts.group(1)), int(counts.group(2))))
    return rows


@pytest.mark.allow_warnings
@pytest.mark.corpus(bool(_corpus_expectations()))
@pytest.mark.parametrize(("name", "channels", "programmes"), _corpus_expectations() or [("", 0, 0)])
def test_corpus_conformance(name: str, channels: int, programmes: int) -> None:
    """Every real guide of the corpus reads completely: the README's channel and programme counts, nothing skipped."""
    reader = XmltvReader(languages=("en",), name=Path(name).name)
    items = list(reader.read(CORPUS / name))
    assert (reader.channels, reader.programmes, reader.skipped) == (channels, programmes, 0)
    for programme in _programmes(items):
        assert programme.stop == 0 or programme.stop >= programme.start
        assert programme.start > 0


@pytest.mark.allow_warnings
@pytest.mark.corpus((CORPUS / "xmltv").is_dir())
def test_corpus_details() -> None:
    test_xml = read_guide(CORPUS / "xmltv/xmltv-project/t_data/test.xml", languages=("en",))
    programme = _programmes(test_xml)[0]
    assert programme.rating and programme.episode.startswith("S3 E10")
    livre = _programmes(read_guide(CORPUS / "xmltv/xmltv-project/t_data/test_livre.xml"))[0]
    assert livre.title == "£"  # ISO-8859-1 declared and honoured
    bst = _programmes(read_guide(CORPUS / "xmltv/xmltv-project/t_data/attrs.xml"))[0]
    assert bst.start == 999039900  # 2001-08-29 00:05 BST = 23:05 UTC the day before


@pytest.mark.allow_warnings
@given(data=st.binary(max_size=300))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_bytes_read_or_raise_guide_error(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.xml"
    path.write_bytes(b"<tv>" + data if data[:1] != b"\x1f" else data)
    with contextlib.suppress(GuideError):
        read_guide(path)


@pytest.mark.allow_warnings
@given(start=st.text(max_size=25), stop=st.text(max_size=25), channel=st.text(max_size=10), title=st.text(max_size=20))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_attribute_values_are_read_or_skipped(
    tmp_path: Path, start: str, stop: str, channel: str, title: str
) -> None:
    from xml.sax.saxutils import escape, quoteattr

    def clean(text: str) -> str:  # XML 1.0 cannot carry most control characters at all
        return "".join(c for c in text if c in "\t\n\r" or (" " <= c <= "\ud7ff") or ("\ue000" <= c <= "\ufffd"))

    body = (
        f"<programme start={quoteattr(clean(start))} stop={quoteattr(clean(stop))} channel={quoteattr(clean(channel))}>"
        f"<title>{escape(clean(title))}</title></programme>"
    )
    path = tmp_path / "fuzz.xml"
    path.write_text(f"<tv>{body}</tv>", encoding="utf-8")
    reader = XmltvReader()
    programmes = [p for p in reader.read(path) if isinstance(p, Programme)]
    assert len(programmes) + reader.skipped == 1
