"""On-screen display panels of the live view: banner, number entry, volume, status and short notices."""

from __future__ import annotations

import time
from collections.abc import Sequence

from PyQt6.QtCore import QRect, QSize, Qt, QTimer, pyqtSignal
from PyQt6.QtGui import QPainter, QPaintEvent, QPixmap
from PyQt6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QVBoxLayout, QWidget

from settop.core.models import Channel
from settop.i18n import _, ngettext
from settop.player.base import StreamInfo, Track
from settop.ui.guide.info import NowNext, clock, programme_line
from settop.ui.widgets import theme as th
from settop.ui.widgets.localefmt import bidi, isolate, locale_number
from settop.ui.widgets.localefmt import digits as localized
from settop.ui.widgets.logos import paint_logo
from settop.ui.widgets.overlay import Panel


def _label(name: str, parent: QWidget, text: str = "") -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName(name)
    return label


class AutoHide:
    """Hides ``panel`` ``seconds`` after the last ``poke``; ``seconds <= 0`` keeps it up."""

    def __init__(self, panel: QWidget, seconds: float) -> None:
        self.panel = panel
        self.timer = QTimer(panel)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(panel.hide)
        self.seconds = seconds

    def poke(self, seconds: float | None = None) -> None:
        self.panel.show()
        self.panel.raise_()
        duration = self.seconds if seconds is None else seconds
        if duration > 0:
            self.timer.start(round(duration * 1000))
        else:
            self.timer.stop()

    def hide(self) -> None:
        self.timer.stop()
        self.panel.hide()


class LogoView(QWidget):
    """A channel logo or its placeholder tile."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pixmap: QPixmap | None = None
        self.name = ""

    def set_logo(self, pixmap: QPixmap | None, name: str) -> None:
        self.pixmap, self.name = pixmap, name
        self.update()

    def paintEvent(self, event: QPaintEvent | None) -> None:
        painter = QPainter(self)
        paint_logo(painter, self.rect(), self.pixmap, self.name or "TV")
        painter.end()


def resolution_label(info: StreamInfo) -> str:
    """``"1080p"``, ``"720p"``, ``"576p"``... or ``""`` when unknown."""
    if info.height <= 0:
        return ""
    if info.height >= 2000:
        return "4K"
    return f"{info.height}p"


class Banner(Panel):
    """The OSD banner: number, logo, name, badges, clock, and now/next with progress when a guide is present."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Banner", parent)
        self.logo = LogoView(self)
        self.number = _label("ChannelNumber", self)
        self.name = _label("ChannelName", self)
        self.clock = _label("Title", self)
        self.badges = QHBoxLayout()
        self.now = _label("BannerNow", self)
        self.next = _label("Dim", self)
        self.progress = QProgressBar(self)
        self.progress.setTextVisible(False)
        self.progress.setRange(0, 1000)
        self.group = _label("Dim", self)
        self._badges: list[QLabel] = []
        self.compact = True  # no programme lines: a shorter banner

        top = self.top = QHBoxLayout()
        top.addWidget(self.number)
        top.addWidget(self.name, 1)
        top.addLayout(self.badges)
        top.addWidget(self.clock)
        text = QVBoxLayout()
        text.setSpacing(2)
        text.addLayout(top)
        text.addWidget(self.group)
        text.addWidget(self.now)
        text.addWidget(self.progress)
        text.addWidget(self.next)
        text.addStretch(1)
        self.row = QHBoxLayout(self)
        self.row.addWidget(self.logo)
        self.row.addLayout(text, 1)

    def show_channel(self, channel: Channel, number: str, *, logo: QPixmap | None, favorite: bool,
                     info: NowNext | None, stream: StreamInfo | None, audio: list[Track], subtitles: list[Track],
                     status: str = "", sources: int = 0) -> None:
        """Fill the banner; ``sources``: how many sources the channel has (2 and more are said)."""
        self.number.setText(localized(number))
        self.name.setText(bidi(isolate(channel.name) + ("  ★" if favorite else "")))
        self.logo.set_logo(logo, channel.name)
        self.clock.setText(clock(time.time()))
        groups = " · ".join(channel.groups)
        self.group.setText(status or groups)
        self.group.setVisible(bool(status or groups))
        badges: list[str] = []
        if stream is not None and resolution_label(stream):
            badges.append(resolution_label(stream))
        real_audio = [t for t in audio if t.id >= 0]
        if len(real_audio) > 1:
            badges.append(_("AUDIO {count}").format(count=len(real_audio)))
        if any(t.id >= 0 for t in subtitles):
            badges.append(_("SUBS"))
        if channel.catchup is not None:
            badges.append(_("CATCH-UP"))
        if channel.radio:
            badges.append(_("RADIO"))
        if sources > 1:
            badges.append(ngettext("{n} source", "{n} sources", sources).format(n=sources))
        for label in self._badges:
            label.deleteLater()
        self._badges = []
        for text in badges:
            badge = _label("Badge", self, text)
            badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.badges.addWidget(badge)
            self._badges.append(badge)
        has_now = info is not None and info.now is not None
        self.compact = not has_now
        if info is not None and info.now is not None:
            self.now.setText(programme_line(info.now))
            self.progress.setValue(round(info.progress() * 1000))
        else:
            self.now.setText("")
        self.progress.setVisible(has_now)
        self.now.setVisible(has_now)
        if info is not None and info.next is not None:
            self.next.setText(bidi(_("Next  {time}  {title}").format(time=clock(info.next.start),
                                                                     title=isolate(info.next.title))))
            self.next.show()
        else:
            self.next.hide()

    def geometry_in(self, rect: QRect, theme: th.Theme) -> QRect:
        safe = theme.safe_rect(rect.width(), rect.height())
        height = theme.px(220 if self.compact else 300)
        self.logo.setFixedSize(QSize(theme.px(240), theme.px(150)))
        pad = theme.px(22)
        self.row.setContentsMargins(pad, pad, pad, pad)
        self.row.setSpacing(theme.px(28))
        self.top.setSpacing(theme.px(16))
        self.badges.setSpacing(theme.px(10))
        return QRect(safe.x(), safe.bottom() - height, safe.width(), height)


