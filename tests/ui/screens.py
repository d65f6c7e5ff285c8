"""Screenshots of every live-TV screen under Xvfb with real video: ``python -m tests.ui.screens [OUT] [--size WxH]``.

Runs ``settop --demo`` full screen (native backend, overlay windows, xcompmgr for translucency), drives it with
xdotool as a remote would, and saves one PNG per screen (default ``docs/screenshots``). Not a test: a tool for
looking at the UI and for the user guide.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STEPS: list[tuple[str, list[str], float]] = [
    # (file name, keys before the shot, seconds to wait)
    ("live-banner", ["Escape", "i"], 1.0),
    ("number-entry", ["Escape", "3"], 0.6),
    ("number-missing", ["Escape", "8", "8"], 0.6),
    ("channel-list", ["Escape", "Escape", "Return"], 1.0),
    ("channel-list-group", ["Right", "Right"], 1.0),
    ("search", ["Left", "Left", "slash", "c", "a"], 1.0),
    ("favorites", ["F4", "Escape", "Escape", "Return", "Down", "F3", "Down", "F3", "Right"], 1.0),
    ("context-menu", ["Escape", "Escape", "LONG:Return"], 0.5),
    ("tracks", ["Down", "Return"], 0.8),
    ("volume", ["Escape", "Escape", "minus", "minus"], 0.5),
]


def run(*cmd: str, env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(cmd), env=env, check=check, capture_output=True, text=True, timeout=60)


def shoot(env: dict[str, str], out: Path, name: str, scale: str) -> None:
    raw = out / f".{name}.png"
    run("import", "-window", "root", str(raw), env=env)
    target = out / f"{name}.png"
    run("convert", str(raw), "-resize", scale, "-strip", "-dither", "None", "-colors", "256", f"PNG8:{target}", env=env)
    raw.unlink()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", nargs="?", default="docs/screenshots")
    parser.add_argument("--size", default="1920x1080")
    parser.add_argument("--scale", default="50%", help="how much to shrink the saved PNGs")
    parser.add_argument("--no-compositor", action="store_true", help="solid overlays (no xcompmgr)")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    read, write = os.pipe()
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", f"{args.size}x24", "-nolisten", "tcp"],
                            pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as pipe:
        display = ":" + pipe.readline().strip()
    home = Path(tempfile.mkdtemp(prefix="settop-screens-"))
    env = dict(os.environ, DISPLAY=display, SETTOP_HOME=str(home), QT_QPA_PLATFORM="xcb")
    procs: list[subprocess.Popen[bytes]] = [xvfb]
    suffix = "-solid" if args.no_compositor else ""
    try:
        if not args.no_compositor and shutil.which("xcompmgr"):
            procs.append(subprocess.Popen(["xcompmgr"], env=env, stderr=subprocess.DEVNULL))
        log = (home / "settop.log").open("w")
        # First run: the welcome screen and the address entry.
        first = subprocess.Popen([sys.executable, "-m", "settop"], env=env, stdout=log, stderr=log)
        window = run("xdotool", "search", "--sync", "--onlyvisible", "--name", "^settop$", env=env).stdout.split()[0]
        run("xdotool", "windowfocus", "--sync", window, env=env)
        time.sleep(1.5)
        shoot(env, out, "welcome" + suffix, args.scale)
        run("xdotool", "key", "Return", env=env)
        time.sleep(0.8)
        shoot(env, out, "add-playlist" + suffix, args.scale)
        first.terminate()
        first.wait(10)
        # The demo channels with their guide.
        app = subprocess.Popen([sys.executable, "-m", "settop", "--demo"], env=env, stdout=log, stderr=log)
        procs.append(app)
        window = run("xdotool", "search", "--sync", "--onlyvisible", "--name", "^settop$", env=env).stdout.split()[0]
        run("xdotool", "windowfocus", "--sync", window, env=env)
        time.sleep(8)  # demo made, guide ingested, picture up
        for name, keys, wait in STEPS:
            for key in keys:
                if key.startswith("LONG:"):  # held like a remote button
                    run("xdotool", "keydown", key[5:], env=env)
                    time.sleep(0.9)
                    run("xdotool", "keyup", key[5:], env=env)
                else:
                    run("xdotool", "key", key, env=env)
                    time.sleep(0.12)
            time.sleep(wait)
            shoot(env, out, name + suffix, args.scale)
        run("xdotool", "key", "q", env=env, check=False)
        app.wait(10)
    finally:
        for proc in reversed(procs):
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()
        shutil.rmtree(home, ignore_errors=True)
    print(f"screenshots in {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
