"""Screenshots of the provider-account entry, the movie grid, a detail page, a series' episodes and the seek bar,
in English and Arabic, under Xvfb with real video from the loopback player-API test server.

Run: ``xvfb-run -s "-screen 0 1920x1080x24" .venv/bin/python scripts/shoot_library.py [OUT_DIR]``
(defaults to docs/screenshots).
"""

from __future__ import annotations

import sys

from shots import K, Shots


def main() -> int:
    from settop.core.state.settings import PlaylistSource
    from tests.helpers.streams import stream_dir
    from tests.helpers.xtreamserver import PASSWORD, USERNAME, Panel, XtreamServer

    server = XtreamServer(Panel(streams=stream_dir(), movies=40, series=12, live=8))
    s = Shots()
    app = s.app

    def type_text(text: str) -> None:
        app.window.active().keyboard.set_text(text)
        s.wait(0.2)

    for language in ("en", "ar"):
        s.language(language)
        app.shell.load(PlaylistSource(source=server.server, name="Provider", kind="xtream", username=USERNAME,
                                      password=PASSWORD))
        s.wait(4)
        s.keys(K.Key_Menu)
        screen = app.window.active()
        while not screen.focused().label.startswith(("Playlists", "قوائم")):
            s.keys(K.Key_Down)
        s.keys(K.Key_Return)
        while screen.focused() is None or screen.focused().select != screen.rows[-1].select:
            s.keys(K.Key_Down)
        s.keys(K.Key_Return)
        type_text(server.server)
        s.keys(K.Key_Blue)
        type_text(USERNAME)
        s.keys(K.Key_Blue)
        type_text(PASSWORD)
        s.shot(f"account-password-{language}")
        s.keys(K.Key_Blue)
        s.wait(2)
        s.shot(f"account-added-{language}")
        s.keys(K.Key_Escape, K.Key_Escape)
        s.wait(0.5)
        app.library.open_movies()
        s.keys(K.Key_Right, K.Key_Right, K.Key_Down)
        s.shot(f"movies-grid-{language}")
        s.keys(K.Key_Return)
        s.wait(1.5)
        s.shot(f"movie-detail-{language}")
        s.keys(K.Key_Return)
        s.wait(2.5)
        s.keys(K.Key_Right, K.Key_Right)
        s.shot(f"vod-seekbar-{language}")
        s.keys(K.Key_Escape, K.Key_Escape, K.Key_Escape)
        s.wait(0.5)
        app.library.open_series()
        s.keys(K.Key_Right, K.Key_Return)
        s.wait(1.5)
        s.keys(K.Key_Down)
        s.shot(f"series-episodes-{language}")
        s.keys(K.Key_Escape, K.Key_Escape, K.Key_Escape)
        s.wait(0.5)
    s.close()
    server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
