"""Settings (Menu) with the remote alone: every page reached and changed with keys, validated, persisted, applied."""

from __future__ import annotations

from typing import Any

import pytest
from PyQt6.QtCore import Qt

from settop import app as app_module
from settop.core.state.settings import Settings
from settop.ui.settings.screen import SettingsScreen
from tests.ui.conftest import load, press
from tests.ui.fakes import FakeBridge, FakePlayer


class Remote:
    """Drives the settings screen by row labels, pressing only remote keys."""

    def __init__(self, qtbot: Any, app: app_module.App) -> None:
        self.qtbot, self.app = qtbot, app

    @property
    def screen(self) -> SettingsScreen:
        screen = self.app.navigation.settings_screen
        assert screen is not None
        return screen

    def focus(self, label: str) -> None:
        rows = self.screen.rows
        target = next(i for i, row in enumerate(rows) if row.label.startswith(label) and not row.header)
        while self.screen.page.focus != target:
            press(self.qtbot, self.app, Qt.Key.Key_Down)

    def ok(self, label: str) -> None:
        self.focus(label)
        press(self.qtbot, self.app, Qt.Key.Key_Return)

    def right(self, label: str, times: int = 1) -> None:
        self.focus(label)
        for _ in range(times):
            press(self.qtbot, self.app, Qt.Key.Key_Right)

    def value(self, label: str) -> str:
        return next(row.value for row in self.screen.rows if row.label.startswith(label))

    def type(self, text: str) -> None:
        """Type into the open on-screen keyboard (its text first cleared with the Clear key) and press Done."""
        keyboard = self.app.window.active().keyboard
        keyboard.set_text("")
        press(self.qtbot, self.app, text, Qt.Key.Key_Blue)  # Blue: Done

    def back(self, times: int = 1) -> None:
        for _ in range(times):
            press(self.qtbot, self.app, Qt.Key.Key_Escape)


@pytest.fixture
def remote(qtbot: Any, make_app: Any) -> Remote:
    player = FakePlayer()
    events = FakeBridge(player)
    app = make_app(player=player, events=events)
    load(qtbot, app)
    press(qtbot, app, Qt.Key.Key_Menu)
    assert app.window.active() is app.navigation.settings_screen
    return Remote(qtbot, app)


def saved() -> Settings:
    return Settings.load()[0]


def test_playlists_page(remote: Remote) -> None:
    remote.ok("Playlists")
    remote.ok("small")
    remote.right("Refresh every")
    remote.ok("Allow insecure")
    remote.ok("Name")
    remote.type("Home TV")
    remote.ok("User agent")
    remote.type("tvbox")
    assert remote.value("Name") == "Home TV" and remote.value("Refresh every") == "25 h"
    playlist = saved().playlists()[0]
    assert (playlist.name, playlist.refresh_hours, playlist.allow_insecure, playlist.user_agent) == \
        ("Home TV", 25.0, True, "tvbox")
    remote.back()
    remote.ok("Add a playlist by address")
    remote.type("ftp:x")
    assert remote.screen.note_error and "not an http(s) address" in remote.screen.note
    remote.ok("Add a playlist by address")
    remote.type("http://127.0.0.1:9/second.m3u")
    assert [p.source for p in saved().playlists()][-1] == "http://127.0.0.1:9/second.m3u"
    remote.ok("Home TV")
    remote.ok("Enabled")
    assert not saved().playlists()[0].enabled


def test_guide_pages_validate_and_persist(remote: Remote) -> None:
    remote.ok("Guide sources")
    remote.ok("Add a guide address")
    remote.type("nonsense")
    assert remote.screen.note_error and "neither" in remote.screen.note
    remote.back()
    remote.ok("Time offsets")
    remote.right("All channels", 3)
    remote.right("This channel", 2)
    remote.back()
    remote.ok("Guide window")
    remote.right("Days back")
    remote.ok("Days ahead")
    remote.type("99")
    assert remote.screen.note_error and "between 1 and 31" in remote.screen.note
    remote.ok("Guide languages")
    remote.type("en, de")
    settings = saved()
    assert settings.get_float("guide.offset_hours") == 1.5
    assert settings.get_list("guide.channel_offsets") == [f"{remote.app.live.current_key()}=1"]
    assert settings.get_int("guide.past_days") == 2 and settings.get_int("guide.future_days") == 7
    assert settings.get_list("guide.languages") == ["en", "de"]


