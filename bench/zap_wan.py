"""Zapping on an emulated distant provider: ``python -m bench.zap --network wan``.

The server (tests/helpers/wanserver.py, in this process) delays every answer by a round trip (80 ms) and caps each
connection at 20 Mbit/s; it serves three live HLS channels with 2 s segments, the same three with 6 s segments
(master playlists of three variants) and three MPEG-TS-over-HTTP channels. The app runs in a child process (offscreen
Qt, frames backend) on a playlist of those nine channels in that order. Each cycle presses CH+ nine times through the
UI (key press to the new channel's first-frame event), then a bare python-vlc loop (stop, set_media, play, first new
picture; the same instance options as the app) plays the very same URLs in the same order; a zap counts for the kind
of channel it lands on. Each cycle also tunes one channel of each kind that was not predicted (not next, previous or
last; tuned as number entry does, ``jump-*`` rows), again replayed bare. Every channel plays ``--dwell`` seconds
before the next zap. ``--limit`` is the app's connections-per-provider setting (2 by default: playlists and segments
fetched ahead; 1: playlists only). It prints median and p90 per kind, the bytes and connections each side used while
zapping and while watching one channel for 20 s, the CPU the zap cache spends passing a TS channel on
(``--cache-cpu-seconds``), and last the ratios (settop median over bare median):
``zap-wan hls2=X.XX hls6=X.XX ts=X.XX``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
KINDS = ("hls2", "hls6", "ts")
NAMES = ("ch1", "ch2", "ch3")
FRAME_SIZE = (640, 360)
TIMEOUT_S = 15.0
WATCH_S = 20.0  # seconds of watching one channel, for the bandwidth zapping ahead costs when nobody zaps
ROW_KINDS = (*KINDS, *(f"jump-{kind}" for kind in KINDS))


def lineup(base: str) -> list[tuple[str, str, str]]:
    """(kind, name, url) of the nine channels, in playlist order."""
    rows = []
    for kind in KINDS:
        for name in NAMES:
            url = f"{base}/ts/{name}.ts" if kind == "ts" else f"{base}/{kind}/{name}/master.m3u8"
            rows.append((kind, f"{kind.upper()} {name[-1]}", url))
    return rows


def write_playlist(path: Path, rows: list[tuple[str, str, str]]) -> None:
    lines = ["#EXTM3U"]
    for i, (kind, name, url) in enumerate(rows, 1):
        lines += [f'#EXTINF:-1 tvg-id="{kind}{i}.wan" tvg-chno="{i}" group-title="{kind}",{name}', url]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _counts(base: str) -> dict[str, int]:
    with urllib.request.urlopen(f"{base}/_counts", timeout=10) as answer:
        return json.loads(answer.read())  # type: ignore[no-any-return]


def child(base: str, cycles: int, dwell: float, limit: int) -> dict[str, Any]:
    """In the app's process: the UI zaps and the bare zaps, with the server's counters for each side."""
    home = Path(tempfile.mkdtemp(prefix="settop-bench-wan-"))
    os.environ["SETTOP_HOME"] = str(home)
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from settop.core.state.settings import Settings

    settings, _messages = Settings.load()
    settings.set("playback.connections_per_source", limit)
    settings.save()
    from PyQt6.QtCore import QEventLoop, Qt
    from PyQt6.QtTest import QTest as _QTest

    QTest: Any = _QTest  # PyQt6's stubs declare QTest's static methods without @staticmethod

    from bench.ui import BareZapper
    from settop import app as app_module
    from settop.cli import _app_parser
    from settop.ui.bridge import PlayerBridge

    rows = lineup(base)
    kinds = {url: kind for kind, _name, url in rows}
    playlist = home / "wan.m3u"
    write_playlist(playlist, rows)
    qt_app, app = app_module.create(_app_parser().parse_args([str(playlist), "--windowed", "--backend", "frames"]),
                                    frames_size=FRAME_SIZE)
    window = app.window
    window.resize(1280, 720)
    events: list[tuple[float, str, str]] = []
    bridge = PlayerBridge(app.player, parent=window)
    bridge.event.connect(lambda e: events.append((time.perf_counter(), e.kind,
                                                  e.request.channel_key if e.request else "")))

    def wait(predicate: Any, timeout: float = TIMEOUT_S) -> bool:
        deadline = time.perf_counter() + timeout
        while not predicate():
            if time.perf_counter() > deadline:
                return False
            qt_app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)
        return True

    def dwell_for() -> None:
        until = time.perf_counter() + dwell
        wait(lambda: time.perf_counter() >= until)

    def first_frame_after(start: float, key: str) -> float:
        if not wait(lambda: any(k == "first_frame" and c == key for _t, k, c in events)):
            return math.nan
        return next(t for t, k, c in events if k == "first_frame" and c == key) - start

    def ui_zap() -> tuple[float, str]:
        events.clear()
        start = time.perf_counter()
        QTest.keyClick(window, Qt.Key.Key_Up)
        channel = app.live.current_channel()
        return first_frame_after(start, app.live.current_key()), channel.url if channel else ""

    def ui_jump(kind: str) -> tuple[float, str]:
        """Tune a channel of ``kind`` that was not predicted (not next, previous or last), as number entry does."""
        live = app.live
        current = live.current if live.current is not None else 0
        last = live.lineup.index_of(live.previous_key) if live.lineup and live.previous_key else None
        predicted = {current, (current + 1) % len(rows), (current - 1) % len(rows), last}
        target = next(i for i, row in enumerate(rows) if row[0] == kind and i not in predicted)
        events.clear()
        start = time.perf_counter()
        live.tune(target)
        return first_frame_after(start, live.current_key()), rows[target][2]

    bare = BareZapper(FRAME_SIZE)

    def bare_zap(url: str) -> float:
        start = bare.zap(url)
        if not wait(lambda: bare.shown_at is not None):
            return math.nan
        return (bare.shown_at or start) - start

    if not wait(lambda: app.live.lineup is not None and any(k == "first_frame" for _t, k, _c in events), 30):
        raise RuntimeError("the app showed no first picture")
    times: dict[str, dict[str, list[float]]] = {side: {k: [] for k in ROW_KINDS} for side in ("ours", "bare")}
    costs: dict[str, dict[str, float]] = {side: {"bytes": 0, "seconds": 0.0, "media_peak": 0, "open_peak": 0,
                                                  "connections": 0} for side in ("ours", "bare")}

    def account(side: str, began: float) -> None:
        counts = _counts(base)
        cost = costs[side]
        cost["seconds"] += time.perf_counter() - began
        cost["bytes"] += counts["bytes"]
        cost["connections"] += counts["connections"]
        cost["media_peak"] = max(cost["media_peak"], counts["media_peak"])
        cost["open_peak"] = max(cost["open_peak"], counts["open_peak"])

    for _cycle in range(cycles):
        bare.mp.stop()
        _counts(base)
        began = time.perf_counter()
        zaps: list[tuple[str, str]] = []
        for _ in range(len(rows)):
            elapsed, url = ui_zap()
            times["ours"][kinds[url]].append(elapsed)
            zaps.append((kinds[url], url))
            dwell_for()
        for kind in KINDS:
            elapsed, url = ui_jump(kind)
            times["ours"][f"jump-{kind}"].append(elapsed)
            zaps.append((f"jump-{kind}", url))
            dwell_for()
        app.player.stop()
        account("ours", began)
        began = time.perf_counter()
        for kind, url in zaps:
            times["bare"][kind].append(bare_zap(url))
            dwell_for()
        bare.mp.stop()
        account("bare", began)
    watching = {}
    for side in ("ours", "bare"):  # bandwidth while one HLS channel plays and nobody zaps
        if side == "ours":
            app.live.tune(0)
            first_frame_after(time.perf_counter(), app.live.current_key())
        else:
            app.player.stop()
            bare_zap(rows[0][2])
        until = time.perf_counter() + 1.0
        wait(lambda until=until: time.perf_counter() >= until)
        _counts(base)
        began = time.perf_counter()
        until = began + WATCH_S
        wait(lambda until=until: time.perf_counter() >= until, WATCH_S + 5)
        watching[side] = _counts(base)["bytes"] * 8 / (time.perf_counter() - began) / 1e6
    bare.close()
    app.close()
    window.close()
    return {"times": times, "costs": costs, "watching_mbit": watching}


_READER = """
import sys, time, urllib.request
until, got = time.perf_counter() + float(sys.argv[2]), 0
with urllib.request.urlopen(sys.argv[1], timeout=10) as answer:
    while time.perf_counter() < until and (piece := answer.read1(65536)):
        got += len(piece)
