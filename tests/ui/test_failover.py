"""Failover between the sources of a merged channel, with real libVLC: one source's server is killed mid-play and
the other source's copy plays by itself; the copy that worked is remembered, and the viewer can pick one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PyQt6.QtCore import Qt

from settop.core.state.settings import PlaylistSource, Settings
from tests.helpers.streams import stream_dir
from tests.helpers.streamserver import StreamServer
from tests.ui.conftest import press
from tests.ui.vlcfixtures import GREEN, RED, wait_picture

pytestmark = pytest.mark.vlc

K = Qt.Key


def two_sources(tmp_path: Path, first: StreamServer, second: StreamServer) -> None:
    """The operator's Red One (red picture) and the add-on's copy of it (green picture, so the test sees which)."""
    a, b = tmp_path / "operator.m3u", tmp_path / "addon.m3u"
    a.write_text(f'#EXTM3U\n#EXTINF:-1 tvg-id="red.one" tvg-chno="1",Red One\n{first.live_url("ch1")}\n',
                 encoding="utf-8")
    b.write_text(f'#EXTM3U\n#EXTINF:-1 tvg-id="RED.one" tvg-chno="1",Red One HD\n{second.live_url("ch2")}\n',
                 encoding="utf-8")
    settings, _ = Settings.load()
    settings.set("playlists", [PlaylistSource(source=str(a), name="Operator").to_dict(),
                               PlaylistSource(source=str(b), name="Add-on", id="saddon001").to_dict()])
    settings.save()


def start(qtbot: Any, app: Any) -> None:
    with qtbot.waitSignal(app.shell.playlist_loaded, timeout=15000):
        app.shell.start(None)
    assert len(app.live.lineup) == 1 and len(app.live.failover.choices()) == 2


def test_killing_the_playing_source_fails_over_to_the_other(qtbot: Any, vlc_app: Any, stream_server: StreamServer,
                                                             tmp_path: Path) -> None:
    operator = StreamServer(stream_dir())
    try:
        two_sources(tmp_path, operator, stream_server)
        app = vlc_app()
        start(qtbot, app)
        wait_picture(qtbot, app, RED)
        app.live.show_banner()
        assert "2 sources" in [badge.text() for badge in app.live.banner._badges]
        operator.close()  # the operator's server dies mid-play
        wait_picture(qtbot, app, GREEN, timeout=30000)
        assert "Operator does not answer: playing from Add-on" in app.window.toast.text.text()
        assert app.live.status.kind != "error"
        qtbot.waitUntil(lambda: app.state.preferred_copy("id:red.one") == "saddon001/id:red.one",
                        timeout=10000)  # the last working copy, remembered at its first frame
        app.window.close()
        again = vlc_app()  # the next start plays the copy that worked last, not the dead one
        start(qtbot, again)
        wait_picture(qtbot, again, GREEN)
    finally:
        operator.close()


def test_the_viewer_picks_the_source_in_the_context_menu(qtbot: Any, vlc_app: Any, stream_server: StreamServer,
                                                          tmp_path: Path) -> None:
    two_sources(tmp_path, stream_server, stream_server)
    app = vlc_app()
    start(qtbot, app)
    wait_picture(qtbot, app, RED)
    qtbot.keyPress(app.window, K.Key_Return)  # long OK: the context menu
    qtbot.waitUntil(lambda: app.window.current_context() == "dialog", timeout=3000)
    qtbot.keyRelease(app.window, K.Key_Return)
    menu = app.window.active()
    labels = [item.label for item in menu.items]
    assert labels[labels.index("Source") + 1:labels.index("Source") + 3] == ["Operator", "Add-on"]
    assert [item.label for item in menu.items if item.checked] == ["Operator"]  # the one playing, focused
    press(qtbot, app, K.Key_Down, K.Key_Return)
    wait_picture(qtbot, app, GREEN)
    qtbot.waitUntil(lambda: app.state.preferred_copy("id:red.one") == "saddon001/id:red.one", timeout=10000)
