"""Run by test_video_xvfb.py in a subprocess on an X display: what the native surface shows while the player zaps.

Usage: ``python -m tests.ui.native_zap_probe URL URL ...`` with DISPLAY set. Plays each URL in turn through
``VlcPlayer`` into a ``NativeSurface`` and, from the zap to the new channel's first picture on screen, reads one
pixel of the video every few milliseconds (``QScreen.grabWindow`` of the root window, an X GetImage). A URL that
fails gets ``clear_picture()`` at its error, as the live screen does, and is sampled for half a second after.
Prints one JSON line: per zap, the samples as ``[ms since play(), "old" | "new" | "black" | "other"]`` and the
time of the error, if any.
"""

from __future__ import annotations

import json
import sys
import time

from PyQt6.QtGui import QColor

from settop.player.base import PlayRequest
from tests.player.conftest import closest_channel
from tests.ui.native_probe import native_rig

POINT = (40, 40)


def kind(colour: QColor, old: int | None, new: int) -> str:
    rgb = (colour.red(), colour.green(), colour.blue())
    if max(rgb) < 40:
        return "black"
    channel, distance = closest_channel(rgb)
    if distance > 80:
        return "other"
    return "new" if channel.number == new else "old" if channel.number == old else "other"


def main() -> int:
    app, surface, player, seen = native_rig(auto_output=True)
    first_frame, failed = seen["first_frame"], seen["error"]
    screen = app.primaryScreen()
    assert screen is not None

    def pixel(old: int | None, new: int) -> str:
        image = screen.grabWindow(0, *POINT, 1, 1).toImage()  # type: ignore[arg-type]
        return kind(image.pixelColor(0, 0), old, new)

    zaps: list[dict[str, object]] = []
    old: int | None = None
    for url in sys.argv[1:]:
        new = int(url.rstrip("/").split("/")[-2].removeprefix("ch")) if "/ch" in url else 0
        first_frame.clear()
        failed.clear()
        samples: list[tuple[int, str]] = []
        start = time.monotonic()
        player.play(PlayRequest(url))
        seen_new = cleared = 0.0
        while time.monotonic() - start < 10:
            app.processEvents()
            if failed.is_set() and not cleared:
                surface.clear_picture()
                cleared = time.monotonic()
            what = pixel(old, new)
            samples.append((round((time.monotonic() - start) * 1000), what))
            if what == "new" and not seen_new:
                seen_new = time.monotonic()
            if (seen_new or cleared) and time.monotonic() - (seen_new or cleared) > (0.3 if seen_new else 0.5):
                break
            time.sleep(0.002)
        zaps.append({"from": old, "to": new, "samples": samples, "first_frame": first_frame.is_set(),
                     "error_ms": round((cleared - start) * 1000) if cleared else None})
        old = new if not cleared else None
        settle = time.monotonic() + 0.5
        while time.monotonic() < settle:
            app.processEvents()
            time.sleep(0.01)
    surface.detach()
    player.close()
    print(json.dumps(zaps))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
