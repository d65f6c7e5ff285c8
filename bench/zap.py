"""Zapping benchmark: ``python -m bench.zap`` (part of ``make bench``).

Three loopback live HLS channels (tests/helpers/streams.py, served from a separate process), zapped round-robin.
For each backend (frames offscreen; native under Xvfb when it is installed) it measures in the same run:
- ours: ``VlcPlayer.play(request)`` -> the ``first_frame`` event;
- bare: a python-vlc loop doing only ``stop(); set_media(); play()`` on one MediaPlayer -> its first frame
  (display callback for frames, first ``MediaPlayerVout`` for native, the same signals our player uses);
and then the CPU use of this process (and of Xvfb for native) while one channel plays. Prints a table and the
ratio ours / bare of the median and p90; ``--zaps``, ``--dwell`` and ``--cpu-seconds`` change the run.
``--network wan`` runs bench/zap_wan.py instead: CH+ through the UI against bare libVLC on an emulated distant
provider (``--network loopback``, the default, is the run above).
"""

from __future__ import annotations

import argparse
import ctypes
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CHANNELS = ("ch1", "ch2", "ch3")
BENCH_OPTIONS = ("--aout=adummy", "--no-xlib")
FRAME_SIZE = (640, 360)


def _cpu_self() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _cpu_pid(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _pump(app: Any, seconds: float, until: threading.Event | None = None) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end and not (until is not None and until.is_set()):
        app.processEvents()
        if until is not None:
            until.wait(0.001)
        else:
            time.sleep(0.005)


class Bare:
    """A bare python-vlc zap loop on one MediaPlayer, drawing like the given surface would."""

    def __init__(self, backend: str, win_id: int = 0) -> None:
        import vlc

        from settop.player.vlc import DEFAULT_INSTANCE_OPTIONS

        self.vlc = vlc
        self.instance = vlc.Instance([*DEFAULT_INSTANCE_OPTIONS, *BENCH_OPTIONS])
        self.mp = self.instance.media_player_new()
        self.frame = threading.Event()
        self.at = 0.0
        self.armed = False
        if backend == "frames":
            width, height = FRAME_SIZE
            self.buffer = (ctypes.c_ubyte * (width * height * 4))()
            self.callbacks = (
                vlc.CallbackDecorators.VideoLockCb(self._lock),
                vlc.CallbackDecorators.VideoUnlockCb(lambda *a: None),
                vlc.CallbackDecorators.VideoDisplayCb(lambda *a: self._shown()),
            )
            self.mp.video_set_callbacks(*self.callbacks, None)
            self.mp.video_set_format("RV32", width, height, width * 4)
        else:
            self.mp.set_xwindow(win_id)
            self.mp.event_manager().event_attach(vlc.EventType.MediaPlayerVout, lambda e: self._shown())

    def _lock(self, opaque: Any, planes: Any) -> None:
        planes[0] = ctypes.addressof(self.buffer)

    def _shown(self) -> None:
        if self.armed and not self.frame.is_set():
            self.at = time.perf_counter()
            self.frame.set()

    def zap(self, url: str, app: Any) -> float:
        start = time.perf_counter()
        self.armed = False
        self.mp.stop()
        media = self.instance.media_new(url)
        self.mp.set_media(media)
        media.release()
        self.frame.clear()
        self.armed = True
        self.mp.play()
        _pump(app, 10, self.frame)
        return self.at - start if self.frame.is_set() else float("nan")

    def close(self) -> None:
        self.mp.stop()
        self.mp.release()
        self.instance.release()


class Ours:
    """settop's VlcPlayer drawing into the surface of the backend."""

    def __init__(self, backend: str, surface: Any) -> None:
        from settop.player.vlc import VlcPlayer

        self.player = VlcPlayer(BENCH_OPTIONS, hw_decoding="none")
        self.surface = surface
        self.frame = threading.Event()
        self.at = 0.0
        self.player.add_listener(self._event)
        surface.attach(self.player)

    def _event(self, event: Any) -> None:
        if event.kind == "first_frame" and not self.frame.is_set():
            self.at = time.perf_counter()
            self.frame.set()

    def zap(self, url: str, app: Any) -> float:
        from settop.player.base import PlayRequest

        self.frame.clear()
        start = time.perf_counter()
        self.player.play(PlayRequest(url))
        _pump(app, 10, self.frame)
        return self.at - start if self.frame.is_set() else float("nan")

    def close(self) -> None:
        self.surface.detach()
        self.player.close()


def _stats(values: list[float]) -> dict[str, float]:
    ordered = sorted(v * 1000 for v in values if not math.isnan(v))
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return {"median_ms": round(statistics.median(ordered), 1), "p90_ms": round(p90, 1), "n": len(ordered),
            "failed": len(values) - len(ordered)}


def measure(backend: str, base: str, zaps: int, dwell: float, cpu_seconds: float) -> dict[str, Any]:
    """Zap times and CPU for ours and bare on ``backend`` in this process (Qt platform already chosen)."""
    from PyQt6.QtWidgets import QApplication

    from settop.ui.video import FramesSurface, NativeSurface

    app = QApplication.instance() or QApplication(sys.argv[:1])
    urls = [f"{base}/live/{name}/index.m3u8" for name in CHANNELS]
    if backend == "frames":
        surface: Any = FramesSurface(frame_size=FRAME_SIZE)
    else:
        surface = NativeSurface()
    surface.setGeometry(0, 0, *FRAME_SIZE)
    surface.show()
    _pump(app, 0.2)
    ours = Ours(backend, surface)
    bare_surface = NativeSurface() if backend == "native" else None
    if bare_surface is not None:  # side by side: an obscured window would cost the X server nothing
        bare_surface.setGeometry(FRAME_SIZE[0], 0, *FRAME_SIZE)
        bare_surface.show()
        _pump(app, 0.2)
    bare = Bare(backend, int(bare_surface.winId()) if bare_surface is not None else 0)
    times: dict[str, list[float]] = {"ours": [], "bare": []}
    runners: dict[str, Callable[[str, Any], float]] = {"ours": ours.zap, "bare": bare.zap}
    for run in runners.values():  # the first play of a player loads plugins and codecs: not a zap
        run(urls[-1], app)
        _pump(app, dwell)
    for round_no in range(2):  # interleave the two in halves so drift hits both alike
        for name in (("bare", "ours") if round_no == 0 else ("ours", "bare")):
            if name == "ours":
                bare.mp.stop()
            else:
                ours.player.stop()
            for i in range(zaps // 2):
                times[name].append(runners[name](urls[i % len(urls)], app))
                _pump(app, dwell)
    result: dict[str, Any] = {"backend": backend, **{f"{k}_zap": _stats(v) for k, v in times.items()}}
    xvfb = int(os.environ.get("BENCH_XVFB_PID", "0"))
    for name, run in runners.items():
        ours.player.stop()
        bare.mp.stop()
        run(urls[0], app)
        _pump(app, 1.0)
        cpu, x_cpu, wall = _cpu_self(), _cpu_pid(xvfb) if xvfb else 0.0, time.monotonic()
        _pump(app, cpu_seconds)
        wall = time.monotonic() - wall
        result[f"{name}_cpu_pct"] = round((_cpu_self() - cpu) / wall * 100, 1)
        if xvfb:
            result[f"{name}_xvfb_cpu_pct"] = round((_cpu_pid(xvfb) - x_cpu) / wall * 100, 1)
    ours.close()
    bare.close()
    return result


def _start_server() -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen([sys.executable, "-m", "tests.helpers.streamserver"], cwd=ROOT, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    port = proc.stdout.readline().strip()
    return proc, f"http://127.0.0.1:{port}"


def _native_in_xvfb(args: argparse.Namespace, base: str) -> dict[str, Any] | None:
    import shutil

    if shutil.which("Xvfb") is None:
        return None
    read_fd, write_fd = os.pipe()
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1280x720x24", "-nolisten", "tcp"],
                            pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    try:
        with os.fdopen(read_fd) as pipe:
            display = pipe.readline().strip()
        env = {**os.environ, "DISPLAY": f":{display}", "QT_QPA_PLATFORM": "xcb", "BENCH_XVFB_PID": str(xvfb.pid)}
        child = subprocess.run([sys.executable, "-m", "bench.zap", "--child", "native", "--base", base,
                                "--zaps", str(args.zaps), "--dwell", str(args.dwell),
                                "--cpu-seconds", str(args.cpu_seconds)],
                               cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
        lines = [line for line in child.stdout.splitlines() if line.startswith("{")]
        return json.loads(lines[-1]) if lines else {"backend": "native", "error": child.stderr[-500:]}
    finally:
        xvfb.terminate()
        xvfb.wait(10)


def _report(result: dict[str, Any]) -> None:
    if "error" in result:
        print(f"{result['backend']}: failed: {result['error']}")
        return
    ours, bare = result["ours_zap"], result["bare_zap"]
    print(f"\n{result['backend']} backend, zap request -> first frame over {ours['n']} zaps each "
          f"(failed: ours {ours['failed']}, bare {bare['failed']})")
    print(f"  {'':6} {'median ms':>10} {'p90 ms':>8} {'CPU %':>7}" + ("  Xvfb CPU %" if "ours_xvfb_cpu_pct" in result
                                                                    else ""))
    for name, zap in (("bare", bare), ("ours", ours)):
        extra = f"  {result[f'{name}_xvfb_cpu_pct']:>10}" if f"{name}_xvfb_cpu_pct" in result else ""
        print(f"  {name:6} {zap['median_ms']:>10} {zap['p90_ms']:>8} {result[f'{name}_cpu_pct']:>7}{extra}")
    print(f"  ratio  {ours['median_ms'] / bare['median_ms']:>10.2f} {ours['p90_ms'] / bare['p90_ms']:>8.2f}"
          "   (target: <= 1.2)")


def main() -> int:
    if "--network" in sys.argv[1:]:
        index = sys.argv.index("--network")
        network = sys.argv[index + 1] if index + 1 < len(sys.argv) else ""
        if network == "wan":
            from bench import zap_wan

            return zap_wan.main(sys.argv[1:index] + sys.argv[index + 2:])
        if network != "loopback":
            print(f"--network: loopback or wan, not {network!r}", file=sys.stderr)
            return 2
        del sys.argv[index:index + 2]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--zaps", type=int, default=30, help="zaps per player (>= 20)")
    parser.add_argument("--dwell", type=float, default=0.3, help="seconds each channel plays before the next zap")
    parser.add_argument("--cpu-seconds", type=float, default=5.0, help="seconds of playback per CPU measurement")
    parser.add_argument("--child", choices=("frames", "native"), help=argparse.SUPPRESS)
    parser.add_argument("--base", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.base, args.zaps, args.dwell, args.cpu_seconds)))
        return 0
    server, base = _start_server()
    try:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        child = subprocess.run([sys.executable, "-m", "bench.zap", "--child", "frames", "--base", base,
                                "--zaps", str(args.zaps), "--dwell", str(args.dwell),
                                "--cpu-seconds", str(args.cpu_seconds)],
                               cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
        lines = [line for line in child.stdout.splitlines() if line.startswith("{")]
        results = [json.loads(lines[-1]) if lines else {"backend": "frames", "error": child.stderr[-500:]}]
        native = _native_in_xvfb(args, base)
        if native is not None:
            results.append(native)
    finally:
        assert server.stdin is not None
        server.stdin.close()
        server.wait(10)
    for result in results:
        _report(result)
    print("\n" + json.dumps(results))
    return 0 if all("error" not in r for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
