"""Screenshots of two playlists merged into one channel list, of move mode (channels and groups) and of the phone
page's QR screen, in English and Arabic, under Xvfb with real video from the loopback test stream server (the phone
page listens on 127.0.0.1 here, so its address shows that).

Run: ``xvfb-run -s "-screen 0 1920x1080x24" .venv/bin/python scripts/shoot_sources.py [OUT_DIR]``
(defaults to docs/screenshots).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from shots import K, Shots


def playlists(folder: Path, url: str) -> list[tuple[Path, str, str, int]]:
    """An operator's list and a sports add-on that repeats one of its channels (folded) and starts at 1000."""
    operator = folder / "operator.m3u"
    operator.write_text("#EXTM3U\n" + "".join(
        f'#EXTINF:-1 tvg-id="{tid}" tvg-chno="{n}" group-title="{group}",{name}\n{url}/live/{ch}/index.m3u8\n'
        for n, tid, group, name, ch in [(1, "red.one", "Colours", "Red One", "ch1"),
                                        (2, "green.two", "Colours", "Green Two", "ch2"),
                                        (3, "blue.three", "Colours", "Blue Three", "ch3"),
                                        (4, "news.24", "News", "News 24", "ch1")]), encoding="utf-8")
    addon = folder / "sports.m3u"
    addon.write_text("#EXTM3U\n" + "".join(
        f'#EXTINF:-1 tvg-id="{tid}" group-title="{group}",{name}\n{url}/live/{ch}/index.m3u8\n'
        for tid, group, name, ch in [("RED.one", "Colours", "Red One HD", "ch2"),
                                     ("arena.1", "Sport", "Sport Arena 1", "ch3"),
                                     ("arena.2", "Sport", "Sport Arena 2", "ch2")]), encoding="utf-8")
    return [(operator, "Operator", "", 0), (addon, "Sports add-on", "ssports01", 1000)]


def main() -> int:
    from settop.core.state.settings import PlaylistSource, Settings
    from settop.i18n import _ as tr
    from settop.ui.settings.phone_rows import PhonePages
    from tests.helpers.streams import stream_dir
    from tests.helpers.streamserver import StreamServer

    PhonePages.phone_host = "127.0.0.1"  # never listen on the network from a script
    server = StreamServer(stream_dir())
    folder = Path(tempfile.mkdtemp(prefix="settop-shots-lists-"))
    settings, _ = Settings.load()
    settings.set("playlists", [PlaylistSource(source=str(path), name=name, id=source_id,
                                              start_number=start).to_dict()
                               for path, name, source_id, start in playlists(folder, server.url("").rstrip("/"))])
    settings.save()
    s = Shots()
    app = s.app
    app.shell.start(None)
    s.wait(4)
    for language in ("en", "ar"):
        s.language(language)
        s.keys(K.Key_Return)
        s.shot(f"merged-list-{language}")
        s.long_ok()
        s.pick(tr("Move channels"))
        s.shot(f"channel-menu-{language}")
        s.keys(K.Key_Return, K.Key_Down, K.Key_Return, K.Key_Down)
        s.shot(f"move-mode-{language}")
        s.keys(K.Key_Escape, K.Key_Escape)  # put back, move mode ends: the list stays
        s.long_ok()
        s.pick(tr("Move groups"))
        s.keys(K.Key_Return, K.Key_Return, K.Key_Down)  # Colours picked up and carried below News
        s.shot(f"move-groups-{language}")
        s.keys(K.Key_Escape, K.Key_Escape, K.Key_Escape)  # put back, done (nothing kept), the list closes
        s.wait(0.5)
        s.keys(K.Key_Menu)
        settings_screen = app.window.active()
        for label in (tr("Playlists"), tr("Add from a phone")):
            target = next(i for i, row in enumerate(settings_screen.rows) if row.label == label)
            while settings_screen.page.focus != target:
                s.keys(K.Key_Down)
            s.keys(K.Key_Return)
        s.shot(f"phone-qr-{language}")
        s.keys(K.Key_Escape, K.Key_Escape, K.Key_Escape, K.Key_Escape)
        s.wait(0.5)
    s.close()
    server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
