"""Fast flows with the fake player: the dispatcher, zapping and number entry logic."""

from __future__ import annotations

from PyQt6.QtCore import Qt

from tests.ui.conftest import SMALL, load, press


def test_start_zap_number(qtbot, make_app):
    app = make_app()
    load(qtbot, app)
    assert app.player.played[-1].title == "News One"
    press(qtbot, app, Qt.Key.Key_Up)
    assert app.player.played[-1].title == "News Two"
    press(qtbot, app, Qt.Key.Key_1, Qt.Key.Key_2)
    assert app.live.numbers.box.isVisible()
    assert app.live.numbers.box.name.text() == "Kids Planet"
    press(qtbot, app, Qt.Key.Key_Return)
    assert app.player.played[-1].title == "Kids Planet"


def test_refresh_keeps_playing_and_skips_an_unchanged_playlist(qtbot, make_app, tmp_path):
    playlist = tmp_path / "tv.m3u"
    playlist.write_text(SMALL.read_text())
    app = make_app()
    load(qtbot, app, playlist)
    press(qtbot, app, Qt.Key.Key_Up)
    assert app.live.current_channel().name == "News Two"
    plays = len(app.player.played)
    lineup = app.live.lineup
    with qtbot.waitSignal(app.loader.progress, timeout=5000):
        app.shell.refresh()
    qtbot.waitUntil(lambda: not app.loader.busy, timeout=5000)
    assert app.live.lineup is lineup  # unchanged: nothing parsed, nothing swapped
    playlist.write_text(SMALL.read_text().replace("Kids Planet", "Kids World"))
    with qtbot.waitSignal(app.shell.playlist_loaded, timeout=10000):
        app.shell.refresh()
    assert app.live.lineup is not lineup and app.live.current_channel().name == "News Two"
    assert len(app.player.played) == plays  # the picture never stopped
    press(qtbot, app, Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_Return)
    assert app.player.played[-1].title == "Kids World"


def test_loading_progress_is_shown_until_the_playlist_is_in(qtbot, make_app, tmp_path):
    app = make_app()
    with qtbot.waitSignal(app.shell.playlist_loaded, timeout=10000):
        app.shell.start(str(SMALL))
        assert app.live.status.isVisible() and app.live.status.kind == "loading"
    assert not app.live.status.isVisible()
