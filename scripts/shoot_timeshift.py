"""Screenshots of the time-shift banner (a paused live channel, then rewound into the catch-up archive), in
English and Arabic, under Xvfb.

Run: ``xvfb-run -s "-screen 0 1920x1080x24" .venv/bin/python scripts/shoot_timeshift.py [OUT_DIR]``
(defaults to docs/screenshots). Plays the loopback test streams through real libVLC, with a guide whose programme
on air began 25 minutes ago (the archive is the loopback recorded clip).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from shots import K, Shots


def main() -> int:
    from settop import app as app_module
    from tests.helpers.streams import stream_dir
    from tests.helpers.streamserver import StreamServer
    from tests.ui.guidefixtures import make_store, write_on_air_guide, write_playlist

    home = Path(os.environ["SETTOP_HOME"])
    server = StreamServer(stream_dir())
    guide = write_on_air_guide(home / "guide.xml", int(time.time()), 25 * 60)
    playlist = write_playlist(home, server, guide)
    s = Shots(guide=app_module.GuideSetup(make_store(home, playlist, guide), refresh_on_load=False))
    s.app.shell.start(str(playlist))
    s.wait(5)
    for code in ("en", "ar"):
        s.language(code)
        s.keys(K.Key_MediaPause)
        s.wait(12)
        s.shot(f"timeshift-paused-{code}")
        s.keys(K.Key_Left)  # back past the ring's start: the archive
        s.wait(3)
        s.shot(f"timeshift-archive-{code}")
        s.keys(K.Key_MediaStop)
        s.wait(4)
    s.close()
    server.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
