"""Recording programmes from the guide: the schedule of the running app, each recording in the background.

Record on a guide cell schedules that programme (start and end from the guide, padding before and after from
Settings › Recording); a programme on now records at once until its end plus the padding. One timer is armed for
the next start; each recording is a stream copy by ffmpeg on a worker thread (settop.ui.live_record) holding one
of its provider's connections, so the viewer goes on watching another channel. settop records only while it runs:
the schedule is kept across restarts (``timers.json``), and what passed while settop was closed is shown as missed.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from PyQt6.QtCore import QObject, Qt, QTimer, pyqtSignal

from settop.core.models import Channel, Programme
from settop.core.net.budget import ConnectionBudget, source_of
from settop.core.recording.plan import file_name, recordings_folder
from settop.core.recording.recorder import Progress, Recorder
from settop.core.recording.schedule import DONE, FAILED, INTERRUPTED, MISSED, Schedule, Scheduled
from settop.core.state.settings import Settings
from settop.i18n import N_, _, ngettext
from settop.ui.guide.info import clock
from settop.ui.live.screen import LiveScreen
from settop.ui.live_record import NotRecorded, make_recorder, run_recorder
from settop.ui.mainwindow import MainWindow
from settop.ui.widgets.localefmt import isolate
from settop.ui.widgets.menu import MenuItem, MenuScreen

log = logging.getLogger("settop.ui.recordings")

#: The longest the timer sleeps between looks (the wall clock may jump: suspend, NTP).
MAX_WAIT_S = 30.0
#: Seconds before a start refused for want of a connection is tried again.
RETRY_S = 30.0
ONLY_WHILE_RUNNING = N_("settop records only while it is running")


@dataclass
class _Running:
    item: Scheduled
    recorder: Recorder
    last: Progress | None = None


class RecordingScheduler(QObject):
    """The scheduled recordings of the running app. ``changed`` after every change of the schedule (the guide's
    marks, the Recordings list); ``finished(Scheduled, Progress)`` when a recording ended; ``on_change()`` saves."""

    changed = pyqtSignal()
    started = pyqtSignal(object)
    finished = pyqtSignal(object, object)
    _relay = pyqtSignal(object, object)

    def __init__(self, window: MainWindow, live: LiveScreen, settings: Settings, budget: ConnectionBudget | None, *,
                 items: tuple[Scheduled, ...] = (), on_change: Callable[[], None] = lambda: None,
                 clock_fn: Callable[[], float] = time.time, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.window = window
        self.live = live
        self.settings = settings
        self.budget = budget
        self.on_change = on_change
        self.schedule = Schedule(clock_fn, items)
        self.running: dict[tuple[str, float], _Running] = {}
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.check)
        self._relay.connect(self._deliver, Qt.ConnectionType.QueuedConnection)  # type: ignore[call-arg]
        self._closing = False
        self.missed = self.schedule.settle()

    def set_clock(self, clock_fn: Callable[[], float]) -> None:
        self.schedule.clock = clock_fn
        self._arm()

    def now(self) -> float:
        return self.schedule.clock()

    def startup_message(self) -> str:
        """What passed while settop was closed, in words ("" when nothing)."""
        missed = [i for i in self.missed if i.state == MISSED]
        cut = [i for i in self.missed if i.state == INTERRUPTED]
        parts = []
        if missed:
            parts.append(ngettext("{n} scheduled recording was missed while settop was not running",
                                  "{n} scheduled recordings were missed while settop was not running",
                                  len(missed)).format(n=len(missed)))
        if cut:
            parts.append(ngettext("{n} recording was cut short when settop closed",
                                  "{n} recordings were cut short when settop closed", len(cut)).format(n=len(cut)))
        return "  ·  ".join(parts) + ("  ·  " + _("see Menu › Recordings") if parts else "")

    # -- asking ------------------------------------------------------------------------------------------------
    def has(self, channel: Channel, programme: Programme) -> bool:
        return self.schedule.has(channel.key, programme.start)

    def items(self) -> list[Scheduled]:
        return self.schedule.items()

    def toggle(self, channel: Channel, programme: Programme) -> str:
        """The Record key on a programme: schedule it (or record it now), or cancel it when it is scheduled.
        Returns what happened: ``scheduled``, ``recording`` (on now: started), ``waiting`` (on now, but no connection
        is free yet), ``cancelled``, ``refused`` (over the provider's limit) or ``ended``."""
        if self.has(channel, programme):
            self.cancel(channel.key, programme.start)
            self.window.notify(_("Recording cancelled: {title}").format(title=isolate(programme.title)), 3)
            return "cancelled"
        return self.add(channel, programme)

    def add(self, channel: Channel, programme: Programme) -> str:
        before = self.settings.get_int("recording.pad_before_min") * 60.0
        after = self.settings.get_int("recording.pad_after_min") * 60.0
        item = Scheduled(channel.key, channel.name, programme.title, float(programme.start), float(programme.stop),
                         before, after)
        refusal = self._over_limit(channel, item)
        if refusal:
            self.window.notify(refusal, 6)
            return "refused"
        if not self.schedule.add(item):
            self.window.notify(_("That programme has ended: nothing to record"), 4)
            return "ended"
        now = self.now()
        if item.begin > now:
            self.window.notify(_("Recording scheduled: {title}, {start}–{end} on {channel}  ·  {only}").format(
                title=isolate(item.title), start=clock(item.begin), end=clock(item.end),
                channel=isolate(item.channel_name), only=_(ONLY_WHILE_RUNNING)), 6)
        self._changed()
        self.check()
        return "scheduled" if item.begin > now else ("recording" if item.key in self.running else "waiting")

    def _over_limit(self, channel: Channel, item: Scheduled) -> str:
        """Why the schedule cannot take ``item`` within its provider's connection limit ("" when it can)."""
        source = source_of(channel.url)
        limit = self.budget.limit(source) if self.budget is not None and source else None
        if limit is None:
            return ""
        lineup = self.live.lineup

        def same_source(other: Scheduled) -> bool:
            index = lineup.index_of(other.channel_key) if lineup is not None else None
            return index is not None and source_of(lineup.channels[index].url) == source  # type: ignore[union-attr]

        others = self.schedule.overlapping(item.begin, item.end, same_source)
        if len(others) < limit:
            return ""
        return ngettext("Not scheduled: this provider allows {n} stream at once, and it records {titles} then",
                        "Not scheduled: this provider allows {n} streams at once, and they record {titles} then",
                        limit).format(n=limit, titles=", ".join(isolate(o.title) for o in others))

    def cancel(self, channel_key: str, start: float) -> None:
        """Take a programme out of the schedule; a recording under way stops (what it recorded stays)."""
        self.schedule.cancel(channel_key, start)
        running = self.running.pop((channel_key, start), None)
        if running is not None:
            running.recorder.stop()
        self._changed()

    def forget(self, item: Scheduled) -> None:
        """Take a finished entry (missed, failed, done) off the list."""
        if not item.active:
            self.schedule.cancel(item.channel_key, item.start)
            self._changed()

    # -- the clock ---------------------------------------------------------------------------------------------
    def _arm(self) -> None:
        moment = self.schedule.next_check()
        if moment is None:
            self.timer.stop()
            return
        self.timer.start(round(min(MAX_WAIT_S, max(0.0, moment - self.now())) * 1000))

    def check(self) -> None:
        """Start what is due (the timer calls this, and the loader once the channel list is there)."""
        if self.live.lineup is None or self._closing:  # the channels are not loaded yet: the loader calls again
            return
        before = [(i.key, i.state) for i in self.schedule.items()]
        for item in self.schedule.due():
            self._start(item)
        if [(i.key, i.state) for i in self.schedule.items()] != before:
            self._changed()
        self._arm()

    def _start(self, item: Scheduled) -> None:
        lineup = self.live.lineup
        index = lineup.index_of(item.channel_key) if lineup is not None else None
        if lineup is None or index is None:
            self._fail(item, _("That channel is not in the channel list any more"))
            return
        channel, now = lineup.channels[index], self.now()
        out = recordings_folder(self.settings.get_str("recording.folder")) / file_name(channel.name, item.title,
                                                                                     now)
        key = item.key
        recorder = make_recorder(channel, out, item.end - now, settings=self.settings, budget=self.budget,
                                 on_progress=lambda progress: self._relay.emit(key, progress))
        if isinstance(recorder, NotRecorded):  # tried again later, up to the programme's end
            first = not item.message  # said once, not at every try
            self.schedule.defer(*key, now + RETRY_S, recorder.why)
            if first:
                text = _("{title} is not recording yet: {why}. It starts when a connection is free.") if recorder.busy \
                    else _("{title} is not recording yet: {why}")
                self.window.notify(text.format(title=isolate(item.title), why=recorder.why), 8)
            return
        self.running[key] = _Running(item, recorder)
        threading.Thread(target=run_recorder, args=(recorder, lambda p: self._relay.emit(key, p)),
                         name="settop-record-scheduled", daemon=True).start()
        self.window.notify(_("Recording {title} on {channel} until {end}").format(
            title=isolate(item.title), channel=isolate(channel.name), end=clock(item.end)), 4)
        log.info("scheduled recording of %s started into %s", channel.name, out.name)
        self.started.emit(item)

    def _fail(self, item: Scheduled, why: str) -> None:
        self.schedule.mark(*item.key, FAILED, why)
        self.window.notify(_("Not recorded: {title}: {why}").format(title=isolate(item.title), why=why), 6)

    def _deliver(self, key: tuple[str, float], progress: Progress) -> None:
        running = self.running.get(key)
        if running is None or self._closing:
            return
        running.last = progress
        if progress.state in ("recording", "reconnecting"):
            return
        del self.running[key]
        item = running.item
        if progress.state == "done" and progress.parts:
            self.schedule.mark(*key, DONE)
            self.window.notify(_("Recording saved: {title}, {minutes} min").format(
                title=isolate(item.title), minutes=max(1, round(progress.seconds / 60))), 5)
        elif progress.state in ("stopped", "done") and progress.parts:
            self.schedule.mark(*key, DONE, progress.message)
        else:
            self._fail(item, progress.message)
        self._changed()
        self.finished.emit(item, progress)

    def progress_of(self, item: Scheduled) -> Progress | None:
        running = self.running.get(item.key)
        return running.last if running is not None else None

    def _changed(self) -> None:
        self.on_change()
        self.changed.emit()

    def shutdown(self) -> None:
        """settop closes: recordings under way stop cleanly; the saved schedule still says they were recording, so
        the next start records what is left of them (or says they were cut short)."""
        self._closing = True
        self.timer.stop()
        for running in self.running.values():
            running.recorder.stop()


def programme_menu(channel: Channel, programme: Programme, recordings: RecordingScheduler, now: float, *,
                   record: Callable[[], object], remind: Callable[[], object] | None, reminded: bool,
                   details: Callable[[], object]) -> MenuScreen:
    """The choices for a programme of the guide (hold OK): record it or cancel its recording, remind or not (a
    programme to come), its details."""
    items = []
    if programme.stop > now:
        items.append(MenuItem(_("Cancel the recording") if recordings.has(channel, programme) else
                              _("Record this programme") if programme.start > now else _("Record from now"), record))
    if remind is not None and programme.start > now:
        items.append(MenuItem(_("Remove the reminder") if reminded else _("Remind me a minute before"), remind))
    items.append(MenuItem(_("Details"), details))
    return MenuScreen(programme.title, items, side="center")
