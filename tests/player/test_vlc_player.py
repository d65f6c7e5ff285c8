"""The libVLC player on real streams from a loopback server, drawing into a frames surface offscreen."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("vlc")

import vlc

from settop.player.base import PlayerState, PlayRequest
from settop.player.vlc import VlcPlayer
from tests.helpers.streams import CHANNELS
from tests.helpers.streamserver import StreamServer
from tests.player.conftest import TEST_INSTANCE_OPTIONS, Rig, make_rig

pytestmark = pytest.mark.vlc


@pytest.fixture
def rig(qtbot: Any) -> Iterator[Rig]:
    yield from make_rig(qtbot, stall_seconds=3.0)


@pytest.mark.parametrize("channel", CHANNELS, ids=lambda c: c.name)
def test_first_frame_shows_the_channel(rig: Rig, server: StreamServer, channel: Any) -> None:
    request = rig.play(server.live_url(channel.name), channel_key=channel.name)
    rig.wait_frame(request)
    number, distance = rig.channel_on_screen()
    assert number == channel.number
    assert distance < 40
    assert rig.player.state is PlayerState.PLAYING
    assert rig.events.wait_for(lambda e: e.kind == "tracks") is not None
    info = rig.player.stream_info()
    assert (info.width, info.height) == (160, 90)
    assert "H264" in info.video_codec
    assert info.decoder  # which decoder libVLC used, from its log


def test_zap_changes_the_picture(rig: Rig, server: StreamServer) -> None:
    for channel in (CHANNELS[0], CHANNELS[2], CHANNELS[1]):
        mark = rig.events.mark()
        request = rig.play(server.live_url(channel.name))
        rig.wait_frame(request, since=mark)
        assert rig.channel_on_screen()[0] == channel.number


@pytest.mark.parametrize("debounce", [0.0, 0.05], ids=["coalesce", "debounce"])
def test_burst_of_zaps_ends_on_the_last(qtbot: Any, server: StreamServer, debounce: float) -> None:
    for rig in make_rig(qtbot, zap_debounce_s=debounce):
        names = [CHANNELS[i % 3].name for i in range(6)]  # ends on ch3
        requests = [PlayRequest(server.live_url(name) + f"?zap={i}") for i, name in enumerate(names)]
        for request in requests:  # one GUI turn of CH+ presses
            rig.player.play(request)
        rig.wait_frame(requests[-1])
        assert rig.channel_on_screen()[0] == CHANNELS[2].number
        opened = [r for r in rig.events.events if r.kind == "first_frame"]
        assert [e.request for e in opened] == [requests[-1]]  # older requests report nothing
        fetched = {q for q in (_zap_id(r) for r in server.requests()) if q is not None}
        assert str(len(requests) - 1) in fetched
        assert len(fetched) <= (1 if debounce else 2), f"started {sorted(fetched)}"


def test_detach_stops_libvlc_using_the_surface(rig: Rig, server: StreamServer) -> None:
    request = rig.play(server.live_url("ch1"))
    rig.wait_frame(request)
    rig.surface.detach()  # returns once libVLC no longer writes into the surface's buffers
    assert rig.player.state is PlayerState.IDLE
    frames = rig.surface.frames
    mark = rig.events.mark()
    assert rig.events.wait_for(lambda e: e.kind == "first_frame", timeout=0.5, since=mark) is None
    assert rig.surface.frames == frames


def test_zap_while_opening_cancels_the_first(rig: Rig, server: StreamServer) -> None:
    server.delay("/live/ch1/index.m3u8", 1.5)  # channel 1 hangs while opening
    slow = rig.play(server.live_url("ch1"))
    assert server.wait_arrival("/live/ch1/index.m3u8")  # libVLC is inside the open of channel 1
    mark = rig.events.mark()
    fast = rig.play(server.live_url("ch2"))
    rig.wait_frame(fast)
    assert rig.channel_on_screen()[0] == 2
    assert all(e.request is not slow for e in rig.events.events[mark:])  # the cancelled one says nothing more
    assert rig.player.state is PlayerState.PLAYING
    assert not [e for e in rig.events.events if e.kind in ("error", "reconnecting", "ended")]


def test_hls_master_with_two_variants_plays(rig: Rig, server: StreamServer) -> None:
    request = rig.play(server.url("master/index.m3u8"))
    rig.wait_frame(request)
    assert rig.channel_on_screen()[0] == 1
    assert server.requests("/master/*/index.m3u8")  # a variant was chosen and fetched
    assert rig.events.wait_for(lambda e: e.kind == "tracks") is not None
    assert rig.player.stream_info().height in (90, 180)


def test_radio_without_video_reports_its_first_sound(rig: Rig, server: StreamServer) -> None:
    request = rig.play(server.url("radio.ts"))
    event = rig.events.wait_for(lambda e: e.kind == "first_frame" and e.request is request)
    assert event is not None, rig.events.kinds()
    assert rig.player.state is PlayerState.PLAYING
    assert rig.surface.latest_frame() is None  # nothing was drawn


def _zap_id(request: Any) -> str | None:
    return request.query.partition("zap=")[2] or None


def test_audio_track_switch_on_two_languages(qtbot: Any, server: StreamServer) -> None:
    for rig in make_rig(qtbot, audio_languages=("deu",)):
        request = rig.play(server.url("multi.mkv"), live=False)
        rig.wait_frame(request)
        assert rig.events.wait_for(lambda e: e.kind == "tracks") is not None
        tracks = rig.player.audio_tracks()
        languages = {t.language: t.id for t in tracks if t.id >= 0}
        assert set(languages) == {"eng", "deu"}
        assert rig.player.audio_track() == languages["deu"]  # the preferred language came first
        rig.player.set_audio_track(languages["eng"])
        assert rig.player.audio_track() == languages["eng"]
        subtitles = [t for t in rig.player.subtitle_tracks() if t.id >= 0]
        assert [t.language for t in subtitles] == ["eng"]


def test_server_drop_reconnects_and_resumes(rig: Rig, server: StreamServer, streams: Path) -> None:
    size = (streams / "ch2.ts").stat().st_size
    server.drop("/ch2.ts", after_bytes=size // 3)  # the connection breaks part-way...
    server.fail("/ch2.ts", 503)  # ...and the server stays away until the player notices
    request = rig.play(server.url("ch2.ts"))
    rig.wait_frame(request)
    reconnecting = rig.events.wait_for(lambda e: e.kind == "reconnecting", timeout=15)
    assert reconnecting is not None, rig.events.kinds()
    assert reconnecting.message == "Stream stopped; reconnecting 1/5"
    mark = rig.events.mark()
    server.clear()
    rig.wait_frame(request, since=mark)
    assert rig.channel_on_screen()[0] == 2
    assert rig.player.state is PlayerState.PLAYING
    assert "error" not in rig.events.kinds()


def test_frozen_live_playlist_is_a_stall(rig: Rig, server: StreamServer) -> None:
    request = rig.play(server.live_url("ch1"))
    rig.wait_frame(request)
    server.freeze("ch1")
    reconnecting = rig.events.wait_for(lambda e: e.kind == "reconnecting", timeout=20)
    assert reconnecting is not None, rig.events.kinds()
    mark = rig.events.mark()
    server.freeze("ch1", False)
    rig.wait_frame(request, since=mark, timeout=15)


def test_forbidden_gives_an_error_without_retry_loop(rig: Rig, server: StreamServer) -> None:
    server.fail("/live/ch1/*", 403)
    request = rig.play(server.live_url("ch1"))
    error = rig.events.wait_for(lambda e: e.kind == "error" and e.request is request)
    assert error is not None, rig.events.kinds()
    assert error.message == "The server refused access (HTTP 403)"
    assert error.retryable
    assert rig.player.state is PlayerState.ERROR
    first_requests = len(server.requests())
    # Longer than the first backoff step: a retry loop would have fetched again by now.
    assert rig.events.wait_for(lambda e: e.kind == "reconnecting", timeout=1.5) is None
    assert len(server.requests()) == first_requests <= 2
    assert "127.0.0.1" not in error.message


def test_hostile_playlist_options_never_reach_libvlc(rig: Rig, server: StreamServer,
                                                     monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    reached: list[tuple[str, int]] = []
    real_add = vlc.Media.add_option_flag

    def spy(media: Any, option: str, flags: int) -> Any:
        reached.append((option, flags))
        return real_add(media, option, flags)

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("trusted option path used")

    monkeypatch.setattr(vlc.Media, "add_option_flag", spy)
    monkeypatch.setattr(vlc.Media, "add_option", refuse)
    monkeypatch.setattr(vlc.Media, "add_options", refuse)
    dumped = tmp_path / "dump.ts"
    options = (
        f"sout=#std{{access=file,mux=ts,dst={dumped}}}",
        "demux-filter=record",
        f"input-slave={server.url('ch3.ts')}",
        "http-user-agent=Evil/1.0\r\nX-Injected: yes",
        "network-caching=300",
    )
    caplog.set_level(logging.DEBUG, logger="settop.player.vlc")
    request = rig.play(server.live_url("ch1"), options=options, headers=(("User-Agent", "settop-test/1.0"),))
    rig.wait_frame(request)
    assert reached == [
        (":network-caching=300", 0),
        (":http-user-agent=settop-test/1.0", 0),
        (":avcodec-hw=any", 2),  # the app's own setting, the only trusted one
    ]
    seen = server.requests()
    assert seen
    assert {r.headers.get("user-agent") for r in seen} == {"settop-test/1.0"}
    assert not any("x-injected" in r.headers for r in seen)
    assert not server.requests("/ch3.ts")
    assert not dumped.exists()
    assert not [r for r in caplog.records if "unsafe option" in r.getMessage()]
    assert rig.channel_on_screen()[0] == 1


def test_calls_after_close_are_harmless() -> None:
    player = VlcPlayer(TEST_INSTANCE_OPTIONS)
    player.close()
    assert player.audio_tracks() == [] and player.subtitle_tracks() == []
    assert (player.audio_track(), player.position()) == (-1, (0, 0))
    assert player.stream_info().width == 0
    player.set_volume(40)
    player.pause(True)
    player.set_video_target(None)
    player.close()
    assert player.volume() == 40


def test_the_player_says_which_libvlc_it_runs() -> None:
    """What the About page shows: libVLC's own version string, from the running player."""
    player = VlcPlayer(instance_options=("--aout=dummy",))
    try:
        version = player.version()
        assert version and version[0].isdigit() and version == vlc.libvlc_get_version().decode()
    finally:
        player.close()
