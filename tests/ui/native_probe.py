"""Run by test_video_xvfb.py in a subprocess on an X display: native video plus an overlay window, then a screenshot.

Usage: ``python -m tests.ui.native_probe URL`` with DISPLAY set; prints one JSON line with the pixels it read.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time

from PyQt6.QtCore import QRect
from PyQt6.QtGui import QColor, QImage
from PyQt6.QtWidgets import QApplication, QFrame, QVBoxLayout

from settop.player.base import PlayerEvent, PlayRequest
from settop.player.vlc import VlcPlayer
from settop.ui.video import NativeSurface, make_surface, native_output

VIDEO_POINT = (20, 20)
OVERLAY_RECT = QRect(180, 110, 120, 50)
OVERLAY_RGB = (250, 220, 0)


def screenshot() -> QImage:
    png = subprocess.run(["import", "-window", "root", "png:-"], capture_output=True, check=True, timeout=20).stdout
    return QImage.fromData(png, "PNG")


def rgb(image: QImage, x: int, y: int) -> list[int]:
    colour = image.pixelColor(x, y)
    return [colour.red(), colour.green(), colour.blue()]


def native_rig(auto_output: bool = False) -> tuple[QApplication, NativeSurface, VlcPlayer, dict[str, threading.Event]]:
    """The probes' set-up on the X display: a 320x180 native surface shown, a ``VlcPlayer`` attached to it (with
    the video output the app's ``auto`` picks, when ``auto_output``), and an event per player event kind
    (``first_frame``, ``error``) set when one comes."""
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    app = QApplication(sys.argv[:1])
    surface = make_surface("auto")
    assert isinstance(surface, NativeSurface), type(surface)
    surface.setGeometry(0, 0, 320, 180)
    surface.show()
    outputs = native_output()[0] if auto_output else ()  # asks Qt about OpenGL: after the application exists
    player = VlcPlayer(("--aout=adummy", "--no-xlib", *outputs))
    seen = {"first_frame": threading.Event(), "error": threading.Event()}

    def listen(event: PlayerEvent) -> None:
        if event.kind in seen:
            seen[event.kind].set()

    player.add_listener(listen)
    surface.attach(player)
    return app, surface, player, seen


def main() -> int:
    app, surface, player, seen = native_rig()
    first_frame = seen["first_frame"]
    player.play(PlayRequest(sys.argv[1]))
    deadline = time.monotonic() + 15
    while not first_frame.is_set() and time.monotonic() < deadline:
        app.processEvents()
        first_frame.wait(0.02)
    overlay = surface.make_overlay_window(OVERLAY_RECT)
    panel = QFrame(overlay)
    panel.setStyleSheet("background: rgb({}, {}, {});".format(*OVERLAY_RGB))
    QVBoxLayout(overlay).addWidget(panel)
    overlay.layout().setContentsMargins(0, 0, 0, 0)
    overlay.show()
    result: dict[str, object] = {"first_frame": first_frame.is_set(), "platform": app.platformName()}
    # The picture and the overlay reach the screen a moment after the events: poll the screen until both show.
    while time.monotonic() < deadline:
        app.processEvents()
        image = screenshot()
        result["video"] = rgb(image, *VIDEO_POINT)
        result["overlay"] = rgb(image, OVERLAY_RECT.center().x(), OVERLAY_RECT.center().y())
        result["overlay_is_window"] = overlay.isWindow()
        video, over = QColor(*result["video"]), QColor(*result["overlay"])  # type: ignore[misc]
        if video.red() > 150 and video.green() < 90 and over.red() > 200 and over.green() > 180:
            break
        time.sleep(0.1)
    surface.detach()
    player.close()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
