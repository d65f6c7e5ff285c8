"""The Recordings screen (Menu › Recordings): the scheduled recordings (to come, under way, missed), then the
recordings folder's files with title, channel, date, length and size; OK plays a file with the on-demand seek bar,
Red deletes a file or cancels a scheduled recording after a confirmation."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

from PyQt6.QtCore import QRect, Qt, QTimer, pyqtSignal
from PyQt6.QtGui import QColor, QPaintEvent
from PyQt6.QtWidgets import QWidget

from settop.core.recording.files import RecordingFile, measure, scan
from settop.core.recording.plan import MIB
from settop.core.recording.schedule import DONE, FAILED, INTERRUPTED, MISSED, RECORDING, Scheduled
from settop.i18n import N_, _
from settop.input.buttons import Action, Context
from settop.ui.guide.info import clock
from settop.ui.guide.paint import day_label
from settop.ui.library.playback import VodItem, clock_text
from settop.ui.mainwindow import MainWindow
from settop.ui.scheduled import ONLY_WHILE_RUNNING, RecordingScheduler
from settop.ui.screen import WINDOW_ACTIONS, ActionTable, Screen, run_action
from settop.ui.widgets import theme as th
from settop.ui.widgets.localefmt import isolate
from settop.ui.widgets.menu import MenuItem, MenuScreen
from settop.ui.widgets.overlay import Panel

log = logging.getLogger("settop.ui.recordings")

HINT = N_("▲▼ choose  ·  OK play  ·  Red delete or cancel  ·  Back close")
STATES = {RECORDING: N_("Recording now"), MISSED: N_("Missed: settop was not running"), FAILED: N_("Not recorded"),
          INTERRUPTED: N_("Cut short: settop closed"), DONE: N_("Recorded")}


@dataclass(frozen=True, slots=True)
class ListRow:
    """One line of the list: a section ``header``, a scheduled recording, or a file."""

    header: str = ""
    scheduled: Scheduled | None = None
    file: RecordingFile | None = None


class RecordingsScreen(Panel, Screen):
    """The list (context ``dialog``). ``play(VodItem)`` plays a recording; ``confirm(MenuScreen)`` shows the
    delete question. Signals: ``close_requested``, ``loaded`` once a scan (sizes, then lengths) is laid out."""

    close_requested = pyqtSignal()
    loaded = pyqtSignal()
    _scanned = pyqtSignal(object)
    context = Context.dialog

    def __init__(self, folder: Path, play: Callable[[VodItem], None], confirm: Callable[[MenuScreen], None],
                 scheduler: RecordingScheduler | None = None, parent: QWidget | None = None) -> None:
        super().__init__("RecordingsPanel", parent)
        self.folder = folder
        self.scheduler = scheduler
        self.rows: list[ListRow] = []
        self.play = play
        self.confirm = confirm
        self.theme = th.Theme()
        self.files: list[RecordingFile] | None = None
        self.focus = 0
        self.top = 0
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="settop-recordings")
        self.ticker = QTimer(self)  # a recording under way shows how far it is
        self.ticker.setInterval(1000)
        self.ticker.timeout.connect(self._tick)
        self._scanned.connect(self._show, Qt.ConnectionType.QueuedConnection)  # type: ignore[call-arg]

    # -- data ------------------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the folder again on a worker thread (ffprobe measures each file's length)."""
        self._pool.submit(self._scan)

    def _scan(self) -> None:
        files = scan(self.folder)
        self._scanned.emit(files)  # sizes at once, lengths as measured
        self._scanned.emit([replace(f, seconds=measure(f.path)) for f in files])

    def _show(self, files: list[RecordingFile]) -> None:
        self.files = files
        self._lay_out()
        self.loaded.emit()

    def _lay_out(self) -> None:
        """The rows: a Scheduled section (when there is one) above the files."""
        scheduled = self.scheduler.items() if self.scheduler is not None else []
        rows = []
        if scheduled:
            rows.append(ListRow(header=_("Scheduled  ·  {only}").format(only=_(ONLY_WHILE_RUNNING))))
            rows += [ListRow(scheduled=item) for item in scheduled]
            if self.files:
                rows.append(ListRow(header=_("Recorded")))
        rows += [ListRow(file=f) for f in self.files or []]
        self.rows = rows
        self.focus = min(self.focus, max(0, len(rows) - 1))
        self._move(0)

    def _tick(self) -> None:
        if any(row.scheduled is not None and row.scheduled.state == RECORDING for row in self.rows):
            self.update()

    def schedule_changed(self) -> None:
        self._lay_out()

    def focused_row(self) -> ListRow | None:
        return self.rows[self.focus] if 0 <= self.focus < len(self.rows) else None

    def focused(self) -> RecordingFile | None:
        row = self.focused_row()
        return row.file if row is not None else None

    # -- actions ---------------------------------------------------------------------------------------------------
    @cached_property
    def action_table(self) -> ActionTable:
        return {
            Action.up: lambda: self._move(-1),
            Action.down: lambda: self._move(1),
            Action.page_up: lambda: self._move(-self._visible()),
            Action.page_down: lambda: self._move(self._visible()),
            Action.select: self._play_focused,
            Action.red: self._ask_delete,
            Action.back: self.close_requested.emit,
        }

    def handle_action(self, action: Action) -> bool:
        return run_action(self.action_table, action) or action not in WINDOW_ACTIONS

    def _move(self, step: int) -> None:
        """Move the focus by ``step`` rows, past section headers (which are never focused)."""
        rows = self.rows
        if rows:
            focus = max(0, min(len(rows) - 1, self.focus + step))
            direction = 1 if step >= 0 else -1
            while 0 <= focus < len(rows) and rows[focus].header:
                focus += direction
            if not 0 <= focus < len(rows):  # a header at the end: the nearest row the other way
                focus = max(0, min(len(rows) - 1, self.focus))
                while focus > 0 and rows[focus].header:
                    focus -= 1
            self.focus = focus
        self.update()

    def _play_focused(self) -> None:
        item = self.focused()
        if item is not None:
            self.play(VodItem(key=f"recording:{item.path.name}", name=self.title_of(item), url=str(item.path),
                              local_ok=True))

    def _ask_delete(self) -> None:
        row = self.focused_row()
        if row is not None and row.scheduled is not None:
            self._ask_cancel(row.scheduled)
            return
        item = self.focused()
        if item is None:
            return
        question = _("Delete “{name}”?").format(name=self.title_of(item))
        choices = [MenuItem(_("Keep it")), MenuItem(_("Delete"), run=lambda: self.delete(item))]
        self.confirm(MenuScreen(question, choices, side="center"))

    def _ask_cancel(self, item: Scheduled) -> None:
        scheduler = self.scheduler
        if scheduler is None:
            return
        if item.active:
            question = _("Cancel the recording of “{name}”?").format(name=item.title)
            choices = [MenuItem(_("Keep it")), MenuItem(_("Cancel the recording"),
                                                        run=lambda: scheduler.cancel(item.channel_key, item.start))]
        else:
            question = _("Take “{name}” off the list?").format(name=item.title)
            choices = [MenuItem(_("Keep it")), MenuItem(_("Take it off"), run=lambda: scheduler.forget(item))]
        self.confirm(MenuScreen(question, choices, side="center"))

    def delete(self, item: RecordingFile) -> None:
        try:
            item.path.unlink()
        except OSError as exc:
            log.warning("recording %s not deleted: %s", item.path.name, exc)
        if self.files is not None:
            self.files = [f for f in self.files if f.path != item.path]
        self._lay_out()

    @staticmethod
    def title_of(item: RecordingFile) -> str:
        return item.title or item.channel or item.path.stem

    def _texts(self, row: ListRow, now: float) -> tuple[str, str, str]:
        """(when, title, facts) of a row: a file's length and size, a scheduled recording's times and state."""
        item, scheduled = row.file, row.scheduled
        if scheduled is not None:
            when = f"{day_label(scheduled.begin, now)} {clock(scheduled.begin)}–{clock(scheduled.end)}"
            name = f"{scheduled.title}  ·  {scheduled.channel_name}" if scheduled.title else scheduled.channel_name
            state = _(STATES[scheduled.state]) if scheduled.state in STATES else _("Scheduled")
            progress = self.scheduler.progress_of(scheduled) if self.scheduler is not None else None
            if progress is not None and scheduled.state == RECORDING:
                state += "  " + clock_text(round(progress.seconds * 1000))
            if scheduled.message and scheduled.state in (FAILED, MISSED, "scheduled"):
                state += f": {scheduled.message}"
            return when, name, state
        assert item is not None
        name = self.title_of(item) + (f"  ·  {item.channel}" if item.title and item.channel else "")
        if item.part > 1:
            name += "  " + _("(part {n})").format(n=item.part)
        length = clock_text(round(item.seconds * 1000)) if item.seconds is not None else "…"
        mib = item.size / MIB
        size = f"{mib:.1f}" if mib < 10 else f"{mib:.0f}"
        return f"{day_label(item.start, now)} {clock(item.start)}", name, \
            _("{length}  ·  {size} MiB").format(length=length, size=size)

    # -- look ------------------------------------------------------------------------------------------------------
    def _row_height(self) -> int:
        return self.theme.px(60)

    def _area(self) -> QRect:
        pad = self.theme.px(28)
        top = pad + self.theme.px(64) + self.theme.px(48)
        return QRect(pad, top, self.width() - 2 * pad, self.height() - top - pad - self.theme.px(44))

    def _visible(self) -> int:
        return max(1, self._area().height() // self._row_height())

    def paintEvent(self, event: QPaintEvent | None) -> None:
        theme = self.theme
        painter, _outline = th.begin_panel(self, theme, 255)
        pad = theme.px(28)
        width = self.width() - 2 * pad
        lead, trail, middle = Qt.AlignmentFlag.AlignLeft, Qt.AlignmentFlag.AlignRight, Qt.AlignmentFlag.AlignVCenter
        painter.setFont(theme.font("title", bold=True))
        painter.setPen(QColor("#ffffff"))
        painter.drawText(QRect(pad, pad, width, theme.px(56)), lead | middle, _("Recordings"))
        painter.setFont(theme.font("small"))
        painter.setPen(th.TEXT_DIM)
        painter.drawText(QRect(pad, pad + theme.px(60), width, theme.px(40)), lead | middle, isolate(str(self.folder)))
        area = self._area()
        row_h = self._row_height()
        if not self.rows:
            painter.setFont(theme.font("body"))
            message = _("Reading the recordings folder…") if self.files is None else \
                _("No recordings yet: Record on live TV, or on a programme in the guide")
            painter.drawText(QRect(area.x(), area.y(), area.width(), row_h), lead | middle, message)
        visible = self._visible()
        if self.focus < self.top:
            self.top = self.focus
        elif self.focus >= self.top + visible:
            self.top = self.focus - visible + 1
        now = time.time()
        rtl = self.layoutDirection() == Qt.LayoutDirection.RightToLeft
        for offset, row in enumerate(self.rows[self.top : self.top + visible]):
            rect = QRect(area.x(), area.y() + offset * row_h, area.width(), row_h)
            if row.header:
                painter.setFont(theme.font("small", bold=True))
                painter.setPen(th.TEXT_DIM)
                painter.drawText(rect.adjusted(theme.px(16), 0, -theme.px(16), 0), lead | Qt.AlignmentFlag.AlignBottom,
                                 row.header)
                continue
            focused = self.top + offset == self.focus
            if focused:
                th.paint_focus(painter, rect, theme)
            inner = rect.adjusted(theme.px(16), 0, -theme.px(16), 0)
            when_w, facts_w = theme.px(300), theme.px(600 if row.scheduled is not None else 330)
            title_w = inner.width() - when_w - facts_w - theme.px(32)

            def column(x: int, w: int, rect: QRect = inner) -> QRect:  # mirrored in a right-to-left layout
                return QRect(rect.right() - (x - rect.x()) - w + 1, rect.y(), w, rect.height()) if rtl else \
                    QRect(x, rect.y(), w, rect.height())

            when, name, facts = self._texts(row, now)
            painter.setFont(theme.font("body", bold=focused))
            painter.setPen(QColor("#ffffff") if focused else th.TEXT)
            painter.drawText(column(inner.x(), when_w), lead | middle, when)
            title_rect = column(inner.x() + when_w + theme.px(16), title_w)
            painter.drawText(title_rect, lead | middle, painter.fontMetrics().elidedText(
                isolate(name), Qt.TextElideMode.ElideRight, title_rect.width()))
            painter.setPen(QColor("#ffffff") if focused else th.TEXT_DIM)
            facts_rect = column(inner.right() - facts_w + 1, facts_w)
            painter.drawText(facts_rect, trail | middle, painter.fontMetrics().elidedText(
                facts, Qt.TextElideMode.ElideRight, facts_rect.width()))
        painter.setFont(theme.font("small"))
        painter.setPen(th.TEXT_DIM)
        painter.drawText(QRect(pad, self.height() - pad - theme.px(40), width, theme.px(40)), lead | middle, _(HINT))
        painter.end()

    def geometry_for(self, rect: QRect, theme: th.Theme) -> list[tuple[QWidget, QRect]]:
        self.theme = theme
        return [(self, theme.safe_rect(rect.width(), rect.height()))]

    def opened(self) -> None:
        self.refresh()
        self.ticker.start()

    def closed(self) -> None:
        self.ticker.stop()
        self._pool.shutdown(wait=False, cancel_futures=True)


def open_recordings(window: MainWindow, folder: Path, play: Callable[[VodItem], None],
                    scheduler: RecordingScheduler | None = None) -> RecordingsScreen:
    """Push the Recordings screen for ``folder`` (and the scheduled recordings); its questions go over it."""
    def confirm(menu: MenuScreen) -> None:
        menu.close_requested.connect(lambda: window.pop(menu))
        window.push(menu)

    screen = RecordingsScreen(folder, play, confirm, scheduler)
    screen.close_requested.connect(lambda: window.pop(screen))
    if scheduler is not None:
        scheduler.changed.connect(screen.schedule_changed)
        screen.close_requested.connect(lambda: scheduler.changed.disconnect(screen.schedule_changed))
    window.push(screen)
    return screen
