"""A big plain guide read in two parts (a helper process parses the second) stores exactly what one pass stores."""

from __future__ import annotations

import gzip
import logging
import re
import sqlite3
import threading
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from settop.core.guide import xmltv_split
from settop.core.guide.ingest import IngestCancelled, Staged, build_source
from settop.core.guide.xmltv import GuideError
from settop.core.models import Channel

pytestmark = pytest.mark.allow_warnings("malformed programme")

NOON = 1767268800  # 2026-01-01 12:00:00 UTC
HOUR = 3600
TWO_PARTS = "read in two parts"
SECOND_HERE = "read the second part here"
ONE_PASS = "reading the guide in one pass"


def stamp(epoch: int) -> str:
    import time

    return time.strftime("%Y%m%d%H%M%S +0000", time.gmtime(epoch))


def programme(cid: str, start: int, title: str, *, extra: str = "", stop: int | None = None, bad: bool = False) -> str:
    """One rich ``<programme>``: texts in two languages, categories, episode numbers, rating, flags."""
    begin = "2026-13-45" if bad else stamp(start)
    end = f' stop="{stamp(stop if stop is not None else start + HOUR)}"' if stop != 0 else ""
    return (
        f'<programme start="{begin}"{end} channel="{cid}">'
        f'<title lang="en">{title}</title><title lang="fr">Le {title}</title>'
        f'<sub-title>Part of {title}</sub-title><desc lang="en">About <b>{title}</b> &amp; more</desc>'
        f'<category lang="en">News</category><category lang="fr">Infos</category><category>Live</category>'
        f'<episode-num system="xmltv_ns">1.{start % 7}.</episode-num><rating><value>12</value></rating>'
        f"<star-rating><value>7/10</value></star-rating><new/>{extra}</programme>"
    )


def guide_text(channels: Sequence[str], body: Sequence[str], prolog: str = "") -> str:
    head = f'<?xml version="1.0" encoding="UTF-8"?>\n{prolog}<tv generator-info-name="test > split">\n'
    declared = "".join(f'<channel id="{c}"><display-name>Name {c}</display-name></channel>\n' for c in channels)
    return head + declared + "\n".join(body) + "\n</tv>\n"


def hourly(channels: Sequence[str], count: int, first: int = NOON - 10 * HOUR) -> list[str]:
    return [programme(c, first + i * HOUR, f"{c} show {i}") for c in channels for i in range(count)]


PLAYLIST = [Channel(key=f"k{c}", name=f"Name {c}", url=f"http://127.0.0.1:9/{c}.ts", tvg_id=c) for c in "abcd"]


def dump(path: Path) -> tuple[list[Any], list[Any]]:
    with closing(sqlite3.connect(path)) as conn:
        programmes = conn.execute("SELECT * FROM programmes ORDER BY channel, start").fetchall()
        channels = conn.execute("SELECT * FROM channels ORDER BY id").fetchall()
    return programmes, channels


def summary(staged: Staged) -> tuple[Any, ...]:
    return (staged.programmes, dict(staged.matched), staged.guide_channels, staged.skipped, staged.filtered,
            staged.warnings)  # fmt: skip


def ingest(tmp_path: Path, guide: Path, name: str, **options: Any) -> tuple[tuple[Any, ...], tuple[Any, Any]]:
    staging = tmp_path / name
    staged = build_source(staging, guide, PLAYLIST, name="g", now=NOON, use_process=True, **options)
    return summary(staged), dump(staging)


def both(tmp_path: Path, text: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
         cut_near: str) -> str:
    """Ingest ``text`` in one pass and in two parts cut at the first ``</programme>`` after ``cut_near``; assert
    they store the same; return what the log said about the second part."""
    guide = tmp_path / "guide.xml"
    guide.write_text(text, encoding="utf-8")
    one = ingest(tmp_path, guide, "one.db")
    raw = text.encode()
    monkeypatch.setattr(xmltv_split, "SPLIT_BYTES", 0)
    monkeypatch.setattr(xmltv_split, "middle", lambda size: raw.index(cut_near.encode()))
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="settop.guide"):
        two = ingest(tmp_path, guide, "two.db")
    assert two == one
    assert not [p.name for p in tmp_path.iterdir() if ".part" in p.name]  # no batch file left behind
    said = [r.getMessage() for r in caplog.records if "part" in r.getMessage() or "one pass" in r.getMessage()]
    assert said
    return said[0]


def test_two_parts_store_what_one_pass_stores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              caplog: pytest.LogCaptureFixture) -> None:
    body = hourly("abc", 30)
    body[40] = programme("a", NOON, "bad time", bad=True)  # skipped, with its line, in each half
    body[70] = programme("b", NOON + 999 * HOUR, "outside the window")
    body[71] = programme("c", NOON + 5 * HOUR, "open ended", stop=0)
    text = guide_text("abcde", body)
    assert TWO_PARTS in both(tmp_path, text, monkeypatch, caplog, "b show 5<")


