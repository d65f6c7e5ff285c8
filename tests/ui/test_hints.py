"""Every on-screen key hint comes from the active keymap and names only keys whose action that screen handles."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pytest

from settop import app as app_module
from settop.input.buttons import NUMBER_ACTIONS, Action, Button, Context
from settop.input.keymap import Keymap
from settop.ui.guide.grid import HINTS as GRID_HINTS
from settop.ui.live.screen import RETRY_HINT, ZAP_HINTS
from settop.ui.welcome import TextEntryScreen
from settop.ui.widgets.dialogs import InfoDialog
from settop.ui.widgets.hints import Hint, hint_line, hint_parts
from settop.ui.widgets.keyboard import SEARCH_HINTS
from settop.ui.widgets.pin import PinPrompt
from tests.ui.conftest import load
from tests.ui.guide.test_guide_service import guided_app

FSI, PDI, LRM = "\u2068", "\u2069", "\u200e"


def bracketed(line: str) -> str:
    """A hint line with each key name in brackets instead of its bidi marks."""
    return line.replace(FSI, "[").replace(PDI, "]").replace(f"{LRM} ", "] ").replace(LRM, "[")


def actions_of(hints: Iterable[Hint]) -> set[Action]:
    return {a for hint in hints for a in hint.actions if hint.actions != NUMBER_ACTIONS} | {
        a for hint in hints if hint.actions == NUMBER_ACTIONS for a in NUMBER_ACTIONS}


def screens(make_app: Callable[..., app_module.App], qtbot: Any) -> list[tuple[str, Any, Context, Any, set[Action]]]:
    """(name, hints, context, keymap, handled actions) of every screen that shows a key hint."""
    app = guided_app(make_app)
    load(qtbot, app)
    keymap = app.keymap
    settings = app.navigation.open_settings()
    entry = TextEntryScreen("title", lambda _text: None)
    pin = PinPrompt("title", lambda _pin: "")
    dialog = InfoDialog("title", "body")
    channel_list = app.live.channel_list
    assert app.grid is not None
    return [
        ("guide", app.grid.hints, Context.guide, keymap, set(app.grid.action_table)),
        ("settings", settings.hints, Context.settings, keymap, set(settings.action_table)),
        ("catchup", app.catchup.hints, Context.catchup, keymap, set(app.catchup.action_table)),
        ("channel_list", channel_list.hints, Context.channel_list, keymap, set(channel_list.action_table)),
        ("channel_list search", SEARCH_HINTS, Context.keyboard, keymap, set(channel_list.keyboard.action_table)),
        ("welcome", app.shell.welcome.hints, Context.welcome, keymap, set(app.shell.welcome.action_table)),
        ("text entry", entry.hints, Context.keyboard, keymap, set(entry.keyboard.action_table) | {Action.back}),
        ("pin", pin.hints, Context.dialog, keymap, set(pin.action_table)),
        ("dialog", dialog.hints, Context.dialog, keymap, set(dialog.action_table)),
        ("live status", (RETRY_HINT, *ZAP_HINTS), Context.live, keymap, set(app.live.action_table)),
    ]


def test_every_hint_names_an_action_its_screen_handles(qtbot: Any, make_app: Callable[..., app_module.App]) -> None:
    for name, hints, context, keymap, handled in screens(make_app, qtbot):
        shown = [h for h in hints if any(True for _ in hint_parts(keymap, context, [h]))]
        missing = actions_of(shown) - handled
        assert not missing, f"{name}: the hint names {sorted(missing)}, which the screen does not handle"
        for hint in shown:  # each key named resolves to the action in this context
            for action in (hint.actions if hint.actions != NUMBER_ACTIONS else ()):
                assert keymap.buttons_for(context, action), f"{name}: no key does {action}"


def test_guide_hint_line_with_the_default_keymap() -> None:
    keymap, _ = Keymap.load()
    line = bracketed(hint_line(keymap, Context.guide, GRID_HINTS))
    assert line == ("[▲▼] channel · [◀▶] programme · [P+/P−] page · [⏪/⏩] time · [Green/Yellow] day · "
                    "[Red] now · [0–9] number · [Blue] search · [Record] record · [OK] watch · [Back] close")


@pytest.mark.parametrize(("unbound", "gone", "still"), [
    ((Button.blue,), "[Blue]", "[/] search"),  # "/" still searches
    ((Button.blue, Button.search), "search", ""),
    ((Button.fast_forward,), "time", ""),  # half a pair: the pair goes
    ((Button.number_5,), "number", ""),
], ids=["blue-only", "no-search-key", "half-a-pair", "a-digit"])
def test_a_hint_follows_the_keymap(unbound: tuple[Button, ...], gone: str, still: str) -> None:
    overrides: Any = {(Context.guide, (button, False)): None for button in unbound}
    keymap, _ = Keymap.load(overrides=overrides)
    line = bracketed(hint_line(keymap, Context.guide, GRID_HINTS))
    assert gone not in line
    assert still in line


def test_key_names_keep_their_order_in_arabic(qapp: Any) -> None:
    from settop.ui.i18n_qt import apply_language

    keymap, _ = Keymap.load()
    apply_language("ar")
    try:
        parts = hint_parts(keymap, Context.guide, GRID_HINTS)
    finally:
        apply_language("en")
    keys = [k for k, _words in parts]
    assert all((k.startswith(FSI) and k.endswith(PDI)) or (k.startswith(LRM) and k.endswith(LRM)) for k in keys)
    assert f"{LRM}P+/P−{LRM}" in keys and f"{LRM}0–9{LRM}" in keys  # left to right inside the right-to-left line
    assert f"{FSI}الأحمر{PDI}" in keys  # a translated key name keeps its own direction
    assert all(not words.isascii() for _k, words in parts)  # the words are Arabic


@pytest.mark.parametrize("key", ["0–9", "P+/P−", "OK"])
def test_a_key_name_reads_left_to_right_inside_an_arabic_line(qapp: Any, key: str) -> None:
    """Qt's own layout of the hint: the first character of the key name is left of its last one."""
    from PyQt6.QtCore import Qt
    from PyQt6.QtGui import QFont, QTextLayout, QTextOption

    from settop.ui.widgets.hints import isolate

    text = "رجوع " + isolate(key) + " إدخال الرمز"
    layout = QTextLayout(text, QFont())
    option = QTextOption()
    option.setTextDirection(Qt.LayoutDirection.RightToLeft)
    layout.setTextOption(option)
    layout.beginLayout()
    line = layout.createLine()
    line.setLineWidth(2000)
    layout.endLayout()
    first, last = text.index(key[0]), text.index(key[-1], text.index(key[0]) + 1)
    assert line.cursorToX(first)[0] < line.cursorToX(last)[0]


