"""The demo: ffmpeg-made channels served as valid live and catch-up HLS, a playlist, and a guide covering now."""

from __future__ import annotations

import ctypes
import http.client
import io
import itertools
import shutil
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import m3u8
import pytest

from settop.demo.assets import CHANNELS, SEGMENTS, DemoAssets, DemoError, make_demo
from settop.demo.content import channel_id, programmes
from settop.demo.server import WINDOW, DemoServer
from settop.demo.tsloop import continuity_breaks, timestamps


class Clock:
    """A settable clock so sliding-window tests never sleep."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(1_800_000_001.0)


@pytest.fixture
def server(demo_assets: DemoAssets, clock: Clock) -> Iterator[DemoServer]:
    with DemoServer(demo_assets, clock=clock) as running:
        yield running


def get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return bytes(response.read())


def test_assets_are_complete(demo_assets: DemoAssets) -> None:
    assert [c.spec.slug for c in demo_assets.channels] == [s.slug for s in CHANNELS]
    for channel in demo_assets.channels:
        assert len(channel.segments) == SEGMENTS
        assert all(p.read_bytes()[:1] == b"\x47" for p in channel.segments)
        assert channel.logo.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    total = sum(p.stat().st_size for c in demo_assets.channels for p in (*c.segments, c.logo))
    assert total < 8 * 1024 * 1024


def test_cached_demo_is_reused_without_ffmpeg(demo_assets: DemoAssets, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert make_demo(demo_assets.root.parent) == demo_assets


def test_missing_ffmpeg_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("shutil.which", lambda name: None)
    with pytest.raises(DemoError, match="ffmpeg"):
        make_demo(tmp_path)


def test_live_playlist_slides_with_time(server: DemoServer, clock: Clock) -> None:
    url = f"{server.base_url}/live/bars/index.m3u8"
    first = m3u8.loads(get(url).decode(), uri=url)
    assert not first.is_endlist and first.target_duration == 2
    assert len(first.segments) == WINDOW
    assert all(s.duration == 2.0 for s in first.segments)
    clock.now += 2
    second = m3u8.loads(get(url).decode(), uri=url)
    assert second.media_sequence == first.media_sequence + 1
    assert second.segments[0].uri == first.segments[1].uri


def test_segments_join_into_one_continuous_stream(server: DemoServer, clock: Clock) -> None:
    url = f"{server.base_url}/live/testcard/index.m3u8"
    seen: dict[str, bytes] = {}
    for _step in range(SEGMENTS + 2):  # crosses at least one repeat of the loop
        for segment in m3u8.loads(get(url).decode(), uri=url).segments:
            seen.setdefault(segment.absolute_uri, b"")
        clock.now += 2
    ordered = sorted(seen, key=lambda u: int(u.rsplit("/", 1)[1].removesuffix(".ts")))
    stream = b"".join(get(u) for u in ordered)
    assert continuity_breaks(stream) == 0
    pts = timestamps(stream)
    assert len(pts) == 3  # video and two audio tracks
    for values in pts.values():
        assert all(b > a for a, b in itertools.pairwise(values))


def test_catchup_serves_vod(server: DemoServer, clock: Clock) -> None:
    start, end = int(clock.now) - 3600, int(clock.now) - 1800
    url = f"{server.base_url}/live/fractal/index.m3u8?start={start}&end={end}"
    playlist = m3u8.loads(get(url).decode(), uri=url)
    assert playlist.is_endlist and playlist.playlist_type == "vod"
    assert abs(sum(s.duration for s in playlist.segments) - (end - start)) <= 4
    body = get(playlist.segments[0].absolute_uri) + get(playlist.segments[1].absolute_uri)
    assert continuity_breaks(body) == 0


@pytest.mark.parametrize(
    "path",
    ["/live/fractal/index.m3u8?start=x", "/live/nothing/index.m3u8", "/logos/nothing.png", "/etc/passwd",
     "/live/bars/x.ts", "/live/fractal/index.m3u8?start=1800000100&end=1800000200"],
    ids=["bad-start", "no-channel", "no-logo", "outside", "bad-segment", "future"],
)  # fmt: skip
def test_unknown_paths_are_404(server: DemoServer, path: str) -> None:
    with pytest.raises(urllib.error.HTTPError) as caught:
        get(server.base_url + path)
    assert caught.value.code == 404


def test_keep_alive_and_head(server: DemoServer) -> None:
    host, port = server.base_url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        for path in ("/demo.m3u", "/logos/bars.png", "/guide.xml"):
            connection.request("GET", path)
            response = connection.getresponse()
            assert response.status == 200 and len(response.read()) == int(response.headers["Content-Length"])
        connection.request("HEAD", "/logos/bars.png")
        response = connection.getresponse()
        assert response.status == 200 and response.read() == b""
        assert response.headers["Content-Type"] == "image/png"
    finally:
        connection.close()


def test_guide_covers_now(server: DemoServer, clock: Clock) -> None:
    from settop.core.guide.xmltv import XmltvReader
    from settop.core.models import GuideChannel, Programme

    items = list(XmltvReader().read(io.BytesIO(get(server.guide_url))))
    channels = {i.id for i in items if isinstance(i, GuideChannel)}
    assert channels == {channel_id(s) for s in CHANNELS}
    programmes = [i for i in items if isinstance(i, Programme)]
    for spec in CHANNELS:
        mine = sorted((p for p in programmes if p.channel_id == channel_id(spec)), key=lambda p: p.start)
        assert mine[0].start <= clock.now - 86_400 and mine[-1].stop >= clock.now + 86_400
        assert all(a.stop == b.start for a, b in itertools.pairwise(mine))  # no gaps or overlaps
        now = [p for p in mine if p.start <= clock.now < p.stop]
        assert len(now) == 1 and now[0].title and now[0].desc and now[0].categories and now[0].episode


def test_guide_programmes_do_not_change_as_time_passes(clock: Clock) -> None:
    for spec in CHANNELS:
        before = {p.start: p for p in programmes(spec, clock.now)}
        after = {p.start: p for p in programmes(spec, clock.now + 5 * 3600)}
        shared = before.keys() & after.keys()
        assert len(shared) > 40 and all(before[k] == after[k] for k in shared)


def test_playlist_parses(server: DemoServer) -> None:
    from settop.core.playlist.m3u import parse

    playlist = parse(get(server.playlist_url).decode(), base_url=server.playlist_url, remote=True)
    assert playlist.warnings == ()
    assert playlist.epg_urls == (server.guide_url,)
    assert [(c.number, c.name) for c in playlist.channels] == [(s.number, s.name) for s in CHANNELS]
    assert all(c.logo.startswith(server.base_url) and c.groups and c.tvg_id for c in playlist.channels)
    catchup = [c for c in playlist.channels if c.catchup]
    assert len(catchup) == 1 and catchup[0].catchup is not None
    assert catchup[0].catchup.mode == "append" and "{utc}" in catchup[0].catchup.source


def test_stop_closes_open_connections(demo_assets: DemoAssets) -> None:
    server = DemoServer(demo_assets)
    server.start()
    host, port = server.base_url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request("GET", "/demo.m3u")
    connection.getresponse().read()
    server.stop()
    with pytest.raises((ConnectionError, http.client.HTTPException, OSError)):
        connection.request("GET", "/demo.m3u")
        connection.getresponse()
    connection.close()


@pytest.mark.vlc
def test_libvlc_plays_the_live_demo(server: DemoServer, clock: Clock) -> None:
    """Real libVLC decodes a first frame of the live demo into our own buffer (no window needed)."""
    vlc = pytest.importorskip("vlc")
    clock.now = time.time()
    width, height = 640, 360
    buffer = (ctypes.c_ubyte * (width * height * 4))()
    shown = threading.Event()

    @vlc.CallbackDecorators.VideoLockCb  # type: ignore[untyped-decorator]  # python-vlc's ctypes prototypes
    def lock(opaque: object, planes: Any) -> None:
        planes[0] = ctypes.cast(buffer, ctypes.c_void_p)

    @vlc.CallbackDecorators.VideoDisplayCb  # type: ignore[untyped-decorator]
    def display(opaque: object, picture: object) -> None:
        shown.set()

    instance = vlc.Instance(["--aout=dummy", "--no-video-title-show", "--quiet"])
    player = instance.media_player_new()
    player.video_set_callbacks(lock, None, display, None)
    player.video_set_format("RV32", width, height, width * 4)
    player.set_media(instance.media_new(f"{server.base_url}/live/testcard/index.m3u8"))
    try:
        player.play()
        assert shown.wait(20), f"no first frame; state {player.get_state()}"
        assert any(buffer[i] for i in range(0, len(buffer), 997))
    finally:
        player.stop()
        player.release()
        instance.release()
