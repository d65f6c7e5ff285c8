"""The Menu key's panel, by key events: titled "Menu"; Movies and Series only when a source has films or series."""

from __future__ import annotations

from typing import Any

from PyQt6.QtCore import Qt

from settop.core.state.settings import PlaylistSource
from settop.ui.settings.screen import SettingsScreen
from tests.helpers.xtreamserver import PASSWORD, USERNAME, Panel, XtreamServer
from tests.ui.conftest import SMALL, load, press


def menu_labels(qtbot: Any, app: Any) -> list[str]:
    press(qtbot, app, Qt.Key.Key_Menu)
    screen = app.window.active()
    assert isinstance(screen, SettingsScreen) and screen.page.title == "Menu"
    labels = [row.label for row in screen.rows]
    press(qtbot, app, Qt.Key.Key_Escape)
    return labels


def test_a_playlist_without_films_shows_no_library_rows(qtbot: Any, make_app: Any) -> None:
    app = make_app()
    load(qtbot, app, SMALL)
    labels = menu_labels(qtbot, app)
    assert "Movies" not in labels and "Series" not in labels
    assert labels[0] == "Sleep timer" and "Playlists" in labels


def test_library_rows_come_with_the_titles_of_their_kind(qtbot: Any, make_app: Any) -> None:
    with XtreamServer(Panel(movies=3, series=0)) as server:
        app = make_app()
        account = PlaylistSource(source=server.server, name="Provider", kind="xtream", username=USERNAME,
                                 password=PASSWORD)
        with qtbot.waitSignal(app.shell.playlist_loaded, timeout=10000):
            app.shell.load(account)
        qtbot.waitUntil(lambda: bool(app.library.library.movies), timeout=10000)
        labels = menu_labels(qtbot, app)
        assert labels[0] == "Movies" and "Series" not in labels
        server.panel.series = 2
        with qtbot.waitSignal(app.shell.load_finished, timeout=10000):
            app.shell.refresh()
        qtbot.waitUntil(lambda: bool(app.library.library.series), timeout=10000)
        assert menu_labels(qtbot, app)[:2] == ["Movies", "Series"]
