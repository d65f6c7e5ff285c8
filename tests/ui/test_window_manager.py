"""Under a real window manager (openbox on Xvfb, started here): overlays show over the native video in full screen
and in a window, leaving full screen gives back the window as it was, and "Start full screen" wins."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.streams import stream_dir
from tests.helpers.streamserver import StreamServer

pytestmark = [pytest.mark.vlc, pytest.mark.xvfb]
ROOT = Path(__file__).resolve().parents[2]
TOOLS = ("Xvfb", "openbox", "import", "xdotool", "xprop")


@pytest.fixture
def openbox() -> Iterator[str]:
    """A fresh 1920x1080 Xvfb with openbox managing it; yields its DISPLAY once openbox has taken the screen."""
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (scripts/system-deps.sh test installs them)")
    read_fd, write_fd = os.pipe()
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
                            pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    wm: subprocess.Popen[bytes] | None = None
    try:
        with os.fdopen(read_fd) as pipe:
            number = pipe.readline().strip()
        if not number:
            pytest.skip("Xvfb did not start")
        display = f":{number}"
        env = {**os.environ, "DISPLAY": display}
        wm = subprocess.Popen(["openbox", "--sm-disable"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:  # openbox announces itself on the root window (EWMH)
            check = subprocess.run(["xprop", "-root", "_NET_SUPPORTING_WM_CHECK"], env=env, capture_output=True,
                                   text=True, timeout=5, check=False)
            if "window id" in check.stdout:
                break
            time.sleep(0.1)
        else:
            pytest.fail("openbox did not take the screen")
        yield display
    finally:
        if wm is not None:
            wm.terminate()
            wm.wait(10)
        xvfb.terminate()
        xvfb.wait(10)


@pytest.fixture
def server() -> Iterator[StreamServer]:
    with StreamServer(stream_dir()) as srv:
        yield srv


def probe(display: str, home: Path, playlist: Path, *options: str) -> dict[str, Any]:
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb", "SETTOP_HOME": str(home), "LANGUAGE": "en"}
    env.pop("WAYLAND_DISPLAY", None)
    run = subprocess.run([sys.executable, "-m", "tests.ui.wm_probe", str(playlist), *options], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=150, check=False)
    assert run.returncode == 0, "\n".join(line for line in run.stderr.splitlines() if "ALSA" not in line)[-3000:]
    result: dict[str, Any] = json.loads(run.stdout.strip().splitlines()[-1])
    return result


def write_playlist(folder: Path, server: StreamServer) -> Path:
    path = folder / "wm.m3u"
    path.write_text("#EXTM3U\n" + "".join(f'#EXTINF:-1 tvg-chno="{n}",Channel {n}\n{server.live_url(f"ch{n}")}\n'
                                          for n in (1, 2, 3)), encoding="utf-8")
    return path


@pytest.mark.slow
def test_overlays_show_over_native_video_in_full_screen_and_in_a_window(openbox: str, server: StreamServer,
                                                                       tmp_path: Path) -> None:
    result = probe(openbox, tmp_path / "home", write_playlist(tmp_path, server))
    assert result["platform"] == "xcb" and result["native"] and result["picture"], result
    assert result["fullscreen_at_start"]
    for mode in ("fullscreen", "windowed"):
        for panel in ("banner", "channel_list", "menu"):
            seen = result[f"{mode}_{panel}"]
            assert seen["visible"] and seen["shown"], (mode, panel, seen)
    # leaving full screen gives a window smaller than the screen, title bar on the screen
    x, y, width, height = result["windowed_frame"]
    screen_w, screen_h = result["screen"][2:]
    assert y >= 0 and x >= 0 and width < screen_w and height < screen_h, result


@pytest.mark.slow
def test_start_full_screen_wins_and_leaving_it_gives_back_the_window(openbox: str, server: StreamServer,
                                                                    tmp_path: Path) -> None:
    home, playlist = tmp_path / "home", write_playlist(tmp_path, server)
    (home / "config").mkdir(parents=True)
    (home / "config" / "settings.toml").write_text("[ui]\nfullscreen = false\n", encoding="utf-8")
    first = probe(openbox, home, playlist, "--no-overlays")  # a window; its place is remembered at close
    assert not first["fullscreen_at_start"], first
    (home / "config" / "settings.toml").write_text("[ui]\nfullscreen = true\n", encoding="utf-8")
    second = probe(openbox, home, playlist, "--no-overlays")
    assert second["fullscreen_at_start"], second  # the setting wins over the remembered window
    assert second["windowed_geometry"] == first["windowed_geometry"], (first, second)  # F gives the window back
    x, y, _w, _h = second["windowed_frame"]
    assert x >= 0 and y >= 0
