"""Live-TV UI benchmark with a 100,000-channel playlist: ``python -m bench.ui`` (offscreen Qt, real libVLC, frames).

Measures: first frame from process start (resuming the last channel, playlist cached), opening the channel list,
one search keystroke, CH+ key press to the new channel's first frame against a bare libVLC zap loop on the same
streams in the same run, the longest GUI-thread stall while the playlist refreshes, and RSS while playing.
Streams come from the test stream server on 127.0.0.1 (tests/helpers).
"""

from __future__ import annotations

import argparse
import faulthandler
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

CHANNELS = 100_000
ZAPS = 24  # timed CH+ presses (and as many bare zaps)
ZAP_DWELL_S = 0.3  # each channel plays this long before the next zap (as in bench.zap)
FRAME_SIZE = (640, 360)
REFRESHES = 3  # playlist refreshes timed while playing (the worst stall is reported)
REFRESH_SETTLE_S = 1.0  # the timer keeps running this long after each new lineup is shown (the old one is freed)
STALL_TRACE_S = 0.025  # with SETTOP_BENCH_STALL_TRACE: a GUI-thread gap this long dumps every thread's stack
WORDS = ("News", "Sport", "Movies", "Kids", "Music", "Docs", "Comedy", "Drama", "Travel", "Food")


def write_playlist(path: Path, urls: list[str], count: int = CHANNELS) -> None:
    lines = ["#EXTM3U"]
    for i in range(1, count + 1):
        word = WORDS[i % len(WORDS)]
        group = f"{word} {i % 20}"
        lines.append(f'#EXTINF:-1 tvg-id="c{i}.tv" tvg-chno="{i}" group-title="{group}",{word} Channel {i}')
        lines.append(f"{urls[i % len(urls)]}?n={i}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


# ----------------------------------------------------------------------------------------------- child process


def child_first_frame(playlist: str) -> int:
    """Started as a fresh process: run the app until the first frame, print when it came, and quit."""
    started = float(os.environ["BENCH_T0"])
    from settop import app as app_module
    from settop.cli import _app_parser

    args = _app_parser().parse_args([playlist, "--windowed", "--backend", "frames"])
    qt_app, app = app_module.create(args, frames_size=(640, 360))

    def on_event(event: object) -> None:
        if getattr(event, "kind", "") == "first_frame":
            print(f"FIRST_FRAME {time.time() - started:.4f} {app.live.current_key()}", flush=True)
            qt_app.quit()

    from settop.ui.bridge import PlayerBridge

    PlayerBridge(app.player, parent=app.window).event.connect(on_event)
    qt_app.exec()
    app.close()
    return 0


def measure_first_frame(playlist: Path, home: Path, runs: int = 3) -> list[float]:
    env = dict(os.environ, SETTOP_HOME=str(home), QT_QPA_PLATFORM="offscreen")
    times = []
    for _ in range(runs):
        t0 = time.time()
        env["BENCH_T0"] = repr(t0)
        out = subprocess.run([sys.executable, "-m", "bench.ui", "--child-first-frame", str(playlist)], env=env,
                             capture_output=True, text=True, timeout=120)
        line = next((ln for ln in out.stdout.splitlines() if ln.startswith("FIRST_FRAME")), None)
        if line is None:
            raise RuntimeError(f"child failed: {out.stderr[-2000:]}")
        times.append(float(line.split()[1]))
    return times


# ------------------------------------------------------------------------------------------ in-process measures


class BareZapper:
    """A bare python-vlc zap loop: ``stop(); set_media(); play()`` on one MediaPlayer, nothing else.

    Same libVLC instance options as the app's player, RV32 video callbacks at the app's frame size. A zap is timed
    from before ``stop()`` (what a CH+ press starts with) to the first display callback of the NEW media: a picture
    the old media shows while it stops does not count.
    """

    def __init__(self, frame_size: tuple[int, int]) -> None:
        import ctypes

        import vlc

        from settop.player.vlc import DEFAULT_INSTANCE_OPTIONS

        self.instance = vlc.Instance(list(DEFAULT_INSTANCE_OPTIONS))
        self.mp = self.instance.media_player_new()
        width, height = frame_size
        self.buffer = (ctypes.c_ubyte * (width * height * 4))()
        self.armed = False
        self.shown_at: float | None = None
        address = ctypes.addressof(self.buffer)

        def lock(opaque: object, planes: Any) -> None:
            planes[0] = address

        def display(opaque: object, picture: object) -> None:
            if self.armed and self.shown_at is None:
                self.shown_at = time.perf_counter()

        self.callbacks = (vlc.CallbackDecorators.VideoLockCb(lock),
                          vlc.CallbackDecorators.VideoUnlockCb(lambda *a: None),
                          vlc.CallbackDecorators.VideoDisplayCb(display))
        self.mp.video_set_callbacks(*self.callbacks, None)
        self.mp.video_set_format("RV32", width, height, width * 4)

    def zap(self, url: str) -> float:
        """Start the zap; returns its start time (``shown_at`` is set at the new media's first picture)."""
        start = time.perf_counter()
        self.armed = False
        self.mp.stop()
        media = self.instance.media_new(url)
        self.mp.set_media(media)
        media.release()
        self.shown_at = None
        self.armed = True
        self.mp.play()
        return start

    def close(self) -> None:
        self.mp.stop()
        self.mp.release()
        self.instance.release()


def p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]


