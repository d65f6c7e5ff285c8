"""Screenshots of the time-shift banner (a paused live channel, then rewound into the catch-up archive), in
English and Arabic, under Xvfb.

Run: ``xvfb-run -s "-screen 0 1920x1080x24" .venv/bin/python scripts/shoot_timeshift.py [OUT_DIR]``
(defaults to docs/screenshots). Plays the loopback test streams through real libVLC, with a guide whose programme
on air began 25 minutes ago (the archive is the loopback recorded clip).
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
    from settop.ui.i18n_qt import apply_language
    from settop.ui.video import FramesSurface
    from tests.helpers.streams import stream_dir
    from tests.helpers.streamserver import StreamServer
    from tests.ui.guidefixtures import make_store, ready_guide, write_on_air_guide, write_playlist

    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    qt = QApplication(sys.argv[:1])
    home = Path(os.environ["SETTOP_HOME"])
    server = StreamServer(stream_dir())
    guide = write_on_air_guide(home / "guide.xml", int(time.time()), 25 * 60)
    playlist = write_playlist(home, server, guide)
    store = make_store(home, playlist, guide)
    settings, _ = Settings.load()
    keymap, _ = Keymap.load()
    player = VlcPlayer(instance_options=("--aout=dummy",))
    surface = FramesSurface(frame_size=(640, 360))
    app = app_module.compose(settings=settings, state=StateStore(), keymap=keymap, player=player,
                             events=PlayerBridge(player), surface=surface, logos=lambda _url: None, file_roots=[],
                             guide=ready_guide(store))
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
    wait(5)
    for code in ("en", "ar"):
        apply_language(code, "auto")
        keys(Qt.Key.Key_MediaPause)
        wait(12)
        shot(f"timeshift-paused-{code}")
        keys(Qt.Key.Key_Left)  # back past the ring's start: the archive
        wait(3)
        shot(f"timeshift-archive-{code}")
        keys(Qt.Key.Key_MediaStop)
        wait(4)
    app.close()
    server.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
