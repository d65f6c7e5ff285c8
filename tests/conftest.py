"""Shared test set-up: isolated SETTOP_HOME, offscreen Qt, and failing on unexpected warnings in our loggers."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

DATA = Path(__file__).parent / "data"
CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "allow_warnings: the test expects WARNING records from settop loggers")


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


@pytest.fixture(autouse=True)
def fail_on_unexpected_warnings(request: pytest.FixtureRequest) -> Iterator[None]:
    """Like qutebrowser's logfail: a WARNING from a ``settop.*`` logger fails the test unless it is expected.

    A test expects warnings by using ``caplog`` (and asserting on them) or with ``@pytest.mark.allow_warnings``.
    """
    collector = _Collector()
    logger = logging.getLogger("settop")
    logger.addHandler(collector)
    try:
        yield
    finally:
        logger.removeHandler(collector)
    if "caplog" in request.fixturenames or request.node.get_closest_marker("allow_warnings"):
        return
    if collector.records:
        lines = "\n".join(f"{r.name} {r.levelname}: {r.getMessage()}" for r in collector.records[:10])
        pytest.fail(f"unexpected warnings from settop loggers:\n{lines}", pytrace=False)
