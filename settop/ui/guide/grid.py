"""The guide grid screen (Guide key): channels of the list's group down, time across, OK to watch or replay."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from functools import cached_property, partial

from PyQt6.QtCore import QObject, QRect, QTimer, pyqtSignal
from PyQt6.QtGui import QPixmap
from PyQt6.QtWidgets import QWidget

from settop.core.models import Channel, Programme
from settop.core.sources.ondemand import Title
from settop.core.sources.title_search import TitleFinder
from settop.core.state.settings import Settings
from settop.i18n import N_, _
from settop.input.buttons import NUMBER_ACTIONS, Action, Context
from settop.ui.guide.info import clock
from settop.ui.guide.model import DAY, GridModel
from settop.ui.guide.paint import DetailsPanel, GridPanel, day_label
from settop.ui.guide.search_runner import Search
from settop.ui.guide.search_view import GuideSearchScreen, ResultRow
from settop.ui.live.screen import LiveScreen
from settop.ui.scheduled import RecordingScheduler, programme_menu
from settop.ui.screen import DIGITS, ActionTable, HintMaker, Screen, run_action
from settop.ui.timers_view import TimeKeeper
from settop.ui.widgets.dialogs import InfoDialog
from settop.ui.widgets.hints import Hint
from settop.ui.widgets.theme import Theme

log = logging.getLogger("settop.ui.guide")

HINTS = (
    Hint.of(N_("channel"), Action.up, Action.down),
    Hint.of(N_("programme"), Action.left, Action.right),
    Hint.of(N_("page"), Action.page_up, Action.page_down),
    Hint.of(N_("time"), Action.rewind, Action.fast_forward),
    Hint.of(N_("day"), Action.green, Action.yellow),
    Hint.of(N_("now"), Action.red),
    Hint(NUMBER_ACTIONS, N_("number")),
    Hint.of(N_("search"), Action.search),  # only where the guide can be searched (``make_hints``)
    Hint.of(N_("record"), Action.record),  # only where the app records (``make_hints``)
    Hint.of(N_("watch"), Action.select),
    Hint.of(N_("close"), Action.back),
)
"""The grid's hint line, keys from the keymap (``settop.ui.widgets.hints``)."""

SWALLOWED = frozenset({Action.context_menu, Action.favorites, Action.search, Action.blue, Action.end})
"""Actions the grid uses for nothing but keeps from the live screen below it."""

CatchupStarter = Callable[[int, Channel, Programme], bool]
"""Plays ``programme`` of lineup entry ``index`` from the start; False when the channel cannot replay it."""
CatchupCheck = Callable[[Channel, Programme], bool]


