"""Applies the interface language to Qt: layout direction, QLocale, and a ``language_changed`` signal screens heed."""

from __future__ import annotations

import logging

from PyQt6.QtCore import QLocale, QObject, Qt, pyqtSignal
from PyQt6.QtWidgets import QApplication

from settop.i18n import is_rtl, language, set_language
from settop.ui.widgets.localefmt import set_digits, ui_locale

log = logging.getLogger("settop.ui.i18n")


class LanguageNotifier(QObject):
    """``language_changed(code)`` after the language (or the digits) changed and the layout direction is set."""

    language_changed = pyqtSignal(str)


_NOTIFIER: list[LanguageNotifier] = []


def notifier() -> LanguageNotifier:
    if not _NOTIFIER:
        _NOTIFIER.append(LanguageNotifier())
    return _NOTIFIER[0]


def apply_language(language_setting: str | None = None, digits_setting: str | None = None) -> str:
    """Switch the interface to ``language_setting`` ("" = the system's) and ``digits_setting``, without a restart.

    Sets the application's layout direction (right to left for Arabic: Qt mirrors layouts and text alignment,
    the main window mirrors panel places), the default QLocale, then asks every widget with a ``retranslate()``
    method to rebuild its texts, repaints everything and emits ``language_changed``. None keeps the current value.
    """
    if digits_setting is not None:
        set_digits(digits_setting)
    code = set_language(language_setting) if language_setting is not None else language()
    QLocale.setDefault(ui_locale())
    app = QApplication.instance()
    if isinstance(app, QApplication):
        direction = Qt.LayoutDirection.RightToLeft if is_rtl(code) else Qt.LayoutDirection.LeftToRight
        app.setLayoutDirection(direction)
        for widget in app.allWidgets():
            retranslate = getattr(widget, "retranslate", None)
            if callable(retranslate):
                retranslate()
            widget.update()
        for top in app.topLevelWidgets():
            relayout = getattr(top, "relayout", None)
            if callable(relayout) and top.isVisible():
                relayout()
    log.info("interface language %s", code)
    notifier().language_changed.emit(code)
    return code


def apply_language_setting(value: object) -> None:
    """The ``ui.language`` setting changed (settings pages)."""
    apply_language(str(value))


def apply_digits_setting(value: object) -> None:
    """The ``ui.digits`` setting changed (settings pages)."""
    apply_language(digits_setting=str(value))
