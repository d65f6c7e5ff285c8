"""Screenshots of the guide grid, catch-up, PIN prompt and every settings page, under Xvfb with real video.

Run: ``xvfb-run -s "-screen 0 1920x1080x24" .venv/bin/python scripts/shoot_guide.py [OUT_DIR]``
(defaults to docs/screenshots). Uses the loopback test streams and a guide generated around the current time.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SETTOP_HOME", tempfile.mkdtemp(prefix="settop-shots-"))


def main() -> int:
    from PyQt6.QtCore import Qt
    from PyQt6.QtTest import QTest
    from PyQt6.QtWidgets import QApplication

    from settop import app as app_module
    from settop.core.state.settings import Settings
    from settop.core.state.store import StateStore
    from settop.input.keymap import Keymap
    from settop.player.vlc import VlcPlayer
    from settop.ui.bridge import PlayerBridge
    from settop.ui.video import FramesSurface
    from tests.helpers.streams import stream_dir
    from tests.helpers.streamserver import StreamServer
    from tests.ui.guidefixtures import make_store, ready_guide, write_guide, write_playlist

    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    qt = QApplication(sys.argv[:1])
    home = Path(os.environ["SETTOP_HOME"])
    server = StreamServer(stream_dir())
    guide = write_guide(home / "guide.xml", time.time())
    playlist = write_playlist(home, server, guide)
    store = make_store(home, playlist, guide)
    settings, _ = Settings.load()
    keymap, _ = Keymap.load()
    player = VlcPlayer(instance_options=("--aout=dummy",))
    surface = FramesSurface(frame_size=(640, 360))
    bridge = PlayerBridge(player)
    app = app_module.compose(settings=settings, state=StateStore(), keymap=keymap, player=player, events=bridge,
                             surface=surface, logos=lambda _url: None, file_roots=[], guide=ready_guide(store))
    surface.attach(player)
    app.window.resize(1920, 1080)
    app.window.showFullScreen()

    def wait(seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            qt.processEvents()
            time.sleep(0.02)

    def keys(*names: Qt.Key) -> None:
        for key in names:
            QTest.keyClick(app.window, key)
            wait(0.15)

    def shot(name: str) -> None:
        wait(0.6)
        subprocess.run(["import", "-window", "root", str(out / f"{name}.png")], check=True)
        sys.stdout.write(f"wrote {out / name}.png\n")

    app.shell.start(str(playlist))
    wait(4)
    keys(Qt.Key.Key_Guide)
    keys(Qt.Key.Key_Right)
    shot("guide-grid")
    keys(Qt.Key.Key_Left, Qt.Key.Key_Left, Qt.Key.Key_Left)
    shot("guide-grid-past")
    keys(Qt.Key.Key_Return)
    wait(3)
    shot("catchup")
    keys(Qt.Key.Key_Escape)
    wait(2)
    keys(Qt.Key.Key_Menu)
    screen = app.navigation.settings_screen
    assert screen is not None
    shot("settings")

    def page(label: str, name: str, extra: tuple[Qt.Key, ...] = ()) -> None:
        screen.focus_label(label)
        keys(Qt.Key.Key_Return, *extra)
        shot(f"settings-{name}")

    page("Playlists", "playlists")
    page("guided", "playlist")
    keys(Qt.Key.Key_Escape, Qt.Key.Key_Escape)
    for label, name in (("Guide sources", "guide-sources"), ("Guide matching", "guide-matching"),
                        ("Time offsets", "time-offsets"), ("Guide window", "guide-window"), ("Live TV", "live-tv"),
                        ("Playback", "playback"), ("Hidden groups", "hidden-groups"), ("Parental", "parental"),
                        ("Keymap", "keymap"), ("About", "about"), ("Power", "power")):
        page(label, name)
        keys(Qt.Key.Key_Escape)
    screen.focus_label("Parental")
    keys(Qt.Key.Key_Return, Qt.Key.Key_Return, Qt.Key.Key_1, Qt.Key.Key_2)
    shot("parental-pin")
    app.close()
    server.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
