"""One notification area: newest notice on top, several at once, and never over the volume or number boxes."""

from __future__ import annotations

from typing import Any

import pytest
from PyQt6.QtCore import Qt

from tests.ui.conftest import load, press


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)], ids=["720p", "1080p"])
def test_notices_stack_newest_first_beside_the_volume_and_number_boxes(qtbot: Any, make_app: Any,
                                                                       size: tuple[int, int]) -> None:
    app = make_app()
    app.window.resize(*size)
    load(qtbot, app)
    press(qtbot, app, Qt.Key.Key_VolumeUp, Qt.Key.Key_1)  # the volume box and the number box are up
    app.window.notify("Audio: English", 3)
    app.window.notify("Added to favorites", 3)
    toast = app.window.toast
    assert toast.isVisible()
    assert [label.text() for label in toast.labels if label.isVisible()] == ["Added to favorites", "Audio: English"]
    boxes = {"volume": app.live.volume_panel, "number": app.live.numbers.box}
    for name, box in boxes.items():
        assert box.isVisible(), name
        assert not toast.geometry().intersects(box.geometry()), (name, toast.geometry(), box.geometry())


def test_each_notice_leaves_after_its_own_time(qtbot: Any, make_app: Any) -> None:
    app = make_app()
    toast = app.window.toast
    app.window.notify("long", 5)
    app.window.notify("short", 0.5)
    qtbot.waitUntil(lambda: [t for t, _until in toast.notices] == ["long"], timeout=3000)
    assert toast.isVisible() and toast.labels[0].text() == "long" and not toast.labels[1].isVisible()
    app.window.notify("long", 0.5)  # the same text again: one notice, not two
    assert [t for t, _until in toast.notices] == ["long"]
    qtbot.waitUntil(lambda: not toast.isVisible(), timeout=3000)


@pytest.mark.parametrize("code", ["en", "ar"])
@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)], ids=["720p", "1080p"])
def test_volume_box_and_notices_keep_clear_of_the_open_channel_list(qtbot: Any, make_app: Any,
                                                                   size: tuple[int, int], code: str) -> None:
    from settop.ui.i18n_qt import apply_language

    app = make_app()
    app.window.resize(*size)
    load(qtbot, app)
    apply_language(code, "auto")
    try:
        press(qtbot, app, Qt.Key.Key_Return, Qt.Key.Key_VolumeMute)  # the list open, then Mute: "Muted"
        app.window.notify("Added to favorites", 3)
        toast, volume, panel = app.window.toast, app.live.volume_panel, app.live.channel_list
        assert volume.text.text().endswith("Muted" if code == "en" else "الصوت مكتوم")
        assert toast.isVisible() and volume.isVisible() and panel.isVisible()
        assert app.window.isRightToLeft() == (code == "ar")
        for name, a, b in (("volume/list", volume, panel), ("notice/list", toast, panel), ("notice/volume", toast,
                                                                                            volume)):
            assert not a.geometry().intersects(b.geometry()), (name, a.geometry(), b.geometry())
        assert toast.geometry().width() >= 420 * size[1] // 1080
        press(qtbot, app, Qt.Key.Key_Escape, Qt.Key.Key_VolumeMute)  # the list closes: both back in their places
        assert abs(toast.geometry().center().x() - app.window.width() // 2) <= 1
        assert not toast.geometry().intersects(volume.geometry())
        assert (volume.geometry().center().x() < app.window.width() // 2) == (code == "en")
    finally:
        apply_language("en", "auto")
