"""Does libVLC's own timeshift hold a paused live stream? Pause a loopback live stream for N seconds and look.

Usage: .venv/bin/python scripts/timeshift_probe.py SECONDS http|udp|hls  (prints one JSON line)

The stream is made by ffmpeg in real time (320x180 testsrc + tone, 300 kbit/s): MPEG-TS over HTTP from a small
server that, like IPTV restreamers, drops a client more than ~4 MiB behind; MPEG-TS over UDP; or a live HLS window
of six 2-second segments. libVLC plays it with --input-timeshift-path set; after 10 s the probe pauses, samples the
timeshift folder, resumes, and records get_time() every 2 s, then tries a 10 s step back.

Results, 2026-12-04 (libVLC 3.0.24, loopback, pause of 1800 s):
- No run wrote a byte to the timeshift folder (0 files at 5, 10, ... 30 min): libVLC 3's timeshift (the es_out
  timeshift in src/input/es_out_timeshift.c) only starts when the input cannot pause, and the http, udp and
  adaptive (HLS) inputs all report that they can (can_pause = 1 in every run), so libVLC just stops reading.
- HTTP TS: the server dropped the paused client 166 s into the pause (its 4 MiB backlog full); on resume
  libVLC played on from the paused point (9.7 s, then 11.7, 13.7, ...) out of what the socket and its own cache
  still held, then the connection was gone. A 30-minute span is not held.
- UDP TS: resumed at 9.1 s and went on; what the kernel's socket buffer did not hold was lost.
- HLS: after 30 min libVLC resumed at the live edge (get_time 1808 s): the paused segments had left the
  playlist window; the place is lost.
- A 10 s step back (set_time) never went back in any run (HTTP 29.8 -> 34.7 s, UDP 29.1 -> 33.0 s,
  HLS 1827 -> 1834 s); and even where the es_out timeshift engages, it only pauses and resumes (a FIFO of
  commands in temporary files), with no seeking inside the buffer.
So pause and rewind of live TV needs settop's own buffer (for instance ffmpeg -c copy writing a ring of short
segments and a local playlist that libVLC plays and seeks in).
"""

import functools
import http.server
import json
import os
import queue
import shutil
import subprocess
import sys
import threading
import time

import vlc

PAUSE = int(sys.argv[1])
kind = sys.argv[2]
base = f"/tmp/settop-timeshift-probe/{kind}{PAUSE}"
shutil.rmtree(base, ignore_errors=True)
os.makedirs(base + "/www")
os.makedirs(base + "/buf")
port = {"http": 18710, "udp": 18711, "hls": 18712}[kind] + (PAUSE % 7) * 3
src = [
    "-re",
    "-f",
    "lavfi",
    "-i",
    "testsrc=s=320x180:r=25",
    "-f",
    "lavfi",
    "-i",
    "sine=f=440:sample_rate=48000",
    "-c:v",
    "libx264",
    "-preset",
    "ultrafast",
    "-b:v",
    "300k",
    "-g",
    "25",
    "-pix_fmt",
    "yuv420p",
    "-c:a",
    "aac",
    "-b:a",
    "32k",
]
ff = ["ffmpeg", "-hide_banner", "-loglevel", "error", *src]
clients = []
drops = []
if kind == "http":
    enc = subprocess.Popen([*ff, "-f", "mpegts", "-"], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE)

    def pump():
        while True:
            data = enc.stdout.read(65536)
            if not data:
                break
            for q in list(clients):
                if q.qsize() > 64:
                    clients.remove(q)
                    q.put(None)
                    drops.append(round(time.time() - T0))  # > ~4 MiB behind: dropped, as restreamers do
                else:
                    q.put(data)

    threading.Thread(target=pump, daemon=True).start()

    class H(http.server.BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "video/mp2t")
            self.end_headers()
            q = queue.Queue()
            clients.append(q)
            while (d := q.get()) is not None:
                try:
                    self.wfile.write(d)
                except OSError:
                    return

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", port), H)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{port}/live.ts"
elif kind == "udp":
    enc = subprocess.Popen([*ff, "-f", "mpegts", f"udp://127.0.0.1:{port}?pkt_size=1316"], stdin=subprocess.DEVNULL)
    url = f"udp://@127.0.0.1:{port}"
else:
    enc = subprocess.Popen(
        [
            *ff,
            "-f",
            "hls",
            "-hls_time",
            "2",
            "-hls_list_size",
            "6",
            "-hls_flags",
            "delete_segments",
            base + "/www/index.m3u8",
        ],
        stdin=subprocess.DEVNULL,
    )

    class Q(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *a):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(Q, directory=base + "/www"))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{port}/index.m3u8"
T0 = time.time()
time.sleep(8)
inst = vlc.Instance(
    [
        "--no-xlib",
        "--vout=dummy",
        "--aout=dummy",
        f"--input-timeshift-path={base}/buf",
        "--input-timeshift-granularity=52428800",
        "--quiet",
    ]
)
mp = inst.media_player_new()
mp.set_media(inst.media_new(url))
mp.play()
t0 = time.time()
while mp.get_state() != vlc.State.Playing and time.time() - t0 < 20:
    time.sleep(0.2)
time.sleep(10)
out = {
    "kind": kind,
    "pause_s": PAUSE,
    "can_pause": mp.can_pause(),
    "seekable": mp.is_seekable(),
    "time_before_pause_ms": mp.get_time(),
}
mp.set_pause(1)
paused_at = time.time()
samples = []
while time.time() - paused_at < PAUSE:
    time.sleep(min(300, PAUSE / 4))
    files = os.listdir(base + "/buf")
    size = sum(os.path.getsize(os.path.join(base + "/buf", f)) for f in files)
    samples.append((round(time.time() - paused_at), len(files), size, str(mp.get_state())))
out["buffer_samples"] = samples
out["state_before_resume"] = str(mp.get_state())
out["time_at_resume_ms"] = mp.get_time()
mp.set_pause(0)
r = time.time()
trace = []
for _ in range(10):
    time.sleep(2)
    trace.append((round(time.time() - r), mp.get_time(), str(mp.get_state())))
out["after_resume"] = trace
t = mp.get_time()
mp.set_time(max(0, t - 10000))
time.sleep(4)
out["set_time_minus_10s"] = (t, mp.get_time())
out["wall"] = round(time.time() - t0)
out["server_dropped_client_at_s"] = drops
out["paused_at_s"] = round(paused_at - T0)
print(json.dumps(out), flush=True)
mp.stop()
enc.terminate()
enc.wait()
