"""Screenshots of recording from the guide and of reminders, under Xvfb with real video, in English and Arabic:
the guide with a scheduled recording's mark, Menu › Recordings with its Scheduled section, a late reminder with
"Watch from the start" (the Recordings list's order wants the lengths measured, a few seconds).

Run: ``xvfb-run -s "-screen 0 1920x1080x24" .venv/bin/python scripts/shoot_recording.py [OUT_DIR]``
(defaults to docs/screenshots). Uses the loopback test streams and a guide generated around the current time.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from shots import K, Shots


def main() -> int:
    from settop.core.recording.plan import file_name, part_path
    from settop.core.recording.schedule import MISSED, Scheduled
    from settop.core.timers import saved
    from settop.core.timers.reminders import Reminder
    from tests.helpers.streams import stream_dir
    from tests.helpers.streamserver import StreamServer
    from tests.ui.guidefixtures import SLOT, make_store, ready_guide, title, write_guide, write_playlist

    home = Path(os.environ["SETTOP_HOME"])
    server = StreamServer(stream_dir())
    now = time.time()
    guide = write_guide(home / "guide.xml", now)
    playlist = write_playlist(home, server, guide)
    folder = home / "recordings"
    folder.mkdir(parents=True, exist_ok=True)
    first = folder / file_name("Red One", "News at Eight", now - 86400)
    for path in (first, part_path(first, 2), folder / file_name("Green Two", "", now - 2 * 86400)):
        shutil.copyfile(stream_dir() / "ch1.ts", path)
    start = int(now) // SLOT * SLOT  # on now on Red One: a reminder set before settop was last closed
    saved.save(home / "data" / saved.FILE_NAME,
               [Reminder("id:red.one", "Red One", title("red.one", start), start, start + SLOT)],
               [Scheduled("id:blue.three", "Blue Three", "Late Film", start - 3 * SLOT, start - SLOT, 120, 300)])
    s = Shots(guide=ready_guide(make_store(home, playlist, guide)))
    app = s.app
    app.shell.start(str(playlist))
    s.wait(4)
    s.shot("reminder-late-en", 0.6)
    for code in ("en", "ar"):
        s.language(code)
        if code == "ar":  # the same late reminder again, set on the programme on now and said in Arabic
            timers, lineup = app.timers, app.live.lineup
            assert timers is not None and lineup is not None and app.live.now_next is not None
            info = app.live.now_next(lineup.channels[0])
            assert info is not None and info.now is not None
            timers.toggle_reminder(lineup.channels[0], info.now)
            timers.check()
            s.shot("reminder-late-ar", 0.6)
        forward = K.Key_Right if code == "en" else K.Key_Left
        s.keys(K.Key_Escape, K.Key_Guide, K.Key_Down, forward, forward, K.Key_MediaRecord, forward, K.Key_Return)
        s.keys(K.Key_Left if code == "en" else K.Key_Right)
        s.shot(f"guide-recording-mark-{code}", 0.6)
        s.keys(K.Key_Escape, K.Key_Menu)
        settings = app.navigation.settings_screen
        assert settings is not None
        settings.focus_label(_("Recordings"))
        s.keys(K.Key_Return)
        s.wait(6)  # the lengths (ffprobe), and the notices of a moment ago go
        s.shot(f"recordings-scheduled-{code}", 0.6)
        s.keys(K.Key_Escape, K.Key_Escape)
        scheduler, timers = app.scheduler, app.timers
        assert scheduler is not None and timers is not None
        assert any(i.state == MISSED for i in scheduler.items())
        for item in [i for i in scheduler.items() if i.active]:  # the next language starts from the same guide
            scheduler.cancel(item.channel_key, item.start)
        for reminder in timers.reminders.items():
            timers.reminders.remove(reminder.channel_key, reminder.start)
    s.close()
    server.close()
    return 0


def _(text: str) -> str:
    from settop.i18n import _ as translate

    return translate(text)


if __name__ == "__main__":
    raise SystemExit(main())
