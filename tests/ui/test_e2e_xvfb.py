"""End to end: ``python -m settop PLAYLIST --windowed`` as a process under Xvfb, keys from xdotool, screenshots."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PyQt6.QtGui import QImage

from tests.ui.vlcfixtures import GREEN, RED, write_playlist

pytestmark = [pytest.mark.xvfb, pytest.mark.vlc, pytest.mark.slow]

TOOLS = ("Xvfb", "xdotool", "import")


@pytest.fixture
def xvfb() -> Iterator[str]:
    """A private Xvfb display (1280x720); yields its DISPLAY value."""
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"needs {', '.join(missing)}")
    read, write = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x720x24", "-nolisten", "tcp"],
                              pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()  # Xvfb writes the display number once it accepts clients
    try:
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(10)


def screenshot(display: str, path: Path) -> QImage:
    subprocess.run(["import", "-display", display, "-window", "root", str(path)], check=True, timeout=20,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return QImage(str(path))


def colour_at(image: QImage, x: int, y: int) -> tuple[int, int, int]:
    colour = image.pixelColor(x, y)
    return colour.red(), colour.green(), colour.blue()


def near(rgb: tuple[int, int, int], want: tuple[int, int, int], tolerance: int = 50) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(rgb, want, strict=True))


def window_point(display: str, window: str, fx: float, fy: float) -> tuple[int, int]:
    """The screen point at fractions (``fx``, ``fy``) of the window's width and height."""
    shown = subprocess.run(["xdotool", "getwindowgeometry", "--shell", window], env=dict(os.environ, DISPLAY=display),
                           check=True, timeout=10, capture_output=True, text=True).stdout
    values = dict(line.split("=", 1) for line in shown.split())
    x, y, width, height = (int(values[k]) for k in ("X", "Y", "WIDTH", "HEIGHT"))
    return x + round(width * fx), y + round(height * fy)


def wait_for_colour(display: str, folder: Path, want: tuple[int, int, int], point: tuple[int, int],
                    timeout: float = 20.0) -> QImage:
    deadline = time.monotonic() + timeout
    shot = 0
    while True:
        shot += 1
        image = screenshot(display, folder / f"shot{shot}.png")
        if not image.isNull() and near(colour_at(image, *point), want):
            return image
        if time.monotonic() > deadline:
            raise AssertionError(f"the screen never showed {want}; last saw {colour_at(image, *point)}")
        time.sleep(0.3)


def test_settop_process_plays_and_zaps_with_keys(xvfb, stream_server, tmp_path, settop_home):
    playlist = write_playlist(tmp_path, stream_server)
    env = dict(os.environ, DISPLAY=xvfb, SETTOP_HOME=str(settop_home), QT_QPA_PLATFORM="xcb")
    process = subprocess.Popen([sys.executable, "-m", "settop", str(playlist), "--windowed", "-v"], env=env,
                               stdout=subprocess.DEVNULL, stderr=(tmp_path / "settop.log").open("w"))
    try:
        found = subprocess.run(["xdotool", "search", "--sync", "--onlyvisible", "--name", "^settop$"], env=env,
                               check=True, timeout=30, capture_output=True, text=True)
        window = found.stdout.split()[0]
        video = window_point(xvfb, window, 0.16, 0.2)  # a corner of the picture, away from the overlays
        banner = window_point(xvfb, window, 0.5, 0.9)
        before = wait_for_colour(xvfb, tmp_path, RED, video)
        # No window manager runs, so give the window the keyboard focus as one would.
        subprocess.run(["xdotool", "windowfocus", "--sync", window], env=env, check=True, timeout=10)
        subprocess.run(["xdotool", "key", "Up"], env=env, check=True, timeout=10)
        after = wait_for_colour(xvfb, tmp_path, GREEN, video)
        assert before.pixelColor(*video) != after.pixelColor(*video)
        # The OSD banner (an overlay window over the native video) shows the new channel at the bottom.
        assert not near(colour_at(after, *banner), GREEN)
        subprocess.run(["xdotool", "key", "q"], env=env, check=True, timeout=10)
        assert process.wait(15) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)
        print((tmp_path / "settop.log").read_text(errors="replace")[-3000:])
