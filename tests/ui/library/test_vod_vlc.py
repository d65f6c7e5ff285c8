"""Through real libVLC: a short film from the loopback provider plays as on-demand, and its end is an end (the
"ended" state, the point saved as watched, the detail page back), never a reconnect."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PyQt6.QtCore import Qt

from settop import app as app_module
from settop.core.state.settings import PlaylistSource
from settop.player.base import PlayerEvent, PlayerState
from settop.ui.library.detail import DetailScreen
from settop.ui.library.playback import VodScreen
from tests.helpers.streams import stream_dir
from tests.helpers.xtreamserver import PASSWORD, USERNAME, Panel, XtreamServer
from tests.ui.conftest import press
from tests.ui.vlcfixtures import BLUE, GREEN, RED, wait_picture

pytestmark = pytest.mark.vlc


@pytest.fixture
def provider() -> Iterator[XtreamServer]:
    with XtreamServer(Panel(streams=stream_dir())) as running:
        yield running


def test_the_end_of_a_film_is_an_end(qtbot: Any, vlc_app: Callable[..., app_module.App],
                                     provider: XtreamServer) -> None:
    app = vlc_app()
    events: list[PlayerEvent] = []
    app.player.add_listener(events.append)
    account = PlaylistSource(source=provider.server, name="Provider", kind="xtream", username=USERNAME,
                             password=PASSWORD)
    with qtbot.waitSignal(app.shell.playlist_loaded, timeout=10000):
        app.shell.load(account)
    app.library.open_movies()  # Menu › Movies (the key path is tested in test_library_flow)
    press(qtbot, app, Qt.Key.Key_Right, Qt.Key.Key_Return)
    detail = app.window.active()
    assert isinstance(detail, DetailScreen)
    qtbot.waitUntil(lambda: detail.message == "", timeout=10000)
    press(qtbot, app, Qt.Key.Key_Return)  # Play: film 1001 is the 6-second blue test stream
    assert isinstance(app.window.active(), VodScreen)
    wait_picture(qtbot, app, BLUE)
    qtbot.waitUntil(lambda: app.window.active() is detail, timeout=20000)  # the end: back on the detail page
    film = [e for e in events if e.request is not None and not e.request.live]
    assert any(e.kind == "ended" and e.state is PlayerState.ENDED for e in film)
    assert not [e for e in film if e.kind in ("reconnecting", "error")]
    point = app.state.resume_point(film[-1].request.channel_key)
    assert point is not None and point.watched


def test_an_account_never_has_two_streams_open_at_once(qtbot: Any, vlc_app: Callable[..., app_module.App]) -> None:
    """The account allows one connection: zapping, a film and back to live TV keep to it (counted by the server,
    which sends each stream at its own speed and sees at once when the player hangs up)."""
    with XtreamServer(Panel(streams=stream_dir(), pace=True, max_connections="1", active_cons="0", live=3)) as srv:
        app = vlc_app()
        with qtbot.waitSignal(app.shell.playlist_loaded, timeout=10000):
            app.shell.load(PlaylistSource(source=srv.server, name="Provider", kind="xtream", username=USERNAME,
                                          password=PASSWORD))
        wait_picture(qtbot, app, GREEN)  # channel 1 is stream 1: the green test stream
        press(qtbot, app, Qt.Key.Key_Up)
        wait_picture(qtbot, app, BLUE)
        press(qtbot, app, Qt.Key.Key_Up)
        wait_picture(qtbot, app, RED)
        assert app.library is not None
        app.library.open_movies()
        press(qtbot, app, Qt.Key.Key_Right, Qt.Key.Key_Return)
        detail = app.window.active()
        assert isinstance(detail, DetailScreen)
        qtbot.waitUntil(lambda: detail.message == "", timeout=10000)
        press(qtbot, app, Qt.Key.Key_Return)
        wait_picture(qtbot, app, BLUE)  # film 1001
        press(qtbot, app, Qt.Key.Key_Escape, Qt.Key.Key_Escape, Qt.Key.Key_Escape)  # stop, page, library
        wait_picture(qtbot, app, RED)  # live TV is back
        assert srv.peak_streams == 1


def test_a_recording_past_the_account_limit_is_refused_in_words(qtbot: Any,
                                                                vlc_app: Callable[..., app_module.App]) -> None:
    """A one-connection account while its channel plays: Record is refused with the reason, and the provider never
    sees a second stream, although the setting (5 here) would allow more: the account's own limit wins."""
    with XtreamServer(Panel(streams=stream_dir(), pace=True, max_connections="1", active_cons="0", live=2)) as srv:
        app = vlc_app()
        recorder = app.recorder
        assert recorder is not None and recorder.budget is not None
        recorder.budget.default_limit = 5
        with qtbot.waitSignal(app.shell.playlist_loaded, timeout=10000):
            app.shell.load(PlaylistSource(source=srv.server, name="Provider", kind="xtream", username=USERNAME,
                                          password=PASSWORD))
        wait_picture(qtbot, app, GREEN)
        press(qtbot, app, Qt.Key.Key_MediaRecord)
        assert not recorder.recording
        said = app.window.toast.text.text()
        assert said == "Not recorded: This provider allows 1 stream at once, in use by watching"
        press(qtbot, app, Qt.Key.Key_Up)  # zapping still works: the player's one stream moves
        wait_picture(qtbot, app, BLUE)
        assert srv.peak_streams == 1
