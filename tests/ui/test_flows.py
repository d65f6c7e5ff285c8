"""Live-TV flows driven by key events through the real dispatcher, with real libVLC and the frames backend."""

from __future__ import annotations

import pytest
from PyQt6.QtCore import Qt

from settop.core.state.paths import data_dir
from tests.ui.conftest import load, press
from tests.ui.vlcfixtures import BLUE, GREEN, RED, keys_of, pixel, showing, wait_picture, write_playlist

pytestmark = pytest.mark.vlc

K = Qt.Key


def test_start_plays_first_channel_and_zaps(qtbot, vlc_app, stream_server, tmp_path):
    playlist = write_playlist(tmp_path, stream_server)
    app = vlc_app()
    load(qtbot, app, playlist)
    wait_picture(qtbot, app, RED)
    assert app.live.banner.isVisible() and "Red One" in app.live.banner.name.text()
    press(qtbot, app, K.Key_Up)  # up zaps in live by default
    wait_picture(qtbot, app, GREEN)
    press(qtbot, app, K.Key_PageUp)  # P+ on remotes that send PageUp
    wait_picture(qtbot, app, BLUE)
    press(qtbot, app, K.Key_Down, K.Key_Down)
    wait_picture(qtbot, app, RED)
    press(qtbot, app, K.Key_Down)  # wraps to the last channel
    assert app.live.current_channel().name == "Locked Out"


def test_number_entry_tunes_after_a_pause_and_reports_a_missing_number(qtbot, vlc_app, stream_server, tmp_path):
    playlist = write_playlist(tmp_path, stream_server)
    app = vlc_app()
    load(qtbot, app, playlist)
    wait_picture(qtbot, app, RED)
    with qtbot.waitSignal(app.live.tuned, timeout=5000) as tuned:
        press(qtbot, app, K.Key_3)
        assert app.live.numbers.box.isVisible()
        assert app.live.numbers.box.name.text() == "Blue Three"
    assert tuned.args == [keys_of(playlist)["Blue Three"]]
    wait_picture(qtbot, app, BLUE)
    press(qtbot, app, K.Key_9, K.Key_9)
    assert app.live.numbers.box.name.text() == "No channel 99"
    press(qtbot, app, K.Key_Return)  # OK tunes at once: nothing to tune
    assert app.live.numbers.box.isVisible() and app.live.numbers.box.name.text() == "No channel 99"
    assert app.live.current_channel().name == "Blue Three"
    with qtbot.waitSignal(app.live.tuned, timeout=2000):
        press(qtbot, app, K.Key_2, K.Key_Return)
    wait_picture(qtbot, app, GREEN)


def test_last_channel_jumps_back_and_forth(qtbot, vlc_app, stream_server, tmp_path):
    playlist = write_playlist(tmp_path, stream_server)
    app = vlc_app()
    load(qtbot, app, playlist)
    press(qtbot, app, K.Key_3, K.Key_Return)
    wait_picture(qtbot, app, BLUE)
    press(qtbot, app, K.Key_L)  # the desktop key for last channel
    wait_picture(qtbot, app, RED)
    press(qtbot, app, K.Key_L)
    wait_picture(qtbot, app, BLUE)


def test_list_navigation_does_not_zap_and_ok_tunes(qtbot, vlc_app, stream_server, tmp_path):
    playlist = write_playlist(tmp_path, stream_server)
    app = vlc_app()
    load(qtbot, app, playlist)
    wait_picture(qtbot, app, RED)
    played = app.player.request
    press(qtbot, app, K.Key_Return)
    listing = app.live.channel_list
    assert app.window.active() is listing and listing.focused_channel().name == "Red One"
    press(qtbot, app, K.Key_Down, K.Key_Down)
    assert listing.focused_channel().name == "Blue Three"
    assert app.player.request is played  # focus moves never zap
    press(qtbot, app, K.Key_Right)  # next group: Recent (one channel watched), then the playlist's groups
    assert listing.current_group() == "Recent"
    press(qtbot, app, K.Key_Right, K.Key_Right)
    assert listing.current_group() == "Blues" and listing.model.rowCount() == 1
    press(qtbot, app, K.Key_Return)
    assert not listing.isVisible() and app.window.active() is app.live
    wait_picture(qtbot, app, BLUE)
    press(qtbot, app, K.Key_Up)  # zapping stays in the group the channel was picked from
    assert app.live.current_channel().name == "Blue Three"


