"""Screenshots of the provider-account entry, the movie grid, a detail page, a series' episodes and the seek bar,
in English and Arabic, under Xvfb with real video from the loopback player-API test server.

Run: ``xvfb-run -s "-screen 0 1920x1080x24" .venv/bin/python scripts/shoot_library.py [OUT_DIR]``
(defaults to docs/screenshots).
"""

from __future__ import annotations

import os
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
    from settop.core.state.settings import PlaylistSource, Settings
    from settop.core.state.store import StateStore
    from settop.input.keymap import Keymap
    from settop.player.vlc import VlcPlayer
    from settop.ui.bridge import PlayerBridge
    from settop.ui.i18n_qt import apply_language
    from settop.ui.video import FramesSurface
    from tests.helpers.streams import stream_dir
    from tests.helpers.xtreamserver import PASSWORD, USERNAME, Panel, XtreamServer

    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    qt = QApplication(sys.argv[:1])
    server = XtreamServer(Panel(streams=stream_dir(), movies=40, series=12, live=8))
    settings, _ = Settings.load()
    keymap, _ = Keymap.load()
    player = VlcPlayer(instance_options=("--aout=dummy",))
    surface = FramesSurface(frame_size=(640, 360))
    app = app_module.compose(settings=settings, state=StateStore(), keymap=keymap, player=player,
                             events=PlayerBridge(player), surface=surface, logos=lambda _url: None, file_roots=[])
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
        wait(0.8)
        app.window.grab().save(str(out / f"{name}.png"))
        sys.stdout.write(f"wrote {out / name}.png\n")

    def type_text(text: str) -> None:
        entry = app.window.active()
        entry.keyboard.set_text(text)
        wait(0.2)

    for language in ("en", "ar"):
        apply_language(language)
        app.shell.load(PlaylistSource(source=server.server, name="Provider", kind="xtream", username=USERNAME,
                                      password=PASSWORD))
        wait(4)
        keys(Qt.Key.Key_Menu)
        screen = app.window.active()
        while not screen.focused().label.startswith(("Playlists", "قوائم")):
            keys(Qt.Key.Key_Down)
        keys(Qt.Key.Key_Return)
        while screen.focused() is None or screen.focused().select != screen.rows[-1].select:
            keys(Qt.Key.Key_Down)
        keys(Qt.Key.Key_Return)
        type_text(server.server)
        keys(Qt.Key.Key_Blue)
        type_text(USERNAME)
        keys(Qt.Key.Key_Blue)
        type_text(PASSWORD)
        shot(f"account-password-{language}")
        keys(Qt.Key.Key_Blue)
        wait(2)
        shot(f"account-added-{language}")
        keys(Qt.Key.Key_Escape, Qt.Key.Key_Escape)
        wait(0.5)
        app.library.open_movies()
        keys(Qt.Key.Key_Right, Qt.Key.Key_Right, Qt.Key.Key_Down)
        shot(f"movies-grid-{language}")
        keys(Qt.Key.Key_Return)
        wait(1.5)
        shot(f"movie-detail-{language}")
        keys(Qt.Key.Key_Return)
        wait(2.5)
        keys(Qt.Key.Key_Right, Qt.Key.Key_Right)
        shot(f"vod-seekbar-{language}")
        keys(Qt.Key.Key_Escape, Qt.Key.Key_Escape, Qt.Key.Key_Escape)
        wait(0.5)
        app.library.open_series()
        keys(Qt.Key.Key_Right, Qt.Key.Key_Return)
        wait(1.5)
        keys(Qt.Key.Key_Down)
        shot(f"series-episodes-{language}")
        keys(Qt.Key.Key_Escape, Qt.Key.Key_Escape, Qt.Key.Key_Escape)
        wait(0.5)
    app.close()
    server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
