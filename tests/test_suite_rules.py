"""The test suite's own rules: unexpected warnings from any logger fail a test (Qt's included), and the shared
corpus may only be missing outside CI."""

from __future__ import annotations

import logging

import pytest
from PyQt6.QtCore import qWarning

from settop.core.redact import RedactingFilter
from tests.conftest import corpus_missing, unexpected


def record(name: str, message: str, level: int = logging.WARNING) -> logging.LogRecord:
    return logging.LogRecord(name, level, __file__, 1, message, None, None)


def test_a_warning_from_any_logger_is_unexpected() -> None:
    records = [record("settop.guide", "a"), record("urllib3.connectionpool", "b"), record("settop.qt", "c")]
    assert unexpected(records, []) == records


def test_allow_warnings_names_what_is_expected() -> None:
    records = [record("settop.fetch", "Using the copy from 5 s ago"), record("settop.state", "damaged")]
    assert unexpected(records, [pytest.mark.allow_warnings("^Using the copy").mark]) == records[1:]
    assert unexpected(records, [pytest.mark.allow_warnings.mark]) == []


def test_caplog_does_not_switch_the_check_off(caplog: pytest.LogCaptureFixture, request: pytest.FixtureRequest
                                              ) -> None:
    """Requesting caplog leaves the check on: this test has no marker, so a warning here would fail it."""
    assert "caplog" in request.fixturenames
    assert not list(request.node.iter_markers("allow_warnings"))
    assert unexpected([record("settop.x", "boom")], list(request.node.iter_markers("allow_warnings")))


@pytest.mark.allow_warnings("^default: a Qt warning")
def test_qt_warnings_go_through_logging_redacted(caplog: pytest.LogCaptureFixture, qapp: object) -> None:
    """A Qt warning becomes a ``settop.qt`` WARNING, and the redacting filter masks what it quotes."""
    caplog.handler.addFilter(RedactingFilter())
    qWarning("a Qt warning about http://user:secret@example.invalid/live/user/secret/1.ts")
    (qt,) = [r for r in caplog.records if r.name == "settop.qt"]
    assert qt.levelno == logging.WARNING
    assert "a Qt warning" in caplog.text and "secret" not in caplog.text


def test_missing_corpus_skips_outside_ci_and_fails_in_ci() -> None:
    with pytest.raises(pytest.skip.Exception):
        corpus_missing(ci=False)
    with pytest.raises(pytest.fail.Exception, match="CI"):
        corpus_missing(ci=True)
