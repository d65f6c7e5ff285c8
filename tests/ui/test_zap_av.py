"""CH+ through the real dispatcher and real libVLC: sound from one channel at a time, and the old picture until the new.

Each test channel has a colour and a tone of its own (tests/helpers/streams.py). Every libVLC player the app makes
plays its sound into a tap (libVLC's audio callbacks) that keeps each buffer; a timer samples what the video surface
paints between the key press and the new channel's picture.
"""

from __future__ import annotations

import ctypes
import math
import threading
import time
from array import array
from typing import Any

import pytest
from PyQt6.QtCore import QPoint, Qt, QTimer

from settop.ui.video import FramesSurface, _fit
from tests.helpers.streams import CHANNELS
from tests.ui.conftest import load, press
from tests.ui.vlcfixtures import BLUE, GREEN, RED, showing, wait_picture, write_playlist

pytestmark = pytest.mark.vlc

RATE = 48000
TONES = {channel.tone_hz: channel.number for channel in CHANNELS}


class AudioTap:
    """Every libVLC player made while it is installed plays into it: (player index, time, samples) per buffer."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import vlc

        self.players: list[Any] = []
        self.buffers: list[tuple[int, float, bytes]] = []
        self._lock = threading.Lock()
        self._callbacks: list[Any] = []
        self._heard: list[tuple[int, float, set[int]]] = []  # analysed so far (GUI thread only)
        original = vlc.Instance.media_player_new

        def make(instance: Any, *args: Any) -> Any:
            player = original(instance, *args)
            index = len(self.players)

            @vlc.CallbackDecorators.AudioPlayCb  # type: ignore[untyped-decorator]
            def play(_data: int, samples: int, count: int, _pts: int) -> None:
                with self._lock:
                    self.buffers.append((index, time.monotonic(), ctypes.string_at(samples, count * 2)))

            player.audio_set_callbacks(play, None, None, None, None, None)
            player.audio_set_format("S16N", RATE, 1)
            self.players.append(player)
            self._callbacks.append(play)  # ctypes callbacks must outlive the player
            return player

        monkeypatch.setattr(vlc.Instance, "media_player_new", make)

    def channels(self, since: float = 0.0) -> list[tuple[int, float, set[int]]]:
        """(player, time, the test channels whose tone the buffer holds) for each buffer with sound after ``since``."""
        with self._lock:
            buffers = list(self.buffers)
        for player, at, data in buffers[len(self._heard) :]:
            self._heard.append((player, at, tones_in(data)))
        return [h for h in self._heard if h[1] >= since and h[2]]

    def last_channel(self) -> int | None:
        heard = self.channels(time.monotonic() - 0.3)
        return next(iter(heard[-1][2])) if heard and len(heard[-1][2]) == 1 else None


def tones_in(data: bytes) -> set[int]:
    """The test channels whose tone carries at least a fifth of the buffer's energy (Goertzel per tone)."""
    samples = array("h", data)
    energy = sum(s * s for s in samples)
    if len(samples) < 256 or energy < len(samples) * 100**2:  # silence or too short to tell
        return set()
    found = set()
    for hz, number in TONES.items():
        coefficient = 2 * math.cos(2 * math.pi * hz / RATE)
        before = earlier = 0.0
        for sample in samples:
            before, earlier = sample + coefficient * before - earlier, before
        power = before * before + earlier * earlier - coefficient * before * earlier
        if power * 2 / len(samples) > 0.2 * energy:
            found.add(number)
    return found


def runs(values: list[Any]) -> list[Any]:
    return [v for i, v in enumerate(values) if i == 0 or values[i - 1] != v]


def test_zapping_never_plays_two_channels_sound(qtbot: Any, vlc_app: Any, stream_server: Any, tmp_path: Any,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    tap = AudioTap(monkeypatch)
    app = vlc_app()
    load(qtbot, app, write_playlist(tmp_path, stream_server))
    wait_picture(qtbot, app, RED)
    qtbot.waitUntil(lambda: tap.last_channel() == 1, timeout=15000)
    presses = []
    for key, colour, number in ((Qt.Key.Key_Up, GREEN, 2), (Qt.Key.Key_Up, BLUE, 3), (Qt.Key.Key_Down, GREEN, 2),
                                (Qt.Key.Key_Down, RED, 1)):
        presses.append(time.monotonic())
        press(qtbot, app, key)
        wait_picture(qtbot, app, colour)
        qtbot.waitUntil(lambda number=number: tap.last_channel() == number, timeout=15000)
    heard = tap.channels()
    assert len(tap.players) == 1  # the app never makes a second libVLC player (nothing ahead decodes)
    assert all(len(tones) == 1 for _player, _at, tones in heard), "a buffer held two channels' sound"
    channels = [next(iter(tones)) for _player, _at, tones in heard]
    assert runs(channels) == [1, 2, 3, 2, 1]  # one channel after the other, never back to the one zapped away from
    starts = [at for i, (_player, at, _tones) in enumerate(heard) if i and channels[i] != channels[i - 1]]
    assert all(start > pressed for start, pressed in zip(starts, presses, strict=True))  # each only after its key


def test_the_old_picture_stays_until_the_new_one(qtbot: Any, vlc_app: Any, stream_server: Any, tmp_path: Any) -> None:
    app = vlc_app()
    load(qtbot, app, write_playlist(tmp_path, stream_server))
    surface = app.surface
    assert isinstance(surface, FramesSurface)
    wait_picture(qtbot, app, RED)
    painted: list[tuple[int, int, int]] = []

    def sample() -> None:  # what the surface paints now, where the corner of the picture is
        image = surface.grab().toImage()
        frame = surface.latest_frame()
        target = _fit(frame.size(), surface.rect()) if frame is not None else surface.rect()
        corner = QPoint(max(2, target.width() // 20), max(2, target.height() // 10))
        colour = image.pixelColor(target.topLeft() + corner)
        painted.append((colour.red(), colour.green(), colour.blue()))

    timer = QTimer()
    timer.timeout.connect(sample)
    surface.frame_shown.connect(sample, Qt.ConnectionType.QueuedConnection)  # type: ignore[call-arg]
    for key, old, new in ((Qt.Key.Key_Up, RED, GREEN), (Qt.Key.Key_Up, GREEN, BLUE), (Qt.Key.Key_Down, BLUE, GREEN)):
        painted.clear()
        timer.start(5)
        press(qtbot, app, key)
        qtbot.waitUntil(lambda new=new: showing(app, new), timeout=15000)
        sample()
        timer.stop()
        assert len(painted) > 3
        near = ["old" if _distance(p, old) < _distance(p, new) else "new" for p in painted]
        assert all(min(_distance(p, old), _distance(p, new)) <= 60 for p in painted), (
            f"painted something else (black?) between the key and the new picture: {painted}")
        assert runs(near) in (["old", "new"], ["new"]), near  # the old picture, then the new one: never back
    surface.frame_shown.disconnect(sample)


def _distance(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    return float(sum((x - y) ** 2 for x, y in zip(a, b, strict=True)) ** 0.5)
