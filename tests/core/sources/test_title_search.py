"""Films and series by title for the guide's search: folding, ranking, limits, and a large library."""

from __future__ import annotations

import threading

from settop.core.sources.ondemand import Title
from settop.core.sources.title_search import LIMIT, TitleFinder, fold


def _films(*names: str) -> tuple[Title, ...]:
    return tuple(Title(key=f"m{i}", kind="movie", name=name) for i, name in enumerate(names))


def test_case_and_accents_are_ignored_and_other_scripts_kept() -> None:
    assert fold("Amélie") == "amelie" and fold("ÇA") == "ca"
    assert fold("مسلسل الليلة") == "مسلسل الليلة"
    finder = TitleFinder(_films("Le Fabuleux Destin d'Amélie Poulain", "Ça"), ())
    assert [t.name for t in finder.find("AMELIE").movies] == ["Le Fabuleux Destin d'Amélie Poulain"]
    assert [t.name for t in finder.find("ça").movies] == ["Ça"]


def test_the_title_itself_then_titles_starting_with_it_then_words_then_inside_words() -> None:
    finder = TitleFinder(_films("Superman", "The Up Side", "Up in the Air", "Pup", "Up"), ())
    assert [t.name for t in finder.find("up").movies] == ["Up", "Up in the Air", "The Up Side", "Superman", "Pup"]


def test_films_and_series_apart_each_cut_at_the_limit() -> None:
    series = tuple(Title(key=f"s{i}", kind="series", name=f"Night {i}") for i in range(20))
    finder = TitleFinder(_films(*(f"Night film {i}" for i in range(30))), series)
    hits = finder.find(" night ")
    assert hits.query == " night " and len(hits.movies) == LIMIT and len(hits.series) == LIMIT
    assert [t.name for t in hits.series] == [f"Night {i}" for i in range(LIMIT)]  # library order within a rank
    assert len(hits) == 2 * LIMIT


def test_nothing_typed_or_nothing_there_finds_nothing() -> None:
    assert len(TitleFinder(_films("Up"), ()).find("   ")) == 0
    assert len(TitleFinder((), ()).find("up")) == 0
    assert len(TitleFinder(_films("Up"), ()).find("down")) == 0


def test_a_match_never_spans_two_titles() -> None:
    finder = TitleFinder(_films("Red", "Dawn"), ())
    assert len(finder.find("dd").movies) == 0 and len(finder.find("red dawn").movies) == 0


def test_fifty_thousand_titles_from_two_threads() -> None:
    finder = TitleFinder(_films(*(f"Film number {n}" for n in range(50_000))), ())
    answers: list[int] = []
    workers = [threading.Thread(target=lambda: answers.append(len(finder.find("number 4999").movies)))
               for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert answers == [LIMIT, LIMIT]
    assert [t.name for t in finder.find("number 49999").movies] == ["Film number 49999"]
