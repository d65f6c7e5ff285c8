"""`settop inspect --xtream`: the playlist JSON plus account, vod and series; failures in words; no password."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from settop.cli import main
from settop.core.recording.plan import PlanError
from tests.helpers.xtreamserver import PASSWORD, USERNAME, XtreamServer


@pytest.fixture
def server() -> Iterator[XtreamServer]:
    with XtreamServer() as running:
        yield running


def account_args(server: XtreamServer, password: str = PASSWORD) -> list[str]:
    return ["inspect", "--xtream", server.server, "--username", USERNAME, "--password", password]


def test_json_is_the_playlist_contract_plus_the_account(server: XtreamServer,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*account_args(server), "--json"]) == 0
    out, err = capsys.readouterr()
    document = json.loads(out)
    assert set(document) == {"channels", "epg_urls", "warnings", "guide", "account", "vod", "series"}
    assert document["vod"] == {"categories": 2, "items": 4}
    assert document["series"] == {"categories": 1, "items": 2}
    assert document["account"]["status"] == "Active until 12 March 2027 · 1 of 2 connections in use"
    assert document["account"]["max_connections"] == 2
    first = document["channels"][0]
    assert (first["name"], first["number"], first["tvg_id"], first["groups"]) == ("Channel 1", "1", "ch1.test",
                                                                                  ["Sport"])
    assert first["catchup"] == {"mode": "xc", "days": 3, "source": ""}
    assert first["url"] == f"{server.server}/live/***/***/1.ts"
    assert document["epg_urls"] == [f"{server.server}/xmltv.php?username=***&password=***"]
    assert PASSWORD not in out + err


def test_summary_says_the_status_and_counts(server: XtreamServer, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(account_args(server)) == 0
    out, err = capsys.readouterr()
    assert "5 channels" in out
    assert "Account: Active until 12 March 2027 · 1 of 2 connections in use" in out
    assert "On demand: 4 films in 2 categories, 2 series in 1 category" in out
    assert PASSWORD not in out + err


@pytest.mark.parametrize(("password", "change", "words"), [
    ("nope", {}, "did not accept this user name and password"),
    (PASSWORD, {"status": "Expired", "exp_date": "1700000000"}, "Expired on 14 November 2023"),
    (PASSWORD, {"mode": "html"}, "answered with a web page, not the player API"),
], ids=["wrong-password", "expired", "html"])
def test_failures_are_one_line_in_words(server: XtreamServer, capsys: pytest.CaptureFixture[str], password: str,
                                        change: dict[str, str], words: str) -> None:
    for name, value in change.items():
        setattr(server.panel, name, value)
    assert main([*account_args(server, password), "--json"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and words in err and err.count("\n") == 1
    assert PASSWORD not in err and "nope" not in err


def test_neither_playlist_nor_account_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["inspect"])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert "usage: settop inspect" in err and "name a playlist, or a provider account with --xtream" in err


def test_record_finds_a_channel_of_an_account(server: XtreamServer, settop_home: Path) -> None:
    from settop.commands.record import _lineup_channel
    from settop.core.state.settings import PlaylistSource, Settings

    settings, _notes = Settings.load()
    settings.set("playlists", [PlaylistSource(source=server.server, kind="xtream", username=USERNAME,
                                              password=PASSWORD).to_dict()])
    channel = _lineup_channel("2", None, settings)
    assert channel.name == "Channel 2" and channel.url.endswith("/live/viewer/" + PASSWORD + "/2.ts")
    server.panel.password = "changed"
    with pytest.raises(PlanError, match="did not accept this user name and password"):
        _lineup_channel("2", None, settings)
