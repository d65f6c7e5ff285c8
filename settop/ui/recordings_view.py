"""The Recordings screen (Menu › Recordings): the recordings folder's files with title, channel, date, length and
size; OK plays one with the on-demand seek bar, Red deletes one after a confirmation."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from functools import cached_property
from pathlib import Path

from PyQt6.QtCore import QRect, Qt, pyqtSignal
from PyQt6.QtGui import QColor, QPaintEvent
from PyQt6.QtWidgets import QWidget

from settop.core.recording.files import RecordingFile, measure, scan
from settop.core.recording.plan import MIB
from settop.i18n import N_, _
from settop.input.buttons import Action, Context
from settop.ui.guide.info import clock
from settop.ui.guide.paint import day_label
from settop.ui.library.playback import VodItem, clock_text
from settop.ui.mainwindow import MainWindow
from settop.ui.screen import WINDOW_ACTIONS, ActionTable, Screen, run_action
from settop.ui.widgets import theme as th
from settop.ui.widgets.localefmt import isolate
from settop.ui.widgets.menu import MenuItem, MenuScreen
from settop.ui.widgets.overlay import Panel

log = logging.getLogger("settop.ui.recordings")

HINT = N_("▲▼ choose  ·  OK play  ·  Red delete  ·  Back close")


class RecordingsScreen(Panel, Screen):
    """The list (context ``dialog``). ``play(VodItem)`` plays a recording; ``confirm(MenuScreen)`` shows the
    delete question. Signals: ``close_requested``, ``loaded`` once a scan (sizes, then lengths) is laid out."""

    close_requested = pyqtSignal()
    loaded = pyqtSignal()
    _scanned = pyqtSignal(object)
    context = Context.dialog

    def __init__(self, folder: Path, play: Callable[[VodItem], None], confirm: Callable[[MenuScreen], None],
                 parent: QWidget | None = None) -> None:
        super().__init__("RecordingsPanel", parent)
        self.folder = folder
        self.play = play
        self.confirm = confirm
        self.theme = th.Theme()
        self.files: list[RecordingFile] | None = None
        self.focus = 0
        self.top = 0
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="settop-recordings")
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
        self.focus = min(self.focus, max(0, len(files) - 1))
        self.update()
        self.loaded.emit()

    def focused(self) -> RecordingFile | None:
        files = self.files or []
        return files[self.focus] if 0 <= self.focus < len(files) else None

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
        if self.files:
            self.focus = max(0, min(len(self.files) - 1, self.focus + step))
            self.update()

    def _play_focused(self) -> None:
        item = self.focused()
        if item is not None:
            self.play(VodItem(key=f"recording:{item.path.name}", name=self.title_of(item), url=str(item.path),
                              local_ok=True))

    def _ask_delete(self) -> None:
        item = self.focused()
        if item is None:
            return
        question = _("Delete “{name}”?").format(name=self.title_of(item))
        choices = [MenuItem(_("Keep it")), MenuItem(_("Delete"), run=lambda: self.delete(item))]
        self.confirm(MenuScreen(question, choices, side="center"))

    def delete(self, item: RecordingFile) -> None:
        try:
            item.path.unlink()
        except OSError as exc:
            log.warning("recording %s not deleted: %s", item.path.name, exc)
        if self.files is not None:
            self.files = [f for f in self.files if f.path != item.path]
            self.focus = min(self.focus, max(0, len(self.files) - 1))
        self.update()

    @staticmethod
    def title_of(item: RecordingFile) -> str:
        return item.title or item.channel or item.path.stem

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
        files = self.files
        if not files:
            painter.setFont(theme.font("body"))
            message = _("Reading the recordings folder…") if files is None else \
                _("No recordings yet: settop record makes them (see Recording in the user guide)")
            painter.drawText(QRect(area.x(), area.y(), area.width(), row_h), lead | middle, message)
        visible = self._visible()
        if self.focus < self.top:
            self.top = self.focus
        elif self.focus >= self.top + visible:
            self.top = self.focus - visible + 1
        now = time.time()
        rtl = self.layoutDirection() == Qt.LayoutDirection.RightToLeft
        for offset, item in enumerate((files or [])[self.top : self.top + visible]):
            rect = QRect(area.x(), area.y() + offset * row_h, area.width(), row_h)
            focused = self.top + offset == self.focus
            if focused:
                th.paint_focus(painter, rect, theme)
            inner = rect.adjusted(theme.px(16), 0, -theme.px(16), 0)
            when_w, facts_w = theme.px(300), theme.px(330)
            title_w = inner.width() - when_w - facts_w - theme.px(32)

            def column(x: int, w: int, rect: QRect = inner) -> QRect:  # mirrored in a right-to-left layout
                return QRect(rect.right() - (x - rect.x()) - w + 1, rect.y(), w, rect.height()) if rtl else \
                    QRect(x, rect.y(), w, rect.height())

            painter.setFont(theme.font("body", bold=focused))
            painter.setPen(QColor("#ffffff") if focused else th.TEXT)
            when = f"{day_label(item.start, now)} {clock(item.start)}"
            painter.drawText(column(inner.x(), when_w), lead | middle, when)
            name = self.title_of(item) + (f"  ·  {item.channel}" if item.title and item.channel else "")
            if item.part > 1:
                name += "  " + _("(part {n})").format(n=item.part)
            title_rect = column(inner.x() + when_w + theme.px(16), title_w)
            painter.drawText(title_rect, lead | middle, painter.fontMetrics().elidedText(
                isolate(name), Qt.TextElideMode.ElideRight, title_rect.width()))
            painter.setPen(QColor("#ffffff") if focused else th.TEXT_DIM)
            length = clock_text(round(item.seconds * 1000)) if item.seconds is not None else "…"
            mib = item.size / MIB
            size = f"{mib:.1f}" if mib < 10 else f"{mib:.0f}"
            facts = _("{length}  ·  {size} MiB").format(length=length, size=size)
            painter.drawText(column(inner.right() - facts_w + 1, facts_w), trail | middle, facts)
        painter.setFont(theme.font("small"))
        painter.setPen(th.TEXT_DIM)
        painter.drawText(QRect(pad, self.height() - pad - theme.px(40), width, theme.px(40)), lead | middle, _(HINT))
        painter.end()

    def geometry_for(self, rect: QRect, theme: th.Theme) -> list[tuple[QWidget, QRect]]:
        self.theme = theme
        return [(self, theme.safe_rect(rect.width(), rect.height()))]

    def opened(self) -> None:
        self.refresh()

    def closed(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def open_recordings(window: MainWindow, folder: Path, play: Callable[[VodItem], None]) -> RecordingsScreen:
    """Push the Recordings screen for ``folder``; its delete question goes over it."""
    def confirm(menu: MenuScreen) -> None:
        menu.close_requested.connect(lambda: window.pop(menu))
        window.push(menu)

    screen = RecordingsScreen(folder, play, confirm)
    screen.close_requested.connect(lambda: window.pop(screen))
    window.push(screen)
    return screen
