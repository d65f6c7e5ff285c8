"""Screenshots of the guide's search finding films and series, and of the seek bar on a live-lineup address that
turned out to be a finished HLS playlist, in English and Arabic, under Xvfb with real video.

Run: ``xvfb-run -s "-screen 0 1920x1080x24" .venv/bin/python scripts/shoot_vod_search.py [OUT_DIR]``
(defaults to docs/screenshots). Uses the loopback test streams, a guide generated around the current time and a
film made by ffmpeg whose playlist has ``#EXT-X-ENDLIST`` but no PLAYLIST-TYPE, behind a master playlist.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from shots import K, Shots

FILMS = (("Night Train", "Drama", "movie"), ("A Night at the Opera", "Comedy", "movie"),
         ("The Night of the Hunter", "Thriller", "movie"), ("Night on Earth", "Comedy", "movie"),
         ("ليلة القدر", "دراما", "movie"), ("The Night Shift S01E01", "Series", "series"),
         ("Night Court S02E03", "Series", "series"))


def main() -> int:
    from settop.core.net.budget import ConnectionBudget
    from settop.core.net.zapcache import ZapCache
    from tests.helpers.streams import finished_hls, stream_dir
    from tests.helpers.streamserver import StreamServer
    from tests.ui.guidefixtures import make_store, ready_guide, write_guide, write_playlist

    home = Path(os.environ["SETTOP_HOME"])
    server = StreamServer(stream_dir())
    films = StreamServer(finished_hls(home / "films", seconds=40))
    guide = write_guide(home / "guide.xml", time.time())
    playlist = write_playlist(home, server, guide)
    extra = [f'#EXTINF:-1 tvg-chno="5" group-title="Films",Night Film (HLS)\n{films.url("film/master.m3u8")}']
    for number, (name, group, kind) in enumerate(FILMS):
        extra.append(f'#EXTINF:-1 media="true" group-title="{group}",{name}\n{server.url(f"{kind}/{number}.mkv")}')
    playlist.write_text(playlist.read_text() + "\n".join(extra) + "\n", encoding="utf-8")
    store = make_store(home, playlist, guide)
    store.wait_for_index(30)
    cache = ZapCache(ConnectionBudget(2))  # the live channels and the film come from two loopback servers
    shots = Shots(guide=ready_guide(store), zap_cache=cache)
    app = shots.app
    app.shell.start(str(playlist))
    shots.wait(4)
    for language in ("en", "ar"):
        shots.language(language)
        shots.keys(K.Key_Guide, K.Key_Blue)
        screen = app.window.active()
        screen.keyboard.set_text("night")
        shots.wait(1.0)
        shots.keys(K.Key_Blue)
        while screen.focused() is not None and screen.focused().title is None:
            shots.keys(K.Key_Down)
        shots.shot(f"guide-search-films-{language}")
        shots.keys(K.Key_Escape, K.Key_Escape)
        shots.keys(K.Key_5)
        deadline = time.monotonic() + 20
        while app.window.active() is not app.live.vod and time.monotonic() < deadline:
            shots.wait(0.1)  # the number entry's pause, the first picture, then the playlist is found finished
        shots.wait(0.5)
        shots.keys(K.Key_Right, K.Key_Right)
        shots.shot(f"live-hls-vod-seekbar-{language}", settle=1.5)
        shots.keys(K.Key_Escape, K.Key_1)  # Back stops the film (digits on its bar jump within it), 1 tunes
        shots.wait(3)
    shots.close()
    cache.close()
    films.close()
    server.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
