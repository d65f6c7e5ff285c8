"""Small modal panels: a message with a title and wrapped text (programme details, about, errors)."""

from __future__ import annotations

from functools import cached_property

from PyQt6.QtCore import QRect, Qt, pyqtSignal
from PyQt6.QtGui import QColor, QPaintEvent
from PyQt6.QtWidgets import QWidget

from settop.i18n import N_
from settop.input.buttons import Action, Context
from settop.ui.screen import ActionTable, Screen, run_action
from settop.ui.widgets import theme as th
from settop.ui.widgets.hints import Hint
from settop.ui.widgets.overlay import Panel

_A = Qt.AlignmentFlag
CLOSES = frozenset({Action.select, Action.back, Action.info})
SWALLOWED = frozenset({Action.up, Action.down, Action.left, Action.right, Action.page_up, Action.page_down,
                       Action.context_menu, Action.guide, Action.menu})
"""Navigation the dialog keeps from the screens below it."""


class InfoDialog(Panel, Screen):
    """A centred panel with a title, lines of text and a hint (context ``dialog``); OK or Back closes it.

    Signal ``close_requested`` asks the window to pop it.
    """

    close_requested = pyqtSignal()
    context = Context.dialog
    hints = (Hint.of(N_("close"), Action.select, Action.back),)

    def __init__(self, title: str, body: str, hint: str = "", parent: QWidget | None = None) -> None:
        super().__init__("GuideDetails", parent)
        self.title = title
        self.body = body
        self.fixed_hint = hint
        self.hint = hint
        self.theme = th.Theme()

    def show_hint(self, text: str) -> None:
        self.hint = self.fixed_hint or text

    @cached_property
    def action_table(self) -> ActionTable:
        return dict.fromkeys(CLOSES, self.close_requested.emit)

    def handle_action(self, action: Action) -> bool:
        return run_action(self.action_table, action) or action in SWALLOWED

    def paintEvent(self, event: QPaintEvent | None) -> None:
        theme = self.theme
        painter, _outline = th.begin_dialog(self, theme)
        pad = theme.px(36)
        width = self.width() - 2 * pad
        painter.setFont(theme.font("title", bold=True))
        painter.setPen(QColor("#ffffff"))
        painter.drawText(QRect(pad, pad, width, theme.px(56)), _A.AlignLeft | _A.AlignVCenter, self.title)
        painter.setFont(theme.font("body"))
        painter.setPen(th.TEXT)
        body_rect = QRect(pad, pad + theme.px(72), width, self.height() - 2 * pad - theme.px(72 + 48))
        painter.drawText(body_rect, _A.AlignLeft | _A.AlignTop | Qt.TextFlag.TextWordWrap, self.body)
        painter.setFont(theme.font("small"))
        painter.setPen(th.TEXT_DIM)
        painter.drawText(QRect(pad, self.height() - pad - theme.px(40), width, theme.px(40)),
                         _A.AlignRight | _A.AlignVCenter, self.hint)
        painter.end()

    def geometry_for(self, rect: QRect, theme: th.Theme) -> list[tuple[QWidget, QRect]]:
        self.theme = theme
        safe = theme.safe_rect(rect.width(), rect.height())
        width = min(safe.width(), theme.px(1300))
        lines = max(3, self.body.count("\n") + 1 + len(self.body) // 70)
        height = min(safe.height(), theme.px(36 * 2 + 72 + 48) + lines * theme.px(44))
        return [(self, QRect((rect.width() - width) // 2, (rect.height() - height) // 2, width, height))]
