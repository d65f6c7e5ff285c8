"""Log categories are declared in one place, and ``--log-filter`` narrows the log to them."""

from __future__ import annotations

import argparse
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from settop import cli, logcats

ROOT = Path(__file__).resolve().parents[1]
GET_LOGGER = re.compile(r'getLogger\("settop\.([a-z_.]+)"\)')


def test_every_named_logger_is_a_declared_category() -> None:
    used = {match for path in (ROOT / "settop").rglob("*.py") for match in GET_LOGGER.findall(path.read_text())}
    assert used, "no loggers found: the pattern is wrong"
    assert used <= set(logcats.CATEGORIES), sorted(used - set(logcats.CATEGORIES))
    assert all(description for description in logcats.CATEGORIES.values())


def test_parse_filter_and_unknown_names() -> None:
    assert logcats.parse_filter("guide,player") == (frozenset({"guide", "player"}), False)
    assert logcats.parse_filter("!qt") == (frozenset({"qt"}), True)
    with pytest.raises(ValueError, match="unknown log category nope; known: app"):
        logcats.parse_filter("guide,nope")


def record(name: str, level: int = logging.DEBUG) -> logging.LogRecord:
    return logging.LogRecord(name, level, __file__, 1, "m", None, None)


def test_the_filter_keeps_its_categories_and_those_below_and_every_warning() -> None:
    only = logcats.CategoryFilter(frozenset({"ui", "player.vlc"}))
    assert only.filter(record("settop.ui.guide")) and only.filter(record("settop.player.vlc"))
    assert not only.filter(record("settop.player")) and not only.filter(record("settop.uix"))
    assert only.filter(record("settop.guide", logging.WARNING))  # problems are never hidden
    but = logcats.CategoryFilter(frozenset({"qt"}), negated=True)
    assert not but.filter(record("settop.qt")) and but.filter(record("settop.guide"))


@pytest.fixture
def root_handler() -> Iterator[logging.Handler]:
    """A handler on the root logger; afterwards no category filter stays on any root handler (pytest's own)."""
    handler = logging.StreamHandler()
    root = logging.getLogger()
    root.addHandler(handler)
    level = root.level
    yield handler
    root.removeHandler(handler)
    root.setLevel(level)
    for each in root.handlers:
        for chosen in [f for f in each.filters if isinstance(f, logcats.CategoryFilter)]:
            each.removeFilter(chosen)


def test_log_filter_option_filters_the_handlers(root_handler: logging.Handler, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """``settop doctor --log-filter guide`` puts the category filter on the log handlers; a bad name is a usage
    error (exit 2) that lists the categories."""
    seen: list[str] = []

    def doctor(args: argparse.Namespace) -> int:
        seen.append(args.log_filter)
        return 0

    monkeypatch.setattr("settop.commands.doctor.run", doctor)
    assert cli.main(["doctor", "--log-filter", "guide"]) == 0
    assert seen == ["guide"]
    filters = [f for f in root_handler.filters if isinstance(f, logcats.CategoryFilter)]
    assert filters and filters[-1].categories == {"guide"}
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["doctor", "--log-filter", "bogus"])
    assert exit_info.value.code == 2
    assert "unknown log category bogus" in capsys.readouterr().err
