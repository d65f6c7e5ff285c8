"""Guide search: the FTS5 index built after ingest, words and prefixes, groups around now, shifts, refresh."""

from __future__ import annotations

from pathlib import Path

import pytest

from settop.core.guide.search import EXPANSION, fold, index_path
from settop.core.guide.store import GuideStore
from tests.core.guide.test_guide import HOUR, NOON, channel, hourly, stamp, write_guide


def write_rich_guide(path: Path, programmes: list[tuple[str, int, int, str, str]]) -> Path:
    """programmes: (channel id, start, stop, title, description)."""
    parts = ['<tv><channel id="a.tv"><display-name>A</display-name></channel>',
             '<channel id="b.tv"><display-name>B</display-name></channel>']
    for cid, start, stop, title, desc in programmes:
        parts.append(f'<programme start="{stamp(start)}" stop="{stamp(stop)}" channel="{cid}">'
                     f"<title>{title}</title><desc>{desc}</desc></programme>")
    path.write_text("\n".join([*parts, "</tv>"]), encoding="utf-8")
    return path


@pytest.fixture
def store(tmp_path: Path) -> GuideStore:
    guide = write_rich_guide(tmp_path / "g.xml", [
        ("a.tv", NOON - 3 * HOUR, NOON - 2 * HOUR, "Morning News", "Headlines and the weather"),
        ("a.tv", NOON - 2 * HOUR, NOON, "Cooking Show", "A chef makes crêpes"),
        ("a.tv", NOON, NOON + HOUR, "Midday News", "Local stories"),
        ("a.tv", NOON + HOUR, NOON + 2 * HOUR, "Film: The Newsroom", "Drama in a newspaper office"),
        ("b.tv", NOON - HOUR, NOON + HOUR, "Football Live", "The cup final, with news from the other grounds"),
        ("b.tv", NOON + 5 * HOUR, NOON + 6 * HOUR, "Évening News", "The day's news"),
    ])
    guide_store = GuideStore(tmp_path / "cache" / "guide.db")
    guide_store.ingest("src", guide, [channel("k1", tvg_id="a.tv"), channel("k2", tvg_id="b.tv"),
                                      channel("k3", tvg_id="b.tv")], now=NOON)
    assert guide_store.wait_for_index(30)
    return guide_store


def titles(hits: tuple[object, ...]) -> list[str]:
    return [h.programme.title for h in hits]  # type: ignore[attr-defined]


def test_words_group_on_now_later_and_earlier(store: GuideStore) -> None:
    found = store.search("news ", NOON + 600)
    assert titles(found.on_now) == ["Football Live", "Midday News"]  # "news" in the description counts
    assert titles(found.later) == ["Évening News"]  # a whole word (a space after it): not "Newsroom"
    assert titles(found.earlier) == ["Morning News"]
    assert not found.indexing and len(found) == 4
    football = found.on_now[0]
    assert football.keys == ("k2", "k3") and football.programme.channel_id == "b.tv"


def test_the_last_word_is_a_prefix_as_it_is_typed(store: GuideStore) -> None:
    assert titles(store.search("news", NOON + 600).later) == ["Film: The Newsroom", "Évening News"]
    assert titles(store.search("n", NOON + 600).later) == ["Film: The Newsroom", "Évening News"]
    assert titles(store.search("newsr", NOON + 600).later) == ["Film: The Newsroom"]  # expanded through terms
    assert titles(store.search("drama newsp", NOON + 600).later) == ["Film: The Newsroom"]
    assert len(store.search("newsroomz", NOON + 600)) == 0
    assert len(store.search("  ", NOON)) == 0


def test_accents_and_case_fold_both_ways(store: GuideStore) -> None:
    assert titles(store.search("EVENING", NOON).later) == ["Évening News"]
    assert titles(store.search("crepes", NOON).earlier) == ["Cooking Show"]
    assert fold("Crêpes, À LA carte!") == ["crepes", "a", "la", "carte"]


def test_query_syntax_is_plain_text(store: GuideStore) -> None:
    for text in ['news"', "news OR", "NOT news", "news*", "(news", "title:news", "news AND -"]:
        store.search(text, NOON)  # no FTS5 syntax error escapes: every word is quoted


def test_group_limit_keeps_the_nearest(tmp_path: Path) -> None:
    guide = write_guide(tmp_path / "g.xml", [("a.tv", ["A"])], hourly("a.tv", NOON - 20 * HOUR, 40, "Quiz "))
    store = GuideStore(tmp_path / "cache" / "guide.db")
    store.ingest("src", guide, [channel("k1", tvg_id="a.tv")], now=NOON)
    store.wait_for_index(30)
    found = store.search("quiz", NOON + 60, limit=3)
    assert [h.programme.start for h in found.later] == [NOON + HOUR * i for i in (1, 2, 3)]
    assert [h.programme.start for h in found.earlier] == [NOON - HOUR * i for i in (1, 2, 3)]
    assert [h.programme.start for h in found.on_now] == [NOON]


def test_offsets_shift_results_like_the_grid(store: GuideStore) -> None:
    store.offsets = {"k1": 2 * HOUR}
    found = store.search("midday", NOON + 600)
    assert titles(found.later) == ["Midday News"] and found.later[0].programme.start == NOON + 2 * HOUR


def test_index_is_built_after_ingest_and_follows_refreshes(tmp_path: Path) -> None:
    store = GuideStore(tmp_path / "cache" / "guide.db", search_index=False)
    guide = write_guide(tmp_path / "g.xml", [("a.tv", ["A"])], hourly("a.tv", NOON, 3, "Quiz "))
    store.ingest("src", guide, [channel("k1", tvg_id="a.tv")], now=NOON)
    files = sorted(p.name for p in store.path.parent.iterdir())
    assert not any(name.endswith(".search") for name in files)  # the ingest itself builds no index
    store.search_index = True
    first = store.search("quiz", NOON)
    assert first.indexing and len(first) == 0  # said while the worker builds it
    assert store.wait_for_index(30)
    assert len(store.search("quiz", NOON)) == 3
    source = next(p for p in store.path.parent.iterdir() if p.name.startswith("guide-") and p.suffix == ".db")
    assert index_path(source).exists()
    write_guide(tmp_path / "g.xml", [("a.tv", ["A"])], hourly("a.tv", NOON, 2, "Chess "))
    store.ingest("src", guide, [channel("k1", tvg_id="a.tv")], now=NOON)
    assert store.wait_for_index(30)
    assert len(store.search("quiz", NOON)) == 0 and len(store.search("chess", NOON)) == 2
    assert not index_path(source).exists()  # the old source's index went with it
    store.remove_source("src")
    assert [p.name for p in store.path.parent.iterdir() if ".search" in p.name] == []


def test_many_words_sharing_a_prefix_fall_back_to_fts_prefix(tmp_path: Path) -> None:
    rows = [("a.tv", NOON + i * 60, NOON + (i + 1) * 60, f"Word{i:03d}") for i in range(EXPANSION + 10)]
    guide = write_guide(tmp_path / "g.xml", [("a.tv", ["A"])], rows)
    store = GuideStore(tmp_path / "cache" / "guide.db")
    store.ingest("src", guide, [channel("k1", tvg_id="a.tv")], now=NOON - 10)
    store.wait_for_index(30)
    assert len(store.search("word", NOON - 10, limit=1000).later) == EXPANSION + 10
    assert len(store.search("word00", NOON - 10, limit=1000).later) == 10
