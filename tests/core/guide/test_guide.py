"""GuideStore: ingest, now/next and grid queries, merge of sources, atomic refresh, window, offsets."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

import pytest

from settop.core.guide import ingest as guide_ingest
from settop.core.guide import store as guide_module
from settop.core.guide.store import GuideStore, IngestCancelled
from settop.core.guide.xmltv import GuideError
from settop.core.models import Channel

NOON = 1767268800  # 2026-01-01 12:00:00 UTC
HOUR = 3600


def stamp(epoch: int) -> str:
    import time

    return time.strftime("%Y%m%d%H%M%S +0000", time.gmtime(epoch))


def write_guide(
    path: Path,
    channels: Sequence[tuple[str, Sequence[str]]],
    programmes: Sequence[tuple[str, int, int | None, str]],
) -> Path:
    """channels: (id, display names); programmes: (channel id, start, stop or None, title)."""
    parts = ["<tv>"]
    for cid, names in channels:
        parts.append(f'<channel id="{cid}">' + "".join(f"<display-name>{n}</display-name>" for n in names))
        parts.append("</channel>")
    for cid, start, stop, title in programmes:
        stop_attr = f' stop="{stamp(stop)}"' if stop is not None else ""
        parts.append(f'<programme start="{stamp(start)}"{stop_attr} channel="{cid}"><title>{title}</title></programme>')
    parts.append("</tv>")
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def hourly(cid: str, first: int, count: int, prefix: str = "") -> list[tuple[str, int, int | None, str]]:
    return [(cid, first + i * HOUR, first + (i + 1) * HOUR, f"{prefix}{cid} {i}") for i in range(count)]


def channel(key: str, name: str = "", tvg_id: str = "", tvg_name: str = "", shift: float = 0.0) -> Channel:
    return Channel(key=key, name=name or key, url=f"http://127.0.0.1:9/{key}.ts", tvg_id=tvg_id, tvg_name=tvg_name,
                   tvg_shift=shift)  # fmt: skip


@pytest.fixture
def store(tmp_path: Path) -> GuideStore:
    return GuideStore(tmp_path / "cache" / "guide.db")


def test_default_location_is_the_cache_dir(settop_home: Path) -> None:
    assert GuideStore().path == settop_home / "cache" / "guide.db"


def test_now_next_grid_and_programme_at(store: GuideStore, tmp_path: Path) -> None:
    guide = write_guide(tmp_path / "g.xml", [("a.tv", ["A"])], hourly("a.tv", NOON - 2 * HOUR, 6))
    result = store.ingest("src", guide, [channel("k1", tvg_id="a.tv")], now=NOON)
    assert (result.programmes, result.guide_channels, dict(result.report.matched)) == (6, 1, {"k1": ("a.tv", "tvg-id")})
    now, upcoming = store.now_next(["k1", "missing"], NOON + 600)["k1"]
    assert now is not None and upcoming is not None
    assert (now.title, now.start, now.stop, upcoming.title) == ("a.tv 2", NOON, NOON + HOUR, "a.tv 3")
    assert "missing" not in store.now_next(["k1", "missing"], NOON)
    grid = store.programmes(["k1"], NOON - 1800, NOON + 2 * HOUR)["k1"]
    assert [p.title for p in grid] == ["a.tv 1", "a.tv 2", "a.tv 3"]
    at = store.programme_at("k1", NOON - 1)
    assert at is not None and at.title == "a.tv 1"
    assert store.programme_at("k1", NOON + 10 * HOUR) is None


def test_gap_and_end_of_data(store: GuideStore, tmp_path: Path) -> None:
    programmes = [("a", NOON, NOON + HOUR, "first"), ("a", NOON + 2 * HOUR, NOON + 3 * HOUR, "after gap")]
    store.ingest(
        "src", write_guide(tmp_path / "g.xml", [("a", ["A"])], programmes), [channel("k", tvg_id="a")], now=NOON
    )
    now, upcoming = store.now_next(["k"], NOON + HOUR + 60)["k"]
    assert now is None and upcoming is not None and upcoming.title == "after gap"
    assert store.now_next(["k"], NOON + 4 * HOUR) == {}


@pytest.mark.parametrize(
    ("playlist", "guide_channels", "mappings", "expected"),
    [
        (channel("k", tvg_id="BBC1.UK"), [("bbc1.uk", ["Other"])], {}, ("bbc1.uk", "tvg-id")),
        (channel("k", tvg_name="BBC_One HD"), [("x", ["bbc one"])], {}, ("x", "tvg-name")),
        (channel("k", name="Das Erste (HD)"), [("x", ["Das  Erste"])], {}, ("x", "name")),
        (channel("k", name="Télé Québec"), [("x", ["TELE QUEBEC"])], {}, ("x", "name")),
        (channel("k", tvg_id="a"), [("a", ["A"]), ("b", ["B"])], {"k": "b"}, ("b", "manual")),
        (channel("k", tvg_id="a", name="B"), [("b", ["B"]), ("a", ["A"])], {}, ("a", "tvg-id")),
        (channel("k", tvg_name="B", name="C"), [("c", ["C"]), ("b", ["B"])], {}, ("b", "tvg-name")),
        (channel("k", name="Sky Sports"), [("x", ["Sky Sports 2"])], {}, None),
        (channel("k", tvg_id="zzz"), [("a", ["A"])], {"k": "missing"}, None),
    ],
    ids=[
        "tvg-id-no-case", "tvg-name-normalised", "name-normalised", "accents", "manual-first", "id-beats-name",
        "tvg-name-beats-name", "no-match", "mapping-to-absent-channel",
    ],
)  # fmt: skip
def test_matching(
    store: GuideStore,
    tmp_path: Path,
    *,
    playlist: Channel,
    guide_channels: list[tuple[str, list[str]]],
    mappings: dict[str, str],
    expected: tuple[str, str] | None,
) -> None:
    programmes = [p for cid, _names in guide_channels for p in hourly(cid, NOON, 2)]
    guide = write_guide(tmp_path / "g.xml", guide_channels, programmes)
    result = store.ingest("src", guide, [playlist], mappings=mappings, now=NOON)
    assert result.report.matched.get("k") == expected
    if expected is not None:
        now, _ = store.now_next(["k"], NOON)["k"]
        assert now is not None and now.channel_id == expected[0]
        assert result.programmes == 2  # only the matched channel's programmes are kept
    assert store.match_report([playlist]).matched.get("k") == expected


def test_match_report_lists_closest_candidates(store: GuideStore, tmp_path: Path) -> None:
    guide_channels = [("sky1.uk", ["Sky One"]), ("skysports.uk", ["Sky Sports Main Event"]), ("bbc.uk", ["BBC"])]
    guide = write_guide(tmp_path / "g.xml", guide_channels, hourly("bbc.uk", NOON, 1))
    playlist = [channel("k1", name="Sky Sports Main"), channel("k2", name="BBC"), channel("k3", name="Zzz Qqq")]
    report = store.ingest("src", guide, playlist, now=NOON).report
    assert set(report.matched) == {"k2"}
    unmatched = {u.key: u for u in report.unmatched}
    assert unmatched["k1"].candidates[0] == "skysports.uk (Sky Sports Main Event)"
    assert unmatched["k3"].candidates == ()
    assert report.channels_total == 3
    assert store.match_report(playlist).unmatched == report.unmatched
    assert [g.id for g in store.guide_channels()] == ["sky1.uk", "skysports.uk", "bbc.uk"]


def test_programmes_before_their_channel_and_without_one(store: GuideStore, tmp_path: Path) -> None:
    guide = tmp_path / "g.xml"
    guide.write_text(
        f'<tv><programme start="{stamp(NOON)}" stop="{stamp(NOON + HOUR)}" channel="Late"><title>early</title>'
        f'</programme><channel id="Late"><display-name>L</display-name></channel>'
        f'<programme start="{stamp(NOON)}" stop="{stamp(NOON + HOUR)}" channel="ghost"><title>boo</title></programme>'
        "</tv>",
        encoding="utf-8",
    )
    store.ingest("src", guide, [channel("k1", tvg_id="late"), channel("k2", tvg_id="GHOST")], now=NOON)
    result = store.now_next(["k1", "k2"], NOON)
    assert {key: pair[0].title for key, pair in result.items() if pair[0]} == {"k1": "early", "k2": "boo"}


def test_missing_stops_and_duplicates(store: GuideStore, tmp_path: Path) -> None:
    programmes = [("a", NOON, None, "open"), ("a", NOON, None, "duplicate"), ("a", NOON + 1800, None, "last")]
    store.ingest(
        "src", write_guide(tmp_path / "g.xml", [("a", ["A"])], programmes), [channel("k", tvg_id="a")], now=NOON
    )
    grid = store.programmes(["k"], NOON - HOUR, NOON + 3 * HOUR)["k"]
    assert [(p.title, p.start, p.stop) for p in grid] == [
        ("open", NOON, NOON + 1800),
        ("last", NOON + 1800, NOON + 1800 + guide_module.DEFAULT_LENGTH),
    ]


def test_window_keeps_one_day_back_and_seven_ahead(store: GuideStore, tmp_path: Path) -> None:
    day = 86400
    programmes = [
        ("a", NOON - 2 * day, NOON - 2 * day + HOUR, "too old"),
        ("a", NOON - day - 1800, NOON - day + 1800, "crosses the start"),
        ("a", NOON + 6 * day, NOON + 6 * day + HOUR, "in a week"),
        ("a", NOON + 7 * day + 60, NOON + 7 * day + HOUR, "too far"),
    ]
    guide = write_guide(tmp_path / "g.xml", [("a", ["A"])], programmes)
    result = store.ingest("src", guide, [channel("k", tvg_id="a")], now=NOON)
    assert result.programmes == 2 and result.filtered == 2
    grid = store.programmes(["k"], NOON - 10 * day, NOON + 10 * day)["k"]
    assert [p.title for p in grid] == ["crosses the start", "in a week"]
    result = store.ingest("src", guide, [channel("k", tvg_id="a")], now=NOON, window=(3 * day, day))
    assert result.programmes == 2  # "too old" and "crosses the start" now; the rest is too far ahead


def test_offsets_apply_at_query_time(tmp_path: Path) -> None:
    guide = write_guide(tmp_path / "g.xml", [("a", ["A"]), ("b", ["B"])], hourly("a", NOON, 3) + hourly("b", NOON, 3))
    playlist = [channel("ka", tvg_id="a", shift=1.5), channel("kb", tvg_id="b")]
    store = GuideStore(tmp_path / "guide.db")
    store.ingest("src", guide, playlist, now=NOON)
    now, _ = store.now_next(["ka"], NOON + 5400)["ka"]
    assert now is not None and (now.title, now.start) == ("a 0", NOON + 5400)
    store = GuideStore(tmp_path / "guide.db", offset=-HOUR, offsets={"kb": 2 * HOUR})
    a_now, _ = store.now_next(["ka"], NOON + 5400)["ka"]
    b_now, _ = store.now_next(["kb"], NOON + HOUR)["kb"]
    assert a_now is not None and (a_now.title, a_now.start) == ("a 1", NOON + HOUR + 1800)
    assert b_now is not None and (b_now.title, b_now.start) == ("b 0", NOON + HOUR)
    grid = store.programmes(["kb"], NOON + HOUR, NOON + 2 * HOUR)["kb"]
    assert [(p.title, p.start) for p in grid] == [("b 0", NOON + HOUR)]


def test_sources_merge_in_priority_order(store: GuideStore, tmp_path: Path) -> None:
    first = write_guide(tmp_path / "1.xml", [("a", ["A"])], hourly("a", NOON, 2, "one:"))
    second = write_guide(
        tmp_path / "2.xml", [("a", ["A"]), ("b", ["B"])],
        hourly("a", NOON, 6, "two:") + hourly("b", NOON, 2, "two:"),
    )  # fmt: skip
    playlist = [channel("ka", tvg_id="a"), channel("kb", tvg_id="b")]
    store.ingest("first", first, playlist, now=NOON)
    store.ingest("second", second, playlist, now=NOON)
    titles = {key: pair[0].title for key, pair in store.now_next(["ka", "kb"], NOON).items() if pair[0]}
    assert titles == {"ka": "one:a 0", "kb": "two:b 0"}
    later = store.now_next(["ka"], NOON + 3 * HOUR)["ka"][0]
    assert later is not None and later.title == "two:a 3"  # the first source has nothing then
    assert [s.name for s in store.sources()] == ["first", "second"]
    store.remove_source("first")
    assert store.now_next(["ka"], NOON)["ka"][0].title == "two:a 0"
    assert [p.name for p in store.path.parent.glob("guide-*.db")].__len__() == 1


def test_refresh_is_atomic_and_old_data_serves_meanwhile(
    store: GuideStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    playlist = [channel("k", tvg_id="a")]
    store.ingest(
        "src", write_guide(tmp_path / "old.xml", [("a", ["A"])], hourly("a", NOON, 3, "old:")), playlist, now=NOON
    )
    monkeypatch.setattr(guide_ingest, "BATCH", 1)
    seen: list[str] = []
    other = GuideStore(store.path)  # another reader, e.g. the UI thread

    def progress(done: int, total: int) -> None:
        programme = other.now_next(["k"], NOON)["k"][0]
        seen.append(programme.title if programme else "")

    new = write_guide(tmp_path / "new.xml", [("a", ["A"])], hourly("a", NOON, 3, "new:"))
    store.ingest("src", new, playlist, now=NOON, progress=progress)
    assert seen and set(seen) == {"old:a 0"}
    assert other.now_next(["k"], NOON)["k"][0].title == "new:a 0"
    assert len(list(store.path.parent.glob("guide-*.db"))) == 1


def test_failed_or_cancelled_refresh_keeps_old_data(
    store: GuideStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    playlist = [channel("k", tvg_id="a")]
    store.ingest(
        "src", write_guide(tmp_path / "old.xml", [("a", ["A"])], hourly("a", NOON, 3, "old:")), playlist, now=NOON
    )
    broken = tmp_path / "broken.xml"
    broken.write_text("<tv><programme", encoding="utf-8")
    with pytest.raises(GuideError, match="not valid XML"):
        store.ingest("src", broken, playlist, now=NOON, display="broken.xml")
    monkeypatch.setattr(guide_ingest, "BATCH", 1)
    cancel = threading.Event()
    new = write_guide(tmp_path / "new.xml", [("a", ["A"])], hourly("a", NOON, 3, "new:"))
    with pytest.raises(IngestCancelled):
        store.ingest("src", new, playlist, now=NOON, cancel=cancel, progress=lambda done, total: cancel.set())
    assert store.now_next(["k"], NOON)["k"][0].title == "old:a 0"
    assert store.wait_for_index(30)
    assert sorted(p.suffix for p in store.path.parent.glob("guide-*")) == [".db", ".search"]  # no staging file left


def test_helper_process_writer_gives_the_same_store(tmp_path: Path) -> None:
    guide = write_guide(tmp_path / "g.xml", [("a", ["A"])], hourly("a", NOON - HOUR, 30))
    playlist = [channel("k", tvg_id="a")]
    local = GuideStore(tmp_path / "local" / "guide.db")
    helper = GuideStore(tmp_path / "helper" / "guide.db")
    assert local.ingest("s", guide, playlist, now=NOON, use_process=False).programmes == 30
    assert helper.ingest("s", guide, playlist, now=NOON, use_process=True).programmes == 30
    span = (NOON - 2 * HOUR, NOON + 40 * HOUR)
    assert local.programmes(["k"], *span) == helper.programmes(["k"], *span)
    assert not list((tmp_path / "helper").glob("*.batch"))


def test_store_reopens_instantly_with_its_data(tmp_path: Path) -> None:
    guide = write_guide(tmp_path / "g.xml", [("a", ["A"])], hourly("a", NOON, 2))
    GuideStore(tmp_path / "guide.db").ingest("src", guide, [channel("k", tvg_id="a")], now=NOON)
    reopened = GuideStore(tmp_path / "guide.db")
    assert reopened.programme_at("k", NOON) is not None
    assert reopened.sources()[0].programmes == 2


@pytest.mark.allow_warnings("guide store .* is damaged")
def test_damaged_store_is_set_aside(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "guide.db"
    path.write_bytes(b"this is not a database" * 100)
    store = GuideStore(path)
    assert store.sources() == []
    assert (tmp_path / "guide.db.corrupt").exists()
    assert any("damaged" in r.getMessage() for r in caplog.records)


def test_helper_that_cannot_start_falls_back_to_in_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    guide = write_guide(tmp_path / "g.xml", [("a", ["A"])], hourly("a", NOON, 3))
    monkeypatch.setattr("sys.executable", "/bin/false")
    store = GuideStore(tmp_path / "guide.db")
    assert store.ingest("s", guide, [channel("k", tvg_id="a")], now=NOON, use_process=True).programmes == 3
    assert store.programme_at("k", NOON) is not None
