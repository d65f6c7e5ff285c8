"""An account's channels that its xmltv.php guide lacks get now/next from ``get_short_epg`` (the loopback provider:
its guide has channel 1 only; channels 2-5 come from the short EPG, one request each, none for channel 1)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from settop import app as app_module
from settop.core.guide.store import GuideStore
from settop.core.state.settings import PlaylistSource
from tests.helpers.xtreamserver import PASSWORD, USERNAME, Panel, XtreamServer
from tests.ui.fakes import FakeBridge, FakePlayer


@pytest.fixture
def provider() -> Iterator[XtreamServer]:
    with XtreamServer(Panel()) as running:
        yield running


def test_channels_the_guide_lacks_show_the_short_epg(qtbot: Any, make_app: Callable[..., app_module.App],
                                                      provider: XtreamServer) -> None:
    player = FakePlayer()
    app = make_app(player=player, events=FakeBridge(player), guide=app_module.GuideSetup(GuideStore()))
    service = app.guide
    assert service is not None
    runs: list[Any] = []
    service.finished.connect(runs.append)
    with qtbot.waitSignal(app.shell.playlist_loaded, timeout=10000):
        app.shell.load(PlaylistSource(source=provider.server, name="Provider", kind="xtream", username=USERNAME,
                                      password=PASSWORD))
    qtbot.waitUntil(lambda: bool(runs), timeout=20000)
    assert runs[0].sources_ok == 1 and not runs[0].failures
    lineup = app.live.lineup
    assert lineup is not None
    keys = [c.key for c in lineup.channels]
    now_next = service.store.now_next(keys, time.time())
    titles = {c.name: tuple(p.title if p else None for p in now_next.get(c.key, (None, None))) for c in lineup.channels}
    assert titles["Channel 1"][0] == "Morning news"  # from xmltv.php
    for name in ("Channel 2", "Channel 3", "Channel 4", "Channel 5"):  # 4 and 5 have no epg_channel_id at all
        assert titles[name] == ("Morning news", "Plain title"), name
    asked = [r for r in provider.requests if "get_short_epg" in r]
    assert len(asked) == 4 and not any("stream_id=1&" in r or r.endswith("stream_id=1") for r in asked)
    assert all(PASSWORD not in s.name for s in service.store.sources())