class NumberEntryBox(Panel):
    """The digits typed so far and what they tune to: a channel name, or "No channel 123"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("NumberEntry", parent)
        self.digits = _label("NumberEntryDigits", self)
        self.digits.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.name = _label("NumberEntryName", self)
        self.name.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.name.setWordWrap(True)
        box = QVBoxLayout(self)
        box.addWidget(self.digits)
        box.addWidget(self.name)
        self.box = box

    def show_entry(self, digits: str, name: str | None) -> None:
        # Both lines on the box's outer edge (right, or left in right to left), whatever script the name is in.
        edge = Qt.AlignmentFlag.AlignLeft if self.isRightToLeft() else Qt.AlignmentFlag.AlignRight
        for label in (self.digits, self.name):
            label.setAlignment(edge | Qt.AlignmentFlag.AlignAbsolute)
        self.digits.setText(localized(digits) + "–")
        if name is None:
            self.name.setObjectName("NumberEntryMissing")
            self.name.setText(_("No channel {number}").format(number=localized(digits)))
        else:
            self.name.setObjectName("NumberEntryName")
            self.name.setText(name)
        th.repolish(self.name)

    def geometry_in(self, rect: QRect, theme: th.Theme) -> QRect:
        safe = theme.safe_rect(rect.width(), rect.height())
        width, height = theme.px(520), theme.px(230)
        pad = theme.px(22)
        self.box.setContentsMargins(pad, pad, pad, pad)
        return QRect(safe.right() - width, safe.y(), width, height)


class VolumePanel(Panel):
    """Volume level or "Muted", top left (top right while a panel, the channel list or the guide's details, is
    there)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("VolumePanel", parent)
        self.text = _label("Title", self)
        self.bar = QProgressBar(self)
        self.bar.setTextVisible(False)
        self.bar.setRange(0, 100)
        box = QHBoxLayout(self)
        box.addWidget(self.text)
        box.addWidget(self.bar, 1)
        self.box = box

    def show_volume(self, percent: int, muted: bool) -> None:
        self.text.setText("🔇 " + _("Muted") if muted else f"🔊 {locale_number(percent)}")
        self.bar.setValue(0 if muted else percent)

    def geometry_in(self, rect: QRect, theme: th.Theme, aside: bool = False) -> QRect:
        """Top left; ``aside`` (a panel stands there: the channel list...): top right, where the number box goes."""
        safe = theme.safe_rect(rect.width(), rect.height())
        pad = theme.px(18)
        self.box.setContentsMargins(pad, pad, pad, pad)
        self.box.setSpacing(pad)
        width = theme.px(520)
        return QRect(safe.right() - width if aside else safe.x(), safe.y(), width, theme.px(96))


