"""Video surfaces (offscreen) and the player-to-Qt bridge."""

from __future__ import annotations

import logging
import threading
from typing import Any

import pytest
from PyQt6.QtCore import QThread
from PyQt6.QtWidgets import QLabel

from settop.player.base import PlayerEvent, PlayerState, PlayRequest
from settop.ui.bridge import PlayerBridge
from settop.ui.video import FramesSurface, choose_backend, make_surface
from tests.helpers.streams import stream_dir
from tests.helpers.streamserver import StreamServer
from tests.player.conftest import TEST_INSTANCE_OPTIONS, Recorder, closest_channel


@pytest.mark.parametrize(("setting", "platform", "chosen"), [
    ("auto", "xcb", "native"),
    ("auto", "windows", "native"),
    ("native", "xcb", "native"),
    ("auto", "offscreen", "frames"),
    ("auto", "wayland", "frames"),
    ("native", "minimal", "frames"),
    ("frames", "xcb", "frames"),
], ids=["auto-x11", "auto-windows", "native-x11", "auto-offscreen", "auto-wayland", "native-impossible", "frames"])
def test_choose_backend(setting: str, platform: str, chosen: str) -> None:
    backend, reason = choose_backend(setting, platform)
    assert backend == chosen
    assert reason


def test_auto_offscreen_makes_frames_and_says_why(qtbot: Any, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="settop.ui.video")
    surface = make_surface("auto")
    qtbot.addWidget(surface)
    assert isinstance(surface, FramesSurface)
    assert not surface.native
    assert any("offscreen" in r.getMessage() and r.levelno == logging.INFO for r in caplog.records)


@pytest.mark.allow_warnings("^native video is not possible here")
def test_native_setting_without_window_system_falls_back_with_warning(qtbot: Any,
                                                                      caplog: pytest.LogCaptureFixture) -> None:
    surface = make_surface("native")
    qtbot.addWidget(surface)
    assert isinstance(surface, FramesSurface)
    assert [r.levelno for r in caplog.records if r.name == "settop.ui.video"] == [logging.WARNING]


def test_frame_buffers_rotate_away_from_the_shown_one(qtbot: Any) -> None:
    surface = FramesSurface(frame_size=(4, 2))
    qtbot.addWidget(surface)
    shown = set()
    for _ in range(10):
        address = surface.lock_frame()
        assert address not in shown
        surface.unlock_frame(address)
        surface.show_frame(address)
        shown = {address}
    assert surface.latest_frame() is not None


def test_bridge_delivers_on_gui_thread_and_drops_replaced_requests(qtbot: Any) -> None:
    class Player:
        def __init__(self) -> None:
            self.request: PlayRequest | None = None
            self.listeners: list[Any] = []

        def add_listener(self, listener: Any) -> None:
            self.listeners.append(listener)

    player = Player()
    bridge = PlayerBridge(player)  # type: ignore[arg-type]
    old, new = PlayRequest("http://127.0.0.1/old"), PlayRequest("http://127.0.0.1/new")
    player.request = new
    received: list[tuple[PlayerEvent, bool]] = []
    bridge.event.connect(lambda e: received.append((e, QThread.currentThread() is bridge.thread())))

    def from_libvlc_thread() -> None:
        for request in (old, new, None):
            player.listeners[0](PlayerEvent("state", PlayerState.PLAYING, request))

    with qtbot.waitSignal(bridge.event, timeout=5000, check_params_cb=lambda e: e.request is None):
        worker = threading.Thread(target=from_libvlc_thread)
        worker.start()
        worker.join()
    assert [e.request for e, _ in received] == [new, None]
    assert all(on_gui for _, on_gui in received)


@pytest.mark.vlc
def test_frames_surface_paints_video_under_a_child_overlay(qtbot: Any) -> None:
    pytest.importorskip("vlc")
    from settop.player.vlc import VlcPlayer

    surface = FramesSurface(frame_size=(160, 90))
    qtbot.addWidget(surface)
    surface.resize(320, 180)
    overlay = QLabel("OSD", surface)  # overlays over frames are ordinary child widgets
    overlay.setStyleSheet("background: rgb(250, 220, 0); color: black;")
    overlay.setGeometry(200, 120, 100, 40)
    surface.show()
    player = VlcPlayer(TEST_INSTANCE_OPTIONS)
    events = Recorder()
    player.add_listener(events)
    try:
        with StreamServer(stream_dir()) as server:
            surface.attach(player)
            request = PlayRequest(server.live_url("ch3"))
            player.play(request)
            assert events.wait_for(lambda e: e.kind == "first_frame" and e.request is request) is not None
            qtbot.waitUntil(lambda: surface.frames > 0)
            image = surface.grab().toImage()
            video = image.pixelColor(20, 20)
            assert closest_channel((video.red(), video.green(), video.blue()))[0].number == 3
            osd = image.pixelColor(290, 155)
            assert (osd.red(), osd.green(), osd.blue()) == (250, 220, 0)
    finally:
        surface.detach()
        player.close()


def test_native_output_avoids_software_opengl_only_on_x11() -> None:
    from settop.ui.video import native_output

    assert native_output("llvmpipe (LLVM 15.0.6, 256 bits)", "xcb") == (
        ("--vout=xcb_x11",), "OpenGL is software (llvmpipe (LLVM 15.0.6, 256 bits)): libVLC's plain X11 output instead")
    assert native_output("", "xcb")[0] == ("--vout=xcb_x11",)
    assert native_output("NVIDIA GeForce GTX 1050/PCIe/SSE2", "xcb")[0] == ()
    assert native_output("llvmpipe", "windows")[0] == ()
