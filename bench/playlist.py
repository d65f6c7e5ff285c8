"""Playlist parsing benchmark: ``python -m bench.playlist`` (part of ``make bench``).

Generates attribute-rich playlists of 10,000 and 100,000 channels in a temporary folder and measures, in the
same run: the baseline ``Path.read_text().splitlines()`` (reading the file plus ``str.splitlines()``);
``settop.core.playlist.m3u.parse_bytes(path.read_bytes())`` (time, and its ratio to the baseline); the peak RSS of a
fresh process that reads and parses the file (and of one that only reads and splits it); the reload of
the unchanged playlist from :mod:`settop.core.playlist.cache`; and the ratio again in CPU time
(``time.process_time``), steadier when other work shares the machine. Prints a table; ``--sizes`` and ``--repeat``
change what is run. Each time is the best of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

NAMES_ASCII = ("News", "Sport", "Movies", "Kids", "Music", "Documentary", "Weather", "Comedy", "Drama", "Travel")
NAMES_OTHER = (
    "Новости",
    "Спорт",
    "ニュース",
    "体育频道",
    "Ειδήσεις",
    "Noticias Ñandú",
    "Télé Québec",
    "أخبار",
    "חדשות",
)
GROUPS = ("News", "Sports;HD", "Movies", "Kids", "Music;Radio", "Documentaries", "Entertainment;HD", "Local")
CATCHUP = (
    ' catchup="shift" catchup-days="7"',
    ' catchup="default" catchup-days="3" catchup-source="http://cdn.example.com/{utc}/{duration}/index.m3u8"',
    ' catchup="append" catchup-source="?utc={utc}&lutc={lutc}" catchup-correction="-1.5"',
    ' timeshift="5"',
    ' tvg-rec="3"',
    "",
)
UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"


def generate(path: Path, count: int, seed: int = 7) -> None:
    """Write a playlist of ``count`` entries with every attribute settop reads (see the issue's benchmark)."""
    rng = random.Random(seed)
    parts = ['#EXTM3U x-tvg-url="http://epg.example.com/guide.xml.gz,http://epg2.example.com/g.xml" tvg-shift="0"\n']
    for i in range(count):
        base = rng.choice(NAMES_OTHER) if rng.random() < 0.2 else rng.choice(NAMES_ASCII)
        name = f"{base} {i}" + (", Extra" if rng.random() < 0.05 else "") + (" HD" if i % 3 == 0 else "")
        group = rng.choice(GROUPS)
        eol = "\r\n" if rng.random() < 0.3 else "\n"
        number = f"{i + 1}" if i % 10 else f"{i // 10}.{i % 7 + 1}"
        extinf = (
            f'#EXTINF:-1 tvg-id="channel{i}.example" tvg-name="{base} {i}" '
            f'tvg-logo="http://logos.example.com/img/{i}.png" tvg-chno="{number}" group-title="{group}"'
            f' tvg-shift="{rng.choice(("0", "1", "-2.5"))}" radio="{"true" if i % 50 == 0 else "false"}"'
            f"{rng.choice(CATCHUP)}"
            f' provider="Example TV" provider-type="iptv" tvg-country="US",{name}'
        )
        lines = [extinf]
        if rng.random() < 0.1:
            lines.append(f"#EXTVLCOPT:http-user-agent={UA}")
        if rng.random() < 0.05:
            lines.append("#EXTVLCOPT:http-referrer=http://www.example.com/")
        if rng.random() < 0.05:
            lines.append(f"#EXTGRP:{group}")
        lines.append(
            f"http://stream.example.com:8080/live/user{i % 97}/pass{i % 89}/{i}.m3u8?token={rng.getrandbits(64):x}"
        )
        parts.append(eol.join(lines) + eol)
    path.write_text("".join(parts), encoding="utf-8", newline="")


def best_of(repeat: int, work: Callable[[], object], clock: Callable[[], float] = time.perf_counter) -> float:
    """Best time of ``repeat`` runs; the result is freed after the clock stops (freeing is not loading).

    ``clock``: wall time by default; ``time.process_time`` gives CPU time, steadier when the machine is shared.
    """
    times = []
    for _ in range(repeat):
        start = clock()
        result = work()
        times.append(clock() - start)
        del result
    return min(times)


PEAK_SCRIPT = """
import resource, sys
from pathlib import Path
from settop.core.playlist.m3u import parse_bytes
playlist = parse_bytes(Path(sys.argv[1]).read_bytes())
assert len(playlist.channels) == int(sys.argv[2]), len(playlist.channels)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""
BASELINE_SCRIPT = """
import resource, sys
from pathlib import Path
lines = Path(sys.argv[1]).read_text(encoding="utf-8").splitlines()
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""
GENERATE_SCRIPT = """
import sys
from pathlib import Path
from bench.playlist import generate
generate(Path(sys.argv[1]), int(sys.argv[2]))
"""


def _python(script: str, *args: object) -> str:
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    command = [sys.executable, "-c", script, *map(str, args)]
    return subprocess.run(command, check=True, capture_output=True, text=True, env=env).stdout


def peak_rss_mib(script: str, path: Path, count: int) -> float:
    """Peak RSS (MiB) of a fresh interpreter running ``script`` on the playlist, from ``getrusage``.

    Linux carries ``ru_maxrss`` over from the parent through fork and exec, so this runs while the benchmark
    process itself is still small (before any timing), and the files are generated in a child too.
    """
    return int(_python(script, path, count).split()[-1]) / 1024


def measure_rss(path: Path, count: int) -> tuple[float, float]:
    return peak_rss_mib(PEAK_SCRIPT, path, count), peak_rss_mib(BASELINE_SCRIPT, path, count)


def measure_times(folder: Path, path: Path, count: int, repeat: int) -> dict[str, float]:
    from settop.core.playlist import cache as playlist_cache
    from settop.core.playlist.m3u import parse_bytes

    baseline = best_of(repeat, lambda: path.read_text(encoding="utf-8").splitlines())
    parse_time = best_of(repeat, lambda: parse_bytes(path.read_bytes()))
    baseline_cpu = best_of(repeat, lambda: path.read_text(encoding="utf-8").splitlines(), time.process_time)
    parse_cpu = best_of(repeat, lambda: parse_bytes(path.read_bytes()), time.process_time)
    playlist = parse_bytes(path.read_bytes())
    assert len(playlist.channels) == count, (len(playlist.channels), count)
    del playlist
    os.environ["SETTOP_HOME"] = str(folder / "home")
    playlist_cache.load(path.read_bytes())  # fills the cache
    cached = best_of(repeat, lambda: playlist_cache.load(path.read_bytes()))
    return {
        "count": count,
        "mb": path.stat().st_size / 1e6,
        "baseline": baseline,
        "parse": parse_time,
        "ratio": parse_time / baseline,
        "cpu_ratio": parse_cpu / baseline_cpu,
        "cached": cached,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.playlist", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement; the best is reported")
    args = parser.parse_args(argv)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cpus; best of {args.repeat}")
    header: tuple[str, ...] = ("channels", "MB", "read+split s", "parse s", "ratio", "CPU ratio", "peak RSS MiB",
                               "(baseline)", "cached s")
    print("| " + " | ".join(header) + " |")
    print("|" + "---:|" * len(header))
    with tempfile.TemporaryDirectory(prefix="settop-bench-") as tmp:
        folder = Path(tmp)
        paths = {size: folder / f"bench-{size}.m3u" for size in args.sizes}
        for size, path in paths.items():
            _python(GENERATE_SCRIPT, path, size)
        rss = {size: measure_rss(path, size) for size, path in paths.items()}
        results = [measure_times(folder, paths[size], size, args.repeat) for size in args.sizes]
    for r in results:
        r["rss"], r["rss_baseline"] = rss[int(r["count"])]
        print(
            f"| {r['count']:,} | {r['mb']:.1f} | {r['baseline']:.3f} | {r['parse']:.3f} | {r['ratio']:.2f}x |"
            f" {r['cpu_ratio']:.2f}x |"
            f" {r['rss']:.0f} | {r['rss_baseline']:.0f} | {r['cached']:.3f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
