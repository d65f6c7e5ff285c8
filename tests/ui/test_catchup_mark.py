"""The channel list marks channels with catch-up (⟲, as the guide marks replayable programmes): checked in pixels."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PyQt6.QtCore import QRect, Qt
from PyQt6.QtGui import QImage

from tests.ui.conftest import load, press


def _bright_pixels(image: QImage, rect: QRect) -> int:
    count = 0
    for y in range(rect.top(), rect.bottom(), 2):
        for x in range(rect.left(), rect.right(), 2):
            if image.pixelColor(x, y).lightness() > 120:
                count += 1
    return count


def test_catchup_channels_carry_a_mark_in_the_list(qtbot: Any, make_app: Any, tmp_path: Path) -> None:
    playlist = tmp_path / "marks.m3u"
    playlist.write_text(
        "#EXTM3U\n"
        '#EXTINF:-1 tvg-chno="1",Playing Now\nhttp://127.0.0.1:9/1.ts\n'
        '#EXTINF:-1 tvg-chno="2" catchup="shift" catchup-days="3",Replayable\nhttp://127.0.0.1:9/2.ts\n'
        '#EXTINF:-1 tvg-chno="3",Live Only\nhttp://127.0.0.1:9/3.ts\n', encoding="utf-8")
    app = make_app()
    load(qtbot, app, playlist)
    press(qtbot, app, Qt.Key.Key_Return)
    channel_list = app.live.channel_list
    assert app.window.has(channel_list)
    view = channel_list.view
    image = view.viewport().grab().toImage()
    marks = []
    for row in (1, 2):
        rect = view.visualRect(channel_list.model.index(row, 0))
        width = rect.height()  # the marks sit at the right end of the row
        marks.append(_bright_pixels(image, QRect(rect.right() - width, rect.top(), width - 4, rect.height())))
    replayable, live_only = marks
    assert replayable > 10 and live_only == 0, marks
