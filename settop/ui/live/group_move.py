"""Moving whole groups with the remote: the list's groups in a list of their own, in the viewer's order.

Long OK on a row of the channel list › *Move groups* shows the groups (those of the playlists and the viewer's own,
not All channels, Favorites or Recent, which stay first) where the list is: OK picks the focused group up, Up/Down
carry it (Page/CH± a page at a time), OK drops it; Back puts a held group back where it was, or (nothing held) ends
and keeps the new order (:meth:`~settop.core.state.edits.ChannelEdits.with_group_order`), which the list's group
tabs (Left/Right) follow from then on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cached_property

from PyQt6.QtCore import QRect, Qt, pyqtSignal
from PyQt6.QtGui import QColor, QPainter, QPaintEvent
from PyQt6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from settop.i18n import _
from settop.input.buttons import Action, Context
from settop.ui.live.channel_rows import list_rect
from settop.ui.screen import WINDOW_ACTIONS, ActionTable, Screen, run_action
from settop.ui.widgets import theme as th
from settop.ui.widgets.localefmt import isolate, locale_number
from settop.ui.widgets.overlay import Panel

HELD_MARK = "⇅  "
"""Before the name of the group carried (as in channel move mode)."""


class GroupRows(QWidget):
    """The painted rows: the place, the name (⇅ when held) and the channel count; scrolls to keep the focus seen."""

    def __init__(self, owner: GroupMoveScreen) -> None:
        super().__init__(owner)
        self.owner = owner
        self.theme = th.Theme()
        self.first = 0  # the first row shown

    def row_height(self) -> int:
        return self.theme.px(64)

    def page(self) -> int:
        return max(1, self.height() // self.row_height())

    def paintEvent(self, event: QPaintEvent | None) -> None:
        owner, theme = self.owner, self.theme
        page, row_h = self.page(), self.row_height()
        self.first = max(0, min(self.first, len(owner.names) - page))
        if owner.focus < self.first:
            self.first = owner.focus
        elif owner.focus >= self.first + page:
            self.first = owner.focus - page + 1
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        pad = theme.px(16)
        place_w = theme.px(72)
        count_w = theme.px(110)
        for row in range(self.first, min(len(owner.names), self.first + page)):
            rect = QRect(0, (row - self.first) * row_h, self.width(), row_h)
            focused = row == owner.focus
            if focused:
                th.paint_focus(painter, rect, theme)
            name = owner.names[row]
            painter.setFont(theme.font("body", bold=True))
            painter.setPen(QColor("#ffffff") if focused else th.ACCENT_LIGHT)
            painter.drawText(self._m(QRect(pad, rect.y(), place_w, row_h)),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, locale_number(row + 1))
            painter.setPen(QColor("#ffffff") if focused else th.TEXT_DIM)
            painter.setFont(theme.font("small"))
            painter.drawText(self._m(QRect(rect.width() - pad - count_w, rect.y(), count_w, row_h)),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             locale_number(owner.counts.get(name, 0)))
            painter.setFont(theme.font("body", bold=focused))
            painter.setPen(QColor("#ffffff") if focused else th.TEXT)
            name_rect = QRect(2 * pad + place_w, rect.y(), rect.width() - 4 * pad - place_w - count_w, row_h)
            text = (HELD_MARK if row == owner.held else "") + isolate(name)
            painter.drawText(self._m(name_rect), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             painter.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, name_rect.width()))
        painter.end()

    def _m(self, rect: QRect) -> QRect:
        """``rect`` mirrored in the row when the layout runs right to left (Qt mirrors the alignment itself)."""
        if self.layoutDirection() != Qt.LayoutDirection.RightToLeft:
            return rect
        return QRect(self.width() - rect.x() - rect.width(), rect.y(), rect.width(), rect.height())


class GroupMoveScreen(Panel, Screen):
    """Move mode for groups (context ``dialog``) over the channel list; ``keep(names)`` gets the new order when
    the viewer changed it. Signal ``close_requested`` asks the window to pop it."""

    close_requested = pyqtSignal()
    context = Context.dialog

    def __init__(self, names: Sequence[str], counts: dict[str, int], focus: str,
                 keep: Callable[[list[str]], None], parent: QWidget | None = None) -> None:
        super().__init__("ChannelListPanel", parent)
        self.names = list(names)
        self.counts = counts
        self.keep = keep
        self.focus = self.names.index(focus) if focus in self.names else 0
        self.held: int | None = None
        self.changed = False
        self._before: tuple[list[str], bool] = ([], False)
        self.title = QLabel(_("Move groups"), self)
        self.title.setObjectName("Title")
        self.count = QLabel(locale_number(len(self.names)), self)
        self.count.setObjectName("Dim")
        self.rows = GroupRows(self)
        self.hint = QLabel(self)
        self.hint.setObjectName("Hint")
        self.hint.setWordWrap(True)
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.count, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._box = QVBoxLayout(self)
        self._box.addLayout(header)
        self._box.addWidget(self.rows, 1)
        self._box.addWidget(self.hint)
        self._update()

    @property
    def held_name(self) -> str:
        return self.names[self.held] if self.held is not None else ""

    def hint_text(self) -> str:
        if self.held is None:
            return _("Groups: OK picks up  ·  Back done")
        return _("Moving: ▲▼ move  ·  OK drops  ·  Back puts back")

    @cached_property
    def action_table(self) -> ActionTable:
        return {
            Action.select: self._pick_or_drop,
            Action.back: self._back,
            Action.up: lambda: self._step(-1, wrap=True),
            Action.down: lambda: self._step(1, wrap=True),
            Action.page_up: lambda: self._step(-self._page()),
            Action.channel_up: lambda: self._step(-self._page()),
            Action.page_down: lambda: self._step(self._page()),
            Action.channel_down: lambda: self._step(self._page()),
        }

    def handle_action(self, action: Action) -> bool:
        if run_action(self.action_table, action):
            self._update()
            return True
        return action not in WINDOW_ACTIONS  # modal: only volume, mute, full screen and quit go on

    def _page(self) -> int:
        return max(1, self.rows.page() - 1)

    def _step(self, delta: int, wrap: bool = False) -> None:
        """Move the focus (nothing held; ``wrap``: past an end to the other, as in the menus) or carry the held
        group ``delta`` rows, within the list."""
        if not self.names:
            return
        if self.held is None:
            if wrap:
                self.focus = (self.focus + delta) % len(self.names)
            else:
                self.focus = max(0, min(len(self.names) - 1, self.focus + delta))
            return
        target = max(0, min(len(self.names) - 1, self.held + delta))
        if target != self.held:
            self.names.insert(target, self.names.pop(self.held))
            self.held = self.focus = target
            self.changed = True

    def _pick_or_drop(self) -> None:
        if self.held is None:
            if self.names:
                self.held, self._before = self.focus, (list(self.names), self.changed)
        else:
            self.held = None

    def _back(self) -> None:
        if self.held is not None:  # put it back where it was
            name = self.held_name
            self.names, self.changed = self._before
            self.held, self.focus = None, self.names.index(name)
            return
        self.close_requested.emit()
        if self.changed:
            self.keep(list(self.names))

    def paintEvent(self, event: QPaintEvent | None) -> None:
        """Solid under the panel's own look: the channel list under it must not show through."""
        painter, _outline = th.begin_panel(self, self.rows.theme, 255)
        painter.end()
        super().paintEvent(event)

    def _update(self) -> None:
        self.hint.setText(self.hint_text())
        self.rows.update()

    def geometry_for(self, rect: QRect, theme: th.Theme) -> list[tuple[QWidget, QRect]]:
        self.rows.theme = theme
        margin = theme.px(22)
        self._box.setContentsMargins(margin, margin, margin, margin)
        self._box.setSpacing(theme.px(12))
        return [(self, list_rect(rect, theme))]
