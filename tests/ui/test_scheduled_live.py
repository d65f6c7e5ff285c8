"""Scheduled recordings and late reminders with real streams: a schedule a few seconds ahead records a loopback
live TS with ffmpeg while real libVLC plays another channel, and the file has the scheduled length (ffprobe); a
reminder kept from before a restart, for a programme that has begun, offers "Watch from the start", which plays
the programme's catch-up URL from the loopback archive. Screenshots of that notice go to tmp_path (the ones in
docs/ come from scripts/shoot_recording.py)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
from PyQt6.QtCore import Qt

from settop import app as app_module
from settop.core.models import Programme
from settop.core.recording.schedule import DONE
from settop.core.timers import saved
from settop.core.timers.reminders import Reminder
from settop.player.base import PlayerState
from settop.ui.timers_view import NoticeScreen
from tests.core.recording.test_recorder import probe
from tests.helpers.livets import LiveTsServer
from tests.helpers.streamserver import StreamServer
from tests.ui.conftest import load, press
from tests.ui.guidefixtures import SLOT, make_store, title, vlc_guide_app, write_guide, write_playlist
from tests.ui.test_i18n_screens import language  # noqa: F401 - fixture
from tests.ui.test_timers import shoot
from tests.ui.vlcfixtures import RED, wait_picture


@pytest.fixture
def live_ts() -> Iterator[LiveTsServer]:
    with LiveTsServer() as server:
        yield server


def test_a_schedule_records_in_the_background_with_its_length(
        qtbot: Any, vlc_app: Callable[..., app_module.App], live_ts: LiveTsServer, stream_server: StreamServer,
        tmp_path: Path, *, settop_home: Path) -> None:
    playlist = tmp_path / "two.m3u"
    playlist.write_text(f"#EXTM3U\n#EXTINF:-1,Red One\n{stream_server.live_url('ch1')}\n"
                        f"#EXTINF:-1,Test Live\n{live_ts.url}\n", encoding="utf-8")
    app = vlc_app()
    scheduler = app.scheduler
    assert scheduler is not None
    app.settings.set("recording.pad_before_min", 0)
    app.settings.set("recording.pad_after_min", 0)
    load(qtbot, app, playlist)
    wait_picture(qtbot, app, RED)  # the viewer watches channel 1
    lineup = app.live.lineup
    assert lineup is not None
    channel = lineup.channels[1]
    start = round(time.time()) + 3
    programme = Programme("", start, start + 5, "Short News")
    assert scheduler.toggle(channel, programme) == "scheduled"
    assert live_ts.connections == 0
    with qtbot.waitSignal(scheduler.started, timeout=10000):
        pass
    assert time.time() >= start - 0.5  # started by the schedule's timer, at its time
    with qtbot.waitSignal(scheduler.finished, timeout=30000) as finished:
        pass
    _item, progress = finished.args
    assert progress.state == "done" and scheduler.items()[0].state == DONE, progress
    (path,) = progress.parts
    assert path.parent == settop_home / "recordings" and path.name.startswith("Test Live - Short News - ")
    duration, kinds = probe(path)
    assert 3.5 <= duration <= 6.5 and kinds == {"video", "audio"}, duration
    assert app.player.state is PlayerState.PLAYING and app.live.current == 0  # watching went on meanwhile
    assert saved.load(settop_home / "data" / saved.FILE_NAME).recordings[0].state == DONE


@pytest.mark.parametrize("code", ["en", "ar"])
def test_a_late_reminder_after_a_restart_watches_from_the_start(
        qtbot: Any, make_app: Callable[..., app_module.App], stream_server: StreamServer, tmp_path: Path, *,
        settop_home: Path, language: Callable[[str], None], code: str) -> None:  # noqa: F811
    now = time.time()
    guide = write_guide(tmp_path / "guide.xml", now)
    playlist = write_playlist(tmp_path, stream_server, guide)
    store = make_store(tmp_path, playlist, guide)
    start = int(now) // SLOT * SLOT  # the programme on now on Red One (catch-up to the loopback archive)
    reminder = Reminder("id:red.one", "Red One", title("red.one", start), start, start + SLOT)
    saved.save(settop_home / "data" / saved.FILE_NAME, [reminder], [])  # set before settop was closed
    language(code)
    app = vlc_guide_app(make_app, store)
    timers = app.timers
    assert timers is not None and timers.reminders.items() == [reminder]
    with qtbot.waitSignal(timers.notice_shown, timeout=10000) as kind:
        load(qtbot, app, playlist)  # the channels are there: what is due is said
    assert kind.args == ["reminder_late"]
    notice = app.window.active()
    assert isinstance(notice, NoticeScreen) and notice.green is not None
    if code == "en":
        assert "started at" in notice.text and notice.hint() == \
            "OK  watch now  ·  Green  watch from the start  ·  Back  close"
    wait_picture(qtbot, app, RED)
    shoot(app, tmp_path, f"reminder-late-{code}")
    stream_server.clear_log()
    press(qtbot, app, Qt.Key.Key_Green)  # watch from the start
    assert app.window.active() is app.catchup and not app.window.has(notice)
    qtbot.waitUntil(lambda: bool(stream_server.requests("/ch1/live/index.m3u8")), timeout=10000)
    query = parse_qs(stream_server.requests("/ch1/live/index.m3u8")[0].query)
    assert query == {"utc": [str(start)], "end": [str(start + SLOT)], "d": [str(SLOT)]}
    assert app.player.request is not None and not app.player.request.live
    wait_picture(qtbot, app, RED)


def test_a_recording_waits_for_a_free_connection(qtbot: Any, make_app: Callable[..., app_module.App],
                                                 live_ts: LiveTsServer, tmp_path: Path) -> None:
    """One connection allowed (the default): while the viewer watches a channel of the same provider the recording
    says why it waits, and starts at its next try once the viewer has zapped to another provider."""
    playlist = tmp_path / "shared.m3u"
    playlist.write_text(f"#EXTM3U\n#EXTINF:-1,Watched\n{live_ts.url}?watched\n#EXTINF:-1,Test Live\n{live_ts.url}\n"
                        "#EXTINF:-1,Elsewhere\nhttp://127.0.0.2:9/other.ts\n", encoding="utf-8")
    app = make_app()
    scheduler = app.scheduler
    assert scheduler is not None
    load(qtbot, app, playlist)
    lineup = app.live.lineup
    assert lineup is not None and app.live.current == 0
    now = time.time()
    clock = [now]
    scheduler.set_clock(lambda: clock[0])
    programme = Programme("", int(now) - 600, int(now) + 600, "Match")
    assert scheduler.toggle(lineup.channels[1], programme) == "waiting"
    text = "  ".join(label.text() for label in app.window.toast.labels).replace("\u2068", "").replace("\u2069", "")
    assert "Match is not recording yet: This provider allows 1 stream at once, in use by watching. It starts when" \
        in text
    assert scheduler.items()[0].message.startswith("This provider allows 1 stream")
    scheduler.check()
    assert not scheduler.running  # not before its next try
    app.live.tune(2)  # the viewer zaps to another provider: the connection is free
    clock[0] += 30
    with qtbot.waitSignal(scheduler.started, timeout=5000):
        scheduler.check()
    key = (lineup.channels[1].key, float(programme.start))
    qtbot.waitUntil(lambda: (p := scheduler.progress_of(scheduler.items()[0])) is not None and p.seconds > 0.5,
                    timeout=15000)
    assert key in scheduler.running
    scheduler.cancel(*key)
    assert scheduler.items() == []
