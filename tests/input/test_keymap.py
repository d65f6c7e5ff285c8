"""Keymap loading and resolution: defaults, fall-through, long press, user overrides and reported mistakes."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from settop.input.buttons import DESIGN_ACTIONS, Action, Button, Context, digit
from settop.input.keymap import Keymap, KeymapWarning, default_keymap_path, parse_keymap, zap_overrides

DATA = Path(__file__).resolve().parents[1] / "data" / "input"


@pytest.fixture(scope="module")
def keymap() -> Keymap:
    loaded, warnings = Keymap.load()
    assert warnings == []
    return loaded


def test_default_keymap_names_are_all_valid() -> None:
    document = tomllib.loads(default_keymap_path().read_text(encoding="utf-8"))
    for section, entries in document.items():
        Context(section)
        for name, action in entries.items():
            Button(name.removeprefix("long_") if name not in Button.__members__ else name)
            if action != "none":
                Action(action)
    _table, warnings = parse_keymap(default_keymap_path().read_text(encoding="utf-8"), "default")
    assert warnings == []


def test_every_design_action_is_bound(keymap: Keymap) -> None:
    assert set(DESIGN_ACTIONS) - keymap.all_actions() == set()


def test_every_binding_line_has_a_comment() -> None:
    for number, line in enumerate(default_keymap_path().read_text(encoding="utf-8").splitlines(), start=1):
        if re.match(r"^\s*[a-z_0-9]+\s*=", line):
            assert "#" in line, f"line {number} has no trailing comment: {line}"


@pytest.mark.parametrize(
    ("context", "button", "long", "expected"),
    [
        ("live", "up", False, Action.channel_up),
        ("live", "down", False, Action.channel_down),
        ("live", "page_up", False, Action.channel_up),
        ("live", "select", False, Action.select),
        ("live", "select", True, Action.context_menu),
        ("live", "number_7", False, Action.number_7),
        ("live", "volume_up", False, Action.volume_up),
        ("channel_list", "up", False, Action.up),
        ("channel_list", "channel_up", False, Action.page_up),
        ("channel_list", "yellow", False, Action.favorites),
        ("catchup", "left", False, Action.rewind),
        ("catchup", "up", False, Action.channel_up),
        ("catchup", "mute", False, Action.mute),
        ("library", "channel_down", False, Action.page_down),
        ("library", "blue", False, Action.search),
        ("library", "up", False, Action.up),
        ("vod", "left", False, Action.rewind),
        ("vod", "select", False, Action.play_pause),
        ("vod", "back", False, Action.stop),
        ("vod", "number_5", False, Action.number_5),
        ("guide", "epg", False, Action.guide),
        ("dialog", "select", True, Action.select),
        ("welcome", "channel_up", False, None),
        ("welcome", "select", False, Action.select),
        ("global", "record", False, None),
        ("global", "up", True, Action.up),
        (Context.keyboard, Button.number_3, False, Action.number_3),
    ],
    ids=str,
)
def test_resolve(keymap: Keymap, context: str, button: str, long: bool, expected: Action | None) -> None:
    assert keymap.resolve(context, button, long) == expected


@pytest.mark.parametrize(
    ("context", "button", "expected"),
    [("live", "select", True), ("dialog", "select", False), ("live", "up", False), ("keyboard", "select", False)],
    ids=["live-ok", "dialog-ok", "live-up", "keyboard-ok"],
)
def test_has_long(keymap: Keymap, context: str, button: str, expected: bool) -> None:
    assert keymap.has_long(context, button) is expected


def test_resolve_rejects_unknown_names(keymap: Keymap) -> None:
    with pytest.raises(ValueError):
        keymap.resolve("live", "nonsense")
    with pytest.raises(ValueError):
        keymap.resolve("nowhere", "up")


def test_buttons_for_lists_hints(keymap: Keymap) -> None:
    assert (Button.select, True) in keymap.buttons_for("live", "context_menu")
    assert (Button.channel_up, False) in keymap.buttons_for("live", Action.channel_up)


@pytest.mark.allow_warnings("^keymap: ")
def test_user_keymap_overrides_and_reports(caplog: pytest.LogCaptureFixture) -> None:
    path = DATA / "user_keymap.toml"
    keymap, warnings = Keymap.load(user_path=path)
    assert keymap.resolve("live", "up") == Action.up
    assert keymap.resolve("live", "down") is None
    assert keymap.resolve("live", "red") == Action.audio_next  # bad override skipped, default kept
    assert keymap.resolve("live", "info", long=True) == Action.guide
    assert keymap.resolve("live", "info") == Action.info
    assert keymap.resolve("channel_list", "down") == Action.down
    assert [(w.line, w.file) for w in warnings] == [(5, str(path)), (6, str(path)), (8, str(path)), (13, str(path))]
    messages = " | ".join(w.message for w in warnings)
    for fragment in ("bogus_button", "explode", "[nowhere]", "green"):
        assert fragment in messages
    assert len([r for r in caplog.records if r.levelname == "WARNING"]) == 4


@pytest.mark.allow_warnings("^keymap: .*not valid TOML")
def test_broken_user_keymap_is_ignored_with_a_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "keymap.toml"
    path.write_text('[live]\nup = "channel_up"\ndown = = 3\n', encoding="utf-8")
    keymap, warnings = Keymap.load(user_path=path)
    assert warnings == [KeymapWarning(str(path), 3, warnings[0].message)]
    assert "not valid TOML" in str(warnings[0]) and str(warnings[0]).startswith(f"{path}:3:")
    assert keymap.resolve("live", "up") == Action.channel_up


def test_missing_user_keymap_is_fine(tmp_path: Path) -> None:
    _keymap, warnings = Keymap.load(user_path=tmp_path / "absent.toml")
    assert warnings == []


def test_overrides_sit_between_default_and_user(tmp_path: Path) -> None:
    overrides = {(Context.live, (Button.up, False)): Action.up, (Context.live, (Button.down, False)): Action.down}
    keymap, _ = Keymap.load(overrides=overrides)
    assert keymap.resolve("live", "up") == Action.up
    user = tmp_path / "keymap.toml"
    user.write_text('[live]\nup = "channel_up"  # mine\n', encoding="utf-8")
    keymap, _ = Keymap.load(user_path=user, overrides=overrides)
    assert keymap.resolve("live", "up") == Action.channel_up
    assert keymap.resolve("live", "down") == Action.down


def test_broken_default_keymap_raises(tmp_path: Path) -> None:
    path = tmp_path / "default.toml"
    path.write_text('[live]\nup = "warp"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="warp"):
        Keymap.load(default_path=path)


@pytest.mark.parametrize(("action", "expected"), [(Action.number_0, 0), (Action.number_9, 9), (Action.up, None)])
def test_digit(action: Action, expected: int | None) -> None:
    assert digit(action) == expected


@pytest.mark.parametrize(("zaps", "expected"), [(True, Action.channel_up), (False, Action.up)], ids=["on", "off"])
def test_zap_overrides(zaps: bool, expected: Action) -> None:
    keymap, _ = Keymap.load(overrides=zap_overrides(zaps))
    assert keymap.resolve("live", "up") == expected
    assert keymap.resolve("live", "channel_up") == Action.channel_up
