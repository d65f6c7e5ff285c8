"""First run: the welcome screen, adding a playlist by address (typed and on-screen) or by file, the demo choice."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from PyQt6.QtCore import Qt

from settop.core.state.settings import Settings
from tests.ui.conftest import load, press
from tests.ui.vlcfixtures import RED, wait_picture, write_playlist

K = Qt.Key


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def file_server(tmp_path: Path) -> Iterator[str]:
    """Serves ``tmp_path`` on 127.0.0.1; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.vlc
def test_add_playlist_by_typed_address(qtbot, vlc_app, stream_server, tmp_path, file_server):
    write_playlist(tmp_path, stream_server)
    app = vlc_app()
    app.shell.start(None)
    assert app.window.active() is app.shell.welcome and app.window.current_context() == "welcome"
    press(qtbot, app, K.Key_Return)  # "Add a playlist by address"
    entry = app.window.active()
    assert entry.context == "keyboard" and entry.text == "http://"
    press(qtbot, app, *[K.Key_Backspace] * 7)
    with qtbot.waitSignal(app.shell.playlist_loaded, timeout=10000):
        press(qtbot, app, f"{file_server}/tv.m3u")
        press(qtbot, app, K.Key_Return)  # Enter after typing accepts
    wait_picture(qtbot, app, RED)
    assert not app.shell.welcome.isVisible()
    assert [p.source for p in Settings.load()[0].playlists()] == [f"{file_server}/tv.m3u"]


@pytest.mark.vlc
def test_add_playlist_from_a_file_found_on_the_box(qtbot, vlc_app, stream_server, tmp_path):
    write_playlist(tmp_path, stream_server)
    app = vlc_app(file_roots=[tmp_path])
    app.shell.start(None)
    with qtbot.waitSignal(app.shell.playlist_loaded, timeout=10000):
        press(qtbot, app, K.Key_Down, K.Key_Return)  # "Open a playlist file", then the first file found
        assert app.window.current_context() == "dialog"
        press(qtbot, app, K.Key_Return)
    wait_picture(qtbot, app, RED)


def test_on_screen_keyboard_types_with_arrows_and_ok(qtbot, make_app):
    app = make_app()
    app.shell.start(None)
    press(qtbot, app, K.Key_Return)
    entry = app.window.active()
    press(qtbot, app, K.Key_F1)  # red: delete a character
    assert entry.text == "http:/"
    press(qtbot, app, K.Key_Down, K.Key_Return, K.Key_Up, K.Key_Left, K.Key_Return, K.Key_F2)  # n, m, space
    assert entry.text == "http:/nm "
    press(qtbot, app, K.Key_Escape)
    assert app.window.active() is app.shell.welcome


@pytest.mark.allow_warnings
def test_demo_choice_without_a_demo_says_so(qtbot, make_app):
    app = make_app()
    app.shell.start(None)
    press(qtbot, app, K.Key_Up, K.Key_Return)  # wraps to "Watch the demo channels"
    assert app.shell.welcome.message.isVisible() and "demo" in app.shell.welcome.message.text()


def test_unreadable_playlist_returns_to_welcome_with_the_reason(qtbot, make_app, tmp_path):
    app = make_app()
    with qtbot.waitSignal(app.shell.load_failed, timeout=10000):
        app.shell.start(str(tmp_path / "missing.m3u"))
    assert app.window.active() is app.shell.welcome
    assert "could not be loaded" in app.shell.welcome.message.text()


def test_an_empty_playlist_says_so_instead_of_a_black_screen(qtbot: Any, make_app: Any, tmp_path: Path) -> None:
    empty = tmp_path / "empty.m3u"
    empty.write_text("#EXTM3U\n# nothing here yet\n", encoding="utf-8")
    app = make_app()
    load(qtbot, app, empty)
    welcome = app.shell.welcome
    assert app.window.active() is welcome and welcome.isVisible()
    assert welcome.message.isVisible() and "empty.m3u has no channels." in welcome.message.text()
