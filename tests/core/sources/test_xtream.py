"""The player-API client against the loopback provider: login and status, each failure in words, the live lineup
with guide and catch-up, films and series, stale fallback, huge lists, and no password anywhere."""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from settop.core.guide.xmltv import read_guide
from settop.core.models import Programme
from settop.core.net.fetch import FetchLimits, fetch
from settop.core.playlist.catchup import catchup_template
from settop.core.redact import RedactingFilter
from settop.core.sources.xtream import XtreamClient, XtreamError, account_from_address, normalise_server
from settop.core.sources.xtream_models import Account
from settop.core.sources.xtream_status import status_text
from tests.helpers.xtreamserver import FUTURE, PASSWORD, USERNAME, XtreamServer

NOW = 1764806400  # 4 December 2025


@pytest.fixture
def server() -> Iterator[XtreamServer]:
    with XtreamServer() as running:
        yield running


def client(server: XtreamServer, password: str = PASSWORD, **kwargs: object) -> XtreamClient:
    return XtreamClient(Account(server.server, USERNAME, password), **kwargs)  # type: ignore[arg-type]


def test_login_says_status_expiry_and_connections_in_words(server: XtreamServer) -> None:
    status = client(server).status()
    assert status.active and status.expires == FUTURE
    assert (status.active_connections, status.max_connections) == (1, 2)
    assert status.output_formats == ("m3u8", "ts", "rtmp")
    assert status_text(status, NOW) == "Active until 12 March 2027 · 1 of 2 connections in use"


@pytest.mark.parametrize(("change", "kind", "words"), [
    ({"password": "other"}, "auth", "did not accept this user name and password"),
    ({"mode": "401"}, "auth", "did not accept this user name and password"),
    ({"mode": "empty"}, "auth", "did not accept this user name and password"),
    ({"mode": "html"}, "not_api", "answered with a web page, not the player API"),
    ({"mode": "malformed"}, "not_api", "answered with broken JSON, not the player API"),
    ({"status": "Expired", "exp_date": "1700000000"}, "expired", "Expired on 14 November 2023"),
    ({"status": "Active", "exp_date": "1700000000"}, "expired", "Expired on 14 November 2023"),
    ({"status": "Disabled"}, "disabled", "The account is disabled by the provider"),
    ({"status": "Banned"}, "banned", "The account is banned by the provider"),
], ids=["wrong-password", "http-401", "empty-body", "html-page", "malformed-json", "expired", "past-end-date",
        "disabled", "banned"])
def test_each_failure_is_said_in_words(server: XtreamServer, change: dict[str, str], kind: str, words: str) -> None:
    password = change.pop("password", PASSWORD)
    for name, value in change.items():
        setattr(server.panel, name, value)
    with pytest.raises(XtreamError) as caught:
        client(server, password).check(NOW)
    assert caught.value.kind == kind
    assert words in str(caught.value)
    assert PASSWORD not in str(caught.value) and "other" not in str(caught.value)


def test_a_slow_server_ends_in_a_timeout_within_its_limits(server: XtreamServer) -> None:
    server.panel.delay_s = 5
    quick = functools.partial(fetch, limits=FetchLimits(connect_timeout=1, read_timeout=0.5, total_timeout=1))
    started = time.monotonic()
    with pytest.raises(XtreamError) as caught:
        client(server, fetcher=quick).status()
    assert time.monotonic() - started < 3
    assert caught.value.kind == "fetch" and caught.value.fetch_kind == "timeout"
    assert PASSWORD not in str(caught.value)


def test_live_channels_become_a_lineup_like_an_m3u(server: XtreamServer) -> None:
    account = client(server)
    playlist = account.live(account.status())
    assert [c.name for c in playlist.channels] == [f"Channel {i}" for i in range(1, 6)]
    first, second, _third, fourth, fifth = playlist.channels
    assert (first.number, second.number) == (1, 2)  # "num" as a number and as a string
    assert first.tvg_id == "ch1.test" and fourth.tvg_id == "" and fifth.tvg_id == ""
    assert first.logo.endswith("/logo/1.png") and fifth.logo == ""
    assert first.groups == ("Sport",) and second.groups == ("Kids",) and _third.groups == ("News",)
    assert first.url == f"{server.server}/live/{USERNAME}/{PASSWORD}/1.ts"
    assert first.catchup is not None and first.catchup.mode == "xc" and first.catchup.days == 3
    assert second.catchup is None
    template = catchup_template(first)
    assert template == (f"{server.server}/timeshift/{USERNAME}/{PASSWORD}/{{duration:60}}/"
                        "{Y}-{m}-{d}:{H}-{M}/1.ts")
    assert playlist.epg_urls == (f"{server.server}/xmltv.php?username={USERNAME}&password={PASSWORD}",)


def test_hls_only_accounts_get_hls_addresses(server: XtreamServer) -> None:
    server.panel.formats = ["m3u8"]
    account = client(server)
    assert account.live(account.status()).channels[0].url.endswith("/1.m3u8")


def test_the_guide_from_xmltv_php_matches_the_channels(server: XtreamServer, tmp_path: Path) -> None:
    account = client(server)
    playlist = account.live()
    result = fetch(playlist.epg_urls[0], kind="guide")
    items = read_guide(result.path)
    programmes = [i for i in items if isinstance(i, Programme)]
    assert [p.channel_id for p in programmes] == ["ch1.test"] == [playlist.channels[0].tvg_id]