def in_process(playlist: Path, home: Path) -> dict[str, Any]:
    os.environ["SETTOP_HOME"] = str(home)
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PyQt6.QtCore import QElapsedTimer, QEventLoop, Qt, QTimer
    from PyQt6.QtTest import QTest as _QTest

    QTest: Any = _QTest  # PyQt6's stubs declare QTest's static methods without @staticmethod

    from settop import app as app_module
    from settop.cli import _app_parser

    qt_app, app = app_module.create(_app_parser().parse_args([str(playlist), "--windowed", "--backend", "frames"]),
                                    frames_size=FRAME_SIZE)
    window = app.window
    window.resize(1920, 1080)
    events: list[tuple[float, str, str]] = []
    from settop.ui.bridge import PlayerBridge

    bridge = PlayerBridge(app.player, parent=window)
    bridge.event.connect(lambda e: events.append((time.perf_counter(), e.kind, e.request.channel_key
                                                  if e.request else "")))

    def wait(predicate: Callable[[], object], timeout: float = 20.0) -> None:
        deadline = time.perf_counter() + timeout
        while not predicate():
            if time.perf_counter() > deadline:
                raise RuntimeError("timed out")
            qt_app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)

    wait(lambda: app.live.lineup is not None and any(k == "first_frame" for _t, k, _c in events))

    # list open (key press to painted list) and search keystrokes
    opens = []
    for _ in range(8):
        timer = QElapsedTimer()
        timer.start()
        QTest.keyClick(window, Qt.Key.Key_Return)
        window.repaint()
        opens.append(timer.nsecsElapsed() / 1e6)
        QTest.keyClick(window, Qt.Key.Key_Escape)
        qt_app.processEvents()
    QTest.keyClick(window, Qt.Key.Key_Return)
    QTest.keyClick(window, Qt.Key.Key_Slash)
    keystrokes = []
    for char in "sport channel 9":
        timer = QElapsedTimer()
        timer.start()
        QTest.keyClicks(window, char)
        window.repaint()
        keystrokes.append(timer.nsecsElapsed() / 1e6)
    rows_found = app.live.channel_list.model.rowCount()
    QTest.keyClick(window, Qt.Key.Key_Escape)
    QTest.keyClick(window, Qt.Key.Key_Escape)
    QTest.keyClick(window, Qt.Key.Key_Escape)
    qt_app.processEvents()

    # CH+ to first frame, against the bare loop on the same URLs, in two rounds (UI, then bare) so drift hits both.
    # Each channel plays ZAP_DWELL_S before the next zap (a viewer looks before pressing again; zapping the moment
    # a first picture appears makes stop() wait for the segment downloads just begun, ~70 ms here, for both).
    bare = BareZapper(FRAME_SIZE)

    def dwell() -> None:
        until = time.perf_counter() + ZAP_DWELL_S
        wait(lambda: time.perf_counter() >= until)

    def ui_zap() -> tuple[float, str]:
        events.clear()
        start = time.perf_counter()
        QTest.keyClick(window, Qt.Key.Key_Up)
        key = app.live.current_key()
        wait(partial(lambda key: any(k == "first_frame" and c == key for _t, k, c in events), key))
        channel = app.live.current_channel()
        return next(t for t, k, c in events if k == "first_frame" and c == key) - start, channel.url if channel else ""

    def bare_zap(url: str) -> float:
        start = bare.zap(url)
        wait(lambda: bare.shown_at is not None)
        return (bare.shown_at or start) - start

    zaps: list[float] = []
    bare_zaps: list[float] = []
    for _half in range(2):
        app.player.stop()
        ui_zap()  # untimed: starts from a stopped player
        dwell()
        urls = []
        for _ in range(ZAPS // 2):
            elapsed, url = ui_zap()
            zaps.append(elapsed)
            urls.append(url)
            dwell()
        app.player.stop()
        bare_zap(urls[-1])  # untimed, as above (the first play of a player also loads its plugins)
        dwell()
        for url in urls:  # the very streams the UI just zapped through
            bare_zaps.append(bare_zap(url))
            dwell()
        bare.mp.stop()
    bare.close()
    ui_zap()
    rss_playing = rss_mib()

    # longest GUI stall during refreshes of the (changed) playlist; SETTOP_BENCH_STALL_TRACE=FILE dumps every
    # thread's stack to FILE whenever the GUI thread misses its timer by STALL_TRACE_S (faulthandler: no GIL needed)
    trace_path = os.environ.get("SETTOP_BENCH_STALL_TRACE")
    trace = open(trace_path, "w") if trace_path else None  # noqa: SIM115 (closed below)
    text = playlist.read_text(encoding="utf-8")
    stalls: list[float] = []
    refresh_times: list[float] = []
    rss_peaks: list[float] = []
    for round_ in range(REFRESHES):
        # a real change each time: the first channel's name
        playlist.write_text(text.replace("Channel 1\n", f"Channel One {round_}\n", 1), encoding="utf-8")
        gaps: list[float] = []
        last = [time.perf_counter()]

        def tick(gaps: list[float] = gaps, last: list[float] = last) -> None:
            if trace is not None:
                faulthandler.dump_traceback_later(STALL_TRACE_S, file=trace)
            now = time.perf_counter()
            gaps.append(now - last[0])
            last[0] = now

        ticker = QTimer()
        ticker.setInterval(2)
        ticker.timeout.connect(tick)
        ticker.start()
        done: list[int] = []
        app.shell.playlist_loaded.connect(done.append)
        refresh_started = time.perf_counter()
        last[0] = refresh_started
        app.shell.refresh()
        wait(partial(bool, done), timeout=120)
        refresh_times.append(time.perf_counter() - refresh_started)
        rss_peaks.append(rss_mib())  # the old lineup is still being freed
        settle = time.perf_counter() + REFRESH_SETTLE_S  # the old lineup goes on a background thread meanwhile
        wait(partial(lambda until: time.perf_counter() >= until, settle))
        ticker.stop()
        if trace is not None:
            faulthandler.cancel_dump_traceback_later()
        app.shell.playlist_loaded.disconnect(done.append)
        stalls.append(max(gaps) * 1000 if gaps else 0.0)
    if trace is not None:
        trace.close()
    refresh_s = statistics.median(refresh_times)
    longest = max(stalls)
    result = {
        "list_open_ms": opens, "search_keystroke_ms": keystrokes, "search_rows": rows_found,
        "zap_ms": [z * 1000 for z in zaps],
        "bare_zap_ms": [z * 1000 for z in bare_zaps], "refresh_s": refresh_s, "refresh_longest_stall_ms": longest,
        "refresh_stalls_ms": stalls, "rss_playing_mib": rss_playing, "rss_refresh_peak_mib": max(rss_peaks),
        "rss_after_refresh_mib": rss_mib(),
    }
    app.close()
    window.close()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--child-first-frame", metavar="PLAYLIST")
    parser.add_argument("--channels", type=int, default=CHANNELS)
    args = parser.parse_args()
    if args.child_first_frame:
        return child_first_frame(args.child_first_frame)

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.helpers.streams import stream_dir
    from tests.helpers.streamserver import StreamServer

    with tempfile.TemporaryDirectory(prefix="settop-bench-ui-") as tmp, StreamServer(stream_dir()) as server:
        folder = Path(tmp)
        urls = [server.url(f"{name}/vod/index.m3u8") for name in ("ch1", "ch2", "ch3")]
        playlist = folder / "big.m3u"
        write_playlist(playlist, urls, args.channels)
        home = folder / "home"
        print(f"playlist: {args.channels:,} channels, {playlist.stat().st_size / 1e6:.1f} MB")
        # Warm-up run: fills the playlist cache and remembers a last channel deep in the list.
        measure_first_frame(playlist, home, runs=1)
        resume_key = ""
        for line in subprocess.run([sys.executable, "-c", (
                "import sys; from settop.core import m3u; p=m3u.parse(open(sys.argv[1]).read(), base_url=sys.argv[1]);"
                "print(p.channels[len(p.channels) // 2].key)"), str(playlist)], capture_output=True, text=True,
                check=True).stdout.splitlines():
            resume_key = line.strip()
        db = sqlite3.connect(home / "data" / "state.db")
        db.execute("INSERT OR REPLACE INTO meta (name, value) VALUES ('last_channel', ?)", (resume_key,))
        db.commit()
        db.close()
        firsts = measure_first_frame(playlist, home, runs=3)
        measures = in_process(playlist, home)

    zap_ms: list[float] = measures["zap_ms"]
    bare_ms: list[float] = measures["bare_zap_ms"]
    zap, bare = statistics.median(zap_ms), statistics.median(bare_ms)
    print(f"first frame from process start (resume, cached): median {statistics.median(firsts) * 1000:.0f} ms "
          f"(runs: {', '.join(f'{t * 1000:.0f}' for t in firsts)})  target < 1500 ms")
    print(f"channel list open: median {statistics.median(measures['list_open_ms']):.1f} ms, "
          f"max {max(measures['list_open_ms']):.1f} ms  target < 100 ms")
    print(f"search keystroke: median {statistics.median(measures['search_keystroke_ms']):.1f} ms, "
          f"max {max(measures['search_keystroke_ms']):.1f} ms ({measures['search_rows']} rows)  target < 50 ms")
    print(f"CH+ key to first frame over {len(zap_ms)} zaps: median {zap:.0f} ms, p90 {p90(zap_ms):.0f} ms vs bare "
          f"libVLC stop+set_media+play on the same URLs: median {bare:.0f} ms, p90 {p90(bare_ms):.0f} ms = "
          f"{zap / bare:.2f}x (p90 {p90(zap_ms) / p90(bare_ms):.2f}x)  target <= 1.25x")
    stalls: list[float] = measures["refresh_stalls_ms"]
    print(f"playlist refresh x{len(stalls)}: median {measures['refresh_s']:.2f} s on a worker; longest GUI-thread "
          f"stall {measures['refresh_longest_stall_ms']:.0f} ms (each refresh: {', '.join(f'{m:.0f}' for m in stalls)})"
          "  target < 50 ms")
    print(f"RSS while playing: {measures['rss_playing_mib']:.0f} MiB; after the refreshes "
          f"{measures['rss_after_refresh_mib']:.0f} MiB (peak {measures['rss_refresh_peak_mib']:.0f} MiB while the old "
          "lineup is freed)  target < 300 MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
