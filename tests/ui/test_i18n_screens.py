"""Every main screen in English, French and Arabic (right to left), switched at run time; arrow keys in RTL.

Screenshots go to ``tmp_path``, or to docs/screenshots (``i18n-<screen>-<lang>.png``) when SETTOP_SCREENSHOTS=1
(``make screenshots-i18n`` style runs that refresh the committed images).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PyQt6.QtCore import Qt
from PyQt6.QtGui import QFontDatabase
from PyQt6.QtWidgets import QApplication, QLabel

from settop import app as app_module
from settop import i18n
from settop.core.guide.store import GuideStore
from settop.core.playlist.m3u import parse
from settop.ui.i18n_qt import apply_language
from tests.ui.conftest import load, press
from tests.ui.fakes import FakeBridge, FakePlayer
from tests.ui.guidefixtures import ready_guide

ROOT = Path(__file__).resolve().parents[2]
SLOT = 1800
# Mixed Arabic and Latin names, as real Maghreb and Gulf playlists have them.
CHANNELS = [
    ("1", "ar.jazeera", "أخبار", "الجزيرة HD"),
    ("2", "fr24.ar", "أخبار", "France 24 العربية"),
    ("3", "bein.1", "Sport", "beIN Sports 1 عربي"),
    ("4", "tf1", "France", "TF1"),
    ("5", "mbc1", "Divertissement", "MBC 1"),
]
TITLES = ["نشرة الأخبار", "Le journal de 20h", "Match: الهلال vs Al-Nassr", "Documentaire", "مسلسل الليلة"]


def _stamp(epoch: int) -> str:
    return time.strftime("%Y%m%d%H%M%S +0000", time.gmtime(epoch))


@pytest.fixture
def world(tmp_path: Path) -> tuple[Path, GuideStore]:
    """A five-channel playlist and a guide of half-hour programmes from 3 hours ago to 6 hours ahead."""
    guide = tmp_path / "guide.xml"
    first = int(time.time()) // SLOT * SLOT - 3 * 3600
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<tv>"]
    for _number, gid, _group, name in CHANNELS:
        lines.append(f'<channel id="{gid}"><display-name>{name}</display-name></channel>')
        for slot in range(18):
            start = first + slot * SLOT
            lines.append(f'<programme start="{_stamp(start)}" stop="{_stamp(start + SLOT)}" channel="{gid}">'
                         f"<title>{TITLES[(slot + len(gid)) % len(TITLES)]}</title><desc>—</desc></programme>")
    lines.append("</tv>")
    guide.write_text("\n".join(lines), encoding="utf-8")
    playlist = tmp_path / "mixed.m3u"
    entries = [f'#EXTINF:-1 tvg-chno="{n}" tvg-id="{gid}" group-title="{group}",{name}\nhttp://127.0.0.1:9/{gid}.ts'
               for n, gid, group, name in CHANNELS]
    playlist.write_text("#EXTM3U\n" + "\n".join(entries) + "\n", encoding="utf-8")
    store = GuideStore(tmp_path / "guide-cache" / "guide.db")
    store.ingest(str(guide), guide, parse(playlist.read_text(encoding="utf-8")).channels, now=time.time())
    return playlist, store


@pytest.fixture
def language() -> Iterator[Callable[[str], None]]:
    def switch(code: str) -> None:
        apply_language(code, "auto")

    yield switch
    apply_language("en", "auto")


@pytest.fixture
def guided(qtbot: Any, make_app: Callable[..., app_module.App], world: tuple[Path, GuideStore]
           ) -> app_module.App:
    playlist, store = world
    player = FakePlayer()
    events = FakeBridge(player)
    app = make_app(player=player, events=events, guide=ready_guide(store))
    load(qtbot, app, playlist)
    return app


def _shot_dir(tmp_path: Path) -> Path:
    return ROOT / "docs" / "screenshots" if os.environ.get("SETTOP_SCREENSHOTS") == "1" else tmp_path


def _shoot(app: app_module.App, folder: Path, name: str, code: str) -> None:
    QApplication.processEvents()
    path = folder / f"i18n-{name}-{code}.png"
    assert app.window.grab().save(str(path)), path


def _open_row(qtbot: Any, app: app_module.App, screen: Any, label: str) -> None:
    for _step in range(len(screen.rows) + 1):
        if screen.rows[screen.page.focus].label == label:
            break
        press(qtbot, app, Qt.Key.Key_Down)
    assert screen.rows[screen.page.focus].label == label, [row.label for row in screen.rows]
    press(qtbot, app, Qt.Key.Key_Return)


def test_arabic_fonts_are_installed(qapp: Any) -> None:
    families = QFontDatabase.families(QFontDatabase.WritingSystem.Arabic)
    assert "Noto Sans Arabic" in families or "Noto Naskh Arabic" in families, families


@pytest.mark.parametrize("code", ["en", "fr", "ar"])
def test_main_screens_in_each_language(qtbot: Any, guided: app_module.App, tmp_path: Path,
                                       language: Callable[[str], None], code: str) -> None:
    app = guided
    language(code)  # switched at run time, with the live screen already up
    assert app.window.isRightToLeft() == (code == "ar")
    folder = _shot_dir(tmp_path)
    live = app.live

    press(qtbot, app, Qt.Key.Key_I)
    if not live.banner.isVisible():  # it was already up from the start-up tune: Info toggled it off
        press(qtbot, app, Qt.Key.Key_I)
    assert live.banner.isVisible()
    _shoot(app, folder, "live-banner", code)

    press(qtbot, app, Qt.Key.Key_Escape, Qt.Key.Key_Return)
    panel = live.channel_list
    assert app.window.has(panel)
    title = panel.title.text()
    assert {"en": "All channels", "fr": "Toutes les chaînes", "ar": "كل القنوات"}[code] in title
    panels = [p for p, _rect in panel.geometry_for(app.window.rect(), app.window.theme)]
    middle = panels[0].geometry().center().x()
    assert (middle > app.window.width() // 2) == (code == "ar")  # opens from the side the screen reads from
    _shoot(app, folder, "channel-list", code)
    press(qtbot, app, Qt.Key.Key_Blue, "fr")  # search with the on-screen keyboard (typed here)
    assert panel.query == "fr"
    _shoot(app, folder, "search", code)
    press(qtbot, app, Qt.Key.Key_Escape, Qt.Key.Key_Escape)
    if app.window.has(panel):
        press(qtbot, app, Qt.Key.Key_Escape)

    press(qtbot, app, Qt.Key.Key_Guide)
    assert app.window.active() is app.grid
    _shoot(app, folder, "guide", code)
    press(qtbot, app, Qt.Key.Key_Escape)

    press(qtbot, app, Qt.Key.Key_Menu)
    screen = app.navigation.settings_screen
    assert app.window.active() is screen
    labels = [row.label for row in screen.rows]
    assert {"en": "Language", "fr": "Langue", "ar": "اللغة"}[code] in labels, labels
    _shoot(app, folder, "settings", code)
    _open_row(qtbot, app, screen, i18n._("Language"))
    _shoot(app, folder, "settings-language", code)
    press(qtbot, app, Qt.Key.Key_Escape)
    _open_row(qtbot, app, screen, i18n._("Parental lock"))
    _open_row(qtbot, app, screen, i18n._("Set a PIN"))
    assert app.window.active() is not screen  # the PIN prompt
    _shoot(app, folder, "pin", code)
    press(qtbot, app, Qt.Key.Key_Escape, Qt.Key.Key_Escape, Qt.Key.Key_Escape)

    press(qtbot, app, Qt.Key.Key_1, Qt.Key.Key_2)
    assert live.numbers.box.isVisible()
    assert live.numbers.box.name.text() == {"en": "No channel 12", "fr": "Pas de chaîne 12",
                                           "ar": "لا توجد قناة رقم ١٢"}[code]  # one digit setting: Arabic digits
    _shoot(app, folder, "number-missing", code)


def test_language_page_switches_to_arabic_from_the_remote(qtbot: Any, guided: app_module.App,
                                                         language: Callable[[str], None]) -> None:
    app = guided
    language("en")
    app.player.set_audio_languages(("en",))  # what VlcPlayer holds; the setting is empty: it follows the interface
    press(qtbot, app, Qt.Key.Key_Menu)
    screen = app.navigation.settings_screen
    while screen.rows[screen.page.focus].label != "Language":
        press(qtbot, app, Qt.Key.Key_Down)
    press(qtbot, app, Qt.Key.Key_Return)
    while screen.rows[screen.page.focus].label != "العربية":
        press(qtbot, app, Qt.Key.Key_Down)
    press(qtbot, app, Qt.Key.Key_Return)
    assert i18n.language() == "ar" and app.window.isRightToLeft()
    assert isinstance(app.player, FakePlayer)
    assert app.settings.get_str("ui.language") == "ar" and app.player.audio_languages == ("ar",)
    assert any(row.label == "لغة الواجهة" for row in screen.rows)  # the page rebuilt in Arabic
    press(qtbot, app, Qt.Key.Key_Escape, Qt.Key.Key_Escape)
    press(qtbot, app, Qt.Key.Key_I)
    texts = " ".join(label.text() for label in app.live.banner.findChildren(QLabel))
    assert "الجزيرة HD" in texts


@pytest.mark.parametrize("code", ["en", "ar"])
def test_arrows_follow_the_reading_direction(qtbot: Any, guided: app_module.App,
                                             language: Callable[[str], None], code: str) -> None:
    app = guided
    language(code)
    forward, backward = (Qt.Key.Key_Left, Qt.Key.Key_Right) if code == "ar" else (Qt.Key.Key_Right, Qt.Key.Key_Left)

    # Channel list: "forward" (the way the screen reads) is the next group.
    press(qtbot, app, Qt.Key.Key_Return)
    panel = app.live.channel_list
    first = panel.current_group()
    press(qtbot, app, forward)
    second = panel.current_group()
    assert second != first and [g.name for g in panel.groups].index(second) == 1
    press(qtbot, app, backward)
    assert panel.current_group() == first
    # The on-screen keyboard keeps its Latin letters left to right in every language: Right is the next key.
    press(qtbot, app, Qt.Key.Key_Blue, Qt.Key.Key_Right)
    assert panel.searching and panel.keyboard.col == 1
    press(qtbot, app, Qt.Key.Key_Escape)
    if app.window.has(panel):
        press(qtbot, app, Qt.Key.Key_Escape)

    # Guide: "forward" focuses the next programme, drawn further along the reading direction.
    press(qtbot, app, Qt.Key.Key_Guide)
    grid = app.grid
    assert grid is not None
    before = grid.model.focused()
    press(qtbot, app, forward)
    after = grid.model.focused()
    assert before is not None and after is not None and after.start == before.stop
    panel_grid = grid.grid
    x_before = panel_grid.flip_x(panel_grid.x_of(before.start))
    x_after = panel_grid.flip_x(panel_grid.x_of(after.start))
    assert (x_after < x_before) == (code == "ar")
    press(qtbot, app, backward)
    assert grid.model.focused().start == before.start


def test_welcome_retranslates_live(qtbot: Any, make_app: Callable[..., app_module.App], tmp_path: Path,
                                   language: Callable[[str], None]) -> None:
    app = make_app()
    app.shell.start(None)
    welcome = app.shell.welcome
    assert app.window.active() is welcome
    folder = _shot_dir(tmp_path)
    expected = {"en": "Add a playlist by address", "fr": "Ajouter une liste de lecture par son adresse",
                "ar": "إضافة قائمة تشغيل بعنوانها"}
    for code in ("fr", "ar", "en"):
        language(code)
        assert welcome.buttons[0].text() == expected[code]
        assert welcome.isRightToLeft() == (code == "ar")
        _shoot(app, folder, "welcome", code)
