"""The one place that looks at key codes: Qt key -> Button -> (context, button, long) -> action -> screens.

Installed as an application event filter. Screens only ever see action names. Holding a button that has a
``long_`` binding in the current context (OK -> context menu) waits for the release or the long-press timer;
every other button acts on press and repeats with the keyboard's auto-repeat.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from PyQt6.QtCore import QEvent, QObject, Qt, QTimer
from PyQt6.QtGui import QGuiApplication, QKeyEvent
from PyQt6.QtWidgets import QWidget

from settop.input.buttons import LTR_CONTEXTS, MIRRORED, Action, Button, Context
from settop.input.keymap import Keymap
from settop.input.keys import button_for_key_name
from settop.ui.screen import ActionTable, run_action

log = logging.getLogger("settop.ui.input")

LONG_PRESS_MS = 550
RELEASE_GRACE_MS = 60  # auto-repeat that Qt does not flag arrives as release + press within a few ms
_MOD = Qt.KeyboardModifier
_TEXT_MODIFIERS = _MOD.ControlModifier | _MOD.AltModifier | _MOD.MetaModifier


def key_name(key: int) -> str:
    """The ``Qt.Key`` member name of a key code ("" when Qt has no name for it)."""
    try:
        return Qt.Key(key).name or ""
    except ValueError:
        return ""


class ActionTarget(Protocol):
    """What the dispatcher drives (the main window): the current context, text input and actions."""

    def current_context(self) -> Context: ...

    def accepts_text(self) -> bool: ...

    def dispatch_text(self, text: str) -> bool: ...

    def dispatch(self, action: Action) -> bool: ...


@dataclass(slots=True)
class _Held:
    key: int
    button: Button
    context: Context
    fired: bool = False


class KeyDispatcher(QObject):
    """Turns key events for ``owns(widget)`` widgets into actions for ``target`` (the main window).

    fallback: what the app does with an action no screen and not the window used (Guide opens the grid, Menu
    the settings).
    """

    def __init__(self, keymap: Keymap, target: ActionTarget, owns: Callable[[QWidget], bool], *,
                 fallback: ActionTable | None = None, long_press_ms: int = LONG_PRESS_MS,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.keymap = keymap
        self.target = target
        self.fallback: ActionTable = fallback or {}
        self.owns = owns
        self._held: _Held | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(long_press_ms)
        self._timer.timeout.connect(self._long_press)
        self._release_timer = QTimer(self)
        self._release_timer.setSingleShot(True)
        self._release_timer.setInterval(RELEASE_GRACE_MS)
        self._release_timer.timeout.connect(self._released)
        # Only X11 repeats held keys as unmarked release + press pairs; elsewhere a release is final at once.
        self._release_grace = QGuiApplication.platformName() == "xcb"
        self._typed_last = False

    def eventFilter(self, obj: QObject | None, event: QEvent | None) -> bool:
        if event is None or event.type() not in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            return False
        if not isinstance(obj, QWidget) or not self.owns(obj) or not isinstance(event, QKeyEvent):
            return False
        if event.type() == QEvent.Type.KeyPress:
            return self._press(event)
        return self._release(event)

    # -- presses -----------------------------------------------------------------------------------------------
    def _press(self, event: QKeyEvent) -> bool:
        target = self.target
        typing = bool(target.accepts_text())
        name = key_name(event.key())
        if typing and self._typed_text(event, name):
            return True
        button = button_for_key_name(name, typing=typing) if name else None
        if button is None:
            return False
        self._typed_last = False
        if self._held is not None and self._held.key == event.key():
            self._release_timer.stop()  # auto-repeat of a button waiting for its long press
            return True
        context = target.current_context()
        if not event.isAutoRepeat() and self.keymap.has_long(context, button):
            self._held = _Held(event.key(), button, context)
            self._timer.start()
            return True
        self._resolve_and_dispatch(context, button, long=False)
        return True

    def _typed_text(self, event: QKeyEvent, name: str) -> bool:
        """Desktop typing into a text field: characters, Backspace, and Enter after typing."""
        target = self.target
        if name == "Key_Backspace":
            self._typed_last = True
            return bool(target.dispatch_text("\b"))
        if name in ("Key_Return", "Key_Enter") and self._typed_last:
            self._typed_last = False
            return bool(target.dispatch_text("\n"))
        text = event.text()
        plain = not (event.modifiers() & _TEXT_MODIFIERS)
        if text and text.isprintable() and plain and button_for_key_name(name, typing=True) is None:
            self._typed_last = True
            return bool(target.dispatch_text(text))
        return False

    def _release(self, event: QKeyEvent) -> bool:
        held = self._held
        if held is None or held.key != event.key():
            return False
        if event.isAutoRepeat():
            return True
        # Some X servers (and xdotool) repeat a held key as release + press pairs Qt does not mark as auto-repeat:
        # the release only counts when no press of the same key follows at once.
        if self._release_grace:
            self._release_timer.start()
        else:
            self._released()
        return True

    def _released(self) -> None:
        held, self._held = self._held, None
        self._timer.stop()
        if held is not None and not held.fired:
            self._resolve_and_dispatch(held.context, held.button, long=False)

    def _long_press(self) -> None:
        held = self._held
        if held is None:
            return
        held.fired = True
        self._resolve_and_dispatch(held.context, held.button, long=True)

    def _resolve_and_dispatch(self, context: Context, button: Button, long: bool) -> None:
        if button in MIRRORED and context not in LTR_CONTEXTS and \
                QGuiApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft:
            button = MIRRORED[button]
        action = self.keymap.resolve(context, button, long)
        log.debug("key %s%s in %s -> %s", "long " if long else "", button, context, action)
        if action is not None and not self.target.dispatch(action) and not run_action(self.fallback, action):
            log.debug("action %s unused in %s", action, context)
