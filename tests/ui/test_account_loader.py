"""A provider account loads through the app's playlist loader (worker thread, signals) and from the command line."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from settop.app import account_source
from settop.core.sources.xtream import XtreamError
from settop.core.state.settings import PlaylistSource
from tests.helpers.xtreamserver import PASSWORD, USERNAME, XtreamServer


@pytest.fixture
def server() -> Iterator[XtreamServer]:
    with XtreamServer() as running:
        yield running


def account(server: XtreamServer, password: str = PASSWORD) -> PlaylistSource:
    return PlaylistSource(source=server.server, name="My provider", kind="xtream", username=USERNAME,
                          password=password)


def test_the_app_loader_loads_an_account_like_a_playlist(server: XtreamServer, qtbot: QtBot) -> None:
    from settop.ui.loader import PlaylistLoader

    loader = PlaylistLoader()
    with qtbot.waitSignal(loader.loaded, timeout=10000) as loaded:
        loader.load(account(server))
    result = loaded.args[0]
    assert result.lineup is not None and len(result.lineup) == 5
    assert result.lineup.channels[0].url.endswith("/1.ts") and result.max_connections == 2
    assert len(result.library.movies) == 4
    with qtbot.waitSignal(loader.failed, timeout=10000) as failed:
        loader.load(account(server, "wrong"))
    assert "did not accept this user name and password" in failed.args[0] and "wrong" not in failed.args[0]
    loader.shutdown()


def test_the_command_line_names_an_account() -> None:
    args = argparse.Namespace(xtream="provider.example:8080/", username="ann", password="pw")
    source = account_source(args)
    assert source is not None
    assert (source.kind, source.source, source.username, source.password, source.name) == (
        "xtream", "http://provider.example:8080", "ann", "pw", "provider.example:8080")
    assert account_source(argparse.Namespace(xtream=None)) is None
    with pytest.raises(XtreamError, match="needs a user name and a password"):
        account_source(argparse.Namespace(xtream="provider.example", username="ann", password=None))


def test_an_accounts_connection_limit_becomes_the_zap_budgets(server: XtreamServer, qtbot: QtBot,
                                                               make_app: Any) -> None:
    from settop.core.net.budget import ConnectionBudget, source_of
    from settop.core.net.zapcache import ZapCache
    from settop.ui.loader import PlaylistLoader

    loader = PlaylistLoader()
    with qtbot.waitSignal(loader.loaded, timeout=10000) as loaded:
        loader.load(account(server))
    loader.shutdown()
    cache = ZapCache(ConnectionBudget(1))
    try:
        app = make_app(zap_cache=cache)
        app.shell._loaded(loaded.args[0])
        assert cache.budget.limit(source_of(server.server)) == 2  # the panel's max_connections, not the setting
        assert cache.budget.limit("http://elsewhere.example") == 1
    finally:
        cache.close()
