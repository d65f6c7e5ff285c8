"""The parsed-playlist cache: exact round trip, keyed by content and parse options, corrupt entries ignored."""

from __future__ import annotations

import logging
import marshal
import os
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from settop.core.models import Playlist
from settop.core.playlist import cache as playlist_cache
from settop.core.playlist import m3u

DATA = Path(__file__).parents[2] / "data" / "m3u"
RICH = b"".join((DATA / name).read_bytes() for name in ("kitchen_sink.m3u", "options.m3u", "header_defaults.m3u"))


def entries() -> list[Path]:
    return sorted(playlist_cache.folder().glob("*.marshal"))


def refuse_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object, **kwargs: object) -> Playlist:
        raise AssertionError("parsed again instead of using the cache")

    monkeypatch.setattr(m3u, "parse_bytes", fail)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(RICH, id="rich"),
        pytest.param(b"", id="empty"),
        pytest.param(b"#EXTM3U\n#EXTINF:-1,Nul\x00in name\nhttp://s/x\n", id="nul-in-text"),
        pytest.param(b"#EXTM3U\n#EXTINF:-1,Caf\xe9\nhttp://s/x\n=====\n", id="cp1252-with-warnings"),
    ],
)
def test_round_trip_is_exact(data: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    first = playlist_cache.load(data, base_url="/srv/tv/list.m3u")
    assert first == m3u.parse_bytes(data, base_url="/srv/tv/list.m3u")
    refuse_parse(monkeypatch)
    again = playlist_cache.load(data, base_url="/srv/tv/list.m3u")
    assert again == first
    assert [type(c) for c in again.channels] == [type(c) for c in first.channels]
    assert [c.catchup for c in again.channels] == [c.catchup for c in first.channels]


def test_key_depends_on_bytes_base_and_remote() -> None:
    keys = {
        playlist_cache.cache_key(RICH),
        playlist_cache.cache_key(RICH + b"\n"),
        playlist_cache.cache_key(RICH, base_url="http://h/list.m3u"),
        playlist_cache.cache_key(RICH, remote=True),
    }
    assert len(keys) == 4
    assert playlist_cache.cache_key(RICH) == playlist_cache.cache_key(bytes(RICH))


def test_changed_playlist_is_parsed_again() -> None:
    first = playlist_cache.load(b"#EXTM3U\n#EXTINF:-1,A\nhttp://s/a\n")
    second = playlist_cache.load(b"#EXTM3U\n#EXTINF:-1,B\nhttp://s/b\n")
    assert [c.name for c in first.channels] == ["A"]
    assert [c.name for c in second.channels] == ["B"]
    assert len(entries()) == 2


def _truncate(blob: bytes) -> bytes:
    return blob[: len(blob) // 2]


def _flip_a_byte(blob: bytes) -> bytes:
    return blob[:-5] + bytes([blob[-5] ^ 0xFF]) + blob[-4:]


def _foreign_magic(blob: bytes) -> bytes:
    return b"something else entirely\n" + blob[len(playlist_cache.MAGIC) :]


def _valid_crc_wrong_shape(blob: bytes) -> bytes:
    payload = marshal.dumps((1, "only", "a", "few", "fields"))
    return playlist_cache.MAGIC + zlib.crc32(payload).to_bytes(4, "big") + payload


def _valid_crc_not_marshal(blob: bytes) -> bytes:
    payload = b"\xff\x00garbage"
    return playlist_cache.MAGIC + zlib.crc32(payload).to_bytes(4, "big") + payload


def _empty(blob: bytes) -> bytes:
    return b""


@pytest.mark.parametrize(
    "damage",
    [_truncate, _flip_a_byte, _foreign_magic, _valid_crc_wrong_shape, _valid_crc_not_marshal, _empty],
    ids=["truncated", "flipped-byte", "foreign-magic", "valid-crc-wrong-shape", "valid-crc-not-marshal", "empty"],
)
def test_damaged_entry_is_ignored_and_replaced(
    damage: Callable[[bytes], bytes], caplog: pytest.LogCaptureFixture
) -> None:
    expected = playlist_cache.load(RICH)
    (entry,) = entries()
    entry.write_bytes(damage(entry.read_bytes()))
    with caplog.at_level(logging.INFO, logger="settop.playlist"):
        assert playlist_cache.load(RICH) == expected
    assert playlist_cache.read(entry.stem) == expected  # rewritten whole
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_only_the_newest_entries_are_kept() -> None:
    kept = []
    for i in range(playlist_cache.MAX_ENTRIES + 3):
        data = f"#EXTM3U\n#EXTINF:-1,C{i}\nhttp://s/{i}\n".encode()
        playlist_cache.load(data)
        entry = playlist_cache.folder() / f"{playlist_cache.cache_key(data)}.marshal"
        os.utime(entry, (1000 + i, 1000 + i))  # an explicit order, whatever the file system's clock resolution
        kept.append(entry)
    playlist_cache.load(b"#EXTM3U\n")  # one more write prunes, using those times
    assert set(entries()) >= set(kept[-playlist_cache.MAX_ENTRIES + 1 :])
    assert len(entries()) == playlist_cache.MAX_ENTRIES


def test_unwritable_cache_still_parses(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setattr(playlist_cache, "folder", lambda: blocker)
    playlist = playlist_cache.load(RICH)
    assert playlist == m3u.parse_bytes(RICH)


def test_cache_file_names_are_hashes() -> None:
    playlist_cache.load(b"#EXTM3U\n#EXTINF:-1,A\nhttp://user:secret@s/a?token=t\n", base_url="http://h/?token=t")
    (entry,) = entries()
    assert len(entry.stem) == 64 and all(ch in "0123456789abcdef" for ch in entry.stem)
