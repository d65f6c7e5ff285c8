"""Reminders and the sleep timer on screen: one timer armed for the next moment either policy needs, and the
notice it shows over whatever plays ("Watch now" on OK for a reminder, and Green "Watch from the start" through
catch-up once the programme has begun; OK cancels the sleep timer). Reminders are kept across restarts."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable

from PyQt6.QtCore import QObject, QRect, Qt, QTimer, pyqtSignal
from PyQt6.QtGui import QColor, QPaintEvent
from PyQt6.QtWidgets import QWidget

from settop.core.models import Channel, Programme
from settop.core.timers.reminders import Reminder, Reminders
from settop.core.timers.sleep import SleepTimer
from settop.i18n import _
from settop.input.buttons import Action, Context
from settop.ui.guide.info import clock
from settop.ui.mainwindow import MainWindow
from settop.ui.screen import ActionTable, Screen, run_action
from settop.ui.widgets import theme as th
from settop.ui.widgets.localefmt import isolate
from settop.ui.widgets.overlay import Panel

log = logging.getLogger("settop.ui.timers")

#: The longest the timer sleeps between looks (the wall clock may jump: suspend, NTP).
MAX_WAIT_S = 30.0
#: Seconds a notice for a programme that has begun stays up.
LATE_NOTICE_S = 120.0


class NoticeScreen(Panel, Screen):
    """A notice over the video (context ``dialog``): OK runs ``on_ok`` and closes, Green runs ``on_green`` (when
    given, labelled ``green_label``) and closes, Back closes; every other key goes on to the screen below, so
    watching goes on. It closes by itself after ``seconds``."""

    close_requested = pyqtSignal()
    context = Context.dialog
    modal = False  # watching goes on below it: keys and the info banner

    def __init__(self, title: str, text: str, ok_label: str, on_ok: Callable[[], object], *, seconds: float,
                 green: tuple[str, Callable[[], object]] | None = None, parent: QWidget | None = None) -> None:
        super().__init__("NoticePanel", parent)
        self.title, self.text, self.ok_label, self.on_ok = title, text, ok_label, on_ok
        self.green = green
        self.theme = th.Theme()
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(round(seconds * 1000))
        self.timer.timeout.connect(self.close_requested.emit)

    @property
    def action_table(self) -> ActionTable:
        table: dict[Action, Callable[[], object]] = {Action.select: self._ok, Action.back: self.close_requested.emit}
        if self.green is not None:
            table[Action.green] = self._green
        return table

    def handle_action(self, action: Action) -> bool:
        return run_action(self.action_table, action)

    def _ok(self) -> None:
        self.close_requested.emit()
        self.on_ok()

    def _green(self) -> None:
        self.close_requested.emit()
        if self.green is not None:
            self.green[1]()

    def hint(self) -> str:
        if self.green is not None:
            return _("OK  {action}  ·  Green  {green}  ·  Back  close").format(action=self.ok_label,
                                                                              green=self.green[0])
        return _("OK  {action}  ·  Back  close").format(action=self.ok_label)

    def opened(self) -> None:
        self.timer.start()

    def closed(self) -> None:
        self.timer.stop()

    def paintEvent(self, event: QPaintEvent | None) -> None:
        theme = self.theme
        painter, _outline = th.begin_panel(self, theme, 236)
        pad = theme.px(28)
        width = self.width() - 2 * pad
        left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter  # turned round by the painter in RTL
        painter.setFont(theme.font("title", bold=True))
        painter.setPen(QColor("#ffffff"))
        painter.drawText(QRect(pad, pad, width, theme.px(56)), left, self.title)
        painter.setFont(theme.font("body"))
        painter.setPen(th.TEXT)
        painter.drawText(QRect(pad, pad + theme.px(68), width, theme.px(48)), left,
                         painter.fontMetrics().elidedText(self.text, Qt.TextElideMode.ElideRight, width))
        button = QRect(pad, self.height() - pad - theme.px(60), width, theme.px(60))
        th.paint_focus(painter, button, theme)
        painter.setFont(theme.font("body", bold=True))
        painter.setPen(QColor("#ffffff"))
        hint_rect = button.adjusted(theme.px(16), 0, -theme.px(16), 0)
        painter.drawText(hint_rect, left, painter.fontMetrics().elidedText(self.hint(), Qt.TextElideMode.ElideRight,
                                                                           hint_rect.width()))
        painter.end()

    def geometry_for(self, rect: QRect, theme: th.Theme) -> list[tuple[QWidget, QRect]]:
        self.theme = theme
        safe = theme.safe_rect(rect.width(), rect.height())
        width, height = min(safe.width(), theme.px(900 if self.green is None else 1200)), theme.px(260)
        x = safe.right() - width  # top right; the window mirrors it to the top left in a right-to-left layout
        return [(self, QRect(x, safe.y(), width, height))]


class TimeKeeper(QObject):
    """Reminders and the sleep timer of the running app.

    tune(channel_key) -> bool watches a channel; stop() stops playing; replay(reminder) -> bool plays a programme
    that has begun from its start through catch-up (False when its channel has none); ``saved(reminders)`` keeps
    them (``timers.json``); with ``tunes_itself()`` (a setting) a reminder tunes to its programme as it starts.
    ``notice_shown(str)`` says which notice went up (``reminder``, ``reminder_late``: with "Watch from the start",
    ``reminder_tuned``, ``sleep_warning``, ``sleep_stopped``); tests wait on it and drive ``clock``.
    """

    notice_shown = pyqtSignal(str)

    def __init__(self, window: MainWindow, tune: Callable[[str], bool], stop: Callable[[], object],
                 clock_fn: Callable[[], float] = time.time, parent: QObject | None = None, *,
                 reminders: Iterable[Reminder] = (), saved: Callable[[], object] = lambda: None,
                 replay: Callable[[Reminder], bool] | None = None,
                 replayable: Callable[[Reminder], bool] = lambda _r: False,
                 tunes_itself: Callable[[], bool] = lambda: False,
                 playing: Callable[[], str | None] = lambda: None) -> None:
        super().__init__(parent)
        self.window = window
        self.tune = tune
        self.stop = stop
        self.saved = saved
        self.replay = replay
        self.replayable = replayable
        self.tunes_itself = tunes_itself  # the setting live.reminder_tunes
        self.playing = playing  # the key of the channel playing
        self.reminders = Reminders(clock_fn, items=reminders)
        self.shown: Reminder | None = None  # the reminder whose notice is up before its start
        self.sleep = SleepTimer(clock_fn)
        self.notice: NoticeScreen | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.check)

    def set_clock(self, clock_fn: Callable[[], float]) -> None:
        self.reminders.clock = clock_fn
        self.sleep.clock = clock_fn
        self._arm()

    # -- reminders ---------------------------------------------------------------------------------------------
    def toggle_reminder(self, channel: Channel, programme: Programme) -> bool:
        """Set or remove the reminder of ``programme`` on ``channel``; True when one is set afterwards."""
        now_set = self.reminders.toggle(Reminder(channel.key, channel.name, programme.title, programme.start,
                                                 programme.stop, programme.catchup_id))
        self.saved()
        self._arm()
        return now_set

    def has_reminder(self, channel: Channel, programme: Programme) -> bool:
        return self.reminders.has(channel.key, programme.start)

    # -- sleep timer -------------------------------------------------------------------------------------------
    def sleep_in(self, minutes: float) -> None:
        self.sleep.set_minutes(minutes)
        self._arm()

    def sleep_at(self, moment: float) -> bool:
        done = self.sleep.set_until(moment)
        self._arm()
        return done

    def cancel_sleep(self) -> None:
        self.sleep.cancel()
        self._arm()

    # -- the clock ---------------------------------------------------------------------------------------------
    def _arm(self) -> None:
        early = self._early()
        start = self.reminders.next_start() if self.tunes_itself() else None
        moments = [m for m in (self.reminders.next_check(), self.sleep.next_check(),
                               early.start if early is not None else None, start) if m is not None]
        if not moments:
            self.timer.stop()
            return
        wait = min(MAX_WAIT_S, max(0.0, min(moments) - self.reminders.clock()))
        self.timer.start(round(wait * 1000))

    def _early(self) -> Reminder | None:
        """The reminder whose notice is up from before its programme began (it changes once the programme begins)."""
        notice = self.notice
        return self.shown if notice is not None and self.window.has(notice) else None

    def check(self) -> None:
        """Say what is due now (the timer calls this; tests call it after moving the clock)."""
        shown = self._early()
        if shown is not None and shown.start <= self.reminders.clock():
            self.shown = None
            if self.replay is not None and self.replayable(shown):
                self._remind(shown)  # the programme began under its notice: now it can be watched from the start
        for reminder in self.reminders.due():
            self._remind(reminder)
        starting = self.reminders.starting()
        if starting and self.tunes_itself():
            self._tune_itself(starting[-1])
        state = self.sleep.poll()
        if state.warn:
            self._show(_("Sleep timer"), _("Playback stops in a minute"), _("keep watching"), self.cancel_sleep,
                       kind="sleep_warning", seconds=60)
        if state.stop:
            self.stop()
            self._show(_("Sleep timer"), _("Playback stopped"), _("close"), lambda: None, kind="sleep_stopped",
                       seconds=30)
        self._arm()

    def _remind(self, reminder: Reminder) -> None:
        now = self.reminders.clock()
        late = reminder.start <= now
        text = _("{title} started at {time} on {channel}") if late else _("{title} starts at {time} on {channel}")
        text = text.format(title=isolate(reminder.title), time=clock(reminder.start),
                           channel=isolate(reminder.channel_name))
        replay = self.replay
        green = None
        if late and replay is not None and self.replayable(reminder):
            green = (_("watch from the start"), lambda: replay(reminder))
        self._show(_("Reminder"), text, _("watch now"), lambda: self.tune(reminder.channel_key),
                   kind="reminder_late" if green else "reminder", green=green,
                   seconds=max(60.0, reminder.start - now + 60) if not late else LATE_NOTICE_S)
        self.shown = None if late else reminder

    def _tune_itself(self, reminder: Reminder) -> None:
        """The setting "Reminders tune by themselves": the programme starts, settop tunes to it and says so."""
        if self.notice is not None and self.window.has(self.notice):
            self.window.pop(self.notice)
        self.shown = None
        if self.playing() != reminder.channel_key and self.tune(reminder.channel_key):
            self.window.notify(_("Reminder: {title} starts now on {channel}").format(
                title=isolate(reminder.title), channel=isolate(reminder.channel_name)), 5)
            log.info("reminder tuned by itself")
            self.notice_shown.emit("reminder_tuned")

    def _show(self, title: str, text: str, ok_label: str, on_ok: Callable[[], object], *, kind: str,
              seconds: float, green: tuple[str, Callable[[], object]] | None = None) -> None:
        window = self.window
        if self.notice is not None:
            window.pop(self.notice)
        self.shown = None
        notice = NoticeScreen(title, text, ok_label, on_ok, seconds=seconds, green=green)
        notice.close_requested.connect(lambda: window.pop(notice))
        self.notice = notice
        window.push(notice)
        log.info("notice: %s", kind)
        self.notice_shown.emit(kind)
