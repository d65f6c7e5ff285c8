"""Run every benchmark in turn: ``python -m bench`` (or ``make bench``)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

BENCHMARKS = ("playlist", "guide", "zap", "ui", "ui_guide", "library", "library_search")


def main() -> int:
    failed = 0
    for name in BENCHMARKS:
        if importlib.util.find_spec(f"bench.{name}") is None:
            print(f"== bench.{name}: not present, skipped")
            continue
        print(f"== bench.{name}", flush=True)
        failed |= subprocess.call([sys.executable, "-m", f"bench.{name}"]) != 0
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
