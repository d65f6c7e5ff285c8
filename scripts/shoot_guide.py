"""Screenshots of the guide grid, catch-up, PIN prompt and every settings page, under Xvfb with real video.

Run: ``xvfb-run -s "-screen 0 1920x1080x24" .venv/bin/python scripts/shoot_guide.py [OUT_DIR]``
(defaults to docs/screenshots). Uses the loopback test streams and a guide generated around the current time.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from shots import K, Shots


def main() -> int:
    from tests.helpers.streams import stream_dir
    from tests.helpers.streamserver import StreamServer
    from tests.ui.guidefixtures import make_store, ready_guide, write_guide, write_playlist

    home = Path(os.environ["SETTOP_HOME"])
    server = StreamServer(stream_dir())
    guide = write_guide(home / "guide.xml", time.time())
    playlist = write_playlist(home, server, guide)
    s = Shots(guide=ready_guide(make_store(home, playlist, guide)))
    app = s.app
    app.shell.start(str(playlist))
    s.wait(4)
    s.keys(K.Key_Guide, K.Key_Right)
    s.shot("guide-grid", 0.6, whole_screen=True)
    s.keys(K.Key_Left, K.Key_Left, K.Key_Left)
    s.shot("guide-grid-past", 0.6, whole_screen=True)
    s.keys(K.Key_Return)
    s.wait(3)
    s.shot("catchup", 0.6, whole_screen=True)
    s.keys(K.Key_Escape)
    s.wait(2)
    s.keys(K.Key_Menu)
    screen = app.navigation.settings_screen
    assert screen is not None
    s.shot("settings", 0.6, whole_screen=True)

    def page(label: str, name: str) -> None:
        screen.focus_label(label)
        s.keys(K.Key_Return)
        s.shot(f"settings-{name}", 0.6, whole_screen=True)

    page("Playlists", "playlists")
    page("guided", "playlist")
    s.keys(K.Key_Escape, K.Key_Escape)
    for label, name in (("Guide sources", "guide-sources"), ("Guide matching", "guide-matching"),
                        ("Time offsets", "time-offsets"), ("Guide window", "guide-window"), ("Live TV", "live-tv"),
                        ("Playback", "playback"), ("Hidden groups", "hidden-groups"), ("Parental", "parental"),
                        ("Keymap", "keymap"), ("About", "about"), ("Power", "power")):
        page(label, name)
        s.keys(K.Key_Escape)
    screen.focus_label("Parental")
    s.keys(K.Key_Return, K.Key_Return, K.Key_1, K.Key_2)
    s.shot("parental-pin", 0.6, whole_screen=True)
    s.close()
    server.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
