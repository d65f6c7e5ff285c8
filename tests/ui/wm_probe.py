"""Run by test_window_manager.py on an X display where a window manager runs: the real app, keys from xdotool.

Usage: ``python -m tests.ui.wm_probe PLAYLIST [--no-overlays]`` with DISPLAY and SETTOP_HOME set. Starts settop
as ``settop PLAYLIST --backend native`` does, waits for the picture, then in full screen and in a window opens the
info banner, the channel list and the menu with remote keys and reads each panel's pixels from a screenshot of the
whole screen
(what the viewer sees, window manager stacking included). Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

from PyQt6.QtCore import QPoint, QRect
from PyQt6.QtGui import QImage
from PyQt6.QtWidgets import QApplication, QWidget

from settop import app as app_module

Shot = Callable[[], QImage]


def screenshot() -> QImage:
    png = subprocess.run(["import", "-window", "root", "png:-"], capture_output=True, check=True, timeout=20).stdout
    return QImage.fromData(png, "PNG")


def key(name: str) -> None:
    subprocess.run(["xdotool", "key", "--clearmodifiers", name], check=True, timeout=10)


def wait(app: QApplication, seconds: float, until: Callable[[], bool] = lambda: False) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.processEvents()
        if until():
            return True
        time.sleep(0.03)
    return until()


def panel_on_screen(qt: QApplication, panel: QWidget) -> dict[str, Any]:
    """Whether the screen shows ``panel``'s own pixels at a few points inside it (the panel is on top)."""
    if not wait(qt, 3, panel.isVisible):
        return {"visible": False, "shown": False}
    own = panel.grab().toImage()
    top_left = panel.mapToGlobal(QPoint(0, 0))
    points = [(own.width() // 2, own.height() // 2), (own.width() // 4, own.height() // 3),
              (own.width() * 3 // 4, own.height() * 2 // 3)]
    best: dict[str, Any] = {}
    for _ in range(40):  # the window manager maps and stacks the window a moment later
        image = screenshot()
        matches = 0
        for x, y in points:
            mine, seen = own.pixelColor(x, y), image.pixelColor(top_left.x() + x, top_left.y() + y)
            if sum(abs(a - b) for a, b in zip(mine.getRgb()[:3], seen.getRgb()[:3], strict=True)) < 40:
                matches += 1
        best = {"visible": True, "shown": matches == len(points), "matches": matches,
                "rect": [top_left.x(), top_left.y(), own.width(), own.height()]}
        if best["shown"]:
            break
        wait(qt, 0.1)
    return best


def main() -> int:
    args = argparse.Namespace(playlist=sys.argv[1], epg=[], demo=False, demo_if_empty=False, windowed=False,
                              backend="native", verbose=0)
    qt, app = app_module.create(args, frames_size=(320, 180))
    result: dict[str, Any] = {"platform": qt.platformName(), "native": bool(getattr(app.surface, "native", False))}
    window = app.window
    wait(qt, 15, lambda: app.live.has_picture)
    result["picture"] = app.live.has_picture
    result["fullscreen_at_start"] = window.isFullScreen()
    screen = window.screen().geometry()
    result["screen"] = [screen.x(), screen.y(), screen.width(), screen.height()]

    def overlays(prefix: str) -> None:
        if not app.live.banner.isVisible():
            key("i")  # Info: the banner (it shows by itself after a tune)
        result[f"{prefix}_banner"] = panel_on_screen(qt, app.live.banner)
        key("Return")  # OK: the channel list
        result[f"{prefix}_channel_list"] = panel_on_screen(qt, app.live.channel_list)
        key("Escape")
        wait(qt, 0.3)
        key("Menu")  # the menu (settings)
        wait(qt, 3, lambda: app.navigation.settings_screen is not None)
        result[f"{prefix}_active_after_menu"] = type(window.active()).__name__
        settings = app.navigation.settings_screen
        result[f"{prefix}_menu"] = panel_on_screen(qt, settings) if settings is not None else {"visible": False}
        key("Escape")
        wait(qt, 0.3)

    with_overlays = "--no-overlays" not in sys.argv
    wait(qt, 1.0)
    if window.isFullScreen():
        if with_overlays:
            overlays("fullscreen")
        key("f")  # full screen -> window
        wait(qt, 5, lambda: not window.isFullScreen())
        wait(qt, 1.0)
    frame: QRect = window.frameGeometry()
    result["windowed_frame"] = [frame.x(), frame.y(), frame.width(), frame.height()]
    result["windowed_geometry"] = [window.x(), window.y(), window.width(), window.height()]
    if with_overlays:
        overlays("windowed")
    window.close()
    wait(qt, 1.0)
    app.close()
    print(json.dumps(result), flush=True)
    # Leave without the interpreter's teardown: it frees Qt's and libVLC's objects in no set order, which can crash
    # a probe that never ran an event loop (the app itself closes through its event loop; test_e2e_xvfb checks it).
    os._exit(0)


if __name__ == "__main__":
    raise SystemExit(main())
