"""Screenshots of two playlists merged into one channel list, of move mode and of the phone page's QR screen, in
English and Arabic, under Xvfb with real video from the loopback test stream server (the phone page listens on
127.0.0.1 here, so its address shows that).

Run: ``xvfb-run -s "-screen 0 1920x1080x24" .venv/bin/python scripts/shoot_sources.py [OUT_DIR]``
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


def playlists(folder: Path, url: str) -> list[tuple[Path, str, str, int]]:
    """An operator's list and a sports add-on that repeats one of its channels (folded) and starts at 1000."""
    operator = folder / "operator.m3u"
    operator.write_text("#EXTM3U\n" + "".join(
        f'#EXTINF:-1 tvg-id="{tid}" tvg-chno="{n}" group-title="{group}",{name}\n{url}/live/{ch}/index.m3u8\n'
        for n, tid, group, name, ch in [(1, "red.one", "Colours", "Red One", "ch1"),
                                        (2, "green.two", "Colours", "Green Two", "ch2"),
                                        (3, "blue.three", "Colours", "Blue Three", "ch3"),
                                        (4, "news.24", "News", "News 24", "ch1")]), encoding="utf-8")
    addon = folder / "sports.m3u"
    addon.write_text("#EXTM3U\n" + "".join(
        f'#EXTINF:-1 tvg-id="{tid}" group-title="{group}",{name}\n{url}/live/{ch}/index.m3u8\n'
        for tid, group, name, ch in [("RED.one", "Colours", "Red One HD", "ch2"),
                                     ("arena.1", "Sport", "Sport Arena 1", "ch3"),
                                     ("arena.2", "Sport", "Sport Arena 2", "ch2")]), encoding="utf-8")
    return [(operator, "Operator", "", 0), (addon, "Sports add-on", "ssports01", 1000)]


def main() -> int:
    from PyQt6.QtCore import Qt
    from PyQt6.QtTest import QTest
    from PyQt6.QtWidgets import QApplication

    from settop import app as app_module
    from settop.core.state.settings import PlaylistSource, Settings
    from settop.core.state.store import StateStore
    from settop.i18n import _ as tr
    from settop.input.keymap import Keymap
    from settop.player.vlc import VlcPlayer
    from settop.ui.bridge import PlayerBridge
    from settop.ui.i18n_qt import apply_language
    from settop.ui.settings.phone_rows import PhonePages
    from settop.ui.video import FramesSurface
    from tests.helpers.streams import stream_dir
    from tests.helpers.streamserver import StreamServer

    PhonePages.phone_host = "127.0.0.1"  # never listen on the network from a script
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    qt = QApplication(sys.argv[:1])
    server = StreamServer(stream_dir())
    folder = Path(tempfile.mkdtemp(prefix="settop-shots-lists-"))
    settings, _ = Settings.load()
    settings.set("playlists", [PlaylistSource(source=str(path), name=name, id=source_id,
                                              start_number=start).to_dict()
                               for path, name, source_id, start in playlists(folder, server.url("").rstrip("/"))])
    settings.save()
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

    def long_ok() -> None:
        QTest.keyPress(app.window, Qt.Key.Key_Return)
        wait(1.0)
        QTest.keyRelease(app.window, Qt.Key.Key_Return)
        wait(0.2)

    app.shell.start(None)
    wait(4)
    for language in ("en", "ar"):
        apply_language(language)
        wait(0.5)
        keys(Qt.Key.Key_Return)
        shot(f"merged-list-{language}")
        long_ok()
        menu = app.window.active()
        labels = [item.label for item in menu.items]
        keys(*[Qt.Key.Key_Down] * (len(labels) - 1 - menu.focus))
        while menu.items[menu.focus].label != labels[-1] and menu.focus > 0:
            keys(Qt.Key.Key_Up)
        target = next(i for i, item in enumerate(menu.items) if item.run is not None
                      and getattr(item.run, "__name__", "") == "start")
        while menu.focus != target:
            keys(Qt.Key.Key_Up if menu.focus > target else Qt.Key.Key_Down)
        shot(f"channel-menu-{language}")
        keys(Qt.Key.Key_Return, Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Down)
        shot(f"move-mode-{language}")
        keys(Qt.Key.Key_Escape, Qt.Key.Key_Escape, Qt.Key.Key_Escape)
        wait(0.5)
        keys(Qt.Key.Key_Menu)
        settings_screen = app.window.active()
        for label in (tr("Playlists"), tr("Add from a phone")):
            target = next(i for i, row in enumerate(settings_screen.rows) if row.label == label)
            while settings_screen.page.focus != target:
                keys(Qt.Key.Key_Down)
            keys(Qt.Key.Key_Return)
        shot(f"phone-qr-{language}")
        keys(Qt.Key.Key_Escape, Qt.Key.Key_Escape, Qt.Key.Key_Escape, Qt.Key.Key_Escape)
        wait(0.5)
    app.close()
    server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
