"""Parental lock: the PIN prompt, locked groups and channels, and the gate that asks before tuning one."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import cached_property, partial

from PyQt6.QtCore import QRect, QRectF, Qt, pyqtSignal
from PyQt6.QtGui import QColor, QFontMetrics, QPainterPath, QPaintEvent
from PyQt6.QtWidgets import QWidget

from settop.core.models import Channel
from settop.core.state.parental import prompt_hint
from settop.core.state.settings import Settings, verify_pin
from settop.i18n import N_, _
from settop.input.buttons import NUMBER_ACTIONS, Action, Context
from settop.ui.mainwindow import MainWindow
from settop.ui.screen import DIGITS, WINDOW_ACTIONS, ActionTable, Screen, run_action
from settop.ui.widgets import theme as th
from settop.ui.widgets.hints import Hint
from settop.ui.widgets.overlay import Panel

log = logging.getLogger("settop.ui.widgets.pin")

PIN_LENGTH = 4
TITLE_LINES = 2  # a channel name can make the title long: it wraps onto a second line
_A = Qt.AlignmentFlag
TITLE_FLAGS = _A.AlignCenter | Qt.TextFlag.TextWordWrap


class PinPrompt(Panel, Screen):
    """Four digits with the number keys (context ``dialog``); ``check(pin) -> str`` returns "" when accepted or
    the message to show (the digits clear and it asks again). Back cancels. Signal ``close_requested``."""

    close_requested = pyqtSignal()
    context = Context.dialog
    hints = (Hint(NUMBER_ACTIONS, N_("enter the PIN")), Hint.of(N_("erase"), Action.left),
             Hint.of(N_("cancel"), Action.back))
    hint_text = ""

    def __init__(self, title: str, check: Callable[[str], str], parent: QWidget | None = None) -> None:
        super().__init__("PinPrompt", parent)
        self.title = title
        self.check = check
        self.digits = ""
        self.message = ""
        self.theme = th.Theme()

    def _digit(self, digit: int) -> None:
        self.digits += str(digit)
        if len(self.digits) >= PIN_LENGTH:
            entered, self.digits = self.digits, ""
            self.message = self.check(entered)
            if not self.message:
                self.close_requested.emit()

    def _erase(self) -> bool:
        if not self.digits:
            return False
        self.digits = self.digits[:-1]
        return True

    def show_hint(self, text: str) -> None:
        self.hint_text = text
        self.update()

    @cached_property
    def action_table(self) -> ActionTable:
        return {**{action: partial(self._digit, digit) for action, digit in DIGITS.items()},
                Action.left: self._erase, Action.red: self._erase, Action.back: self.close_requested.emit}

    def handle_action(self, action: Action) -> bool:
        """Modal: digits, erase and Back; everything but volume, full screen and quit stops here."""
        if run_action(self.action_table, action):
            self.update()
            return True
        return action not in WINDOW_ACTIONS

    def accepts_text(self) -> bool:
        return True

    def handle_text(self, text: str) -> bool:
        for char in text:
            if char.isdigit():
                self.handle_action(Action(f"number_{char}"))
            elif char == "\b":
                self.handle_action(Action.left)
        return True

    def title_rect(self) -> QRect:
        """Where the title goes: the panel's width, two lines high."""
        pad = self.theme.px(36)
        lines = QFontMetrics(self.theme.font("title", bold=True)).lineSpacing() * TITLE_LINES
        return QRect(pad, pad, self.width() - 2 * pad, lines + self.theme.px(8))

    def paintEvent(self, event: QPaintEvent | None) -> None:
        theme = self.theme
        painter, _outline = th.begin_dialog(self, theme)
        pad = theme.px(36)
        painter.setFont(theme.font("title", bold=True))
        painter.setPen(QColor("#ffffff"))
        # The title wraps onto a second line rather than being cut ("… is locked: enter the PIN").
        title_rect = self.title_rect()
        painter.drawText(title_rect, TITLE_FLAGS, self.title)
        size, gap = theme.px(72), theme.px(24)
        x = (self.width() - PIN_LENGTH * size - (PIN_LENGTH - 1) * gap) // 2
        y = pad + title_rect.height() + theme.px(24)
        for index in range(PIN_LENGTH):
            box = QRectF(x + index * (size + gap), y, size, size)
            square = QPainterPath()
            square.addRoundedRect(box, theme.size("smallradius"), theme.size("smallradius"))
            active = index == len(self.digits)
            painter.fillPath(square, th.ACCENT if active else QColor(255, 255, 255, 30))
            if index < len(self.digits):
                painter.setBrush(QColor("#ffffff"))
                painter.setPen(Qt.PenStyle.NoPen)
                painter.drawEllipse(box.center(), theme.px(12), theme.px(12))
        painter.setFont(theme.font("body", bold=True))
        painter.setPen(th.WARNING)
        painter.drawText(QRect(pad, y + size + theme.px(16), self.width() - 2 * pad, theme.px(44)), _A.AlignCenter,
                         self.message)
        painter.setFont(theme.font("small"))
        painter.setPen(th.TEXT_DIM)
        painter.drawText(QRect(pad, self.height() - pad - theme.px(36), self.width() - 2 * pad, theme.px(36)),
                         _A.AlignCenter, self.hint_text)
        painter.end()

    def geometry_for(self, rect: QRect, theme: th.Theme) -> list[tuple[QWidget, QRect]]:
        self.theme = theme
        width, height = min(rect.width() - 40, theme.px(900)), theme.px(470)
        return [(self, QRect((rect.width() - width) // 2, (rect.height() - height) // 2, width, height))]


class Parental:
    """Which channels need the PIN, and asking for it. A channel opened with the PIN stays open until the lock
    settings change or the app restarts. Signal-free: callers pass what to do once the PIN was right."""

    def __init__(self, settings: Settings, window: MainWindow) -> None:
        self.settings = settings
        self.window = window
        self.unlocked: set[str] = set()
        self.unlocked_groups: set[str] = set()
        self.prompt: PinPrompt | None = None

    def has_pin(self) -> bool:
        return bool(self.settings.get_str("parental.pin_hash"))

    def is_locked(self, channel: Channel) -> bool:
        if not self.has_pin() or channel.key in self.unlocked:
            return False
        if self.settings.parental_lock_all:  # the lock lists are damaged: everything stays locked
            return True
        if channel.key in self.settings.get_list("parental.locked_channels"):
            return True
        groups = set(self.settings.get_list("parental.locked_groups")) - self.unlocked_groups
        return any(group in groups for group in channel.groups)

    def is_group_locked(self, name: str) -> bool:
        """Whether entering the channel-list group ``name`` needs the PIN now."""
        return self.has_pin() and name not in self.unlocked_groups \
            and name in self.settings.get_list("parental.locked_groups")

    def gate_group(self, name: str, proceed: Callable[[], object]) -> bool:
        """True when group ``name`` may be entered now; otherwise asks for the PIN and runs ``proceed`` when right.
        The group (and its channels) then stays open until the lock settings change."""
        if not self.is_group_locked(name):
            return True

        def opened() -> None:
            self.unlocked_groups.add(name)
            proceed()

        self.ask(_("{group} is locked: enter the PIN").format(group=name), opened)
        return False

    def gate(self, channel: Channel, proceed: Callable[[], object]) -> bool:
        """True when ``channel`` may be tuned now; otherwise asks for the PIN and runs ``proceed`` when right."""
        if not self.is_locked(channel):
            return True

        def opened() -> None:
            self.unlocked.add(channel.key)
            proceed()

        self.ask(_("{channel} is locked: enter the PIN").format(channel=channel.name), opened)
        return False

    def require(self, reason: str, proceed: Callable[[], object]) -> None:
        """Run ``proceed`` straight away without a PIN, else after the right PIN."""
        if not self.has_pin():
            proceed()
            return
        self.ask(reason, proceed)

    def ask(self, title: str, proceed: Callable[[], object]) -> PinPrompt:
        accepted: list[bool] = []

        def check(pin: str) -> str:
            if self.settings.parental_damaged:
                return prompt_hint()
            if verify_pin(pin, self.settings.get_str("parental.pin_hash")):
                accepted.append(True)
                return ""
            log.info("wrong parental PIN entered")
            return _("Wrong PIN. Try again.")

        prompt = PinPrompt(title, check)

        def close() -> None:
            self.window.pop(prompt)
            self.prompt = None
            if accepted:
                proceed()

        prompt.close_requested.connect(close)
        self.prompt = prompt
        self.window.push(prompt)
        return prompt

    def changed(self) -> None:
        """The lock settings changed: everything locked asks again."""
        self.unlocked.clear()
        self.unlocked_groups.clear()
