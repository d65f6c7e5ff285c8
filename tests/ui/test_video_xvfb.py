"""The native video backend on a real X server (Xvfb): the picture is on screen and an overlay window is above it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.streams import stream_dir
from tests.helpers.streamserver import StreamServer
from tests.player.conftest import closest_channel

pytestmark = [pytest.mark.vlc, pytest.mark.xvfb]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def xvfb() -> Iterator[str]:
    """A fresh Xvfb; yields its DISPLAY. Xvfb reports the display number on a pipe once it accepts clients."""
    if shutil.which("Xvfb") is None or shutil.which("import") is None:
        pytest.skip("Xvfb and imagemagick's import are needed")
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "640x360x24", "-nolisten", "tcp"],
                            pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    try:
        with os.fdopen(read_fd) as pipe:
            number = pipe.readline().strip()
        if not number:
            pytest.skip("Xvfb did not start")
        yield f":{number}"
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture
def server() -> Iterator[StreamServer]:
    with StreamServer(stream_dir()) as srv:
        yield srv


def test_native_video_and_overlay_window_on_screen(xvfb: str, server: StreamServer) -> None:
    env = {**os.environ, "DISPLAY": xvfb, "QT_QPA_PLATFORM": "xcb"}
    env.pop("WAYLAND_DISPLAY", None)
    run = subprocess.run([sys.executable, "-m", "tests.ui.native_probe", server.live_url("ch1")], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr[-2000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["platform"] == "xcb"
    assert result["first_frame"]
    channel, distance = closest_channel(tuple(result["video"]))
    assert channel.number == 1 and distance < 60, result
    red, green, blue = result["overlay"]
    assert red > 200 and green > 180 and blue < 80, result  # the overlay's yellow, above the red video
    assert result["overlay_is_window"]


def test_software_opengl_makes_native_video_use_the_plain_x11_output(xvfb: str) -> None:
    env = {**os.environ, "DISPLAY": xvfb, "QT_QPA_PLATFORM": "xcb"}
    env.pop("WAYLAND_DISPLAY", None)
    code = ("import json; from PyQt6.QtGui import QGuiApplication; app = QGuiApplication([]); "
            "from settop.ui.video import gl_renderer, native_output; "
            "print(json.dumps([gl_renderer(), *native_output()]))")
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr[-2000:]
    renderer, options, why = json.loads(run.stdout.strip().splitlines()[-1])
    assert options == ["--vout=xcb_x11"], (renderer, why)  # Xvfb has Mesa's software renderer or no GL at all
    assert renderer.split()[0] in why or "no OpenGL" in why


def test_native_zap_keeps_the_old_picture_and_an_error_shows_black(xvfb: str, server: StreamServer) -> None:
    """Between two channels the old picture stays (libVLC's windows come and go over a surface Qt never paints);
    black only before the first picture and under a channel that failed (``clear_picture``), and the next
    channel's picture shows above that black."""
    env = {**os.environ, "DISPLAY": xvfb, "QT_QPA_PLATFORM": "xcb"}
    env.pop("WAYLAND_DISPLAY", None)
    urls = [server.live_url(name) for name in ("ch1", "ch2", "ch3", "ch2", "ch1", "missing", "ch3")]
    run = subprocess.run([sys.executable, "-m", "tests.ui.native_zap_probe", *urls], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    zaps = json.loads(run.stdout.strip().splitlines()[-1])
    first, *switches, failed, after = zaps

    def before_new(zap: dict[str, object]) -> list[str]:
        kinds = [what for _ms, what in zap["samples"]]  # type: ignore[attr-defined]
        assert "new" in kinds, zap
        assert "old" not in kinds[kinds.index("new"):], zap  # never back to the old channel
        return kinds[:kinds.index("new")]

    assert set(before_new(first)) <= {"black"}  # the curtain before the first picture, never what was on screen
    shares = sorted(before_new(zap).count("black") / max(1, len(before_new(zap))) for zap in switches)
    # The old picture until libVLC maps the new channel's window, black from then to its first picture: a few ms
    # of a 100-300 ms zap. Before the surface stopped painting itself, Qt's black filled 56-87 % of every zap.
    assert shares[len(shares) // 2] < 0.4, switches
    assert all(before_new(zap)[0] == "old" for zap in switches), switches
    assert failed["error_ms"] is not None, failed
    tail = [what for ms, what in failed["samples"] if ms > failed["error_ms"] + 150]
    assert tail and set(tail) == {"black"}, failed  # a channel that failed is black, not the last picture
    assert set(before_new(after)) <= {"black"}, after  # and the next channel's picture shows above the black
