"""A file that is not a channel list, given as the playlist: said in words, never remembered, the old lineup plays
on; one stream is offered as a single channel, through the real menu and keys."""

from __future__ import annotations

from pathlib import Path

from PyQt6.QtCore import Qt

from tests.ui.conftest import SMALL, load, press

SNIFF = Path(__file__).parents[1] / "data" / "sniff"


def test_a_guide_given_as_the_playlist_is_refused_and_the_lineup_plays_on(qtbot, make_app):
    app = make_app()
    load(qtbot, app, SMALL)
    lineup = app.live.lineup
    saved = [p.source for p in app.settings.playlists()]
    with qtbot.waitSignal(app.shell.load_failed, timeout=10000) as failed:
        app.shell.open_source(str(SNIFF / "guide.xml"))
    assert "This is a TV guide (XMLTV), not a channel list: add it under Guide sources." in failed.args[0]
    assert app.live.lineup is lineup
    assert [p.source for p in app.settings.playlists()] == saved
    assert app.shell.source is not None and app.shell.source.source == str(SMALL)  # a refresh reloads what plays


def test_a_web_page_on_first_run_returns_to_welcome_with_the_reason(qtbot, make_app):
    app = make_app()
    with qtbot.waitSignal(app.shell.load_failed, timeout=10000):
        app.shell.start(str(SNIFF / "login.html"))
    assert app.window.active() is app.shell.welcome
    assert "web page (HTML)" in app.shell.welcome.message.text()
    assert app.settings.playlists() == ()


K = Qt.Key


def test_one_hls_stream_is_offered_as_a_single_channel(qtbot, make_app):
    app = make_app()
    stream = str(SNIFF / "master.m3u8")
    with qtbot.waitSignal(app.loader.single_stream, timeout=10000):
        app.shell.start(stream)
    qtbot.waitUntil(lambda: getattr(app.window.active(), "title", "") == "One video stream")
    assert "add it as a single channel?" in app.shell.welcome.message.text()
    with qtbot.waitSignal(app.shell.playlist_loaded, timeout=10000):
        press(qtbot, app, K.Key_Return)  # "Add it as a single channel"
    (channel,) = app.live.lineup.channels
    assert (channel.url, channel.name) == (stream, "master.m3u8")
    assert app.settings.playlists()[0].source.endswith(".m3u")  # the one-channel playlist is remembered


def test_the_offer_can_be_declined(qtbot, make_app):
    app = make_app()
    with qtbot.waitSignal(app.loader.single_stream, timeout=10000):
        app.shell.start(str(SNIFF / "clip.ts"))
    qtbot.waitUntil(lambda: getattr(app.window.active(), "title", "") == "One video stream")
    press(qtbot, app, K.Key_Down, K.Key_Return)  # "Cancel"
    qtbot.waitUntil(lambda: app.window.active() is app.shell.welcome)
    assert app.live.lineup is None and app.settings.playlists() == ()