# Hint lines still written as text (other screens' own): each key they name is checked against the keymap here,
# so a key named in a hint always reaches an action the screen handles. Key words -> the buttons they mean.
KEY_WORDS: dict[str, tuple[Button, ...]] = {
    "▲▼": (Button.up, Button.down), "◀ ▶": (Button.left, Button.right), "OK": (Button.select,),
    "Back": (Button.back,), "Blue": (Button.blue,), "0-9": tuple(Button(f"number_{d}") for d in range(10)),
    "Green": (Button.green,), "Record": (Button.record,),
}


def _text_hint_cases(make_app: Callable[..., app_module.App]) -> list[tuple[str, str, Context, set[Action]]]:
    from settop.ui.guide.search_view import HINT as SEARCH_HINT
    from settop.ui.guide.search_view import RECORD_HINT, RECORD_TITLES_HINT, TITLES_HINT
    from settop.ui.library.playback import VodScreen
    from settop.ui.timers_view import NoticeScreen

    app = make_app()
    notice = NoticeScreen("title", "text", "Watch", lambda: None, seconds=5)
    late = NoticeScreen("title", "text", "Watch", lambda: None, seconds=5, green=("from the start", lambda: None))
    vod = VodScreen(app.window, app.player, lambda _point: None)
    results = {Action.back, Action.up, Action.down, Action.page_up, Action.page_down, Action.select, Action.blue,
               Action.search}  # GuideSearchScreen.results_table
    return [
        ("reminder notice", "OK  {action}  ·  Back  close", Context.dialog, set(notice.action_table)),
        ("late reminder notice", late.hint(), Context.dialog, set(late.action_table)),
        ("guide search", SEARCH_HINT, Context.dialog, results),
        ("guide search with recording", RECORD_HINT, Context.dialog, results | {Action.record}),
        ("guide search with films", TITLES_HINT, Context.dialog, results),
        ("guide search with recording and films", RECORD_TITLES_HINT, Context.dialog, results | {Action.record}),
        ("film", "◀ ▶  skip (hold to go faster)  ·  0-9  jump to 0-90 %  ·  OK  pause  ·  Back  stop", Context.vod,
         set(vod.action_table)),
    ]


def test_text_hints_name_keys_that_work(qtbot: Any, make_app: Callable[..., app_module.App]) -> None:
    for name, text, context, handled in _text_hint_cases(make_app):
        named = [word for word in KEY_WORDS if word in text]
        assert named, name
        keymap = make_app().keymap
        for word in named:
            for button in KEY_WORDS[word]:
                action = keymap.resolve(context, button)
                assert action in handled, f"{name}: “{word}” is {action} in [{context}], which the screen ignores"
