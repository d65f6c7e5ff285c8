"""Several playlists as one lineup in the real UI: merged at start, a missing one said per source, favorites of a
one-playlist viewer still found after a second playlist joins."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PyQt6.QtCore import Qt

from settop.core.state.settings import PlaylistSource, Settings
from settop.ui.live.channel_rows import SourcesRole
from tests.ui.conftest import SMALL, press

K = Qt.Key


def configure(*entries: PlaylistSource) -> None:
    settings, _ = Settings.load()
    settings.set("playlists", [entry.to_dict() for entry in entries])
    settings.save()


def extra_playlist(folder: Path) -> Path:
    path = folder / "sports.m3u"
    path.write_text('#EXTM3U url-tvg="http://127.0.0.1:9/sports.xml"\n'
                    '#EXTINF:-1 tvg-id="NEWS.ONE" tvg-chno="1" group-title="News",News One HD\n'
                    "http://127.0.0.1:9/alt-news1.m3u8\n"
                    '#EXTINF:-1 tvg-chno="5" group-title="Sport",Sport Extra\nhttp://127.0.0.1:9/extra.m3u8\n',
                    encoding="utf-8")
    return path


def test_every_enabled_playlist_is_one_lineup(qtbot: Any, make_app: Any, tmp_path: Path) -> None:
    configure(PlaylistSource(source=str(SMALL), name="Operator"),
              PlaylistSource(source=str(extra_playlist(tmp_path)), name="Sports", id="ssports01", start_number=1000),
              PlaylistSource(source=str(tmp_path / "gone.m3u"), name="Gone", id="sgone0001"))
    app = make_app()
    with qtbot.waitSignal(app.shell.playlist_loaded, timeout=10000):
        app.shell.start(None)
    lineup = app.live.lineup
    names = [c.name for c in lineup.channels]
    assert "News One HD" not in names and names[-1] == "Sport Extra"  # the duplicate folded into News One
    assert lineup.numbers[len(names) - 1] == "1000" and lineup.source_name(len(names) - 1) == "Sports"
    assert len(lineup.choices(0)) == 2
    press(qtbot, app, K.Key_Return)  # the list: the folded row is marked with its number of sources
    rows = app.live.channel_list.model
    assert app.window.active() is app.live.channel_list
    assert [rows.index(r).data(SourcesRole) for r in range(rows.rowCount())] == [2] + [1] * (len(names) - 1)
    press(qtbot, app, K.Key_Escape)
    assert "Gone could not be loaded" in app.window.toast.text.text()
    assert "http://127.0.0.1:9/sports.xml" in app.shell.guide_urls()
    press(qtbot, app, K.Key_1, K.Key_0, K.Key_0, K.Key_0, K.Key_Return)  # tuned by its number in the lineup
    qtbot.waitUntil(lambda: app.live.current_channel() is not None
                    and app.live.current_channel().name == "Sport Extra", timeout=5000)
    assert app.live.current_channel().key == "ssports01/name:sport extra|sport"


@pytest.mark.parametrize("second_first", [False, True], ids=["added-after", "moved-before"])
def test_favorites_of_the_first_playlist_survive_a_second(qtbot: Any, make_app: Any, tmp_path: Path,
                                                          second_first: bool) -> None:
    configure(PlaylistSource(source=str(SMALL), name="Operator"))
    first = make_app()
    with qtbot.waitSignal(first.shell.playlist_loaded, timeout=10000):
        first.shell.start(None)
    press(qtbot, first, K.Key_2, K.Key_Return)
    qtbot.waitUntil(lambda: first.live.current_channel() is not None
                    and first.live.current_channel().name == "News Two", timeout=5000)
    press(qtbot, first, K.Key_F3)  # a favorite under the one-playlist key
    favorite = first.state.favorites()[0]
    first.window.close()
    settings, _ = Settings.load()
    operator = settings.playlists()[0]
    sports = PlaylistSource(source=str(extra_playlist(tmp_path)), name="Sports", id="ssports01")
    configure(*((sports, operator) if second_first else (operator, sports)))
    second = make_app()
    with qtbot.waitSignal(second.shell.playlist_loaded, timeout=10000):
        second.shell.start(None)
    index = second.live.lineup.index_of(favorite)
    assert index is not None and second.live.lineup.channels[index].name == "News Two"


def test_start_number_and_order_are_set_with_the_remote(qtbot: Any, make_app: Any, tmp_path: Path) -> None:
    from tests.ui.settings.test_settings import Remote

    configure(PlaylistSource(source=str(SMALL), name="Operator"),
              PlaylistSource(source=str(extra_playlist(tmp_path)), name="Sports", id="ssports01"))
    app = make_app()
    with qtbot.waitSignal(app.shell.playlist_loaded, timeout=10000):
        app.shell.start(None)
    press(qtbot, app, K.Key_Menu)
    remote = Remote(qtbot, app)
    remote.ok("Playlists")
    remote.ok("Sports")
    with qtbot.waitSignal(app.shell.playlist_loaded, timeout=10000):
        remote.right("Numbers start at", 5)  # 500, in steps of 100
    assert remote.value("Numbers start at") == "500"
    assert app.live.lineup.numbers[len(app.live.lineup) - 1] == "500"
    with qtbot.waitSignal(app.shell.playlist_loaded, timeout=10000):
        remote.ok("Move up in the order")
    assert [p.name for p in Settings.load()[0].playlists()] == ["Sports", "Operator"]
    assert app.live.lineup.channels[0].name == "News One HD"  # the add-on's copy plays first now


def test_streams_at_once_is_set_per_playlist_with_the_remote_and_limits_its_provider(
        qtbot: Any, make_app: Any, tmp_path: Path) -> None:
    from tests.ui.settings.test_settings import Remote

    configure(PlaylistSource(source=str(SMALL), name="Operator"),
              PlaylistSource(source=str(extra_playlist(tmp_path)), name="Sports", id="ssports01"))
    app = make_app()
    with qtbot.waitSignal(app.shell.playlist_loaded, timeout=10000):
        app.shell.start(None)
    budget = app.live.streams.budget
    sports = "http://127.0.0.1:9"  # where the Sports playlist's channels come from
    assert budget.limit(sports) == 1  # Playback › Connections per provider
    press(qtbot, app, K.Key_Menu)
    remote = Remote(qtbot, app)
    remote.ok("Playlists")
    remote.ok("Sports")
    assert remote.value("Streams at once") == "default"
    remote.right("Streams at once", 3)
    assert remote.value("Streams at once") == "3"
    assert budget.limit(sports) == 3  # at once: the limit is applied, nothing is loaded again
    assert not app.shell.loader.busy
    assert [p.max_streams for p in Settings.load()[0].playlists()] == [0, 3]  # kept across a restart
    press(qtbot, app, K.Key_Left, K.Key_Left, K.Key_Left)
    assert remote.value("Streams at once") == "default" and budget.limit(sports) == 1
