"""What the live-pause ring costs: CPU of its ffmpeg (``-c copy`` into 2 s segments) and disk per minute.

Run: ``.venv/bin/python scripts/timeshift_cost.py [SECONDS]`` (default 60). Makes a 30-second 1280x720 H.264 + AAC
clip at about 4 Mbit/s (cached in /tmp), serves it looped at its real-time rate over loopback HTTP (ffmpeg's own
listener), buffers it with settop's TimeshiftBuffer and reads the ring's ffmpeg user + system time from /proc.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CLIP = Path(tempfile.gettempdir()) / "settop-timeshift-cost-720p.ts"


def make_clip() -> None:
    if CLIP.exists():
        return
    subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                    "testsrc2=s=1280x720:r=25:d=30", "-f", "lavfi", "-i", "sine=f=440:d=30", "-c:v", "libx264",
                    "-preset", "veryfast", "-b:v", "4M", "-maxrate", "4M", "-bufsize", "8M", "-g", "50", "-c:a", "aac",
                    "-b:a", "128k", "-f", "mpegts", str(CLIP)], check=True)


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> int:
    from settop.core.recording.timeshift import RingCaps, TimeshiftBuffer

    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 60.0
    make_clip()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/live.ts"
    server = subprocess.Popen(["ffmpeg", "-hide_banner", "-loglevel", "error", "-re", "-stream_loop", "-1", "-i",
                               str(CLIP), "-c", "copy", "-f", "mpegts", "-listen", "1", url])
    time.sleep(1.0)
    with tempfile.TemporaryDirectory() as folder:
        buffer = TimeshiftBuffer(url, Path(folder) / "ring", RingCaps())
        buffer.start()
        try:
            assert buffer.wait_for(4.0, timeout=30), "the ring did not start"
            process = buffer._process
            assert process is not None
            start_cpu, start_wall, start_span = cpu_seconds(process.pid), time.monotonic(), buffer.span()[1]
            time.sleep(seconds)
            cpu, wall = cpu_seconds(process.pid) - start_cpu, time.monotonic() - start_wall
            span = buffer.span()[1] - start_span
            size = buffer.size()
            total = buffer.span()[1] - buffer.span()[0]
        finally:
            buffer.clear()
            server.kill()
            server.wait()
    load = os.getloadavg()
    sys.stdout.write(f"ring ffmpeg CPU {100 * cpu / wall:.2f} % of one core over {wall:.0f} s; "
                     f"disk {size / total * 60 / 2**20:.1f} MiB per minute ({size / 2**20:.1f} MiB for {total:.0f} s, "
                     f"{span:.0f} s buffered while measured); load {load[0]:.2f} {load[1]:.2f}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
