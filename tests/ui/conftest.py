"""UI test fixtures: the real window, dispatcher and keymap around a fake or real player."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import QWidget

from settop import app as app_module
from settop.core.state.settings import Settings
from settop.core.state.store import StateStore
from settop.input.keymap import Keymap
from tests.conftest import DATA
from tests.ui.fakes import FakeBridge, FakePlayer

SMALL = DATA / "ui" / "small.m3u"


def no_logos(url: str) -> Path | None:
    return None


@pytest.fixture
def make_app(qtbot: Any) -> Iterator[Callable[..., app_module.App]]:
    """Builds the real UI around a FakePlayer through ``settop.app.compose`` (``guide=GuideSetup(store)`` adds the
    guide); every app is closed at the end of the test."""
    built: list[app_module.App] = []

    def make(player: Any = None, events: Any = None, surface: QWidget | None = None, **kwargs: Any) -> app_module.App:
        settings, messages = Settings.load()
        state = StateStore()
        keymap, _warnings = Keymap.load(overrides=app_module.keymap_overrides(settings))
        player = player or FakePlayer()
        events = events or FakeBridge(player)
        surface = surface or QWidget()
        kwargs.setdefault("file_roots", [])
        kwargs.setdefault("logos", no_logos)
        app = app_module.compose(settings=settings, state=state, keymap=keymap, player=player, events=events,
                                 surface=surface, startup_messages=messages, **kwargs)
        app.window.resize(1280, 720)
        app.window.show()
        qtbot.addWidget(app.window)
        built.append(app)
        return app

    yield make
    for app in built:
        app.close()


def press(qtbot: Any, app: app_module.App, *keys: Qt.Key | str) -> None:
    """Send keys to the window as a remote would (through the app's event filter)."""
    for key in keys:
        if isinstance(key, str):
            qtbot.keyClicks(app.window, key)
        else:
            qtbot.keyClick(app.window, key)


def load(qtbot: Any, app: app_module.App, source: Path | str = SMALL) -> None:
    with qtbot.waitSignal(app.shell.playlist_loaded, timeout=10000):
        app.shell.start(str(source))


from tests.ui.vlcfixtures import stream_server, vlc_app  # noqa: E402,F401 - fixtures for the libVLC flow tests
