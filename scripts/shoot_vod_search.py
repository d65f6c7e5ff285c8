"""Screenshots of the guide's search finding films and series, and of the seek bar on a live-lineup address that
turned out to be a finished HLS playlist, in English and Arabic, under Xvfb with real video.

Run: ``xvfb-run -s "-screen 0 1920x1080x24" .venv/bin/python scripts/shoot_vod_search.py [OUT_DIR]``
(defaults to docs/screenshots). Uses the loopback test streams, a guide generated around the current time and a
film made by ffmpeg whose playlist has ``#EXT-X-ENDLIST`` but no PLAYLIST-TYPE, behind a master playlist.
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

FILMS = (("Night Train", "Drama", "movie"), ("A Night at the Opera", "Comedy", "movie"),
         ("The Night of the Hunter", "Thriller", "movie"), ("Night on Earth", "Comedy", "movie"),
         ("ليلة القدر", "دراما", "movie"), ("The Night Shift S01E01", "Series", "series"),
         ("Night Court S02E03", "Series", "series"))


def main() -> int:
    from PyQt6.QtCore import Qt
    from PyQt6.QtTest import QTest
    from PyQt6.QtWidgets import QApplication

    from settop import app as app_module
    from settop.core.net.budget import ConnectionBudget
    from settop.core.net.zapcache import ZapCache
    from settop.core.state.settings import Settings
    from settop.core.state.store import StateStore
    from settop.input.keymap import Keymap
    from settop.player.vlc import VlcPlayer
    from settop.ui.bridge import PlayerBridge
    from settop.ui.i18n_qt import apply_language
    from settop.ui.video import FramesSurface
    from tests.helpers.streams import finished_hls, stream_dir
    from tests.helpers.streamserver import StreamServer
    from tests.ui.guidefixtures import make_store, ready_guide, write_guide, write_playlist

    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    qt = QApplication(sys.argv[:1])
    home = Path(os.environ["SETTOP_HOME"])
    server = StreamServer(stream_dir())
    films = StreamServer(finished_hls(home / "films"))
    guide = write_guide(home / "guide.xml", time.time())
    playlist = write_playlist(home, server, guide)
    extra = [f'#EXTINF:-1 tvg-chno="5" group-title="Films",Night Film (HLS)\n{films.url("film/master.m3u8")}']
    for name, group, kind in FILMS:
        folder = "series" if kind == "series" else "movie"
        extra.append(f'#EXTINF:-1 media="true" group-title="{group}",{name}\n'
                     f'{server.url(f"{folder}/{abs(hash(name))}.mkv")}')
    playlist.write_text(playlist.read_text() + "\n".join(extra) + "\n", encoding="utf-8")
    store = make_store(home, playlist, guide)
    store.wait_for_index(30)
    settings, _ = Settings.load()
    keymap, _ = Keymap.load()
    player = VlcPlayer(instance_options=("--aout=dummy",))
    surface = FramesSurface(frame_size=(640, 360))
    cache = ZapCache(ConnectionBudget(1))
    app = app_module.compose(settings=settings, state=StateStore(), keymap=keymap, player=player,
                             events=PlayerBridge(player), surface=surface, logos=lambda _url: None, file_roots=[],
                             guide=ready_guide(store), zap_cache=cache)
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
        subprocess.run(["import", "-window", "root", str(out / f"{name}.png")], check=True)
        sys.stdout.write(f"wrote {out / name}.png\n")

    app.shell.start(str(playlist))
    wait(4)
    for language in ("en", "ar"):
        apply_language(language)
        keys(Qt.Key.Key_Guide, Qt.Key.Key_Blue)
        screen = app.window.active()
        screen.keyboard.set_text("night")
        wait(1.0)
        keys(Qt.Key.Key_Blue)
        while screen.focused() is not None and screen.focused().title is None:
            keys(Qt.Key.Key_Down)
        shot(f"guide-search-films-{language}")
        keys(Qt.Key.Key_Escape, Qt.Key.Key_Escape)
        keys(Qt.Key.Key_5)
        deadline = time.monotonic() + 20
        while app.window.active() is not app.live.vod and time.monotonic() < deadline:
            wait(0.1)  # the number entry's pause, the first picture, then the playlist is found to be finished
        keys(Qt.Key.Key_Right, Qt.Key.Key_Right)
        wait(1.5)
        shot(f"live-hls-vod-seekbar-{language}")
        keys(Qt.Key.Key_1)
        wait(3)
    app.close()
    cache.close()
    films.close()
    server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
