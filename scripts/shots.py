"""The screenshot scripts' shared set-up: the app composed full screen over real libVLC, key presses and PNGs.

A script (``scripts/shoot_*.py``) runs under Xvfb at 1920x1080, imports this module first (it puts the checkout on
``sys.path`` and gives the run its own ``SETTOP_HOME``), saves what it needs in the settings, then drives
:class:`Shots`: ``keys`` presses keys as the remote would, ``long_ok`` holds OK for the context menu, ``shot``
writes ``NAME.png`` to the output folder (the first argument, else ``docs/screenshots``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SETTOP_HOME", tempfile.mkdtemp(prefix="settop-shots-"))

from PyQt6.QtCore import Qt  # noqa: E402  (after the path and the home are set)
from PyQt6.QtTest import QTest  # noqa: E402
from PyQt6.QtWidgets import QApplication  # noqa: E402

K = Qt.Key


class Shots:
    """One app on the loopback test streams; ``compose`` takes what ``settop.app.compose`` takes beyond the player
    (``guide=...``). ``close`` ends the app (the caller closes its own servers)."""

    def __init__(self, **compose: Any) -> None:
        from settop import app as app_module
        from settop.core.state.settings import Settings
        from settop.core.state.store import StateStore
        from settop.input.keymap import Keymap
        from settop.player.vlc import VlcPlayer
        from settop.ui.bridge import PlayerBridge
        from settop.ui.video import FramesSurface

        self.out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
        self.out.mkdir(parents=True, exist_ok=True)
        self.qt = QApplication(sys.argv[:1])
        settings, _problem = Settings.load()
        keymap, _problem = Keymap.load()
        player = VlcPlayer(instance_options=("--aout=dummy",))
        surface = FramesSurface(frame_size=(640, 360))
        self.app = app_module.compose(settings=settings, state=StateStore(), keymap=keymap, player=player,
                                      events=PlayerBridge(player), surface=surface, logos=lambda _url: None,
                                      file_roots=[], **compose)
        surface.attach(player)
        self.app.window.resize(1920, 1080)
        self.app.window.showFullScreen()

    @property
    def window(self) -> Any:
        return self.app.window

    def wait(self, seconds: float) -> None:
        """Let Qt run for ``seconds`` (video frames, loads and animations go on)."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.qt.processEvents()
            time.sleep(0.02)

    def keys(self, *names: Qt.Key) -> None:
        for key in names:
            QTest.keyClick(self.app.window, key)
            self.wait(0.15)

    def long_ok(self) -> None:
        """OK held long: the context menu of what has the focus."""
        QTest.keyPress(self.app.window, K.Key_Return)
        self.wait(1.0)
        QTest.keyRelease(self.app.window, K.Key_Return)
        self.wait(0.2)

    def pick(self, label: str) -> None:
        """In the menu on screen, the entry ``label`` focused with Up/Down (not chosen)."""
        menu = self.app.window.active()
        target = [item.label for item in menu.items].index(label)
        while menu.focus != target:
            self.keys(K.Key_Up if menu.focus > target else K.Key_Down)

    def shot(self, name: str, settle: float = 0.8, whole_screen: bool = False) -> Path:
        """The window as ``NAME.png`` in the output folder, after ``settle`` seconds; ``whole_screen``: the X
        screen as ImageMagick's ``import`` sees it (overlays in windows of their own included)."""
        self.wait(settle)
        path = self.out / f"{name}.png"
        if whole_screen:
            subprocess.run(["import", "-window", "root", str(path)], check=True)
        else:
            self.app.window.grab().save(str(path))
        sys.stdout.write(f"wrote {path}\n")
        return path

    def language(self, code: str) -> None:
        from settop.ui.i18n_qt import apply_language

        apply_language(code)
        self.wait(0.5)

    def close(self) -> None:
        self.app.close()
