"""Times, dates and numbers as the interface language writes them (QLocale), with the digits the viewer chose."""

from __future__ import annotations

import time
from typing import ClassVar

from PyQt6.QtCore import QDate, QDateTime, QLocale, QTime

from settop.i18n import N_, _, is_rtl, language

DIGIT_MODES = ("auto", "latin", "arabic")
_LATIN = "0123456789"
_ARABIC_INDIC = "٠١٢٣٤٥٦٧٨٩"
_TO_LATIN = str.maketrans(_ARABIC_INDIC + "۰۱۲۳۴۵۶۷۸۹", _LATIN * 2)
_TO_ARABIC = str.maketrans(_LATIN, _ARABIC_INDIC)
# The QLocale each interface language formats with: French and English (as settop writes it) use a 24-hour clock;
# Arabic as written in the Maghreb and the Gulf alike, with its own digits by default.
_LOCALES = {"en": "en_GB", "fr": "fr_FR", "ar": "ar_EG"}
# Setting values shown in words (the stored value stays the code).
CHOICE_LABELS = {
    "auto": N_("automatic"), "none": N_("none"), "on": N_("on"), "off": N_("off"), "fill": N_("fill the screen"),
    "native": N_("native window"), "frames": N_("frames"), "latin": N_("Latin (0123)"), "arabic": N_("Arabic (٠١٢٣)"),
}


class _Digits:
    mode: ClassVar[str] = "auto"


def set_digits(mode: str) -> None:
    """``auto`` (the locale's own), ``latin`` (0-9) or ``arabic`` (٠-٩)."""
    _Digits.mode = mode if mode in DIGIT_MODES else "auto"


def ui_locale() -> QLocale:
    """The QLocale of the interface language."""
    return QLocale(_LOCALES.get(language(), language()))


def digits(text: str) -> str:
    """``text`` with its digits in the chosen script (``auto``: the interface language's own, as its times have):
    channel numbers, times and counts all follow the one ``ui.digits`` setting."""
    mode = _Digits.mode
    if mode == "auto":
        mode = "arabic" if ui_locale().zeroDigit() != "0" else "latin"
    if mode == "latin":
        return text.translate(_TO_LATIN)
    return text.translate(_TO_ARABIC)


def clock(epoch: float) -> str:
    """``20:15`` (``٢٠:١٥`` in Arabic digits) in local time, 24-hour."""
    moment = time.localtime(epoch)
    return digits(ui_locale().toString(QTime(moment.tm_hour, moment.tm_min), "HH:mm"))


def short_date(epoch: float) -> str:
    """``Sun 29 Nov`` / ``dim. 29 nov.`` / ``الأحد ٢٩ نوفمبر``."""
    moment = time.localtime(epoch)
    return digits(ui_locale().toString(QDate(moment.tm_year, moment.tm_mon, moment.tm_mday), "ddd d MMM"))


def date_time(epoch: float) -> str:
    """A full date and time in the locale's short format."""
    value = QDateTime.fromSecsSinceEpoch(int(epoch))
    return digits(ui_locale().toString(value, "ddd d MMM HH:mm"))


def locale_number(value: float | None) -> str:
    """``1,234`` / ``1 234`` / ``١٬٢٣٤``; floats lose trailing zeros."""
    if value is None:
        return ""
    locale = ui_locale()
    if isinstance(value, float) and not value.is_integer():
        text = locale.toString(value, "g", 6)
    else:
        text = locale.toString(int(value))
    return digits(text)


def choice_label(value: str) -> str:
    """A setting's choice in words (``auto`` -> ``automatic``), or the value itself (``16:9``)."""
    label = CHOICE_LABELS.get(value)
    return _(label) if label is not None else value


def bidi(text: str) -> str:
    """``text`` starting with a mark that sets its direction to the interface's, whatever letters it begins with
    (a line that starts with a time or a Latin title still reads right to left in Arabic)."""
    return ("\u200f" if is_rtl() else "\u200e") + text


def isolate(text: str) -> str:
    """``text`` (a channel name, a programme title) laid out in its own direction inside any line: a title that
    starts in Latin keeps "Match: الهلال vs Al-Nassr" in order in the Arabic interface, and the other way round."""
    return "\u2068" + text + "\u2069" if text else text
