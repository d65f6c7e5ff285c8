"""A file that is not a channel list, given as the playlist: said in words, never remembered, the old lineup plays
on."""

from __future__ import annotations

from pathlib import Path

from tests.ui.conftest import SMALL, load

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
