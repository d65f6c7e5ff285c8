"""CPU while playing 1080p: ``python -m bench.cpu``.

A 1920x1080 H.264 + AAC stream (ffmpeg ``testsrc2``, 6 Mbit/s, 25 fps, cached with the test streams) plays from a
local file, looped, in one Xvfb 1920x1080 server for every case, one after the other and in alternating order:
- ``bare x11``: python-vlc drawing into a full-screen window with libVLC's plain X11 output (``--vout=xcb_x11``),
  the cheapest way libVLC itself shows the stream;
- ``bare gl``: the same with libVLC's default output (OpenGL; in Xvfb that is Mesa's software llvmpipe);
- ``app native`` / ``app frames``: the full app (``settop`` window full screen, ``--backend``), what ``auto``
  chooses for the output included.
Each case runs ``--seconds`` after a 3 s start and reports the CPU of its own process and of the X server, and CPU
milliseconds per displayed picture (a starved process shows fewer pictures, so the per-picture figure is the fair
one on a busy machine). The last line: ``cpu-1080 native=X.XX frames=X.XX`` (app over bare x11, per picture).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CASES = ("bare-x11", "bare-gl", "app-native", "app-frames")


def _cpu_pid(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _cpu_self() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def stream() -> Path:
    sys.path.insert(0, str(ROOT))
    from tests.helpers.streams import _ffmpeg, cached_build

    def build(folder: Path) -> None:
        folder.mkdir(parents=True)
        _ffmpeg("-f", "lavfi", "-i", "testsrc2=s=1920x1080:r=25:d=12", "-f", "lavfi", "-i",
                "sine=f=440:d=12:sample_rate=48000", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                "-g", "25", "-b:v", "6000k", "-maxrate", "6000k", "-bufsize", "6000k", "-c:a", "aac", "-b:a", "64k",
                "-f", "mpegts", str(folder / "1080p.ts"))

    return cached_build("cpu-1080-v1", build) / "1080p.ts"


def _measure(app: Any, xvfb: int, seconds: float, shown: Any) -> dict[str, float]:
    def pump(until: float) -> None:
        while time.monotonic() < until:
            app.processEvents()
            time.sleep(0.005)

    pump(time.monotonic() + 3.0)
    cpu, x_cpu, frames, wall = _cpu_self(), _cpu_pid(xvfb), shown(), time.monotonic()
    pump(wall + seconds)
    wall = time.monotonic() - wall
    pictures = shown() - frames
    own, x_own = _cpu_self() - cpu, _cpu_pid(xvfb) - x_cpu
    return {"cpu_pct": own / wall * 100, "xvfb_pct": x_own / wall * 100, "fps": pictures / wall,
            "ms_per_picture": (own + x_own) * 1000 / pictures if pictures else float("nan")}


def child(case: str, path: Path, xvfb: int, seconds: float) -> dict[str, float]:
    """Runs in a fresh process on the Xvfb display."""
    if case.startswith("bare"):
        import vlc
        from PyQt6.QtWidgets import QApplication, QWidget

        from settop.player.vlc import DEFAULT_INSTANCE_OPTIONS

        qt_app = QApplication(sys.argv[:1])
        window = QWidget()
        window.setGeometry(0, 0, 1920, 1080)
        window.show()
        qt_app.processEvents()
        options = [*DEFAULT_INSTANCE_OPTIONS, "--input-repeat=1000"]
        if case == "bare-x11":
            options.append("--vout=xcb_x11")
        instance = vlc.Instance(options)
        player = instance.media_player_new()
        player.set_xwindow(int(window.winId()))
        media = instance.media_new(str(path))
        player.set_media(media)
        player.play()

        def shown() -> int:
            stats = vlc.MediaStats()
            return int(stats.displayed_pictures) if media.get_stats(stats) else 0

        result = _measure(qt_app, xvfb, seconds, shown)
        player.stop()
        return result
    home = Path(tempfile.mkdtemp(prefix="settop-bench-cpu-"))
    os.environ["SETTOP_HOME"] = str(home)
    playlist = home / "one.m3u"
    playlist.write_text(f"#EXTM3U\n#EXTINF:-1,1080p\n{path}\n", encoding="utf-8")  # 12 s: enough for one case
    from settop import app as app_module
    from settop.cli import _app_parser

    qt_app, app = app_module.create(_app_parser().parse_args([str(playlist), "--backend", case.split("-")[1]]))
    app.window.showFullScreen()
    result = _measure(qt_app, xvfb, seconds, lambda: app.player.stream_info().displayed_frames)
    app.close()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print("RESULT " + json.dumps(child(args.child[0], Path(args.child[1]), int(args.child[2]), args.seconds)))
        return 0
    if shutil.which("Xvfb") is None:
        print("Xvfb is not installed")
        return 1
    path = stream()
    read_fd, write_fd = os.pipe()
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
                            pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    results: dict[str, list[dict[str, float]]] = {case: [] for case in CASES}
    try:
        with os.fdopen(read_fd) as pipe:
            display = pipe.readline().strip()
        env = {**os.environ, "DISPLAY": f":{display}", "QT_QPA_PLATFORM": "xcb"}
        env.pop("WAYLAND_DISPLAY", None)
        print(f"1080p H.264 from {path.name}, Xvfb :{display}; load average {os.getloadavg()[0]:.2f}", flush=True)
        for round_no in range(args.rounds):
            for case in (CASES if round_no % 2 == 0 else tuple(reversed(CASES))):
                out = subprocess.run([sys.executable, "-m", "bench.cpu", "--child", case, str(path), str(xvfb.pid),
                                      "--seconds", str(args.seconds)], cwd=ROOT, env=env, capture_output=True,
                                     text=True, timeout=120)
                line = next((ln for ln in out.stdout.splitlines() if ln.startswith("RESULT ")), None)
                if line is None:
                    print(f"{case}: failed: {out.stderr[-1500:]}")
                    continue
                results[case].append(json.loads(line[len("RESULT "):]))
    finally:
        xvfb.terminate()
        xvfb.wait(10)
    print(f"{'case':11} {'process CPU %':>14} {'Xvfb CPU %':>11} {'pictures/s':>11} {'CPU ms/picture':>15}")
    best: dict[str, float] = {}
    for case, runs in results.items():
        if not runs:
            continue
        top = min(runs, key=lambda r: r["ms_per_picture"])
        best[case] = top["ms_per_picture"]
        print(f"{case:11} {top['cpu_pct']:>14.1f} {top['xvfb_pct']:>11.1f} {top['fps']:>11.1f} "
              f"{top['ms_per_picture']:>15.2f}")
    print(f"load average after: {os.getloadavg()[0]:.2f} (best of {args.rounds} per case, by CPU per picture)")
    base = best.get("bare-x11", float("nan"))
    print(f"cpu-1080 native={best.get('app-native', float('nan')) / base:.2f} "
          f"frames={best.get('app-frames', float('nan')) / base:.2f} gl={best.get('bare-gl', float('nan')) / base:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
