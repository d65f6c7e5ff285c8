"""Record on live TV: the Record key records the channel playing (in the channel list: the focused one) in the
background (a stream copy by ffmpeg, settop.core.recording) until Record is pressed again, at most :data:`LONGEST`
hours; zapping away does not stop it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PyQt6.QtCore import QObject, Qt, pyqtSignal

from settop.core.models import Channel
from settop.core.net.budget import ConnectionBudget, source_of
from settop.core.recording.plan import MIB, DiskMargin, file_name, recordings_folder
from settop.core.recording.recorder import Progress, Recorder, Refused
from settop.core.redact import redact
from settop.core.state.settings import Settings
from settop.i18n import _
from settop.ui.live.screen import LiveScreen
from settop.ui.mainwindow import MainWindow

log = logging.getLogger("settop.ui.recordings")

#: The longest one press of Record records (hours), so a forgotten recording does not fill the disk.
LONGEST = 4


class LiveRecorder(QObject):
    """One background recording at a time. Signals: ``progress(Progress)`` on the GUI thread; ``finished(Progress)``
    when it ended (stopped, planned end, full disk, or nothing recorded)."""

    progress = pyqtSignal(object)
    finished = pyqtSignal(object)
    _relay = pyqtSignal(object)

    def __init__(self, window: MainWindow, live: LiveScreen, settings: Settings, parent: QObject | None = None,
                 budget: ConnectionBudget | None = None) -> None:
        super().__init__(parent)
        self.budget = budget  # the app's connection budget: a recording is one more stream of its provider
        self.window = window
        self.live = live
        self.settings = settings
        self.recorder: Recorder | None = None
        self.channel: Channel | None = None
        self.last: Progress | None = None
        self._relay.connect(self._deliver, Qt.ConnectionType.QueuedConnection)  # type: ignore[call-arg]

    @property
    def recording(self) -> bool:
        return self.recorder is not None

    def toggle(self) -> None:
        """The Record key: start recording the channel playing (in the channel list: the one in focus), or stop
        the recording under way."""
        if self.recorder is not None:
            self.recorder.stop()
            return
        channel_list = self.live.channel_list
        listed = channel_list.focused_channel() if self.window.has(channel_list) else None
        channel = listed or self.live.current_channel()  # in the channel list: the channel it has in focus
        if channel is None:
            self.window.notify(_("Nothing to record: no channel is playing"), 3)
            return
        self.start(channel)

    def start(self, channel: Channel) -> Path | None:
        info = self.live.now_next(channel) if self.live.now_next is not None else None
        title = info.now.title if info is not None and info.now is not None else ""
        out = recordings_folder(self.settings.get_str("recording.folder")) / file_name(channel.name, title,
                                                                                     time.time())
        recorder = make_recorder(channel, out, LONGEST * 3600, settings=self.settings, budget=self.budget,
                                 on_progress=self._relay.emit)
        if isinstance(recorder, NotRecorded):
            self.window.notify(_("Not recorded: {why}").format(why=recorder.why) if recorder.busy else recorder.why, 6)
            return None
        self.recorder, self.channel, self.last = recorder, channel, None
        threading.Thread(target=run_recorder, args=(recorder, self._relay.emit), name="settop-record",
                         daemon=True).start()
        self.window.notify(_("Recording {channel}  ·  Record again stops").format(channel=channel.name), 4)
        log.info("recording %s into %s", channel.name, out.name)
        return out

    def _deliver(self, progress: Progress) -> None:
        self.last = progress
        if progress.state in ("recording", "reconnecting"):
            self.progress.emit(progress)
            return
        self.recorder = None
        if progress.state in ("done", "stopped") and progress.parts:
            text = _("Recording saved: {channel}, {minutes} min, {size:.0f} MiB").format(
                channel=self.channel.name if self.channel else "", minutes=max(1, round(progress.seconds / 60)),
                size=progress.size / MIB)
        else:
            text = progress.message
        self.window.notify(text, 5)
        self.finished.emit(progress)

    def shutdown(self) -> None:
        """settop closes: the recording stops cleanly (what was recorded stays)."""
        if self.recorder is not None:
            self.recorder.stop()


@dataclass(frozen=True, slots=True)
class NotRecorded:
    """Why a recording cannot start, in words; ``busy`` when its provider has no connection left (it may later)."""

    why: str
    busy: bool = False


def make_recorder(channel: Channel, out: Path, seconds: float, *, settings: Settings, budget: ConnectionBudget | None,
                  on_progress: Callable[[Progress], None]) -> Recorder | NotRecorded:
    """A recorder of ``channel`` into ``out`` for ``seconds`` holding one of its provider's connections, or why
    not (no connection left: the budget's refusal; not enough disk)."""
    source = source_of(channel.url)
    grant = budget.try_acquire(source, "recording") if budget is not None and source else None
    if budget is not None and source and grant is None:
        log.info("recording refused: connection limit of %s", redact(source))
        return NotRecorded(budget.refusal(source), busy=True)
    recorder = Recorder(channel.url, out, seconds, margin=DiskMargin(settings.get_int("recording.min_free_mb") * MIB),
                        on_progress=on_progress, headers=channel.headers,
                        connection=(lambda: lambda: budget.release(grant)) if budget is not None else None)
    try:
        recorder.check()
    except (Refused, OSError) as exc:
        if budget is not None:
            budget.release(grant)
        return NotRecorded(str(exc))
    return recorder


def run_recorder(recorder: Recorder, relay: Callable[[Progress], object]) -> None:
    """Run ``recorder`` to its end (on a worker thread); a failure is relayed as a ``failed`` progress."""
    try:
        recorder.run()
    except Exception as exc:  # the recording ends; the viewer hears why
        log.warning("recording failed: %s", exc)
        relay(Progress("failed", message=str(exc)))