print(got)
"""


def cache_cpu(base: str, seconds: float) -> dict[str, float]:
    """In a process of its own: the zap cache passing one TS channel on to a reader in another process, against
    the same reader reading the provider directly (this process idle); this process's CPU and the rate, best of 2."""
    import resource

    from settop.core.net.budget import ConnectionBudget
    from settop.core.net.zapcache import ZapCache

    url = f"{base}/ts/ch1.ts"
    cache = ZapCache(ConnectionBudget(1))
    best: dict[str, float] = {}
    try:
        local = cache.play_url(url)
        for name, target in (("direct", url), ("cache", local)) * 2:
            before, began = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
            out = subprocess.run([sys.executable, "-c", _READER, target, str(seconds)], capture_output=True,
                                 text=True, timeout=seconds + 30)
            after, wall = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter() - began
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            if cpu / wall * 100 < best.get(name, math.inf):  # the best run's CPU and its rate
                best[name], best[f"{name}_mbit"] = cpu / wall * 100, int(out.stdout.strip() or 0) * 8 / wall / 1e6
    finally:
        cache.close()
    return best


def _stats(values: list[float]) -> tuple[float, float, int]:
    good = sorted(v * 1000 for v in values if not math.isnan(v))
    if not good:
        return math.nan, math.nan, len(values)
    p90 = good[min(len(good) - 1, round(0.9 * (len(good) - 1)))]
    return statistics.median(good), p90, len(values) - len(good)


