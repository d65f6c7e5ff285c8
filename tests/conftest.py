"""Shared test set-up: isolated SETTOP_HOME, offscreen Qt, failing on unexpected warnings (any logger, Qt's too), and
the shared corpus that may only be missing outside CI."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

DATA = Path(__file__).parent / "data"
CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def in_ci() -> bool:
    """CI=true in the environment (as GitHub Actions, GitLab CI and most runners set it)."""
    return os.environ.get("CI", "").strip().lower() == "true"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "allow_warnings(*patterns): the test expects WARNING records (any, or those "
                                       "whose message matches one of the regular expressions)")
    config.addinivalue_line("markers", "corpus(present): needs ../shared/corpus; skipped where it is absent, "
                                       "failed in CI (CI=true), where it must be there")


def corpus_missing(ci: bool) -> None:
    """A shared-corpus test without the corpus: a skip on a developer's machine, a failure in CI."""
    if ci:
        pytest.fail("../shared/corpus is missing, and in CI (CI=true) the corpus tests must run", pytrace=False)
    pytest.skip("../shared/corpus is not present")


def pytest_runtest_setup(item: pytest.Item) -> None:
    marker = item.get_closest_marker("corpus")
    if marker is not None and not marker.args[0]:
        corpus_missing(in_ci())


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True)
def _forget_secrets() -> Iterator[None]:
    """Secrets one test taught redact() (by reading a source) do not mask another test's output."""
    yield
    from settop.core.redact import forget_all

    forget_all()


@pytest.fixture(autouse=True)
def settop_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own config, data and cache folders."""
    home = tmp_path_factory.mktemp("settop-home")
    monkeypatch.setenv("SETTOP_HOME", str(home))
    monkeypatch.setenv("LANGUAGE", "en")  # English messages whatever the machine's locale (tests of i18n set theirs)
    return home


@pytest.fixture(autouse=True, scope="session")
def _qt_messages_to_logging() -> None:
    """Qt's own warnings become ``settop.qt`` records as in the app, so the check below sees them too."""
    from settop.ui import qtlog

    qtlog.install()


SUITE_EXPECTED = (
    # QTest's key simulation (the test driver, not settop) says this for every remote key without an ASCII form
    # (Key_Guide, Key_ChannelUp, the colour keys): the key event itself is delivered all the same.
    re.compile(r"keyToAscii Unhandled key code"),
)


def unexpected(records: list[logging.LogRecord], markers: list[pytest.Mark]) -> list[logging.LogRecord]:
    """The WARNING-or-worse records no ``allow_warnings`` marker expects (a marker without patterns expects
    every one; with patterns, those whose message matches one)."""
    if any(not marker.args for marker in markers):
        return []
    patterns = [*SUITE_EXPECTED, *(re.compile(pattern) for marker in markers for pattern in marker.args)]
    return [r for r in records if not any(p.search(r.getMessage()) for p in patterns)]


@pytest.fixture(autouse=True)
def fail_on_unexpected_warnings(request: pytest.FixtureRequest) -> Iterator[None]:
    """Like qutebrowser's logfail: a WARNING (or worse) from any logger, Qt's own messages included, fails the
    test unless the test says it expects it with ``@pytest.mark.allow_warnings(pattern, ...)``. Using ``caplog``
    does not switch the check off: a test that provokes a warning on purpose names it."""
    collector = _Collector()
    root = logging.getLogger()
    root.addHandler(collector)
    try:
        yield
    finally:
        root.removeHandler(collector)
    found = unexpected(collector.records, list(request.node.iter_markers("allow_warnings")))
    if found:
        lines = "\n".join(f"{r.name} {r.levelname}: {r.getMessage()}" for r in found[:10])
        pytest.fail(f"unexpected warnings:\n{lines}", pytrace=False)
