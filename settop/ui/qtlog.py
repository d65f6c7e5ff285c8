"""Qt's own messages (qDebug, qWarning, ... from Qt and its plugins) go through Python logging as ``settop.qt``.

So they pass the redacting filter like every other record (a Qt warning may quote a URL), obey the log level and
``--log-filter``, and the test suite fails on an unexpected one. A few messages that Qt prints for conditions
settop handles on purpose are logged at DEBUG instead of WARNING; each is listed with its reason.
"""

from __future__ import annotations

import logging

from PyQt6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

log = logging.getLogger("settop.qt")

LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}

EXPECTED: tuple[str, ...] = (
    # The offscreen and minimal platforms (tests, benchmarks, a box without a window system) have no window
    # manager to tell about size hints; nothing is lost.
    "This plugin does not support propagateSizeHints()",
    "This plugin does not support raise()",
    "This plugin does not support grabbing the keyboard",
)
"""Message starts logged at DEBUG: Qt says them for situations settop expects."""


def qt_message(kind: QtMsgType, context: QMessageLogContext, message: str | None) -> None:
    """The message handler: one record on ``settop.qt`` with Qt's category, at the matching level."""
    text = message or ""
    level = LEVELS.get(kind, logging.WARNING)
    if level >= logging.WARNING and text.startswith(EXPECTED):
        level = logging.DEBUG
    category = context.category or "default"
    log.log(level, "%s: %s", category, text)


def install() -> None:
    """Route Qt's messages to logging for the rest of the process (idempotent)."""
    qInstallMessageHandler(qt_message)
