"""A provider account as a source kind: settings round trip, the Source protocol, the loader path, stale fallback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from settop.core.sources.base import Source
from settop.core.sources.m3u import sources_from
from settop.core.sources.xtream import XtreamError
from settop.core.sources.xtream_source import XtreamSource
from settop.core.state.settings import PlaylistSource, Settings
from tests.helpers.xtreamserver import PASSWORD, USERNAME, XtreamServer


@pytest.fixture
def server() -> Iterator[XtreamServer]:
    with XtreamServer() as running:
        yield running


def account(server: XtreamServer, password: str = PASSWORD) -> PlaylistSource:
    return PlaylistSource(source=server.server, name="My provider", kind="xtream", username=USERNAME,
                          password=password, id="s0000abcd")


def test_an_account_survives_a_settings_round_trip_and_hides_its_password(server: XtreamServer,
                                                                          settop_home: Path) -> None:
    settings, _notes = Settings.load()
    settings.set("playlists", [account(server).to_dict(), PlaylistSource(source="/tmp/x.m3u").to_dict()])
    settings.save()
    again, notes = Settings.load()
    assert notes == []
    first, second = again.playlists()
    assert (first.kind, first.username, first.password, first.source) == ("xtream", USERNAME, PASSWORD, server.server)
    assert second.kind == "m3u" and "kind" not in second.to_dict()
    assert PASSWORD not in repr(first)


def test_a_number_as_password_is_its_digits_and_bad_values_are_never_echoed(settop_home: Path) -> None:
    settings, _notes = Settings.load()
    entry = {"source": "http://h", "kind": "xtream", "username": "u", "password": 123456}
    settings.set("playlists", [entry])
    assert settings.playlists()[0].password == "123456"
    with pytest.raises(Exception) as caught:
        settings.set("playlists", [entry | {"password": ["hunter2"]}])
    assert "hunter2" not in str(caught.value) and "password must be text" in str(caught.value)


def test_sources_from_picks_the_kind(server: XtreamServer) -> None:
    kinds = sources_from((account(server), PlaylistSource(source="/tmp/x.m3u")))
    assert [type(s).__name__ for s in kinds] == ["XtreamSource", "M3USource"]
    assert all(isinstance(s, Source) for s in kinds)


def test_loading_gives_the_lineup_the_library_and_the_limit(server: XtreamServer) -> None:
    content = XtreamSource(account(server)).load()
    assert len(content.playlist.channels) == 5 and content.display == f"127.0.0.1:{server.port}"
    assert (len(content.library.movies), len(content.library.series)) == (4, 2)
    assert content.max_connections == 2 and not content.stale


@pytest.mark.allow_warnings
def test_a_server_that_fails_later_gives_the_last_good_copy_marked_stale(server: XtreamServer) -> None:
    XtreamSource(account(server)).load()
    server.panel.mode = "503"
    content = XtreamSource(account(server)).load()
    assert content.stale and "503" in content.stale_reason and len(content.playlist.channels) == 5


def test_an_expired_account_is_said_when_loading(server: XtreamServer) -> None:
    server.panel.exp_date = "1700000000"
    with pytest.raises(XtreamError, match="Expired on 14 November 2023"):
        XtreamSource(account(server)).load()
