"""Reading libVLC log lines: HTTP status codes and the decoder libVLC chose."""

from __future__ import annotations

import threading

import pytest

from settop.player.libvlc_ffi import LogFacts, LogPipe, may_hold_facts, read_log_line


@pytest.mark.parametrize(("line", "facts"), [
    ("HTTP 403 error", LogFacts(http_status=403)),
    ("HTTP answer code 404", LogFacts(http_status=404)),
    ("error: HTTP/1.1 401 Unauthorized", LogFacts(http_status=401)),
    ("HTTP/1.1 404 Not Found", LogFacts(http_status=404)),
    ("incoming response:\nHTTP/1.1 503 Service Unavailable\nServer: x", LogFacts(http_status=503)),
    ("HTTP/1.1 200 OK", LogFacts(http_status=200)),
    ("GET /live/s1.ts HTTP/1.1", LogFacts()),
    ("connection failed: Connection refused", LogFacts(network="refused")),
    ("cannot resolve tv.invalid port 80 : Name or service not known", LogFacts(network="dns")),
    ("connection failed: Connection timed out", LogFacts(network="timeout")),
    ('using hw decoder module "vaapi"', LogFacts(hw_decoder="vaapi")),
    ('using video decoder module "avcodec"', LogFacts(video_decoder="avcodec")),
    ("no hw decoder modules matched", LogFacts()),
    ("Decoder wait done in 20 ms", LogFacts()),
], ids=["http-error", "answer-code", "status-line", "response-line", "response-dump", "ok", "request-line", "refused",
        "dns", "timeout", "hw", "software", "no-hw", "other"])
def test_read_log_line(line: str, facts: LogFacts) -> None:
    assert read_log_line(line) == facts


@pytest.mark.parametrize(("fmt", "expected"), [
    (b"HTTP %d error", True), (b'using %s module "%s"', True), (b"connection failed: %s", True),
    (b"Buffering %d%%", False),
], ids=["http", "module", "network", "chatter"])
def test_only_lines_that_may_hold_facts_are_formatted(fmt: bytes, expected: bool) -> None:
    assert may_hold_facts(fmt) is expected


def test_log_pipe_hands_libvlc_lines_over_and_closes() -> None:
    vlc = pytest.importorskip("vlc")
    instance = vlc.Instance(["--aout=adummy", "--vout=dummy", "--no-xlib"])
    lines: list[str] = []
    seen = threading.Event()

    def on_line(text: str) -> None:
        lines.append(text)
        if "nonexistent-settop" in text:
            seen.set()

    pipe = LogPipe(vlc.dll, instance, on_line)
    player = instance.media_player_new()
    try:
        player.set_media(instance.media_new("file:///nonexistent-settop/stream.ts"))
        player.play()
        assert seen.wait(10), lines[-20:]
        assert all("\n" not in line for line in lines)
    finally:
        pipe.close()
        player.stop()
        player.release()
        instance.release()
    count = len(lines)
    pipe.drain()  # closed: nothing more arrives, and nothing breaks
    assert len(lines) == count
