"""Lenient reading of player-API values: each row is a shape real panels send."""

from __future__ import annotations

from typing import Any

import pytest

from settop.core.sources import xtream_json as js


@pytest.mark.parametrize(("value", "expected"), [
    (12, 12), ("12", 12), (" 7 ", 7), ("12.0", 12), (12.9, 12), (None, None), ("", None), ("abc", None),
    (True, 1), ("nan", None), ([], None),
], ids=["int", "str", "spaces", "float-str", "float", "null", "empty", "word", "bool", "nan", "list"])
def test_integer(value: Any, expected: int | None) -> None:
    assert js.integer(value) == expected


@pytest.mark.parametrize(("value", "expected"), [
    (1, True), ("1", True), ("0", False), (0, False), (None, False), ("true", True), (True, True), ("", False),
], ids=["1", "str-1", "str-0", "0", "null", "true", "bool", "empty"])
def test_flag(value: Any, expected: bool) -> None:
    assert js.flag(value) is expected


@pytest.mark.parametrize(("value", "expected"), [
    (None, ""), (" x ", "x"), (5, "5"), (5.0, "5"), ({"a": 1}, ""), (False, ""),
], ids=["null", "strip", "int", "float", "dict", "bool"])
def test_text(value: Any, expected: str) -> None:
    assert js.text(value) == expected


def test_records_take_lists_objects_and_junk() -> None:
    assert js.records([{"a": 1}, "x", None]) == [{"a": 1}]
    assert js.records({"1": {"a": 1}, "2": {"a": 2}}) == [{"a": 1}, {"a": 2}]
    assert js.records(None) == [] and js.records("oops") == []


@pytest.mark.parametrize(("data", "kind"), [
    (b"", "empty"), (b"  \n", "empty"), (b"<html>502 Bad Gateway</html>", "html"), (b'{"a": ', "malformed"),
    (b"[" * 100_000, "malformed"),
], ids=["empty", "blank", "html", "truncated", "deep"])
def test_decode_says_what_a_body_was_instead_of_json(data: bytes, kind: str) -> None:
    with pytest.raises(js.NotJson) as caught:
        js.decode(data)
    assert caught.value.kind == kind


def test_decode_reads_json_with_a_bom() -> None:
    assert js.decode("\ufeff[1]".encode()) == [1]


@pytest.mark.parametrize(("value", "expected"), [
    ("TW9ybmluZyBuZXdz", "Morning news"), ("Plain title", "Plain title"), ("abcd", "abcd"), (None, ""),
], ids=["base64", "plain", "looks-like-base64", "null"])
def test_maybe_base64(value: Any, expected: str) -> None:
    assert js.maybe_base64(value) == expected
