"""`make run` on a fresh machine: the run target's flags start the demo channels when no playlist is configured,
and the user's playlist when one is."""

from __future__ import annotations

import re
import shlex
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from settop import app as app_module
from settop.cli import _app_parser
from settop.core.state import paths
from settop.core.state.settings import PlaylistSource, Settings
from tests.ui.vlcfixtures import write_playlist

ROOT = Path(__file__).resolve().parents[2]


def run_target_flags() -> list[str]:
    """The options the Makefile's ``run`` recipe passes to ``settop`` (before the user's ``$(ARGS)``)."""
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^run:.*\n((?:\t.*\n)+)", text, re.MULTILINE)
    assert recipe is not None, "the Makefile has no run target"
    for line in recipe.group(1).splitlines():
        words = shlex.split(line.strip())
        if words and words[0].endswith("/settop"):
            return [w for w in words[1:] if not w.startswith("$(")]
    raise AssertionError("the run target does not start settop")


@pytest.fixture
def started(qtbot: Any) -> Iterator[list[app_module.App]]:
    apps: list[app_module.App] = []
    yield apps
    for app in apps:
        app.window.close()
        app.close()


def create(qtbot: Any, started: list[app_module.App], *extra: str) -> app_module.App:
    args = _app_parser().parse_args([*run_target_flags(), "--windowed", "--backend", "frames", *extra])
    _qt_app, app = app_module.create(args, frames_size=(160, 90))
    qtbot.addWidget(app.window)
    started.append(app)
    return app


@pytest.mark.vlc
@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="the demo channels are made with ffmpeg")
def test_run_target_starts_the_demo_on_an_empty_home(qtbot: Any, started: list[app_module.App]) -> None:
    assert not any(paths.config_dir().iterdir()), "SETTOP_HOME should start empty"
    app = create(qtbot, started)
    with qtbot.waitSignal(app.shell.playlist_loaded, timeout=30000) as loaded:
        pass
    assert loaded.args[0] > 0
    assert app.shell.source is not None and app.shell.source.name == "Demo channels"
    assert not app.window.has(app.shell.welcome)
    assert not Settings.load()[0].playlists()  # the demo is not remembered as the user's playlist
    assert app.live.current_channel() is not None  # tuned the first demo channel


@pytest.mark.vlc
def test_run_target_starts_the_users_playlist_when_one_is_set(qtbot: Any, started: list[app_module.App],
                                                              stream_server: Any, tmp_path: Path) -> None:
    playlist = write_playlist(tmp_path, stream_server)
    settings, _ = Settings.load()
    settings.set("playlists", [PlaylistSource(source=str(playlist), name="Mine").to_dict()])
    settings.save()
    app = create(qtbot, started)
    with qtbot.waitSignal(app.shell.playlist_loaded, timeout=15000):
        pass
    assert app.shell.source is not None and app.shell.source.source == str(playlist)
    assert app.live.current_channel() is not None and app.live.current_channel().name == "Red One"