def test_search_with_typed_text_and_on_screen_keyboard(qtbot, vlc_app, stream_server, tmp_path):
    playlist = write_playlist(tmp_path, stream_server)
    app = vlc_app()
    load(qtbot, app, playlist)
    press(qtbot, app, K.Key_Return, K.Key_Slash)
    listing = app.live.channel_list
    assert listing.searching and app.window.current_context() == "keyboard"
    press(qtbot, app, "gre")  # typed on a desktop keyboard
    assert listing.model.rowCount() == 1 and listing.focused_channel().name == "Green Two"
    press(qtbot, app, K.Key_Backspace, K.Key_Backspace, K.Key_Backspace)
    assert listing.model.rowCount() == 5
    # On-screen keyboard: "b" is one step right of "a", "l" eleven; OK types the focused key.
    press(qtbot, app, K.Key_Right, K.Key_Return)
    assert listing.query == "b" and listing.model.rowCount() == 1 and listing.focused_channel().name == "Blue Three"
    press(qtbot, app, K.Key_F4)  # blue: done, browse the results
    assert not listing.searching and listing.query == "b"
    press(qtbot, app, K.Key_Return)
    wait_picture(qtbot, app, BLUE)


def test_favorites_from_list_and_live(qtbot, vlc_app, stream_server, tmp_path):
    playlist = write_playlist(tmp_path, stream_server)
    keys = keys_of(playlist)
    app = vlc_app()
    load(qtbot, app, playlist)
    press(qtbot, app, K.Key_Return, K.Key_Down, K.Key_F3)  # yellow on the focused row
    assert app.state.favorites() == [keys["Green Two"]]
    press(qtbot, app, K.Key_Right)
    assert app.live.channel_list.current_group() == "Favorites"
    press(qtbot, app, K.Key_Escape)
    press(qtbot, app, K.Key_F3)  # yellow in live: the playing channel
    assert set(app.state.favorites()) == {keys["Green Two"], keys["Red One"]}
    assert "favorites" in app.window.toast.text.text()
    press(qtbot, app, K.Key_F3)
    assert app.state.favorites() == [keys["Green Two"]]


def test_audio_track_choice_is_remembered(qtbot, vlc_app, stream_server, tmp_path):
    playlist = write_playlist(tmp_path, stream_server)
    app = vlc_app()
    load(qtbot, app, playlist)
    press(qtbot, app, K.Key_4, K.Key_Return)
    qtbot.waitUntil(lambda: len(app.player.audio_tracks()) >= 2, timeout=15000)
    before = app.player.audio_track()
    press(qtbot, app, K.Key_F1)  # red in live: next audio track
    qtbot.waitUntil(lambda: app.player.audio_track() != before, timeout=5000)
    chosen = next(t for t in app.player.audio_tracks() if t.id == app.player.audio_track())
    key = keys_of(playlist)["Multi Lingual"]
    assert app.state.audio_language(key) in (chosen.language, chosen.name)
    # Long OK opens the context menu; its second entry is the track overlay.
    qtbot.keyPress(app.window, K.Key_Return)
    qtbot.waitUntil(lambda: app.window.current_context() == "dialog", timeout=3000)
    qtbot.keyRelease(app.window, K.Key_Return)
    press(qtbot, app, K.Key_Down, K.Key_Return)
    menu = app.window.active()
    assert menu.title == "Audio and subtitles"
    labels = [item.label for item in menu.items]
    assert "Subtitles" in labels and "Off" in labels
    checked = [item.label for item in menu.items if item.checked]
    assert any(chosen.name in label for label in checked)


def test_refused_stream_is_shown_in_words_with_retry(qtbot, vlc_app, stream_server, tmp_path):
    playlist = write_playlist(tmp_path, stream_server)
    app = vlc_app()
    load(qtbot, app, playlist)
    press(qtbot, app, K.Key_5, K.Key_Return)
    qtbot.waitUntil(lambda: app.live.status.kind == "error", timeout=15000)
    assert app.live.status.isVisible() and app.live.status.text.text()
    assert "Retry" in app.live.status.hint.text() or "channel" in app.live.status.hint.text()
    press(qtbot, app, K.Key_1, K.Key_Return)
    wait_picture(qtbot, app, RED)
    assert not app.live.status.isVisible()


