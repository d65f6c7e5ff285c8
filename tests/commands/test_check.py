"""`settop check`: per-channel status and reasons, JSON output, exit codes, no secrets, Ctrl-C stops cleanly."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest

from settop.cli import main
from tests.helpers.faultserver import FaultServer, wait_until

MASTER = b"#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=2500000,RESOLUTION=1280x720\nmedia.m3u8\n"
MEDIA = b"#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\nseg1.ts\n"


@pytest.fixture(scope="module")
def server() -> Iterator[FaultServer]:
    with FaultServer() as running:
        yield running


@pytest.fixture
def playlist(server: FaultServer, tmp_path: Path) -> Path:
    server.reset()
    server.files.update({"master.m3u8": (MASTER, "application/vnd.apple.mpegurl"),
                         "media.m3u8": (MEDIA, "application/vnd.apple.mpegurl"),
                         "page.html": (b"<html>login</html>", "text/html")})
    entries = [
        ("HLS One", server.url("/file/master.m3u8")),
        ("TS Two", server.url("/stream.ts")),
        ("Gone", server.url("/status/404")),
        ("Web Page", server.url("/file/page.html")),
        ("Secret", server.url("/live/alice/Q7secret/3.ts", userinfo="bob:Q7pw")),
        ("Camera", "rtsp://127.0.0.1:9/cam"),
        ("TS Again", server.url("/stream.ts")),
    ]
    path = tmp_path / "list.m3u"
    numbers = {"HLS One": ' tvg-chno="101"', "Camera": ' tvg-chno="7"'}  # the others have none
    path.write_text("#EXTM3U\n" + "".join(f"#EXTINF:-1{numbers.get(name, '')},{name}\n{url}\n"
                                         for name, url in entries))
    return path


def test_text_report(playlist: Path, server: FaultServer, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", str(playlist), "--parallel", "3", "--timeout", "2"])
    out, err = capsys.readouterr()
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith("Checking 7 channels of list.m3u (3 at a time")
    # a channel goes by its own number (tvg-chno), one without by its place in the file
    assert lines[1].startswith("OK     101  HLS One") and "hls 1280x720 2.5 Mbit/s" in lines[1]
    assert lines[2].startswith("OK      #2  TS Two") and "mpegts" in lines[2]
    assert lines[3].startswith("DEAD    #3  Gone") and "HTTP 404 Not Found" in lines[3]
    assert lines[4].startswith("DEAD    #4  Web Page") and "web page" in lines[4]
    assert lines[5].startswith("DEAD    #5  Secret")
    assert lines[6].startswith("SKIP     7  Camera")
    assert lines[-1].startswith("7 channels: 3 ok, 3 dead, 1 skipped")
    assert "2 HTTP status" in lines[-1] and "1 not a stream" in lines[-1]
    assert "Q7" not in out + err
    assert server.counts["/stream.ts"] == 1  # listed twice, probed once


def test_json_report(playlist: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", str(playlist), "--json", "--timeout", "2"])
    out, _ = capsys.readouterr()
    report = json.loads(out)
    assert code == 1
    channels = report["channels"]
    assert [c["status"] for c in channels] == ["ok", "ok", "error", "error", "error", "skipped", "ok"]
    assert [c["number"] for c in channels] == ["101", "", "", "", "", "7", ""]
    assert [c["index"] for c in channels] == [1, 2, 3, 4, 5, 6, 7]
    assert channels[0]["variants"] == [{"bandwidth": 2500000, "resolution": "1280x720", "codecs": "",
                                        "frame_rate": None}]
    assert channels[0]["ttfb_ms"] is not None
    assert (channels[2]["error_kind"], channels[2]["http_status"]) == ("http", 404)
    assert channels[3]["error_kind"] == "not_stream"
    assert channels[4]["url"].endswith("/live/***/***/3.ts")
    assert report["summary"]["ok"] == 3 and report["summary"]["dead"] == 3
    assert "Q7" not in out


def test_all_ok_exits_zero(server: FaultServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "ok.m3u"
    path.write_text(f"#EXTM3U\n#EXTINF:-1,TS\n{server.url('/stream.ts')}\n")
    assert main(["check", str(path)]) == 0
    assert "1 channel: 1 ok, 0 dead" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("source", "fragment"),
    [("/no/such/list.m3u", "File not found: /no/such/list.m3u"),
     ("http://bob:Q7pw@127.0.0.1:{port}/status/401?password=Q7q", "HTTP 401 Unauthorized")],
    ids=["missing-file", "401-with-secrets"],
)
def test_unreadable_playlist(server: FaultServer, source: str, fragment: str,
                             capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", source.format(port=server.port)])
    out, err = capsys.readouterr()
    assert code == 2
    assert fragment in err
    assert err.startswith("settop check: error:")
    assert "Q7" not in out + err
    assert "Traceback" not in err


def test_ctrl_c_stops_cleanly(server: FaultServer, tmp_path: Path) -> None:
    server.reset()
    path = tmp_path / "slow.m3u"
    path.write_text("#EXTM3U\n" + "".join(
        f"#EXTINF:-1,Slow {n}\n{server.url(f'/slow-headers?delay=30&n={n}')}\n" for n in range(6)))
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-m", "settop", "check", str(path), "--parallel", "2",
                             "--timeout", "30"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert wait_until(lambda: server.counts["/slow-headers"] >= 2, timeout=20)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130
    assert "interrupted" in out
    assert "Traceback" not in err
    assert server.counts["/slow-headers"] == 2  # queued probes were dropped, not started


def test_ctrl_c_ends_a_100000_entry_check_within_seconds(server: FaultServer, tmp_path: Path) -> None:
    """Issue 18: on 100,000 entries `check` printed "interrupted" and never exited (workers stuck in set_result)."""
    server.reset()
    path = tmp_path / "huge.m3u"
    slow = server.url("/slow-headers?delay=30&n=")
    path.write_text("#EXTM3U\n" + "".join(f"#EXTINF:-1,S{n}\n{slow}{n}\n" for n in range(100_000)))
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-m", "settop", "check", str(path), "--parallel", "8",
                             "--timeout", "30"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert wait_until(lambda: server.counts["/slow-headers"] >= 8, timeout=60)
        proc.send_signal(signal.SIGINT)
        sent = time.monotonic()
        out, err = proc.communicate(timeout=15)
        took = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 130, err
    assert took < 3.0, f"ended {took:.1f} s after Ctrl-C"
    assert "interrupted after 0 of 100000" in out
    assert "Traceback" not in err


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_memory_does_not_grow_with_the_playlist(as_json: bool, tmp_path: Path) -> None:
    """Issue 18: `check` on a million entries took 887 MB. The playlist is read in pieces and the probes stream
    through a bounded window, so ten times the entries cost only their text, not ten times the memory.

    rtsp:// entries are answered "skipped" at once by the real prober, so this runs the whole pipeline quickly.
    """
    from settop.commands import check

    peaks = []
    for count in (2_000, 20_000):
        path = tmp_path / f"list{count}.m3u"
        path.write_text("#EXTM3U\n" + "".join(f"#EXTINF:-1,C{n}\nrtsp://127.0.0.1:9/{n}\n" for n in range(count)))
        size = path.stat().st_size
        tracemalloc.start()
        try:
            args = argparse.Namespace(playlist=str(path), parallel=8, timeout=1.0, json=as_json, show_secrets=False)
            with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
                assert check.run(args) == 0
            peaks.append(tracemalloc.get_traced_memory()[1] - 3 * size)  # the bytes, the text, one copy of a piece
        finally:
            tracemalloc.stop()
    assert peaks[1] < peaks[0] + 1_500_000, peaks  # the results kept for duplicates grow to their cap


@pytest.mark.parametrize("name", ["kitchen_sink.m3u", "header_defaults.m3u", "groups.m3u", "options.m3u"])
@pytest.mark.parametrize("chunk", [1, 2, 7])
@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_reading_in_pieces_gives_the_same_channels(name: str, chunk: int, ending: str) -> None:
    from settop.commands.check_source import decoded
    from settop.core.playlist.m3u import parse

    path = Path(__file__).parents[1] / "data" / "m3u" / name
    text = "\n".join(path.read_text(encoding="utf-8").splitlines()).replace("\n", ending)
    whole = parse(text, base_url=str(path))
    pieces = list(decoded(text.encode(), str(path), False).channels(chunk))
    assert [(c.name, c.url, c.headers, c.vlc_options, c.catchup) for c in pieces] == \
        [(c.name, c.url, c.headers, c.vlc_options, c.catchup) for c in whole.channels]