class GuideGridScreen(QObject, Screen):
    """The grid (context ``guide``), over the video: programme details top left, the video stays visible top
    right, the grid below. Signals: ``moved`` after every focus change (tests wait on it), ``activated(str)``
    with what OK did (``tune``, ``catchup``, ``details``, ``none``)."""

    context = Context.guide
    hints = HINTS
    moved = pyqtSignal()
    activated = pyqtSignal(str)

    def __init__(self, live: LiveScreen, query: Callable[..., dict[str, list[Programme]]], settings: Settings, *,
                 catchup_available: CatchupCheck, start_catchup: CatchupStarter, search: Search | None = None,
                 reminders: TimeKeeper | None = None, recordings: RecordingScheduler | None = None,
                 clock_fn: Callable[[], float] = time.time) -> None:
        super().__init__(live.window)
        self.live = live
        self.window = live.window
        self.settings = settings
        self.catchup_available = catchup_available
        self.start_catchup = start_catchup
        self.clock = clock_fn
        self.model = GridModel(query, clock=clock_fn)
        self.grid = GridPanel(self.model, self._logo)
        self.numbers = live.number_entry(self.jump_to)
        self.grid.catchup = catchup_available
        self.grid.clock = clock_fn
        self.details = DetailsPanel()
        self.details.clock = clock_fn
        self.dialog: InfoDialog | None = None
        self.search = search
        self.search_screen: GuideSearchScreen | None = None
        # the library's films and series for the search, and what OK on one does (the app sets both)
        self.titles: Callable[[], TitleFinder | None] = lambda: None
        self.open_title: Callable[[Title], object] = lambda _title: None
        self.reminders = reminders
        if reminders is not None:
            self.grid.reminded = reminders.has_reminder
        self.recordings = recordings
        if recordings is not None:
            self.grid.recorded = recordings.has
            recordings.changed.connect(self._schedule_changed)
        self.repaint_timer = QTimer(self)
        self.repaint_timer.setInterval(30_000)
        self.repaint_timer.timeout.connect(self._refresh)
        live.logos.changed.connect(lambda _url: self.grid.update() if self.grid.isVisible() else None)

    def _logo(self, url: str) -> QPixmap | None:
        return self.live.logos.pixmap(url)

    # -- opening -----------------------------------------------------------------------------------------------
    def rows(self) -> list[int]:
        """Lineup indices of the channel list's current group, hidden groups left out of "All channels"."""
        lineup = self.live.lineup
        if lineup is None:
            return []
        channel_list = self.live.channel_list
        if channel_list.groups:
            group = channel_list.groups[channel_list.group_index]
            rows = list(group.rows)
            filtered_group = channel_list.group_index == 0
        else:
            rows, filtered_group = list(lineup.all), True
        hidden = set(self.settings.get_list("ui.hidden_groups"))
        if hidden and filtered_group:
            rows = [i for i in rows if not lineup.channels[i].groups
                    or not all(g in hidden for g in lineup.channels[i].groups)]
        return rows

    def open(self) -> None:
        """Show the grid at "now", focused on the channel playing."""
        lineup = self.live.lineup
        if lineup is None:
            self.window.notify(_("Load a playlist first: the guide needs channels"))
            return
        started = time.perf_counter()
        self._set_rows(self.rows(), self.live.current)
        self.numbers.timer.setInterval(self.settings.get_int("live.number_entry_ms"))
        self.live.banner_hider.hide()
        self.window.push(self)
        self._show_details()
        log.debug("guide opened in %.1f ms", (time.perf_counter() - started) * 1000)

    def make_hints(self, make: HintMaker) -> None:
        left_out = {Action.search} if self.search is None else set()
        left_out |= {Action.record} if self.recordings is None else set()
        self.show_hint(make(self.context, [h for h in HINTS if not left_out & set(h.actions)]))

    def show_hint(self, text: str) -> None:
        self.grid.hint = text
        self.grid.update()

    def _set_rows(self, rows: list[int], focus: int | None) -> None:
        lineup = self.live.lineup
        assert lineup is not None
        self.model.set_rows([lineup.channels[i] for i in rows], [lineup.numbers[i] for i in rows], rows, focus)

    def opened(self) -> None:
        self.model.set_page_rows(self.grid.rows_that_fit())
        self.repaint_timer.start()
        self.numbers.cancel()  # the number box (top right) shows only while digits are typed, not empty on open

    def closed(self) -> None:
        self.repaint_timer.stop()
        self.numbers.cancel()

    def close(self) -> None:
        self.window.pop(self)

    def invalidate(self) -> None:
        """The guide data changed."""
        self.model.invalidate()
        if self.window.has(self):
            self._refresh()

    def _refresh(self) -> None:
        self.grid.update()
        self._show_details()

    def _schedule_changed(self) -> None:
        if self.window.has(self):
            self._refresh()
        if self.search_screen is not None:
            self.search_screen.update()

    # -- actions -----------------------------------------------------------------------------------------------
    def _moved(self, move: Callable[[], object]) -> Callable[[], None]:
        def moved() -> None:
            move()
            self._refresh()
            self.moved.emit()
        return moved

    @cached_property
    def action_table(self) -> ActionTable:
        model = self.model
        moves: dict[Action, Callable[[], object]] = {
            Action.up: lambda: model.move_row(-1),
            Action.down: lambda: model.move_row(1),
            Action.left: lambda: model.move_programme(-1),
            Action.right: lambda: model.move_programme(1),
            Action.page_up: lambda: model.page(-1),
            Action.page_down: lambda: model.page(1),
            Action.green: lambda: self.change_day(-1),
            Action.yellow: lambda: self.change_day(1),
            Action.red: model.go_now,
            Action.home: model.go_now,
            Action.fast_forward: lambda: model.shift_time(model.span),
            Action.rewind: lambda: model.shift_time(-model.span),
        }
        return {
            **{action: self._moved(move) for action, move in moves.items()},
            **{action: partial(self.numbers.enter_digit, digit) for action, digit in DIGITS.items()},
            Action.separator: self.numbers.enter_separator,
            Action.select: self.activate,
            Action.info: self.show_info,
            Action.back: self.close,
            Action.guide: self.close,
            **({Action.search: self.open_search, Action.blue: self.open_search} if self.search is not None else {}),
            **({Action.record: lambda: self.activated.emit(self.record_focused()),
                Action.context_menu: self.options} if self.recordings is not None else {}),
        }

    @cached_property
    def number_entry_actions(self) -> ActionTable:
        """While digits are being typed OK jumps at once and Back forgets them."""
        return {Action.select: self.numbers.commit, Action.back: self.numbers.cancel}

    def handle_action(self, action: Action) -> bool:
        # The grid is modal for navigation; volume and the like fall through.
        if self.numbers.digits and run_action(self.number_entry_actions, action):
            return True
        return run_action(self.action_table, action) or action in SWALLOWED

    def jump_to(self, index: int) -> None:
        """Digits typed in the guide: focus that channel's row (from all channels when the group lacks it)."""
        if not self.model.focus_index(index):
            lineup = self.live.lineup
            self._set_rows(list(lineup.all) if lineup is not None else [], index)
            self.model.focus_index(index)
        self._refresh()
        self.moved.emit()

    def change_day(self, delta: int) -> None:
        self.model.shift_time(delta * DAY)
        self.window.notify(day_label(self.model.focus_time, self.clock()), 1.5)

    def activate(self) -> None:
        model = self.model
        channel = model.focused_channel()
        if channel is None or self.live.lineup is None:
            return
        index = model.indices[model.row]
        programme = model.focused()
        now = self.clock()
        if programme is None or programme.start <= now < programme.stop:
            self.close()
            self.live.tune(index)
            self.activated.emit("tune")
        elif programme.stop <= now:
            if self.catchup_available(channel, programme) and self.start_catchup(index, channel, programme):
                self.close()
                self.activated.emit("catchup")
            else:
                self.window.notify(_("{channel} has no catch-up for this programme").format(channel=channel.name), 4)
                self.activated.emit("none")
        else:
            self.activated.emit(self.remind(channel, programme))

    def record_focused(self) -> str:
        """Record on a cell: schedule its programme (on now: record it now), or cancel its recording."""
        channel, programme = self.model.focused_channel(), self.model.focused()
        return self.record(channel, programme) if channel is not None and programme is not None else "none"

    def record(self, channel: Channel, programme: Programme) -> str:
        """Record ``programme`` of ``channel`` from the guide (or cancel it); what happened, as the scheduler says."""
        if self.recordings is None:
            return "none"
        what = self.recordings.toggle(channel, programme)
        self._refresh()
        return what

    def options(self) -> None:
        """Hold OK on a cell: record or cancel, remind or not, details (for remotes without a Record key)."""
        channel, programme = self.model.focused_channel(), self.model.focused()
        if channel is None or programme is None or self.recordings is None:
            return
        menu = programme_menu(channel, programme, self.recordings, self.clock(),
                              record=lambda: self.activated.emit(self.record(channel, programme)),
                              remind=(lambda: self.activated.emit(self.remind(channel, programme)))
                              if self.reminders is not None else None,
                              reminded=self.reminders is not None and self.reminders.has_reminder(channel, programme),
                              details=lambda: self.show_info(channel, programme))
        menu.close_requested.connect(lambda: self.window.pop(menu))
        self.window.push(menu)

    def remind(self, channel: Channel, programme: Programme) -> str:
        """OK on a programme to come: set (or remove) its reminder; without reminders, its details."""
        if self.reminders is None:
            self.show_info(channel, programme)
            return "details"
        if self.reminders.toggle_reminder(channel, programme):
            self.window.notify(_("Reminder set: {title} at {time}").format(title=programme.title,
                                                                            time=clock(programme.start)), 3)
            what = "reminder"
        else:
            self.window.notify(_("Reminder removed"), 2)
            what = "reminder_removed"
        self._refresh()
        if self.search_screen is not None:
            self.search_screen.update()
        return what

    # -- search ------------------------------------------------------------------------------------------------
    def open_search(self) -> GuideSearchScreen | None:
        """Blue: search channels (of the guide's rows) and programmes (of the whole guide) in one screen."""
        lineup = self.live.lineup
        if self.search is None or lineup is None:
            return None
        rows = self.rows()
        allowed = set(rows)

        def lookup(keys: tuple[str, ...]) -> tuple[int, Channel] | None:
            for key in keys:
                index = lineup.index_of(key)
                if index is not None and index in allowed:
                    return index, lineup.channels[index]
            return None

        screen = GuideSearchScreen(
            self.search, lambda text: lineup.search(text, rows), lookup,
            lambda index: f"{lineup.numbers[index]}  {lineup.channels[index].name}", self.open_result,
            replayable=self.catchup_available, clock_fn=self.clock, lookup_channel=lambda i: lineup.channels[i],
            reminded=self.reminders.has_reminder if self.reminders is not None else lambda _c, _p: False,
            recorded=self.recordings.has if self.recordings is not None else lambda _c, _p: False,
            record_row=self.record_result if self.recordings is not None else None,
            titles=self.titles())
        screen.close_requested.connect(lambda: self.window.pop(screen))
        self.search_screen = screen
        self.window.push(screen)
        return screen

    def open_result(self, row: ResultRow) -> None:
        """OK on a search result: watch a channel or a programme on now, replay an earlier one, a reminder for a
        later one; a film's or series' detail page."""
        if row.title is not None:
            if self.search_screen is not None:
                self.window.pop(self.search_screen)
            self.close()
            self.open_title(row.title)  # the PIN first when its category is locked
            self.activated.emit("title")
            return
        lineup = self.live.lineup
        if lineup is None or row.index < 0:
            return
        channel, programme, now = lineup.channels[row.index], row.programme, self.clock()
        if programme is not None and programme.start > now:
            self.activated.emit(self.remind(channel, programme))
            return
        if programme is not None and programme.stop <= now:
            if not (self.catchup_available(channel, programme) and self.start_catchup(row.index, channel, programme)):
                self.window.notify(_("{channel} has no catch-up for this programme").format(channel=channel.name), 4)
                self.activated.emit("none")
                return
            what = "catchup"
        else:
            self.live.tune(row.index)
            what = "tune"
        if self.search_screen is not None:
            self.window.pop(self.search_screen)
        self.close()
        self.activated.emit(what)

    def record_result(self, row: ResultRow) -> None:
        """Record on a search result: record (or cancel) its programme, as on a guide cell."""
        lineup = self.live.lineup
        if lineup is not None and row.index >= 0 and row.programme is not None:
            self.activated.emit(self.record(lineup.channels[row.index], row.programme))

    def show_info(self, channel: Channel | None = None, programme: Programme | None = None) -> None:
        channel = channel or self.model.focused_channel()
        programme = programme or self.model.focused()
        if channel is None or programme is None:
            return
        lines = [f"{channel.name}  ·  {day_label(programme.start, self.clock())}  "
                 f"{clock(programme.start)}–{clock(programme.stop)}"]
        extra = [x for x in (programme.episode, programme.sub_title, programme.rating, programme.date) if x]
        if extra:
            lines.append("  ·  ".join(extra))
        if programme.categories:
            lines.append(", ".join(programme.categories))
        if programme.desc:
            lines += ["", programme.desc]
        dialog = InfoDialog(programme.title, "\n".join(lines))
        dialog.close_requested.connect(lambda: self.window.pop(dialog))
        self.dialog = dialog
        self.window.push(dialog)

    def _show_details(self) -> None:
        channel = self.model.focused_channel()
        programme = self.model.focused()
        now = self.clock()
        if channel is None:
            action = ""
        elif programme is None or programme.start <= now < programme.stop:
            action = _("OK  watch")
        elif programme.stop <= now:
            action = _("OK  watch from the start (catch-up)") if self.catchup_available(channel, programme) \
                else _("No catch-up")
        elif self.reminders is None:
            action = _("OK  details")
        elif self.reminders.has_reminder(channel, programme):
            action = _("OK  remove the reminder  ·  Info  details")
        else:
            action = _("OK  remind me a minute before  ·  Info  details")
        if channel is not None and programme is not None and programme.stop > now and self.recordings is not None:
            action += "  ·  " + (_("● recording set") if self.recordings.has(channel, programme)
                                 else _("hold OK  record"))
        self.details.show_programme(channel, programme, action)

    # -- screen ------------------------------------------------------------------------------------------------
    def geometry_for(self, rect: QRect, theme: Theme) -> list[tuple[QWidget, QRect]]:
        self.grid.theme = theme
        self.details.theme = theme
        safe = theme.safe_rect(rect.width(), rect.height())
        gap = theme.px(16)
        top_h = round(safe.height() * 0.34)
        details = QRect(safe.x(), safe.y(), round(safe.width() * 0.6) - gap, top_h)
        grid = QRect(safe.x(), safe.y() + top_h + gap, safe.width(), safe.height() - top_h - gap)
        rows = max(1, (grid.height() - self.grid.header_height() - self.grid.hint_height()) // self.grid.row_height())
        self.model.set_page_rows(rows)
        return [(self.details, details), (self.grid, grid),
                (self.numbers.box, self.numbers.box.geometry_in(rect, theme))]