def test_restart_resumes_last_channel_with_favorites_and_volume(qtbot, vlc_app, stream_server, tmp_path):
    playlist = write_playlist(tmp_path, stream_server)
    keys = keys_of(playlist)
    first = vlc_app()
    load(qtbot, first, playlist)
    press(qtbot, first, K.Key_2, K.Key_Return, K.Key_F3, K.Key_Minus, K.Key_Minus)
    wait_picture(qtbot, first, GREEN)
    first.window.close()
    assert first.closed
    second = vlc_app()
    with qtbot.waitSignal(second.shell.playlist_loaded, timeout=10000):
        second.shell.start(None)  # no argument: the remembered playlist
    wait_picture(qtbot, second, GREEN)
    assert second.state.favorites() == [keys["Green Two"]]
    assert second.player.volume() == 90
    press(qtbot, second, K.Key_L)  # last channel survives the restart too
    wait_picture(qtbot, second, RED)


@pytest.mark.allow_warnings
def test_corrupt_state_file_is_moved_aside_and_reported(qtbot, vlc_app, stream_server, tmp_path):
    playlist = write_playlist(tmp_path, stream_server)
    (data_dir() / "state.db").write_bytes(b"this is not a database" * 100)
    app = vlc_app()
    assert app.window.toast.isVisible() and app.window.toast.text.text()
    assert list(data_dir().glob("state.db.corrupt-*"))
    load(qtbot, app, playlist)
    wait_picture(qtbot, app, RED)
    press(qtbot, app, K.Key_F3)
    assert app.state.favorites()


def test_volume_and_mute_indicator(qtbot, vlc_app, stream_server, tmp_path):
    playlist = write_playlist(tmp_path, stream_server)
    app = vlc_app()
    load(qtbot, app, playlist)
    wait_picture(qtbot, app, RED)
    press(qtbot, app, K.Key_Plus)
    assert app.live.volume_panel.isVisible() and app.state.volume() == 105
    press(qtbot, app, K.Key_M)
    assert app.player.is_muted() and "Muted" in app.live.volume_panel.text.text()
    assert showing(app, RED)


def test_lost_stream_says_reconnecting_then_recovers(qtbot, vlc_app, stream_server, tmp_path):
    playlist = write_playlist(tmp_path, stream_server)
    app = vlc_app()
    load(qtbot, app, playlist)
    press(qtbot, app, K.Key_3, K.Key_Return)
    wait_picture(qtbot, app, BLUE)
    stream_server.freeze("ch3")  # the live playlist stops moving on: no new pictures
    try:
        qtbot.waitUntil(lambda: app.live.status.kind == "reconnecting", timeout=20000)
        assert app.live.status.isVisible() and "Reconnecting 1/2" in app.live.status.text.text()
    finally:
        stream_server.freeze("ch3", frozen=False)
    qtbot.waitUntil(lambda: app.live.has_picture or app.live.status.kind == "error", timeout=20000)
    if app.live.status.kind == "error":
        assert "OK" in app.live.status.hint.text()
        press(qtbot, app, K.Key_Return)  # OK retries
    qtbot.waitUntil(lambda: app.live.has_picture and not app.live.status.isVisible(), timeout=20000)
    wait_picture(qtbot, app, BLUE)


def test_zapping_to_a_stream_not_found_clears_the_old_picture_and_says_so(qtbot, vlc_app, stream_server, tmp_path):
    """Issue 12: green plays, the viewer zaps to a channel that answers 404: the error is said, and the picture
    under it is black, not green's frozen last frame."""
    playlist = write_playlist(tmp_path, stream_server)
    app = vlc_app()
    load(qtbot, app, playlist)
    press(qtbot, app, K.Key_2, K.Key_Return)
    wait_picture(qtbot, app, GREEN)
    stream_server.fail("/live/ch3/*", 404)
    try:
        press(qtbot, app, K.Key_3, K.Key_Return)
        qtbot.waitUntil(lambda: app.live.status.kind == "error", timeout=10000)
    finally:
        stream_server.clear()
    assert app.live.status.isVisible() and "404" in app.live.status.text.text()
    assert pixel(app) is None  # no decoded frame is kept for painting
    painted = app.surface.grab().toImage()
    for x, y in ((8, 8), (painted.width() // 2, painted.height() // 2)):
        colour = painted.pixelColor(x, y)
        assert (colour.red(), colour.green(), colour.blue()) == (0, 0, 0), (x, y, colour.name())