def report(result: dict[str, Any], dwell: float) -> str:
    """Print the table and costs; returns the last line."""
    times = result["times"]
    print(f"{'kind':9} {'side':5} {'median ms':>10} {'p90 ms':>8} {'n':>3} {'failed':>6}")
    ratios = {}
    for kind in ROW_KINDS:
        row = {}
        for side in ("bare", "ours"):
            median, p90, failed = _stats(times[side][kind])
            row[side] = median
            print(f"{kind:9} {side:5} {median:>10.0f} {p90:>8.0f} {len(times[side][kind]):>3} {failed:>6}")
        ratios[kind] = row["ours"] / row["bare"]
    for side in ("bare", "ours"):
        cost = result["costs"][side]
        rate = cost["bytes"] * 8 / cost["seconds"] / 1e6 if cost["seconds"] else 0.0
        print(f"cost {side}: {rate:.2f} Mbit/s over {cost['seconds']:.0f} s of zapping ({dwell:.1f} s dwell), "
              f"{cost['connections']:.0f} connections, at most {cost['open_peak']:.0f} open and "
              f"{cost['media_peak']:.0f} carrying media at once")
    watching = result["watching_mbit"]
    print(f"watching one HLS channel, no zaps, {WATCH_S:.0f} s: settop {watching['ours']:.2f} Mbit/s, bare "
          f"{watching['bare']:.2f} Mbit/s (fetching ahead costs {watching['ours'] - watching['bare']:+.2f} Mbit/s, "
          f"{(watching['ours'] - watching['bare']) * 60 / 8:+.1f} MB per minute)")
    print("unpredicted zaps (a channel that is not next, previous or last, tuned as number entry does): "
          + ", ".join(f"{kind} {ratios[f'jump-{kind}']:.2f}x" for kind in KINDS))
    return "zap-wan " + " ".join(f"{kind}={ratios[kind]:.2f}" for kind in KINDS)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.zap --network wan")
    parser.add_argument("--cycles", type=int, default=4, help="cycles of nine UI zaps then nine bare zaps")
    parser.add_argument("--dwell", type=float, default=1.5, help="seconds each channel plays before the next zap")
    parser.add_argument("--rtt-ms", type=float, default=80.0)
    parser.add_argument("--mbit", type=float, default=20.0, help="bandwidth cap per connection")
    parser.add_argument("--limit", type=int, default=2,
                        help="the app's setting playback.connections_per_source (1: playlists ahead only)")
    parser.add_argument("--cache-cpu-seconds", type=float, default=10.0,
                        help="seconds per measurement of the zap cache's CPU passing a TS channel on (0: skip)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--cache-cpu", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.cache_cpu:
        print("RESULT " + json.dumps(cache_cpu(args.cache_cpu, args.cache_cpu_seconds)), flush=True)
        return 0
    if args.child:
        print("RESULT " + json.dumps(child(args.child, args.cycles, args.dwell, args.limit)), flush=True)
        return 0
    sys.path.insert(0, str(ROOT))
    from tests.helpers.wanserver import WanServer

    with WanServer(rtt_s=args.rtt_ms / 1000, rate_bps=args.mbit * 1e6) as server:
        base = f"http://127.0.0.1:{server.port}"
        print(f"WAN: {args.rtt_ms:.0f} ms round trip, {args.mbit:.0f} Mbit/s per connection; {args.cycles} cycles "
              f"of 9 zaps per side, {args.dwell:.1f} s dwell, {args.limit} connection(s) per provider; "
              f"load average {os.getloadavg()[0]:.2f}", flush=True)
        out = subprocess.run([sys.executable, "-m", "bench.zap", "--network", "wan", "--child", base,
                              "--cycles", str(args.cycles), "--dwell", str(args.dwell), "--limit", str(args.limit)],
                             cwd=ROOT, capture_output=True, text=True, timeout=1800)
        cpu_line = ""
        if args.cache_cpu_seconds > 0:
            measured = subprocess.run([sys.executable, "-m", "bench.zap", "--network", "wan", "--cache-cpu", base,
                                       "--cache-cpu-seconds", str(args.cache_cpu_seconds)],
                                      cwd=ROOT, capture_output=True, text=True, timeout=600)
            found = next((ln for ln in measured.stdout.splitlines() if ln.startswith("RESULT ")), None)
            if found is not None:
                cpu = json.loads(found[len("RESULT "):])
                cpu_line = (f"a TS channel through the zap cache: its process {cpu['cache']:.2f} % of a core at "
                            f"{cpu['cache_mbit']:.2f} Mbit/s ({cpu['direct']:.2f} % idle while the reader read the "
                            f"provider directly at {cpu['direct_mbit']:.2f} Mbit/s; best of 2, "
                            f"{args.cache_cpu_seconds:g} s each)")
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith("RESULT ")), None)
    if line is None:
        print(out.stdout[-2000:], out.stderr[-3000:], sep="\n")
        return 1
    result = json.loads(line[len("RESULT "):])
    last = report(result, args.dwell)
    if cpu_line:
        print(cpu_line)
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    print(last)
    return 0
