"""The TV side of the phone page: a QR code and a short address while the listener runs; what the phone sends (or
that it downloaded the backup) is handed over on the GUI thread, for the settings page to check and have the viewer
confirm."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable

from PyQt6.QtCore import QObject, QRect, Qt, pyqtSignal
from PyQt6.QtGui import QPixmap
from PyQt6.QtWidgets import QLabel, QVBoxLayout, QWidget

from settop.i18n import N_, _
from settop.input.buttons import Action, Context
from settop.ui.phone.listener import PhoneListener, Submission
from settop.ui.screen import Screen
from settop.ui.widgets import theme as th
from settop.ui.widgets.overlay import Panel

log = logging.getLogger("settop.ui.phone")

QR_SIZE_PX = 420  # at 1080p
TITLES = {
    "playlist": N_("Add a playlist from your phone"), "guide": N_("Add a guide source from your phone"),
    "account": N_("Add a provider account from your phone"), "backup": N_("Download the backup to your phone"),
    "restore": N_("Restore a backup from your phone"),
}
SCAN = N_("Scan the code with a phone on the same network (or type the address in its browser).")
HINTS = {
    "backup": N_("The page closes after one download or in 10 minutes  ·  Back closes it now"),
    "restore": N_("Send a settop backup file: you see what it holds and confirm here before anything is replaced. "
                  "The page closes after one use or in 10 minutes  ·  Back closes it now"),
    "account": N_("Type the password on the phone: it is never shown here. You confirm here before anything is "
                  "kept. The page closes after one use or in 10 minutes  ·  Back closes it now"),
}
CONFIRM_HINT = N_("You confirm here before anything is kept. The page closes after one use or in 10 minutes  ·  "
                  "Back closes it now")


def qr_png(text: str) -> bytes:
    """``text`` as a QR code, PNG bytes (segno: pure Python)."""
    import segno

    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="png", scale=10, border=2, dark="#000000", light="#ffffff")
    return out.getvalue()


def _nothing() -> None:
    pass


def _ignore(_submission: Submission) -> None:
    pass


class _Bridge(QObject):
    received = pyqtSignal(object)  # Submission, queued onto the GUI thread
    stopped = pyqtSignal()


class PhoneScreen(Panel, Screen):
    """Shows the code until something arrives, the 10 minutes run out, or Back; the listener lives exactly as long.

    Signal ``close_requested``; ``on_received(submission)`` runs on the GUI thread after the screen closed.
    """

    close_requested = pyqtSignal()
    context = Context.dialog

    def __init__(self, kind: str, on_received: Callable[[Submission], None], *, host: str | None = None,
                 download: bytes = b"", parent: QWidget | None = None) -> None:
        super().__init__("KeyboardPanel", parent)
        self.on_received = on_received
        self.bridge = _Bridge(self)
        queued = Qt.ConnectionType.QueuedConnection
        self.bridge.received.connect(self._received, queued)  # type: ignore[call-arg]
        self.bridge.stopped.connect(self._stopped, queued)  # type: ignore[call-arg]
        self.listener = PhoneListener(kind, self.bridge.received.emit, host=host, on_stopped=self.bridge.stopped.emit,
                                      download=download)
        self.title = QLabel(_(TITLES[kind]), self)
        self.title.setObjectName("Title")
        self.warning = QLabel(_("The backup file holds your passwords: keep it private."), self)
        self.warning.setObjectName("Warning")
        self.warning.setWordWrap(True)
        self.warning.setVisible(kind == "backup")
        self.code = QLabel(self)
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        pixmap = QPixmap()
        pixmap.loadFromData(qr_png(self.listener.url), "PNG")
        self.pixmap = pixmap
        self.address = QLabel(self.listener.url, self)
        self.address.setObjectName("SearchField")
        self.address.setTextFormat(Qt.TextFormat.PlainText)
        self.address.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.address.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.hint = QLabel(_(SCAN) + " " + _(HINTS.get(kind, CONFIRM_HINT)), self)
        self.hint.setObjectName("Hint")
        self.hint.setWordWrap(True)
        box = QVBoxLayout(self)
        box.addWidget(self.title)
        box.addWidget(self.warning)
        box.addWidget(self.code, 1)
        box.addWidget(self.address)
        box.addWidget(self.hint)
        self.box = box

    def handle_action(self, action: Action) -> bool:
        if action is Action.back:
            self.close_requested.emit()
        return True  # the screen keeps every key while it is open

    def closed(self) -> None:
        # The listener's threads must not reach this screen's objects any more (they may be deleted soon).
        self.listener.on_stopped = _nothing
        self.listener.on_submit = _ignore
        self.listener.close()

    def _received(self, submission: Submission) -> None:
        self.close_requested.emit()
        self.on_received(submission)

    def _stopped(self) -> None:
        if not self.listener.running and self.isVisible():
            self.close_requested.emit()

    def geometry_for(self, rect: QRect, theme: th.Theme) -> list[tuple[QWidget, QRect]]:
        size = theme.px(QR_SIZE_PX)
        self.code.setPixmap(self.pixmap.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio,
                                               Qt.TransformationMode.FastTransformation))
        self.code.setMinimumSize(size, size)  # never cropped: a QR code needs its quiet border to scan
        margin = theme.px(28)
        self.box.setContentsMargins(margin, margin, margin, margin)
        self.box.setSpacing(theme.px(14))
        safe = theme.safe_rect(rect.width(), rect.height())
        width, height = min(safe.width(), theme.px(900)), min(safe.height(), theme.px(940))
        return [(self, QRect(safe.center().x() - width // 2, safe.center().y() - height // 2, width, height))]
