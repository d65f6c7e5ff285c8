"""A generated guide around the current time and a catch-up playlist on the loopback stream server."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from settop import app as app_module
from settop.core.guide.store import GuideStore
from settop.core.playlist.m3u import parse
from tests.helpers.streamserver import StreamServer

SLOT = 1800
GUIDE_IDS = {"ch1": "red.one", "ch2": "green.two", "ch3": "blue.three", "multi": "multi.lingual.tv"}


def stamp(epoch: int) -> str:
    return time.strftime("%Y%m%d%H%M%S +0000", time.gmtime(epoch))


def title(guide_id: str, start: int) -> str:
    return f"{guide_id} at {time.strftime('%H:%M', time.localtime(start))}"


def write_guide(path: Path, now: float, hours_back: int = 30, hours_ahead: int = 54) -> Path:
    """Half-hour programmes on every guide channel, from ``hours_back`` before ``now`` to ``hours_ahead`` after."""
    first = int(now) // SLOT * SLOT - hours_back * 3600
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<tv>"]
    lines += [f'<channel id="{gid}"><display-name>{gid.replace(".", " ").title()}</display-name></channel>'
              for gid in GUIDE_IDS.values()]
    for gid in GUIDE_IDS.values():
        for slot in range((hours_back + hours_ahead) * 2):
            start = first + slot * SLOT
            lines.append(f'<programme start="{stamp(start)}" stop="{stamp(start + SLOT)}" channel="{gid}">'
                         f"<title>{title(gid, start)}</title><desc>Programme description for {gid}.</desc>"
                         f'<category>News</category><episode-num system="onscreen">S1 E{slot}</episode-num>'
                         "</programme>")
    lines.append("</tv>")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def write_on_air_guide(path: Path, now: int, on_air_for: int) -> Path:
    """Red One only: "Earlier show" for an hour until ``now - on_air_for``, then "Now show" for an hour (live
    pause into the archive: the programme on air began ``on_air_for`` seconds ago)."""
    cut = now - on_air_for
    rows = [(cut - 3600, cut, "Earlier show"), (cut, now + 3600, "Now show")]
    programmes = "".join(f'<programme start="{stamp(a)}" stop="{stamp(b)}" channel="red.one"><title>{t}</title>'
                         "</programme>" for a, b, t in rows)
    path.write_text('<?xml version="1.0" encoding="UTF-8"?><tv><channel id="red.one"><display-name>Red One'
                    f"</display-name></channel>{programmes}</tv>", encoding="utf-8")
    return path


def write_playlist(folder: Path, server: StreamServer, guide: Path) -> Path:
    """Channels 1-3 live in red, green, blue (1 with default catch-up to a recorded loopback VOD, 2 with shift
    mode); 4 has no tvg-id and a name the guide spells differently (for manual mapping)."""
    source = server.url("ch1/live/index.m3u8") + "?utc={utc}&end={utcend}&d={duration}"
    lines = [
        f'#EXTM3U url-tvg="{guide}"',
        f'#EXTINF:-1 tvg-chno="1" tvg-id="red.one" group-title="Colours" catchup="default" catchup-days="3" '
        f'catchup-source="{source}",Red One\n{server.live_url("ch1")}',
        f'#EXTINF:-1 tvg-chno="2" tvg-id="green.two" group-title="Colours" catchup="shift" catchup-days="2",'
        f'Green Two\n{server.live_url("ch2")}',
        f'#EXTINF:-1 tvg-chno="3" tvg-id="blue.three" group-title="Blues",Blue Three\n{server.live_url("ch3")}',
        f'#EXTINF:-1 tvg-chno="4" group-title="Languages",Multi Lingo\n{server.url("multi.mkv")}',
    ]
    path = folder / "guided.m3u"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def make_store(folder: Path, playlist: Path, guide: Path) -> GuideStore:
    store = GuideStore(folder / "guide-cache" / "guide.db")
    channels = parse(playlist.read_text(), base_url=str(playlist)).channels
    store.ingest(str(guide), guide, channels, now=time.time())
    return store


def ready_guide(store: GuideStore) -> app_module.GuideSetup:
    """The guide part for ``compose`` around a store these tests filled already (no fetching on a load)."""
    return app_module.GuideSetup(store, refresh_on_load=False)


def vlc_guide_app(make_app: Callable[..., app_module.App], store: GuideStore) -> app_module.App:
    from settop.player.vlc import VlcPlayer
    from settop.ui.bridge import PlayerBridge
    from settop.ui.video import FramesSurface

    player = VlcPlayer(instance_options=("--aout=dummy",), reconnect_delays=(0.2, 0.2))
    surface = FramesSurface(frame_size=(160, 90))
    bridge = PlayerBridge(player)
    app = make_app(player=player, events=bridge, surface=surface, guide=ready_guide(store))
    surface.attach(player)
    return app