def test_duplicates_across_the_cut_keep_the_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    body = [*hourly("ab", 5), *[programme("a", NOON - 10 * HOUR + i * HOUR, f"again {i}") for i in range(5)]]
    said = both(tmp_path, guide_text("ab", body), monkeypatch, caplog, "b show 4<")
    assert TWO_PARTS in said
    rows, _channels = dump(tmp_path / "two.db")
    assert not [row for row in rows if row[3].startswith("again")]


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("comment", ONE_PASS),  # the cut falls inside a comment: the first part does not parse on its own
        ("cdata", ONE_PASS),
        ("nested", ONE_PASS),  # a </programme> that is not at the top level
        ("late-channel", SECOND_HERE),  # a <channel> after the cut: the helper's channel refs would be wrong
        ("channel-after-programmes", SECOND_HERE),  # a <channel> after programmes before the cut
        ("undeclared", SECOND_HERE),  # a programme of a channel no <channel> declared
        ("undeclared-wanted", SECOND_HERE),  # ... that the playlist wants by its id
    ],
)
def test_anything_one_pass_reads_differently_is_read_in_one_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, case: str, expected: str
) -> None:
    body = hourly("abc", 10)
    cut = "b show 5<"
    index = next(i for i, p in enumerate(body) if cut in p)
    if case == "comment":
        body.insert(index - 1, "<!-- a comment")
        body.insert(index + 3, "-->")
    elif case == "cdata":
        body[index] = body[index].replace("<sub-title>", "<sub-title><![CDATA[ x </programme> y ]]>", 1)
    elif case == "nested":
        body.insert(index - 1, "<extension>")
        body.insert(index + 3, "</extension>")
    elif case == "late-channel":
        body.insert(index + 5, '<channel id="d"><display-name>Name d</display-name></channel>')
        body.append(programme("d", NOON, "d late"))
    elif case == "channel-after-programmes":
        body.insert(3, '<channel id="d"><display-name>Name d</display-name></channel>')
        body.append(programme("d", NOON, "d late"))
    else:
        body.insert(index + 5, programme("zz" if case == "undeclared" else "d", NOON, "orphan"))
    channels = "abc" if case in ("late-channel", "channel-after-programmes", "undeclared-wanted") else "abcd"
    assert expected in both(tmp_path, guide_text(channels, body), monkeypatch, caplog, cut)


def test_broken_xml_after_the_cut_is_reported_at_its_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    body = hourly("ab", 10)
    body[15] = body[15].replace("</title>", "</titel>", 1)
    text = guide_text("ab", body)
    guide = tmp_path / "guide.xml"
    guide.write_text(text, encoding="utf-8")
    with pytest.raises(GuideError) as one:
        ingest(tmp_path, guide, "one.db")
    monkeypatch.setattr(xmltv_split, "SPLIT_BYTES", 0)
    monkeypatch.setattr(xmltv_split, "middle", lambda size: text.encode().index(b"b show 2<"))
    with pytest.raises(GuideError) as two:
        ingest(tmp_path, guide, "two.db")
    line = re.compile(r"line \d+")
    expected = f"line {text.count(chr(10), 0, text.index('</titel>')) + 1}"
    assert line.findall(str(two.value))[0] == line.findall(str(one.value))[0] == expected
    assert not list(tmp_path.glob("two.db*"))


def test_cancel_while_reading_in_two_parts_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = guide_text("abc", hourly("abc", 400))
    guide = tmp_path / "guide.xml"
    guide.write_text(text, encoding="utf-8")
    monkeypatch.setattr(xmltv_split, "SPLIT_BYTES", 0)
    cancel = threading.Event()
    with pytest.raises(IngestCancelled):
        ingest(tmp_path, guide, "two.db", cancel=cancel, progress=lambda done, total: cancel.set())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["guide.xml"]


@pytest.mark.parametrize("kind", ["gzip", "small", "internal-subset", "no-programme-end"])
def test_files_that_are_not_cut(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    subset = '<!DOCTYPE tv [<!ENTITY x "y">]>\n' if kind == "internal-subset" else ""
    text = guide_text("ab", [] if kind == "no-programme-end" else hourly("ab", 20), prolog=subset)
    path = tmp_path / "guide.xml"
    path.write_bytes(gzip.compress(text.encode()) if kind == "gzip" else text.encode())
    if kind != "small":
        monkeypatch.setattr(xmltv_split, "SPLIT_BYTES", 0)
    assert xmltv_split.plan_split(path, 1 << 40) is None
    monkeypatch.setattr(xmltv_split, "SPLIT_BYTES", 0)
    assert (xmltv_split.plan_split(path, 1 << 40) is None) is (kind != "small")


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    shape=st.lists(st.tuples(st.sampled_from("abcdz"), st.integers(0, 40), st.sampled_from(["ok", "bad", "open"])),
                   min_size=2, max_size=60),
    cut=st.floats(0.0, 1.0),
)
def test_random_guides_read_the_same_in_two_parts(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch, shape: list[tuple[str, int, str]],
    cut: float,
) -> None:
    tmp_path = tmp_path_factory.mktemp("split")
    body = [programme(c, NOON - 20 * HOUR + h * HOUR, f"{c}{h}", bad=kind == "bad", stop=0 if kind == "open" else None)
            for c, h, kind in shape]  # fmt: skip
    text = guide_text("abc", body)
    guide = tmp_path / "guide.xml"
    guide.write_text(text, encoding="utf-8")
    one = ingest(tmp_path, guide, "one.db")
    with monkeypatch.context() as patch:
        patch.setattr(xmltv_split, "SPLIT_BYTES", 0)
        patch.setattr(xmltv_split, "middle", lambda size: int(size * cut * 0.95))
        two = ingest(tmp_path, guide, "two.db")
    assert two == one


def test_one_core_reads_in_one_pass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "guide.xml"
    path.write_text(guide_text("ab", hourly("ab", 20)), encoding="utf-8")
    monkeypatch.setattr(xmltv_split, "SPLIT_BYTES", 0)
    assert xmltv_split.plan_split(path, 1 << 40) is not None
    monkeypatch.setattr(xmltv_split, "_cores", lambda: 1)
    assert xmltv_split.plan_split(path, 1 << 40) is None
