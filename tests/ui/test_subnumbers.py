"""Sub-channel numbers (5.1) typed with the "." key in live number entry."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PyQt6.QtCore import Qt

from settop.core.playlist.lineup import Lineup
from settop.core.playlist.m3u import parse
from tests.ui.conftest import load, press
from tests.ui.fakes import FakeBridge, FakePlayer

K = Qt.Key
CHANNELS = [("5", "Five"), ("5.1", "Five One"), ("5.2", "Five Two"), ("51", "Fifty-One"), ("7", "Seven")]


def write(folder: Path) -> Path:
    lines = ["#EXTM3U"]
    for number, name in CHANNELS:
        lines += [f'#EXTINF:-1 tvg-chno="{number}",{name}', f"http://127.0.0.1:9/{name.replace(' ', '')}"]
    path = folder / "sub.m3u"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(("typed", "expected"), [
    ("5", "Five"), ("05", "Five"), ("5.1", "Five One"), ("5.01", "Five One"), ("05.2", "Five Two"),
    ("51", "Fifty-One"), ("5.3", None), ("5.", "Five"),
], ids=["major", "leading-zero", "sub", "sub-leading-zero", "both-zeros", "two-digits", "missing-sub", "open-dot"])
def test_find_number(tmp_path: Path, typed: str, expected: str | None) -> None:
    path = write(tmp_path)
    lineup = Lineup(parse(path.read_text(), base_url=str(path)))
    index = lineup.find_number(typed)
    assert (lineup.channels[index].name if index is not None else None) == expected


@pytest.mark.parametrize(("keys", "expected"), [
    ((K.Key_5, K.Key_Period, K.Key_1), "Five One"),
    ((K.Key_5, K.Key_Period, K.Key_2), "Five Two"),
    ((K.Key_5, K.Key_1), "Fifty-One"),
    ((K.Key_5, K.Key_Period), "Five"),  # a dot with nothing after it is the plain number
    ((K.Key_5, K.Key_Period, K.Key_Period, K.Key_1), "Five One"),  # a second dot is ignored
], ids=["5.1", "5.2", "51", "5-dot", "double-dot"])
def test_dot_key_enters_a_sub_number(qtbot: Any, make_app: Any, tmp_path: Path, keys: tuple[Qt.Key, ...],
                                     expected: str) -> None:
    player = FakePlayer()
    app = make_app(player=player, events=FakeBridge(player))
    load(qtbot, app, write(tmp_path))
    press(qtbot, app, K.Key_7, K.Key_Return)
    assert app.live.current_channel().name == "Seven"
    press(qtbot, app, *keys)
    assert app.live.numbers.box.isVisible()
    assert app.live.numbers.box.digits.text().startswith("5")
    with qtbot.waitSignal(app.live.tuned):
        press(qtbot, app, K.Key_Return)  # OK tunes at once
    assert app.live.current_channel().name == expected


def test_dot_alone_does_nothing(qtbot: Any, make_app: Any, tmp_path: Path) -> None:
    player = FakePlayer()
    app = make_app(player=player, events=FakeBridge(player))
    load(qtbot, app, write(tmp_path))
    played = len(player.played)
    press(qtbot, app, K.Key_Period)
    assert not app.live.numbers.box.isVisible() and app.live.numbers.digits == "" and len(player.played) == played
