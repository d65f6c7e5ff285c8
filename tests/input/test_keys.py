"""The Qt key -> button table: every name exists in Qt and folds where a remote needs it."""

from __future__ import annotations

import pytest

from settop.input.buttons import Button
from settop.input.keys import DESKTOP_KEYS, REMOTE_KEYS, button_for_key_name


def test_every_key_name_exists_in_qt() -> None:
    qt_core = pytest.importorskip("PyQt6.QtCore")
    missing = [name for name in (*REMOTE_KEYS, *DESKTOP_KEYS) if not hasattr(qt_core.Qt.Key, name)]
    assert missing == []


def test_tables_do_not_overlap() -> None:
    assert set(REMOTE_KEYS) & set(DESKTOP_KEYS) == set()


@pytest.mark.parametrize(
    ("name", "typing", "expected"),
    [
        ("Key_ChannelUp", False, Button.channel_up),
        ("Key_Return", False, Button.select),
        ("Key_Escape", False, Button.back),
        ("Key_Back", False, Button.back),
        ("Key_Backspace", False, Button.back),
        ("Key_F1", False, Button.red),
        ("Key_Blue", False, Button.blue),
        ("Key_5", True, Button.number_5),
        ("Key_Guide", False, Button.guide),
        ("Key_Info", False, Button.info),
        ("Key_Menu", False, Button.menu),
        ("Key_PageDown", False, Button.page_down),
        ("Key_MediaTogglePlayPause", False, Button.play_pause),
        ("Key_M", False, Button.mute),
        ("Key_M", True, None),
        ("Key_Z", False, None),
    ],
    ids=str,
)
def test_button_for_key_name(name: str, typing: bool, expected: Button | None) -> None:
    assert button_for_key_name(name, typing=typing) == expected
