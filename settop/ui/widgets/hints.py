"""On-screen key hints made from the active keymap: a hint names only keys that do, on that screen, what it says.

A screen declares its hint as :class:`Hint` items (the actions, and what they do in words); :func:`hint_line` finds
the buttons bound to each action in the screen's context, names them as the remote labels them ("OK", "P+",
"Red") and leaves out an item whose action no button reaches. Each key name is a bidi isolate, so "P+/P−" stays
"P+/P−" inside an Arabic line.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from settop.i18n import N_, _, is_rtl
from settop.input.buttons import LTR_CONTEXTS, MIRRORED, NUMBER_ACTIONS, Action, Button, Context
from settop.input.keymap import Keymap

SEPARATOR = " · "

# How a remote labels its buttons, in the order a hint prefers them (remote buttons before keyboard ones).
KEY_NAMES: dict[Button, str] = {
    Button.up: "▲", Button.down: "▼", Button.left: "◀", Button.right: "▶",
    Button.select: N_("OK"), Button.back: N_("Back"), Button.menu: N_("Menu"), Button.info: N_("Info"),
    Button.guide: N_("Guide"), Button.channel_up: "P+", Button.channel_down: "P−",
    Button.red: N_("Red"), Button.green: N_("Green"), Button.yellow: N_("Yellow"), Button.blue: N_("Blue"),
    Button.fast_forward: "⏩", Button.rewind: "⏪", Button.play_pause: "⏯", Button.stop: "⏹",
    Button.page_up: N_("PgUp"), Button.page_down: N_("PgDn"), Button.home: N_("Home"), Button.end: N_("End"),
    Button.search: "/", Button.favorites: "★", Button.dot: ".", Button.record: N_("Record"),
}  # fmt: skip
DIGITS = "0–9"


@dataclass(frozen=True, slots=True)
class Hint:
    """One part of a hint line: ``actions`` (one key each, joined: "▲▼", "Green/Yellow") and what they do;
    ``NUMBER_ACTIONS`` as the actions is shown as "0–9"."""

    actions: tuple[Action, ...]
    label: str  # an N_() message, translated when the line is made

    @classmethod
    def of(cls, label: str, *actions: Action) -> Hint:
        return cls(tuple(actions), label)


def isolate(text: str) -> str:
    """A key name as a bidi isolate: laid out on its own whatever the line's direction. Names without letters of a
    right-to-left script ("0–9", "P+/P−", "OK") are held left to right, so "0–9" never reads "9–0"."""
    if any(unicodedata.bidirectional(char) in ("R", "AL") for char in text):
        return "\u2068" + text + "\u2069"  # first-strong isolate: the name keeps its own direction
    # Left-to-right marks rather than an LRI: Qt 6 still orders digits inside an LRI right to left ("9–0").
    return "\u200e" + text + "\u200e"


def key_name(keymap: Keymap, context: Context, action: Action) -> str:
    """The name of the best button for ``action`` in ``context`` ("" when no button does it).

    In a right-to-left language the dispatcher swaps Left and Right (outside LTR_CONTEXTS), so the key the
    viewer presses for a "left" action is the one marked ▶.
    """
    buttons = [button for button, long in keymap.buttons_for(context, action) if not long]
    named = [b for b in KEY_NAMES if b in buttons]
    if not named:
        return ""
    button = named[0]
    if is_rtl() and context not in LTR_CONTEXTS:
        button = MIRRORED.get(button, button)
    return _(KEY_NAMES[button])


def _digits_bound(keymap: Keymap, context: Context) -> bool:
    return all(keymap.resolve(context, Button(f"number_{d}")) is NUMBER_ACTIONS[d] for d in range(10))


def hint_parts(keymap: Keymap, context: Context, hints: Sequence[Hint]) -> list[tuple[str, str]]:
    """(keys, words) of each hint whose every action has a key here; keys already isolated."""
    parts: list[tuple[str, str]] = []
    for hint in hints:
        if hint.actions == NUMBER_ACTIONS:
            if _digits_bound(keymap, context):
                parts.append((isolate(DIGITS), _(hint.label)))
            continue
        names = [key_name(keymap, context, action) for action in hint.actions]
        if not all(names):
            continue
        arrows = all(len(n) == 1 and n in "▲▼◀▶" for n in names)
        parts.append((isolate(("" if arrows else "/").join(names)), _(hint.label)))
    return parts


def hint_line(keymap: Keymap | None, context: Context, hints: Sequence[Hint]) -> str:
    """``▲▼ channel  ·  P+/P− page  ·  OK watch`` for ``hints`` as the keymap binds them in ``context``."""
    if keymap is None:
        keymap = Keymap.load()[0]
    return SEPARATOR.join(f"{keys} {words}" for keys, words in hint_parts(keymap, context, hints))
