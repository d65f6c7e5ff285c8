"""The libVLC option whitelist: allowed names, checked values, everything else refused."""

from __future__ import annotations

import pytest

from settop.core.playlist.vlcopts import ALLOWED, MAX_VALUE_LENGTH, check_option, option_name


@pytest.mark.parametrize(
    ("option", "expected"),
    [
        pytest.param("http-user-agent=Mozilla/5.0 (X11)", ("http-user-agent", "Mozilla/5.0 (X11)"), id="user-agent"),
        pytest.param("http-referrer=https://r.example/", ("http-referrer", "https://r.example/"), id="referrer"),
        pytest.param("program=745", ("program", "745"), id="program"),
        pytest.param("network-caching=01500", ("network-caching", "1500"), id="caching-normalised"),
        pytest.param("audio-language=de,en-GB", ("audio-language", "de,en-GB"), id="audio-language"),
        pytest.param("sub-language=fra", ("sub-language", "fra"), id="sub-language"),
        pytest.param(":program=1", ("program", "1"), id="leading-colon"),
        pytest.param("--program=1", ("program", "1"), id="leading-dashes"),
        pytest.param(" PROGRAM = 2 ", ("program", "2"), id="case-and-spaces"),
        pytest.param("http-user-agent=a=b", ("http-user-agent", "a=b"), id="equals-in-value"),
        pytest.param("input-slave=file:///etc/passwd", None, id="not-allowed"),
        pytest.param("sout=#file{dst=/tmp/x}", None, id="sout"),
        pytest.param("http-user-agent=", None, id="empty-value"),
        pytest.param("http-user-agent", None, id="no-equals"),
        pytest.param("http-user-agent=a\r\nX-Injected: 1", None, id="crlf"),
        pytest.param("http-referrer=a\x00b", None, id="nul"),
        pytest.param("http-user-agent=a\tb", None, id="tab"),
        pytest.param("http-user-agent=" + "a" * (MAX_VALUE_LENGTH + 1), None, id="too-long"),
        pytest.param("program=-1", None, id="negative"),
        pytest.param("program=1.5", None, id="fraction"),
        pytest.param("program=٣", None, id="non-ascii-digit"),
        pytest.param("network-caching=600001", None, id="caching-too-big"),
        pytest.param("audio-language=de;rm -rf", None, id="language-junk"),
    ],
)
def test_check_option(option: str, expected: tuple[str, str] | None) -> None:
    assert check_option(option) == expected


def test_whitelist_is_exactly_the_design() -> None:
    assert set(ALLOWED) == {
        "http-user-agent",
        "http-referrer",
        "program",
        "network-caching",
        "audio-language",
        "sub-language",
    }


@pytest.mark.parametrize(
    ("option", "name"), [("http-proxy=http://p", "http-proxy"), (":Program=1", "program"), ("--x", "x")]
)
def test_option_name(option: str, name: str) -> None:
    assert option_name(option) == name
