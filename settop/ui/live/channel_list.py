"""The channel list overlay: groups, rows painted by a delegate over a real model, favorites and search.

A ``QAbstractListModel`` holds only a list of channel indices into the ``Lineup``; a one-column ``QTableView`` with
fixed row heights and a painting delegate keeps it instant at 100,000 channels (``QListView`` lays out every row
after a model reset, calling ``rowCount`` twice per row; a table's header knows fixed sections without asking).
Moving the focus never zaps; OK tunes.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from functools import cached_property, partial

from PyQt6.QtCore import QModelIndex, QRect, Qt, pyqtSignal
from PyQt6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from settop.core.models import Channel
from settop.core.playlist.lineup import Lineup
from settop.core.state.edits import ordered_groups
from settop.i18n import N_, _
from settop.input.buttons import Action, Context
from settop.ui.guide.info import NowNextSource
from settop.ui.live.channel_rows import (
    ChannelDelegate,
    ChannelListModel,
    ChannelRole,
    LineupIndexRole,
    channel_table,
    list_rect,
)
from settop.ui.live.lock import GroupLock
from settop.ui.live.move_mode import MoveMode
from settop.ui.screen import DIGITS, ActionTable, HintMaker, Screen, run_action
from settop.ui.widgets import theme as th
from settop.ui.widgets.hints import SEPARATOR, Hint
from settop.ui.widgets.keyboard import SEARCH_HINTS, SEARCH_LAYOUT, OnScreenKeyboard
from settop.ui.widgets.localefmt import isolate, locale_number
from settop.ui.widgets.logos import LogoCache
from settop.ui.widgets.menu import MenuItem, MenuScreen
from settop.ui.widgets.overlay import Panel

log = logging.getLogger("settop.ui.list")

ALL, FAVORITES, RECENT = N_("All channels"), N_("Favorites"), N_("Recent")


@dataclass(frozen=True, slots=True)
class Group:
    """A tab of the list: a name and the lineup indices it shows, in order."""

    name: str
    rows: Sequence[int]


class ChannelListScreen(Panel, Screen):
    """The list overlay (context ``channel_list``).

    on_tune(lineup_index, zap_order): OK on a row; zap_order is the group's rows so CH+/CH- stay in the group.
    toggle_favorite(key) -> bool: the new favorite state. favorites() / recent(): channel keys, newest first.
    Signal ``close_requested`` asks the window to pop this screen.
    """

    close_requested = pyqtSignal()
    menu_requested = pyqtSignal(object)  # a MenuScreen to push over the list

    context = Context.channel_list
    hints = (
        Hint.of(N_("Watch"), Action.select),
        Hint.of(N_("Group"), Action.left, Action.right),
        Hint.of("★", Action.favorites),
        Hint.of(N_("Search"), Action.search),
    )
    _hint_lines = ("", "")

    @property
    def searching(self) -> bool:
        """Typing a search: the on-screen keyboard has the keys (context ``keyboard``)."""
        return self.context is Context.keyboard

    def __init__(
        self,
        logos: LogoCache,
        *,
        on_tune: Callable[[int, Sequence[int]], None],
        favorites: Callable[[], Sequence[str]],
        recent: Callable[[], Sequence[str]],
        toggle_favorite: Callable[[str], bool],
        playing_key: Callable[[], str],
        now_next: NowNextSource | None = None,
        hidden_groups: Callable[[], Collection[str]] = tuple,
        lock: GroupLock | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("ChannelListPanel", parent)
        self.on_tune = on_tune
        self.favorites = favorites
        self.recent = recent
        self.toggle_favorite = toggle_favorite
        self.lineup: Lineup | None = None
        self.groups: list[Group] = []
        self.group_index = 0
        self.query = ""
        self._search_base: tuple[str, Sequence[int]] = ("", ())
        self._favorite_keys: set[str] = set()
        self._search_group = ""
        self._jump = ""
        self._jump_at = 0.0
        self.hidden_groups = hidden_groups  # the groups the user hid (``ui.hidden_groups``)
        self.hidden_channels: Callable[[], Collection[str]] = frozenset  # channel keys the viewer hid
        self.group_order: Callable[[], Sequence[str]] = tuple  # the viewer's order of groups (group move mode)
        self.mover: MoveMode | None = None  # move mode, once the shell wired it (settop.ui.live.move_mode)
        self.edit_channel: Callable[[str, str], None] | None = None  # (what, key): "rename", "group", "hide"...
        self.lock = lock  # the parental lock on groups
        self._visible: tuple[Lineup | None, frozenset[str], Sequence[int]] = (None, frozenset(), ())

        self.model = ChannelListModel(self)
        self.delegate = ChannelDelegate(logos, lambda key: key in self._favorite_keys, now_next, playing_key, self)
        self.delegate.held = lambda key: self.mover is not None and key == self.mover.held_key
        self.view, self._vertical = channel_table(self, self.model, self.delegate)
        # A click focuses a row, a double click tunes it (and is used up here, not taken for "full screen").
        self.view.doubleClicked.connect(self._clicked)
        logos.changed.connect(lambda _url: self._repaint_rows() if self.isVisible() else None)
        self._make_labels()
        self.keyboard = OnScreenKeyboard(SEARCH_LAYOUT, self)
        self.keyboard.hide()
        self.keyboard.text_changed.connect(self.set_query)
        self.keyboard.accepted.connect(lambda _text: self._end_search_input())
        self._box = self._lay_out()
        self._update_hint()

    def _make_labels(self) -> None:
        """The title, the count, the search field, the empty-list notice and the key hint."""
        self.title = QLabel(self)
        self.title.setObjectName("Title")
        self.count = QLabel(self)
        self.count.setObjectName("Dim")
        self.search_field = QLabel(self)
        self.search_field.setObjectName("SearchField")
        self.search_field.hide()
        self.empty = QLabel(self)
        self.empty.setObjectName("Dim")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.hide()
        self.hint = QLabel(self)
        self.hint.setObjectName("Hint")
        self.hint.setWordWrap(True)

    def _lay_out(self) -> QVBoxLayout:
        """Title and count on top, then the search field, the rows (or the notice), the keyboard, the hint."""
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.count, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.search_field)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.keyboard)
        layout.addWidget(self.hint)
        return layout

    # -- data --------------------------------------------------------------------------------------------------
    def set_lineup(self, lineup: Lineup | None, new: bool = False) -> None:
        """Show ``lineup``; ``new``: another lineup than before (a playlist switch), so the old search goes too."""
        self.lineup = lineup
        self.groups = []
        self._search_base = ("", ())
        if new:
            self.query = ""
            self.keyboard.text = ""
            self.group_index = 0
        self.model.set_rows(lineup, ())

    def _build_groups(self) -> None:
        lineup = self.lineup
        if lineup is None:
            self.groups = []
            return
        groups = [Group(ALL, self.visible_all())]
        favorites = [i for i in (lineup.index_of(k) for k in self.favorites()) if i is not None]
        if favorites:
            groups.append(Group(FAVORITES, favorites))
        recent = [i for i in (lineup.index_of(k) for k in self.recent()) if i is not None]
        if recent:
            groups.append(Group(RECENT, recent))
        self.groups = groups + self.playlist_groups()

    def playlist_groups(self) -> list[Group]:
        """The playlists' groups and the viewer's own that are not hidden, in the viewer's order (new ones after)."""
        lineup = self.lineup
        if lineup is None:
            return []
        hidden = set(self.hidden_groups())
        return [Group(name, lineup.groups[name]) for name in ordered_groups(lineup.groups, self.group_order())
                if lineup.groups[name] and name not in hidden]

    def regroup(self) -> None:
        """Build the group tabs again (favorites or the group order changed), staying on the current group."""
        current = self.current_group()
        self._build_groups()
        names = [g.name for g in self.groups]
        self.group_index = names.index(current) if current in names else 0
        self._refresh_labels()

    def open_at(self, lineup_index: int | None, group_name: str | None = None) -> None:
        """Fill the list for showing: ``group_name`` (default: the last one used) with ``lineup_index`` focused."""
        started = time.perf_counter()
        self._favorite_keys = set(self.favorites())
        current = self.groups[self.group_index].name if self.groups else ALL
        self._build_groups()
        wanted = group_name or current
        names = [g.name for g in self.groups]
        self.group_index = names.index(wanted) if wanted in names and not self._group_locked(wanted) else 0
        if lineup_index is not None and self.groups and self.group_index != 0 \
                and lineup_index not in self.groups[self.group_index].rows:
            self.group_index = 0
        self._show_group(focus=lineup_index)
        log.debug("list opened in %.1f ms", (time.perf_counter() - started) * 1000)

    def _show_group(self, focus: int | None = None) -> None:
        if not self.groups:
            self.model.set_rows(self.lineup, ())
            self._refresh_labels()
            return
        group = self.groups[self.group_index]
        rows = self._filter(group.rows) if self.query else group.rows
        self.model.set_rows(self.lineup, rows)
        row = self.model.row_of(focus) if focus is not None else 0
        self._focus_row(max(row, 0))
        self._refresh_labels()

    def _filter(self, base: Sequence[int]) -> Sequence[int]:
        assert self.lineup is not None
        previous_query, previous_rows = self._search_base
        group_key = self.groups[self.group_index].name
        # Narrowing a query only needs to look at the previous result.
        if previous_query and self.query.casefold().startswith(previous_query) and self._search_group == group_key:
            rows = self.lineup.search(self.query, previous_rows)
        else:
            rows = self.lineup.search(self.query, base)
        self._search_base = (self.query.casefold(), rows)
        self._search_group = group_key
        return rows

    def set_query(self, query: str) -> None:
        """Filter the current group by name; runs on every keystroke."""
        started = time.perf_counter()
        self.query = query
        if not query:
            self._search_base = ("", ())
        focus = self.focused_index()
        self._show_group(focus=focus)
        log.debug("search %r: %d rows in %.1f ms", query, self.model.rowCount(), (time.perf_counter() - started) * 1000)

    # -- focus -------------------------------------------------------------------------------------------------
    def _focus_row(self, row: int) -> None:
        count = self.model.rowCount()
        if count == 0:
            return
        row = max(0, min(count - 1, row))
        index = self.model.index(row, 0)
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)

    def focused_row(self) -> int:
        index = self.view.currentIndex()
        return index.row() if index.isValid() else -1

    def focused_index(self) -> int | None:
        """The lineup index of the focused row."""
        index = self.view.currentIndex()
        return index.data(LineupIndexRole) if index.isValid() else None

    def focused_channel(self) -> Channel | None:
        index = self.view.currentIndex()
        return index.data(ChannelRole) if index.isValid() else None

    def current_group(self) -> str:
        return self.groups[self.group_index].name if self.groups else ALL

    def visible_rows(self) -> int:
        return max(1, self.view.height() // max(1, self.delegate.row_height()))

    def _repaint_rows(self) -> None:
        viewport = self.view.viewport()
        if viewport is not None:
            viewport.update()

    # -- actions -----------------------------------------------------------------------------------------------
    def accepts_text(self) -> bool:
        return self.searching

    def handle_text(self, text: str) -> bool:
        if text == "\n":
            self._end_search_input()
        else:
            self.keyboard.insert(text)
        return True

    def _move_rows(self, delta: int) -> None:
        count = self.model.rowCount()
        if count:
            self._focus_row((self.focused_row() + delta) % count)

    def _move_page(self, direction: int) -> None:
        self._focus_row(self.focused_row() + direction * (self.visible_rows() - 1))

    def _back(self) -> None:
        if self.query:
            self.keyboard.set_text("")
        else:
            self.close_requested.emit()

    @cached_property
    def action_table(self) -> ActionTable:
        return {
            **{action: partial(self.jump_digit, str(digit)) for action, digit in DIGITS.items()},
            Action.up: lambda: self._move_rows(-1),
            Action.down: lambda: self._move_rows(1),
            Action.page_up: lambda: self._move_page(-1),
            Action.channel_up: lambda: self._move_page(-1),
            Action.page_down: lambda: self._move_page(1),
            Action.channel_down: lambda: self._move_page(1),
            Action.left: lambda: self.switch_group(-1),
            Action.right: lambda: self.switch_group(1),
            Action.select: self.tune_focused,
            Action.favorites: self.toggle_focused_favorite,
            Action.search: self.start_search,
            Action.context_menu: self.open_row_menu,
            Action.back: self._back,
        }

    def handle_action(self, action: Action) -> bool:
        if self.mover is not None and self.mover.active and self.mover.handle(action):
            return True
        if self.searching:
            if action is Action.back:
                self._end_search_input()
                return True
            if self.keyboard.handle_action(action):
                return True
        return run_action(self.action_table, action)

    def jump_digit(self, digit: str) -> None:
        """Digits in the list move the focus to that channel number (typed within a second of each other)."""
        if self.lineup is None:
            return
        now = time.monotonic()
        self._jump = (self._jump if now - self._jump_at < 1.2 else "") + digit
        self._jump_at = now
        index = self.lineup.find_number(self._jump)
        if index is None:
            return
        row = self.model.row_of(index)
        if row < 0 and self.groups:  # not in this tab: look in All channels
            self.group_index = 0
            self.query = ""
            self._show_group(focus=index)
        else:
            self._focus_row(row)
        self._refresh_labels()

    def visible_all(self) -> Sequence[int]:
        """"All channels": the lineup without channels whose every group is hidden (cached per lineup and set)."""
        lineup = self.lineup
        if lineup is None:
            return ()
        hidden = frozenset(self.hidden_groups())
        keys = frozenset(self.hidden_channels())
        if not hidden and not keys:
            return lineup.all
        cached_lineup, cached_hidden, rows = self._visible
        if cached_lineup is not lineup or cached_hidden != hidden | keys:
            rows = [i for i, c in enumerate(lineup.channels)
                    if (not c.groups or not hidden.issuperset(c.groups)) and c.key not in keys]
            self._visible = (lineup, hidden | keys, rows)
        return rows

    def _group_locked(self, name: str) -> bool:
        return self.lock is not None and self.lock.is_group_locked(name)

    def switch_group(self, delta: int) -> None:
        if not self.groups:
            return
        target = (self.group_index + delta) % len(self.groups)
        name = self.groups[target].name

        def enter() -> None:
            names = [g.name for g in self.groups]
            if name in names:
                self.group_index = names.index(name)
                self._search_base = ("", ())
                self._show_group()

        if self.lock is not None and not self.lock.gate_group(name, enter):
            return  # a locked group: the PIN prompt enters it when the PIN is right
        enter()

    def tune_focused(self) -> None:
        index = self.focused_index()
        if index is None:
            return
        group = self.groups[self.group_index] if self.groups else None
        self.on_tune(index, group.rows if group is not None else ())
        self.close_requested.emit()

    def toggle_focused_favorite(self) -> None:
        channel = self.focused_channel()
        if channel is None:
            return
        if self.toggle_favorite(channel.key):
            self._favorite_keys.add(channel.key)
        else:
            self._favorite_keys.discard(channel.key)
        # The Favorites tab appears or changes at once; the rows on screen stay as they are.
        self.regroup()
        self._repaint_rows()

    def open_row_menu(self) -> None:
        """Long OK on a row: watch it, (un)mark it as a favorite, search (signal ``menu_requested``)."""
        channel = self.focused_channel()
        if channel is None:
            return
        favorite = channel.key in self._favorite_keys
        items = [
            MenuItem(_("Watch"), run=self.tune_focused),
            MenuItem(_("Remove from favorites") if favorite else _("Add to favorites"),
                     run=self.toggle_focused_favorite),
            MenuItem(_("Search channels"), run=self.start_search),
        ]
        if self.mover is not None:
            items.append(MenuItem(_("Move channels"), run=self.mover.start))
            if len(self.playlist_groups()) > 1:
                items.append(MenuItem(_("Move groups"), run=self.mover.start_groups))
        edit = self.edit_channel
        if edit is not None:
            items += [MenuItem(_("Rename"), run=lambda: edit("rename", channel.key)),
                      MenuItem(_("Move to a group"), run=lambda: edit("group", channel.key)),
                      MenuItem(_("Hide this channel"), run=lambda: edit("hide", channel.key))]
            if self.hidden_channels():
                items.append(MenuItem(_("Show hidden channels"), run=lambda: edit("unhide", channel.key)))
        self.menu_requested.emit(MenuScreen(channel.name, items, side="center"))

    def start_search(self) -> None:
        self.context = Context.keyboard
        self.keyboard.text = self.query
        self.keyboard.show()
        self.search_field.show()
        self._refresh_labels()

    def _end_search_input(self) -> None:
        self.context = Context.channel_list
        self.keyboard.hide()
        self.search_field.setVisible(bool(self.query))
        self._refresh_labels()

    def _clicked(self, index: QModelIndex) -> None:
        self.view.setCurrentIndex(index)
        self.tune_focused()

    # -- look --------------------------------------------------------------------------------------------------
    def _refresh_labels(self) -> None:
        names = [g.name for g in self.groups] or [ALL]
        arrows = "‹  " if len(names) > 1 else ""
        group = self.current_group()
        shown = _(group) if group in (ALL, FAVORITES, RECENT) else group
        self.title.setText(f"{arrows}{shown}{'  ›' if len(names) > 1 else ''}")
        self.count.setText(locale_number(self.model.rowCount()))
        typed = self.query + ("▏" if self.searching else "")
        self.search_field.setText(_("Search: {text}").format(text=isolate(typed)))
        self.search_field.setVisible(self.searching or bool(self.query))
        self.search_field.setProperty("active", "true" if self.searching else "false")
        th.repolish(self.search_field)
        empty = self.model.rowCount() == 0
        self.empty.setText(_("No channel matches “{text}”").format(text=self.query) if self.query else _("No channels"))
        self.empty.setVisible(empty)
        self.view.setVisible(not empty)
        self._update_hint()

    def make_hints(self, make: HintMaker) -> None:
        self._hint_lines = (make(Context.channel_list, self.hints),
                            SEPARATOR.join([_("Type a name"), make(Context.keyboard, SEARCH_HINTS)]))
        self._update_hint()

    def _update_hint(self) -> None:
        if self.mover is not None and self.mover.active:
            self.hint.setText(self.mover.hint())
        else:
            self.hint.setText(self._hint_lines[1 if self.searching else 0])

    def geometry_for(self, rect: QRect, theme: th.Theme) -> list[tuple[QWidget, QRect]]:
        self.delegate.theme = theme
        self._vertical.setDefaultSectionSize(self.delegate.row_height())
        self.keyboard.set_theme(theme)
        margin = theme.px(22)
        self._box.setContentsMargins(margin, margin, margin, margin)
        self._box.setSpacing(theme.px(12))
        return [(self, list_rect(rect, theme))]
