"""The OSD banner and the channel list rows change programme by themselves when one ends: one timer, armed for
the next programme boundary shown (no polling)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from PyQt6.QtCore import Qt

from settop.app import GuideSetup
from settop.core.guide.store import GuideStore
from settop.core.playlist.m3u import parse
from settop.ui.guide.info import NowNext, boundary_of
from tests.conftest import DATA
from tests.ui.conftest import load, press
from tests.ui.fakes import FakeBridge, FakePlayer

SMALL = DATA / "ui" / "small.m3u"


def stamp(epoch: int) -> str:
    return time.strftime("%Y%m%d%H%M%S +0000", time.gmtime(epoch))


def guide_with_boundary(path: Path, boundary: int) -> Path:
    """news.one: "Early" until ``boundary``, then "Late"; news.two: one long programme."""
    programmes = [("news.one", boundary - 600, boundary, "Early"), ("news.one", boundary, boundary + 600, "Late"),
                  ("news.two", boundary - 3600, boundary + 3600, "Long")]
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<tv>",
             '<channel id="news.one"><display-name>News One</display-name></channel>',
             '<channel id="news.two"><display-name>News Two</display-name></channel>']
    lines += [f'<programme start="{stamp(a)}" stop="{stamp(b)}" channel="{c}"><title>{t}</title></programme>'
              for c, a, b, t in programmes]
    path.write_text("\n".join([*lines, "</tv>"]), encoding="utf-8")
    return path


def banner_texts(app: Any) -> str:
    return " | ".join([app.live.banner.now.text(), app.live.banner.next.text()])


def test_banner_and_rows_refresh_at_the_programme_boundary(qtbot: Any, make_app: Any, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    boundary = int(time.time()) + 2
    guide = guide_with_boundary(tmp_path / "guide.xml", boundary)
    store = GuideStore(tmp_path / "g" / "guide.db")
    store.ingest(str(guide), guide, parse(SMALL.read_text(), base_url=str(SMALL)).channels, now=time.time())
    player = FakePlayer()
    app = make_app(player=player, events=FakeBridge(player), guide=GuideSetup(store, refresh_on_load=False))
    app.live.banner_hider.seconds = 60  # stays up through the boundary
    load(qtbot, app)
    assert app.live.current_channel().name == "News One"
    if not app.live.banner.isVisible():
        press(qtbot, app, Qt.Key.Key_I)  # Info (the banner also shows on every tune)
    assert app.live.banner.isVisible() and "Early" in banner_texts(app)
    timer = app.live.boundary_timer
    assert timer.isActive() and timer.isSingleShot()
    assert 0 < timer.interval() <= (boundary - time.time()) * 1000 + 300  # aligned to the boundary, not a tick
    repaints: list[float] = []
    original = app.live.channel_list._repaint_rows

    def counted() -> None:
        repaints.append(time.time())
        original()

    monkeypatch.setattr(app.live.channel_list, "_repaint_rows", counted)
    qtbot.waitUntil(lambda: "Late" in app.live.banner.now.text(), timeout=6000)
    assert time.time() >= boundary
    assert repaints and min(repaints) >= boundary  # the list rows were repainted at the boundary, not before
    assert app.live.now_next(app.live.lineup.channels[0]).now.title == "Late"
    # the next boundary is the end of "Late" (news.two's "Long" ends later): one timer armed for it
    assert timer.isActive() and timer.remainingTime() > 500_000


def test_boundary_is_the_end_of_the_programme_on_air_else_the_next_start() -> None:
    class P:
        def __init__(self, start: int, stop: int) -> None:
            self.start, self.stop = start, stop

    assert boundary_of(None) is None
    assert boundary_of(NowNext(P(0, 100), P(100, 200))) == 100  # type: ignore[arg-type]
    assert boundary_of(NowNext(None, P(150, 200))) == 150  # type: ignore[arg-type]
    assert boundary_of(NowNext(None, None)) is None
