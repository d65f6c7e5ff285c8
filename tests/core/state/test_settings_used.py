"""Every declared setting is read by the code it is meant to change, not only shown by the settings screen."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from settop.core.state.settings import DECLARED, Setting

ROOT = Path(__file__).resolve().parents[3] / "settop"
# Where a setting is declared, validated or shown: reading it there changes nothing by itself.
NOT_A_USE = ("core/state/settings.py", "ui/settings/")
# Settings read through a method of Settings rather than by name.
READ_THROUGH = {"playlists": re.compile(r"\.playlists\(\)")}


def _sources() -> dict[str, str]:
    return {p.relative_to(ROOT).as_posix(): p.read_text(encoding="utf-8") for p in ROOT.rglob("*.py")
            if not p.relative_to(ROOT).as_posix().startswith(NOT_A_USE)}


SOURCES = _sources()


@pytest.mark.parametrize("setting", DECLARED, ids=lambda s: s.name)
def test_setting_is_read_outside_the_settings_module(setting: Setting) -> None:
    pattern = READ_THROUGH.get(setting.name) or re.compile(rf"[\"']{re.escape(setting.name)}[\"']")
    readers = [path for path, text in SOURCES.items() if pattern.search(text)]
    assert readers, f"{setting.name} is declared but nothing outside the settings module and its pages reads it"


def test_the_check_can_fail() -> None:
    assert not [p for p, t in SOURCES.items() if re.search(r"[\"']playback\.no_such_setting[\"']", t)]
