"""Settings: declarations, validation, loading with reports, atomic saving and corrupt files moved aside."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

import pytest

from settop.core.sources.base import derived_source_id
from settop.core.state import tomlfile
from settop.core.state.paths import config_dir
from settop.core.state.settings import (
    PlaylistSource,
    SettingError,
    Settings,
    hash_pin,
    validate,
    verify_pin,
)

DATA = Path(__file__).resolve().parents[2] / "data" / "core"

_REQUIRED_TEXT = (
    "video.backend playback.hw_decoding playback.network_caching_ms playback.reconnect_attempts "
    "playback.stall_seconds playback.audio_languages playback.subtitle_languages playback.deinterlace "
    "playback.aspect live.up_down_zaps live.osd_seconds live.number_entry_ms guide.past_days guide.future_days "
    "guide.offset_hours guide.languages guide.sources playlists parental.pin_hash parental.locked_groups "
    "parental.locked_channels ui.language ui.fullscreen ui.hidden_groups fetch.max_playlist_mb fetch.max_guide_mb "
    "fetch.max_logo_kb"
)
REQUIRED = _REQUIRED_TEXT.split()


def test_required_settings_are_declared_with_valid_defaults() -> None:
    names = [s.name for s in Settings.declared()]
    assert len(names) == len(set(names))
    assert set(REQUIRED) <= set(names)
    for setting in Settings.declared():
        assert setting.description
        assert validate(setting, setting.default)[0] == setting.default


def test_defaults_without_a_file() -> None:
    settings, messages = Settings.load()
    assert messages == []
    assert settings.path == config_dir() / "settings.toml"
    assert settings.get("video.backend") == "auto"
    assert settings.get_bool("live.up_down_zaps") is True
    assert settings.playlists() == ()


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("video.backend", "frames", "frames"),
        ("playback.network_caching_ms", 100, 100),
        ("guide.offset_hours", -3, -3.0),
        ("guide.offset_hours", 5.5, 5.5),
        ("playback.audio_languages", ["deu", "eng"], ["deu", "eng"]),
        ("playback.audio_languages", "fra", ["fra"]),
        ("ui.fullscreen", False, False),
        ("ui.language", "de", "de"),
    ],
    ids=repr,
)
def test_set_accepts(name: str, value: Any, expected: Any) -> None:
    settings, _ = Settings.load()
    settings.set(name, value)
    assert settings.get(name) == expected


@pytest.mark.parametrize(
    ("name", "value", "fragment"),
    [
        ("video.backend", "opengl", "one of auto, native, frames"),
        ("playback.network_caching_ms", 10, "between 100 and 60000"),
        ("playback.network_caching_ms", 1.5, "whole number"),
        ("playback.network_caching_ms", True, "whole number"),
        ("live.up_down_zaps", "yes", "true or false"),
        ("guide.sources", [1, 2], "list of texts"),
        ("ui.language", 3, "text"),
        ("playlists", {"source": "x"}, "list of"),
        ("playlists", [{"name": "no source"}], "needs a source"),
    ],
    ids=repr,
)
def test_set_rejects(name: str, value: Any, fragment: str) -> None:
    settings, _ = Settings.load()
    with pytest.raises(SettingError, match=fragment):
        settings.set(name, value)
    assert settings.is_default(name)


def test_unknown_name_is_a_key_error() -> None:
    settings, _ = Settings.load()
    with pytest.raises(KeyError):
        settings.get("video.nonsense")
    with pytest.raises(KeyError):
        settings.set("video.nonsense", 1)


@pytest.mark.allow_warnings("^settings: ")
def test_load_reports_bad_and_unknown_values(caplog: pytest.LogCaptureFixture, tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_bytes((DATA / "settings_mixed.toml").read_bytes())
    settings, messages = Settings.load(path)
    assert settings.get("video.backend") == "native"
    assert settings.get("playback.hw_decoding") == "auto"
    assert settings.get("playback.network_caching_ms") == 3000
    assert settings.get("playback.reconnect_attempts") == 5
    assert settings.get("playback.audio_languages") == ["deu"]
    assert settings.get("live.up_down_zaps") is False
    assert settings.get("live.osd_seconds") == 5
    assert settings.get_float("guide.offset_hours") == 2.0
    assert settings.playlists() == (
        PlaylistSource(source="http://127.0.0.1:1/list.m3u", name="Home", refresh_hours=12.0,
                       epg=("http://127.0.0.1:1/guide.xml",)),
        PlaylistSource(source="/media/usb/list.m3u", id=derived_source_id("/media/usb/list.m3u")),
    )  # fmt: skip
    text = "\n".join(messages)
    for fragment in ("cuda", "reconnect_attempts", "osd_seconds", "needs a source", "enabled", "'colour'",
                     "'future_toplevel'", "'experimental.shiny'"):  # fmt: skip
        assert fragment in text
    assert len(messages) == 8
    assert len(caplog.records) == 8


@pytest.mark.allow_warnings("^settings: ")
def test_save_round_trip_keeps_unknown_and_invalid_values(caplog: pytest.LogCaptureFixture, tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_bytes((DATA / "settings_mixed.toml").read_bytes())
    settings, _ = Settings.load(path)
    settings.set("ui.language", 'de "quoted" \\ \n')
    settings.set("live.osd_seconds", 8)
    settings.reset("video.backend")
    settings.save()
    document = tomllib.loads(path.read_text(encoding="utf-8"))
    assert document["future_toplevel"] == "kept"
    assert document["experimental"] == {"shiny": 1}
    assert document["playback"]["hw_decoding"] == "cuda"
    assert document["ui"]["language"] == 'de "quoted" \\ \n'
    assert document["live"] == {"up_down_zaps": False, "osd_seconds": 8}
    assert "backend" not in document["video"]
    assert document["playlists"][2]["colour"] == "blue"
    reloaded, _ = Settings.load(path)
    assert reloaded.get("live.osd_seconds") == 8
    assert reloaded.get("ui.language") == 'de "quoted" \\ \n'


def test_set_playlists_and_save(tmp_path: Path) -> None:
    settings, _ = Settings.load(tmp_path / "settings.toml")
    settings.set("playlists", [PlaylistSource(source="http://127.0.0.1:1/a.m3u", name="A", epg=("g.xml",))])
    settings.save()
    reloaded, messages = Settings.load(tmp_path / "settings.toml")
    assert messages == []
    assert reloaded.playlists() == (PlaylistSource(source="http://127.0.0.1:1/a.m3u", name="A", epg=("g.xml",)),)


@pytest.mark.allow_warnings("Settings file was damaged")
@pytest.mark.parametrize(
    "content",
    [b"[video\nbackend = 1", b"\xff\xfe\x00garbage", b'backend = "a"\nbackend = "b"\n'],
    ids=["syntax", "not-utf8", "duplicate-key"],
)
def test_corrupt_file_is_moved_aside(caplog: pytest.LogCaptureFixture, content: bytes) -> None:
    path = config_dir() / "settings.toml"
    path.write_bytes(content)
    settings, messages = Settings.load()
    assert settings.get("video.backend") == "auto"
    assert not path.exists()
    aside = list(config_dir().glob("settings.toml.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == content
    assert len(messages) == 1 and aside[0].name in messages[0]
    assert caplog.records[0].levelname == "WARNING"
    settings.set("ui.fullscreen", False)
    settings.save()
    assert Settings.load()[0].get("ui.fullscreen") is False


def test_crash_mid_write_keeps_the_old_file(monkeypatch: pytest.MonkeyPatch) -> None:
    settings, _ = Settings.load()
    settings.set("video.backend", "frames")
    settings.save()
    old = settings.path.read_bytes() if settings.path else b""

    def crash(src: object, dst: object) -> None:
        raise OSError("disk pulled out")

    settings.set("video.backend", "native")
    with monkeypatch.context() as patch, pytest.raises(OSError, match="disk pulled out"):
        patch.setattr(os, "replace", crash)
        settings.save()
    assert settings.path is not None and settings.path.read_bytes() == old
    assert [p.name for p in config_dir().iterdir()] == ["settings.toml"]
    assert Settings.load()[0].get("video.backend") == "frames"


def test_toml_writer_round_trips() -> None:
    document = {
        "top": 1,
        "list": [1, 2.5, "x", True],
        "empty": [],
        "inline": [{"a": 1}, 2],
        "a": {"b": {"c": "d"}, "e": "f", "weird key": "\t\x01"},
        "rows": [{"x": 1, "sub": {"y": 2}}, {"x": 3}],
    }
    assert tomllib.loads(tomlfile.dumps(document, comment="hello\nworld")) == document


def test_pin_hash() -> None:
    stored = hash_pin("1234")
    assert verify_pin("1234", stored)
    assert not verify_pin("4321", stored)
    assert not verify_pin("1234", "")
    assert not verify_pin("1234", "md5$1$00$00")


def test_playlists_get_source_ids_and_the_first_keeps_plain_keys(tmp_path: Path) -> None:
    settings, _ = Settings.load(tmp_path / "settings.toml")
    settings.set("playlists", [PlaylistSource(source="a.m3u"), PlaylistSource(source="b.m3u"),
                               PlaylistSource(source="b.m3u"),
                               PlaylistSource(source="c.m3u", id="sfixed", start_number=900)])
    ids = [entry.id for entry in settings.playlists()]
    assert ids[0] == "" and ids[3] == "sfixed" and len(set(ids)) == 4
    assert settings.playlists()[3].start_number == 900
    settings.set("playlists", [p.to_dict() for p in settings.playlists()])
    assert [entry.id for entry in settings.playlists()] == ids  # saved ids stay
