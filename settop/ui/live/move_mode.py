"""Move mode of the channel list: the viewer's own order and numbers with the remote.

Long OK on a row › *Move channels* switches the list to All channels in move mode: OK picks the focused channel up,
Up/Down carry it through the list, digits typed while it is held give it that number, OK drops it; Back puts a held
channel back where it was, or (nothing held) ends move mode and keeps the new order. The order, numbers, names and
hidden channels are :class:`~settop.core.state.edits.ChannelEdits`, kept by channel key and applied at every merge.
*Move groups* does the same for whole groups (:mod:`settop.ui.live.group_move`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from settop.core.state.edits import ChannelEdits
from settop.i18n import _
from settop.input.buttons import Action
from settop.ui.live.group_move import GroupMoveScreen
from settop.ui.screen import DIGITS

if TYPE_CHECKING:
    from settop.ui.live.channel_list import ChannelListScreen


class MoveMode:
    """The state of move mode on one channel list; ``apply`` keeps finished edits (the shell merges them in)."""

    def __init__(self, screen: ChannelListScreen, edits: Callable[[], ChannelEdits],
                 apply: Callable[[ChannelEdits], None], notify: Callable[[str], None]) -> None:
        self.screen = screen
        self.edits = edits
        self.apply = apply
        self.notify = notify
        self.active = False
        self.rows: list[int] = []  # lineup indices in the order on screen
        self.held: int | None = None  # the position in ``rows`` of the channel picked up
        self._before: list[int] = []
        self._changed_before = False
        self.typed = ""
        self.numbers: dict[str, str] = {}
        self.changed = False

    @property
    def held_key(self) -> str:
        lineup = self.screen.lineup
        if not self.active or self.held is None or lineup is None:
            return ""
        return lineup.channels[self.rows[self.held]].key

    def start(self) -> None:
        screen = self.screen
        if screen.lineup is None:
            return
        focus = screen.focused_index()
        screen.query = ""
        screen.group_index = 0
        screen._build_groups()
        self.rows = list(screen.visible_all())
        self.active, self.held, self.typed, self.numbers, self.changed = True, None, "", {}, False
        screen.model.set_rows(screen.lineup, self.rows)
        screen._focus_row(max(self.rows.index(focus), 0) if focus in self.rows else 0)
        screen._refresh_labels()

    def start_groups(self) -> None:
        """*Move groups*: the list's groups in move mode over the list (signal ``menu_requested`` pushes it)."""
        screen = self.screen
        groups = screen.playlist_groups()
        counts = {group.name: len(group.rows) for group in groups}
        mover = GroupMoveScreen([g.name for g in groups], counts, screen.current_group(), self._keep_groups)
        screen.menu_requested.emit(mover)

    def _keep_groups(self, names: list[str]) -> None:
        self.apply(self.edits().with_group_order(names))
        self.screen.regroup()
        self.notify(_("Your group order is kept"))

    def hint(self) -> str:
        if self.held is None:
            return _("Move: OK picks up  ·  Back done")
        typed = f"  ·  {self.typed}" if self.typed else ""
        return _("Moving: ▲▼ move  ·  digits number  ·  OK drops  ·  Back puts back") + typed

    def handle(self, action: Action) -> bool:
        """Move mode's answer to ``action``; False lets the list do what it always does (moving the focus)."""
        if action is Action.select:
            self._pick_or_drop()
        elif action is Action.back:
            self._back()
        elif action in (Action.up, Action.down) and self.held is not None:
            self._carry(-1 if action is Action.up else 1)
        elif action in DIGITS and self.held is not None:
            self.typed = (self.typed + str(DIGITS[action]))[-5:]
        elif action in (Action.left, Action.right, Action.context_menu, Action.search, Action.favorites):
            pass  # no group tabs, menus or search while moving
        else:
            return False
        self.screen._update_hint()
        return True

    def _pick_or_drop(self) -> None:
        row = self.screen.focused_row()
        if self.held is None:
            if 0 <= row < len(self.rows):
                self.held, self._before, self.typed = row, list(self.rows), ""
                self._changed_before = self.changed
        else:
            if self.typed.lstrip("0"):
                self.numbers[self.held_key] = self.typed.lstrip("0")
                self.changed = True
            self.held, self.typed = None, ""
        self.screen._repaint_rows()

    def _carry(self, delta: int) -> None:
        held = self.held
        assert held is not None
        target = held + delta
        if not 0 <= target < len(self.rows):
            return
        self.rows[held], self.rows[target] = self.rows[target], self.rows[held]
        self.held = target
        self.changed = True
        assert self.screen.lineup is not None
        self.screen.model.set_rows(self.screen.lineup, self.rows)
        self.screen._focus_row(target)

    def _back(self) -> None:
        if self.held is not None:  # put it back where it was
            self.rows, self.held, self.typed, self.changed = self._before, None, "", self._changed_before
            assert self.screen.lineup is not None
            self.screen.model.set_rows(self.screen.lineup, self.rows)
            self.screen._focus_row(min(self.screen.focused_row(), len(self.rows) - 1))
            return
        self.active = False
        if self.changed and self.screen.lineup is not None:
            edits = self.edits()
            channels = self.screen.lineup.channels
            edits = replace(edits, order=tuple(channels[i].key for i in self.rows))
            for key, number in self.numbers.items():
                edits = edits.with_number(key, number)
            self.apply(edits)
            self.notify(_("Your channel order is kept"))
        self.screen._show_group()
