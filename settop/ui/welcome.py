"""First run: the welcome screen (add a playlist by address or file, or watch the demo) and the text entry."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cached_property, partial
from pathlib import Path

from PyQt6.QtCore import QRect, Qt, pyqtSignal
from PyQt6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from settop.i18n import N_, _
from settop.input.buttons import Action, Context
from settop.ui.screen import WINDOW_ACTIONS, ActionTable, Screen, run_action
from settop.ui.widgets import theme as th
from settop.ui.widgets.hints import SEPARATOR, Hint
from settop.ui.widgets.keyboard import KEYBOARD_HINTS, OnScreenKeyboard
from settop.ui.widgets.localefmt import bidi
from settop.ui.widgets.menu import MenuItem, MenuScreen
from settop.ui.widgets.overlay import Panel

PLAYLIST_SUFFIXES = (".m3u", ".m3u8", ".m3u.gz", ".m3u8.gz")


class WelcomeScreen(Panel, Screen):
    """Full-window first-run screen (context ``welcome``); each choice is a (label, callback) pair, the label a
    catalogue id (``N_``) so a language switch retranslates it."""

    context = Context.welcome
    hints = (Hint.of(N_("choose"), Action.up, Action.down), Hint.of(N_("confirm"), Action.select))

    def show_hint(self, text: str) -> None:
        self.hint.setText(text)
    covers_video = True

    def __init__(self, choices: Sequence[tuple[str, Callable[[], None]]], parent: QWidget | None = None) -> None:
        super().__init__("WelcomeScreen", parent)
        self.title = QLabel(bidi("settop"), self)  # the name sits where the language starts lines
        self.title.setObjectName("WelcomeTitle")
        self.text = QLabel(_("Live TV from your own playlist.\nAdd a playlist to start watching."), self)
        self.text.setObjectName("WelcomeText")
        self.message = QLabel("", self)
        self.message.setObjectName("NumberEntryMissing")
        self.message.setWordWrap(True)
        self.message.hide()
        self.hint = QLabel(self)
        self.hint.setObjectName("Hint")
        self.buttons: list[QPushButton] = []
        self.labels: list[str] = []
        self.callbacks: list[Callable[[], None]] = []
        box = QVBoxLayout(self)
        box.addStretch(2)
        box.addWidget(self.title)
        box.addWidget(self.text)
        box.addSpacing(30)
        for index, (label, callback) in enumerate(choices):
            button = QPushButton(_(label), self)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _checked=False, i=index: self._choose(i))
            box.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
            self.buttons.append(button)
            self.labels.append(label)
            self.callbacks.append(callback)
        box.addWidget(self.message)
        box.addStretch(3)
        box.addWidget(self.hint)
        self.box = box
        self.focus = 0
        self._paint_focus()

    def retranslate(self) -> None:
        """The interface language changed (``settop.ui.i18n_qt.apply_language``)."""
        self.title.setText(bidi("settop"))
        self.text.setText(_("Live TV from your own playlist.\nAdd a playlist to start watching."))
        for button, label in zip(self.buttons, self.labels, strict=True):
            button.setText(_(label))

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _paint_focus(self) -> None:
        for index, button in enumerate(self.buttons):
            button.setProperty("focused", "true" if index == self.focus else "false")
            th.repolish(button)

    def _choose(self, index: int) -> None:
        self.focus = index
        self._paint_focus()
        self.callbacks[index]()

    def _step(self, step: int) -> None:
        self.focus = (self.focus + step) % len(self.buttons)
        self._paint_focus()

    @cached_property
    def action_table(self) -> ActionTable:
        return {
            **dict.fromkeys((Action.up, Action.left), lambda: self._step(-1)),
            **dict.fromkeys((Action.down, Action.right), lambda: self._step(1)),
            Action.select: lambda: self._choose(self.focus),
            # nothing behind the first-run screen
            **dict.fromkeys((Action.back, Action.context_menu, Action.info, Action.menu), lambda: None),
        }

    def handle_action(self, action: Action) -> bool:
        return run_action(self.action_table, action)

    def geometry_for(self, rect: QRect, theme: th.Theme) -> list[tuple[QWidget, QRect]]:
        safe = theme.safe_rect(rect.width(), rect.height())
        left = theme.px(120)
        self.box.setContentsMargins(safe.x() + left, safe.y(), safe.x() + left, safe.y())
        self.box.setSpacing(theme.px(18))
        for button in self.buttons:
            button.setMinimumWidth(theme.px(720))
        return [(self, rect)]


class TextEntryScreen(Panel, Screen):
    """A text field with the on-screen keyboard (context ``keyboard``); typed text works too.

    on_done(text) runs on Done (or Enter after typing); Back closes without it. Signal ``close_requested``.
    secret: show dots instead of the text (passwords).
    """

    close_requested = pyqtSignal()
    context = Context.keyboard
    hints = KEYBOARD_HINTS

    def show_hint(self, text: str) -> None:
        self.hint.setText(SEPARATOR.join([self.fixed_hint, text]) if self.fixed_hint else text)

    def __init__(self, title: str, on_done: Callable[[str], None], initial: str = "", hint: str = "",
                 parent: QWidget | None = None, *, secret: bool = False) -> None:
        super().__init__("KeyboardPanel", parent)
        self.on_done = on_done
        self.secret = secret  # a password: shown as dots, never as text on screen
        self.title = QLabel(title, self)
        self.title.setObjectName("Title")
        self.field = QLabel(self)
        self.field.setObjectName("SearchField")
        self.field.setProperty("active", "true")
        self.field.setTextFormat(Qt.TextFormat.PlainText)
        self.hint = QLabel(hint, self)
        self.fixed_hint = hint
        self.hint.setObjectName("Hint")
        self.hint.setWordWrap(True)
        self.keyboard = OnScreenKeyboard(parent=self)
        self.keyboard.text_changed.connect(self._show_text)
        self.keyboard.accepted.connect(self._accept)
        box = QVBoxLayout(self)
        box.addWidget(self.title)
        box.addWidget(self.field)
        box.addWidget(self.keyboard)
        box.addWidget(self.hint)
        self.box = box
        self.keyboard.set_text(initial)

    @property
    def text(self) -> str:
        return self.keyboard.text

    def _show_text(self, text: str) -> None:
        if self.secret:
            text = "•" * len(text)
        shown = text if len(text) < 70 else "…" + text[-69:]
        self.field.setText(shown + "▏")

    def _accept(self, text: str) -> None:
        if not text.strip():
            return
        self.close_requested.emit()
        self.on_done(text.strip())

    def accepts_text(self) -> bool:
        return True

    def handle_text(self, text: str) -> bool:
        if text == "\n":
            self._accept(self.keyboard.text)
        else:
            self.keyboard.insert(text)
        return True

    def handle_action(self, action: Action) -> bool:
        if action is Action.back:
            self.close_requested.emit()
            return True
        if self.keyboard.handle_action(action):
            return True
        return action not in WINDOW_ACTIONS

    def geometry_for(self, rect: QRect, theme: th.Theme) -> list[tuple[QWidget, QRect]]:
        self.keyboard.set_theme(theme)
        pad = theme.px(28)
        self.box.setContentsMargins(pad, pad, pad, pad)
        self.box.setSpacing(theme.px(16))
        safe = theme.safe_rect(rect.width(), rect.height())
        width = min(safe.width(), theme.px(1200))
        # Fixed heights: size hints are not reliable before the style sheet has polished the labels.
        self.title.setFixedHeight(theme.px(60))
        self.field.setFixedHeight(theme.px(72))
        self.hint.setFixedHeight(theme.px(40))
        spacing = theme.px(16)
        height = 2 * pad + 3 * spacing + theme.px(60) + theme.px(72) + theme.px(40) + self.keyboard.height()
        return [(self, QRect((rect.width() - width) // 2, safe.bottom() - height, width, height))]


def find_playlist_files(roots: Sequence[Path], limit: int = 40, depth: int = 2) -> list[Path]:
    """Playlist files in ``roots`` (and ``depth`` folders below), newest first, for the file picker."""
    found: list[Path] = []

    def walk(folder: Path, level: int) -> None:
        try:
            entries = list(folder.iterdir())
        except OSError:
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                if entry.is_file() and entry.name.lower().endswith(PLAYLIST_SUFFIXES):
                    found.append(entry)
                elif entry.is_dir() and level < depth:
                    walk(entry, level + 1)
            except OSError:
                continue

    for root in roots:
        walk(root, 0)

    def mtime(path: Path) -> float:
        try:
            return path.stat().st_mtime
        except OSError:
            return 0.0

    return sorted(set(found), key=mtime, reverse=True)[:limit]


def file_picker(files: Sequence[Path], on_pick: Callable[[str], None], type_path: Callable[[], None]) -> MenuScreen:
    """A menu of playlist files found on the box, plus "Type a path…"."""
    items = [MenuItem(f"{path.name}   —   {path.parent}", run=partial(on_pick, str(path))) for path in files]
    if not items:
        items.append(MenuItem(_("No playlist files found in your folders"), header=True))
    items.append(MenuItem(_("Type a path…"), run=type_path))
    return MenuScreen(_("Open a playlist file"), items, side="center")