def test_live_playback_groups_keymap_about(remote: Remote) -> None:
    app = remote.app
    remote.ok("Live TV")
    remote.right("Info banner seconds")
    assert app.live.banner_hider.seconds == 6  # applied without a restart
    remote.ok("Up/Down change channel")
    remote.back()
    remote.ok("Playback")
    remote.right("Picture shape")
    remote.ok("Hardware decoding")  # a choice menu
    press(remote.qtbot, app, Qt.Key.Key_Down, Qt.Key.Key_Return)
    remote.ok("Audio languages")
    remote.type("fr, en")
    remote.ok("Network buffer")
    remote.type("lots")
    assert remote.screen.note_error and "not a whole number" in remote.screen.note
    remote.back()
    remote.ok("Hidden groups")
    remote.ok("Sport")
    remote.back()
    remote.ok("Keymap")
    assert any(row.header and row.label == "guide" for row in remote.screen.rows)
    remote.back()
    remote.ok("About")
    assert remote.value("settop") and remote.value("Licence") == "GPL-3.0-or-later"
    assert remote.value("libVLC") == "3.0.99 Fake"  # asked of the running player (FakePlayer here)
    remote.ok("Legal notice")
    assert "licensed" in app.window.active().body
    remote.back(3)
    assert app.window.active() is app.live
    settings = saved()
    assert settings.get_int("live.osd_seconds") == 6 and not settings.get_bool("live.up_down_zaps")
    assert settings.get_str("playback.aspect") == "16:9" and settings.get_str("playback.hw_decoding") == "vaapi"
    assert settings.get_list("playback.audio_languages") == ["fr", "en"]
    assert settings.get_list("ui.hidden_groups") == ["Sport"]


@pytest.mark.parametrize(("label", "restart"), [("Quit settop", False), ("Restart settop", True)],
                         ids=["quit", "restart"])
def test_menu_power_quits_or_restarts(qtbot: Any, remote: Remote, label: str, restart: bool) -> None:
    app = remote.app
    remote.ok("Power")
    with qtbot.waitSignal(app.window.closing, timeout=3000):
        remote.ok(label)
    assert app.closed and not app.window.isVisible()  # the player stopped and the state was saved
    assert (app.window.exit_code == app.window.RESTART) is restart


def test_restart_runs_settop_again_with_its_arguments(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setattr(sys, "argv", ["/x/.venv/bin/settop", "--windowed", "list.m3u"])
    assert app_module.restart_command() == [sys.executable, "-m", "settop", "--windowed", "list.m3u"]


def test_long_lists_say_there_is_more_and_home_end_jump(remote: Remote) -> None:
    screen = remote.screen
    above, below = screen.hidden_rows()
    assert above == 0 and below > 0  # Parental lock, Keymap, About, Power are below the fold: "▼ n more"
    press(remote.qtbot, remote.app, Qt.Key.Key_End)
    assert screen.focused() is not None and screen.focused().label == "Power"
    above, below = screen.hidden_rows()
    assert above > 0 and below == 0  # the focus stays in view, and "▲ n more" says what is above
    press(remote.qtbot, remote.app, Qt.Key.Key_Home)
    first = next(row for row in screen.rows if not row.header)
    assert screen.focused() is first
    assert screen.hidden_rows() == (0, below + above)


def test_the_banner_never_draws_over_the_settings(qtbot: Any, make_app: Any) -> None:
    app = make_app()
    load(qtbot, app)
    app.live.show_banner()
    assert app.live.banner.isVisible()
    press(qtbot, app, Qt.Key.Key_Menu)
    assert app.window.active() is app.navigation.settings_screen
    assert not app.live.banner.isVisible()  # opening the menu took it away
    app.live.tune(1)  # a tune under the menu (a playlist switch, a reconnect) does not bring it back
    assert not app.live.banner.isVisible()
    press(qtbot, app, Qt.Key.Key_Escape)
    assert app.window.active() is app.live
    press(qtbot, app, Qt.Key.Key_I)  # Info on live TV shows it again
    assert app.live.banner.isVisible()


def test_a_playlist_added_in_the_menu_loads_at_once_with_progress(remote: Remote) -> None:
    from tests.helpers.faultserver import FaultServer

    app = remote.app
    with FaultServer() as server:
        server.files["second.m3u"] = (b"#EXTM3U\n#EXTINF:-1,Second Channel\nhttp://127.0.0.1:9/s.ts\n",
                                      "audio/x-mpegurl")
        progress: list[str] = []
        app.shell.loader.progress.connect(lambda text, _done, _total: progress.append(text))
        remote.ok("Playlists")
        remote.ok("Add a playlist by address")
        with remote.qtbot.waitSignal(app.shell.load_finished, timeout=10000):
            remote.type(server.url("/file/second.m3u"))
    assert progress  # the loading was shown
    assert "Second Channel" in [c.name for c in app.live.lineup.channels]  # no "Refresh now" needed