def test_short_epg_decodes_base64_and_skips_broken_rows(server: XtreamServer) -> None:
    listings = client(server).short_epg("1", "ch1.test")
    assert [(p.title, p.desc) for p in listings] == [("Morning news", "nothing"), ("Plain title", "")]
    assert all(p.channel_id == "ch1.test" and p.stop > p.start for p in listings)


def test_keys_survive_a_new_password(server: XtreamServer) -> None:
    before = client(server).live()
    library_before = client(server).library()
    server.panel.password = "rotated-token"
    after = client(server, "rotated-token").live()
    library_after = client(server, "rotated-token").library()
    assert [c.key for c in before.channels] == [c.key for c in after.channels]
    assert [c.url for c in before.channels] != [c.url for c in after.channels]
    assert [t.key for t in library_before.movies] == [t.key for t in library_after.movies]
    assert "rotated-token" not in "".join(c.key for c in after.channels)


def test_films_and_series_lists_and_details(server: XtreamServer) -> None:
    account = client(server)
    library = account.library()
    assert [c.name for c in library.movie_categories] == ["Drama", "Comedy"]
    assert [t.name for t in library.movies] == ["Film 1", "Film 2", "Film 3", "Film 4"]
    film = library.movies[0]
    assert (film.kind, film.item_id, film.category, film.rating) == ("movie", "1001", "Comedy", 7.5)
    assert library.movies[1].rating is None and library.movies[1].poster == ""
    assert film.url == f"{server.server}/movie/{USERNAME}/{PASSWORD}/1001.ts"
    details = account.movie_details(film.item_id)
    assert (details.year, details.genre, details.duration_s, details.rating) == ("2021", "Drama", 6, 7.5)
    assert details.cast == "Ann Actor, Bob Actor" and details.plot == "A short test film."
    assert [t.name for t in library.series] == ["Series 1", "Series 2"]
    assert library.series[0].year == "2019" and library.series[0].url == ""
    info = account.series_info(library.series[0].item_id)
    assert [(s.number, s.name) for s in info.seasons] == [(1, "Season 1"), (2, "Season 2")]
    assert [e.title for e in info.seasons[0].episodes] == ["S1E1", "S1E2"]
    last_of_first = info.seasons[0].episodes[-1]
    next_episode = info.next_episode(last_of_first.key)
    assert next_episode is not None and next_episode.title == "S2E1"
    assert info.next_episode(info.seasons[1].episodes[-1].key) is None
    assert next_episode.url == f"{server.server}/series/{USERNAME}/{PASSWORD}/201.ts"


def test_huge_lists_load(server: XtreamServer) -> None:
    server.panel.movies = 50_000
    started = time.perf_counter()
    library = client(server).library()
    assert len(library.movies) == 50_000
    assert time.perf_counter() - started < 20


@pytest.mark.allow_warnings
def test_a_failed_refresh_serves_the_last_good_copy_marked_stale(server: XtreamServer) -> None:
    first = client(server).live()
    server.panel.mode = "503"
    again = client(server)
    assert [c.key for c in again.live().channels] == [c.key for c in first.channels]
    assert again.stale_reason and PASSWORD not in again.stale_reason


def test_the_password_reaches_no_log_error_or_cache_name(server: XtreamServer, settop_home: Path,
                                                         caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.handler.addFilter(RedactingFilter())  # as install_logging() puts on every handler of the app
    account = client(server)
    account.live()
    account.library()
    server.panel.mode = "html"
    with pytest.raises(XtreamError) as caught:
        client(server, "wrong").status()
    server.panel.mode = "503"
    with pytest.raises(XtreamError) as offline:
        client(server).status()
    texts = [caplog.text, str(caught.value), str(offline.value)]
    texts += [str(path) for path in settop_home.rglob("*")]
    assert not [t for t in texts if PASSWORD in t or USERNAME + "/" in t]


@pytest.mark.parametrize(("text", "expected"), [
    ("example.com:8080", "http://example.com:8080"),
    ("http://example.com:8080/", "http://example.com:8080"),
    ("https://Example.com/panel/player_api.php?username=a&password=b", "https://Example.com/panel"),
    ("http://u:p@example.com/get.php", "http://example.com"),
], ids=["bare", "slash", "pasted-api", "userinfo"])
def test_server_addresses_are_normalised(text: str, expected: str) -> None:
    assert normalise_server(text) == expected


@pytest.mark.parametrize("text", ["", "ftp://example.com", "http://", "http://host:99999"],
                         ids=["empty", "ftp", "no-host", "bad-port"])
def test_bad_server_addresses_are_refused(text: str) -> None:
    with pytest.raises(XtreamError) as caught:
        normalise_server(text)
    assert caught.value.kind == "address"


def test_a_pasted_m3u_address_gives_the_whole_account() -> None:
    account = account_from_address("http://example.com:8080/get.php?username=ann&password=pw&type=m3u_plus")
    assert (account.server, account.username, account.password) == ("http://example.com:8080", "ann", "pw")
    assert "pw" not in repr(account)
