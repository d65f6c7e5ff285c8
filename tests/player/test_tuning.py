"""Playback settings reach real libVLC: network buffer, reconnect attempts, picture shape and deinterlacing."""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("vlc")

import vlc

from settop.core.state.settings import Settings
from settop.player.base import PlayerEvent
from settop.player.tuning import appliers, apply_at_start, player_options
from tests.helpers.streamserver import StreamServer
from tests.player.conftest import Rig, make_rig

pytestmark = pytest.mark.vlc


def settings_with(**values: Any) -> Settings:
    settings = Settings()
    for name, value in values.items():
        settings.set(name.replace("__", "."), value)
    return settings


def rig_for(qtbot: Any, settings: Settings, **extra: Any) -> Iterator[Rig]:
    options = player_options(settings)
    options.pop("hw_decoding")
    for rig in make_rig(qtbot, **options, **extra):
        apply_at_start(rig.player, settings)
        yield rig


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    reached: list[tuple[str, int]] = []
    real_add = vlc.Media.add_option_flag

    def record(media: Any, option: str, flags: int) -> Any:
        reached.append((option, flags))
        return real_add(media, option, flags)

    monkeypatch.setattr(vlc.Media, "add_option_flag", record)
    return reached


def test_network_caching_reaches_libvlc_and_a_change_applies_at_the_next_tune(
        qtbot: Any, server: StreamServer, spy: list[tuple[str, int]]) -> None:
    for rig in rig_for(qtbot, settings_with(playback__network_caching_ms=2500)):
        request = rig.play(server.live_url("ch1"))
        rig.wait_frame(request)
        assert (":network-caching=2500", 2) in spy
        appliers(rig.player)["playback.network_caching_ms"](700)
        spy.clear()
        mark = rig.events.mark()
        rig.wait_frame(rig.play(server.live_url("ch2")), since=mark)
        assert [o for o, _f in spy if o.startswith(":network-caching")] == [":network-caching=700"]
        # a playlist's own value for its channel wins over the setting
        spy.clear()
        mark = rig.events.mark()
        rig.wait_frame(rig.play(server.live_url("ch3"), options=("network-caching=300",)), since=mark)
        assert [o for o, _f in spy if o.startswith(":network-caching")] == [":network-caching=300"]


def _is(kind: str) -> Any:
    return lambda event: event.kind == kind


@pytest.mark.parametrize("attempts", [1, 3], ids=["one-retry", "three-retries"])
def test_reconnect_attempts_is_the_number_of_retries_made(qtbot: Any, server: StreamServer, attempts: int) -> None:
    settings = settings_with(playback__reconnect_attempts=5, playback__stall_seconds=2)
    for rig in rig_for(qtbot, settings, open_timeout_s=5.0):
        appliers(rig.player)["playback.reconnect_attempts"](attempts)  # changed on the settings screen
        # the count comes from the setting; the waits are shortened to keep the test quick
        rig.player._policy.delays = tuple(0.1 for _ in rig.player._policy.delays)
        request = rig.play(server.live_url("ch1"), live=True)
        rig.wait_frame(request)
        mark = rig.events.mark()
        asked = len(server.requests("/live/ch1/index.m3u8"))
        server.fail("/live/ch1/*", 503)
        error = rig.events.wait_for(_is("error"), timeout=20, since=mark)
        assert error is not None, rig.events.kinds(mark)
        retries = [e for e in rig.events.events[mark:] if e.kind == "reconnecting"]
        assert [(e.attempt, e.attempts) for e in retries] == [(n, attempts) for n in range(1, attempts + 1)]
        # each retry opened the stream again: the server saw the playlist asked for once more per retry at least
        assert len(server.requests("/live/ch1/index.m3u8")) - asked >= attempts


def test_reconnect_attempts_zero_gives_up_at_once(qtbot: Any, server: StreamServer) -> None:
    settings = settings_with(playback__reconnect_attempts=0, playback__stall_seconds=2)
    for rig in rig_for(qtbot, settings, open_timeout_s=5.0):
        request = rig.play(server.live_url("ch1"), live=True)
        rig.wait_frame(request)
        mark = rig.events.mark()
        server.fail("/live/ch1/*", 503)
        error = rig.events.wait_for(_is("error"), timeout=20, since=mark)
        assert error is not None and "reconnecting" not in rig.events.kinds(mark)
        assert "Reconnecting failed" not in error.message


def test_a_saved_picture_shape_applies_at_start(qtbot: Any, server: StreamServer) -> None:
    for rig in rig_for(qtbot, settings_with(playback__aspect="4:3")):
        rig.wait_frame(rig.play(server.live_url("ch1")))
        assert rig.player._mp.video_get_aspect_ratio() == "4:3"
        appliers(rig.player)["playback.aspect"]("auto")
        assert rig.player._mp.video_get_aspect_ratio() is None


def _vout_deinterlace(caplog: pytest.LogCaptureFixture, since: int) -> list[str]:
    """libVLC's video output says at debug level which deinterlacing it runs: ``deinterlace -1, mode auto, ...``."""
    return [r.getMessage().split("deinterlace ", 1)[1].split(",")[0] for r in caplog.records[since:]
            if "deinterlace " in r.getMessage() and ", mode " in r.getMessage()]


def _has_vout_line(caplog: pytest.LogCaptureFixture, since: int) -> bool:
    return bool(_vout_deinterlace(caplog, since))


@pytest.mark.parametrize(("setting", "vout"), [("auto", "-1"), ("on", "1"), ("off", "0")])
def test_deinterlace_setting_reaches_the_video_output(qtbot: Any, server: StreamServer,
                                                      caplog: pytest.LogCaptureFixture, setting: str,
                                                      vout: str) -> None:
    caplog.set_level(logging.DEBUG, logger="settop.player.vlc")
    for rig in rig_for(qtbot, settings_with(playback__deinterlace=setting)):
        rig.wait_frame(rig.play(server.live_url("ch1")))
        qtbot.waitUntil(lambda: bool(_vout_deinterlace(caplog, 0)), timeout=5000)
        assert set(_vout_deinterlace(caplog, 0)) == {vout}


def test_deinterlace_back_to_auto_is_automatic_again(qtbot: Any, server: StreamServer,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="settop.player.vlc")
    for rig in rig_for(qtbot, settings_with(playback__deinterlace="on")):
        rig.wait_frame(rig.play(server.live_url("ch1")))
        qtbot.waitUntil(lambda: "1" in _vout_deinterlace(caplog, 0), timeout=5000)
        since = len(caplog.records)
        mark = rig.events.mark()
        appliers(rig.player)["playback.deinterlace"]("auto")  # the running channel opens again, automatic
        event: PlayerEvent | None = rig.events.wait_for(_is("first_frame"), since=mark)
        assert event is not None, rig.events.kinds(mark)
        qtbot.waitUntil(functools.partial(_has_vout_line, caplog, since), timeout=5000)
        assert set(_vout_deinterlace(caplog, since)) == {"-1"}