class StatusPanel(Panel):
    """What the picture is doing, in words: opening, buffering, reconnecting, errors with a Retry hint.

    Also used for playlist loading progress (``show_progress``).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("StatusPanel", parent)
        self.text = _label("StatusText", self)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text.setWordWrap(True)
        self.bar = QProgressBar(self)
        self.bar.setTextVisible(False)
        self.bar.hide()
        self.hint = _label("StatusHint", self)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        box = QVBoxLayout(self)
        box.addStretch(1)
        box.addWidget(self.text)
        box.addWidget(self.bar)
        box.addWidget(self.hint)
        box.addStretch(1)
        self.box = box
        self.kind = ""
        self.covered = False  # another screen is open above live TV: keep the status, show it when back

    def show_status(self, kind: str, text: str, hint: str = "") -> None:
        """kind: ``opening``, ``buffering``, ``reconnecting``, ``error``, ``loading``; text is user-readable."""
        self.kind = kind
        self.text.setText(text)
        self.hint.setText(hint)
        self.hint.setVisible(bool(hint))
        self.bar.hide()
        self.setVisible(not self.covered)
        self.raise_()

    def show_progress(self, text: str, done: int, total: int | None) -> None:
        self.kind = "loading"
        self.text.setText(text)
        if total:
            self.bar.setRange(0, 1000)
            self.bar.setValue(round(1000 * min(done, total) / total))
        else:
            self.bar.setRange(0, 0)  # busy indicator when the size is unknown
        self.bar.show()
        self.hint.hide()
        self.setVisible(not self.covered)
        self.raise_()

    def clear(self, kind: str | None = None) -> None:
        if kind is None or self.kind == kind:
            self.kind = ""
            self.hide()

    def geometry_in(self, rect: QRect, theme: th.Theme) -> QRect:
        width, height = min(rect.width() - 2 * theme.px(60), theme.px(980)), theme.px(240)
        pad = theme.px(28)
        self.box.setContentsMargins(pad, pad, pad, pad)
        self.bar.setFixedWidth(width - 2 * pad)
        return QRect((rect.width() - width) // 2, (rect.height() - height) // 2, width, height)


class Toast(Panel):
    """The one notification area, at the top centre between the volume and number boxes: the newest notice on top,
    up to :attr:`MAX_NOTICES`, each leaving after its own time ("Added to favorites", "Audio: English", ...).

    Signal ``changed`` when a notice came or went (the window places the area again: its height follows)."""

    MAX_NOTICES = 3
    changed = pyqtSignal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Toast", parent)
        self.box = QVBoxLayout(self)
        self.labels: list[QLabel] = []
        self.notices: list[tuple[str, float]] = []  # (text, when it goes: time.monotonic()), newest first
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._expire)
        self.hide()

    @property
    def text(self) -> QLabel:
        """The newest notice."""
        return self._label_at(0)

    def notify(self, text: str, seconds: float = 3.0) -> None:
        """Show ``text`` above the notices already up (the same text again just stays longer)."""
        self.notices = [(t, until) for t, until in self.notices if t != text]
        self.notices.insert(0, (text, time.monotonic() + max(0.5, seconds)))
        del self.notices[self.MAX_NOTICES:]
        self._show()

    def _label_at(self, index: int) -> QLabel:
        while len(self.labels) <= index:
            label = _label("Subtitle", self)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)
            self.box.addWidget(label)
            self.labels.append(label)
        return self.labels[index]

    def _show(self) -> None:
        for index, (text, _until) in enumerate(self.notices):
            label = self._label_at(index)
            label.setText(text)
            label.show()
        for label in self.labels[len(self.notices):]:
            label.hide()
        if self.notices:
            self.show()
            self.raise_()
            self.timer.start(max(0, round((min(u for _t, u in self.notices) - time.monotonic()) * 1000)))
        else:
            self.hide()
        self.changed.emit()

    def _expire(self) -> None:
        now = time.monotonic()
        self.notices = [(t, until) for t, until in self.notices if until > now + 0.02]
        self._show()

    def geometry_in(self, rect: QRect, theme: th.Theme, keep_clear: Sequence[QRect] = ()) -> QRect:
        """Between the volume box (top left) and the number box (top right), as tall as its notices. When a panel
        on screen (``keep_clear``: the channel list, the guide's details...) is in the way, centred in the widest
        free stretch of the top beside it (either side: right to left mirrors the panels), below a small box (the
        volume) that stands there."""
        safe = theme.safe_rect(rect.width(), rect.height())
        side = theme.px(520) + theme.px(24)  # the volume and number boxes' width and a gap
        width = max(theme.px(420), min(theme.px(900), safe.width() - 2 * side))
        self.box.setContentsMargins(theme.px(18), theme.px(10), theme.px(18), theme.px(10))
        self.box.setSpacing(theme.px(8))
        placed = QRect((rect.width() - width) // 2, safe.y(), width, self._height(width, theme))
        band = QRect(safe.x(), safe.y(), safe.width(), placed.height())
        boxes = [r for r in keep_clear if r.width() <= side]
        panels = [r for r in keep_clear if r.width() > side and r.intersects(band)]
        if not any(r.intersects(placed) for r in panels):
            return placed
        gap = theme.px(24)
        left, right = free_stretch(safe.left(), safe.right(), [(r.left(), r.right()) for r in panels], gap)
        if right - left < theme.px(420):
            return placed  # no room beside them: over them, as before
        width = min(theme.px(900), right - left)
        placed = QRect(left + (right - left - width) // 2, safe.y(), width, self._height(width, theme))
        below = [r.bottom() for r in boxes if r.intersects(placed)]
        if below:
            placed.moveTop(max(below) + theme.px(16))
        return placed

    def _height(self, width: int, theme: th.Theme) -> int:
        """As tall as the notices wrapped at ``width``."""
        box = self.box
        return max(theme.px(70), box.heightForWidth(width) if box.hasHeightForWidth() else box.sizeHint().height())


def free_stretch(start: int, end: int, taken: Sequence[tuple[int, int]], gap: int) -> tuple[int, int]:
    """The widest stretch of ``start``..``end`` that keeps ``gap`` from every (left, right) in ``taken``."""
    best, cursor = (start, start), start
    for left, right in sorted(taken):
        if left - gap - cursor > best[1] - best[0]:
            best = (cursor, left - gap)
        cursor = max(cursor, right + gap)
    if end - cursor > best[1] - best[0]:
        best = (cursor, end)
    return best
