"""One digit setting for everything: channel numbers follow ``ui.digits`` like times do (Arabic: ٠-٩ by default)."""

from __future__ import annotations

from typing import Any

import pytest

from settop.ui.i18n_qt import apply_language
from settop.ui.widgets.localefmt import clock
from tests.ui.conftest import load

ARABIC_INDIC = set("٠١٢٣٤٥٦٧٨٩")


@pytest.mark.parametrize(("language", "setting", "arabic"), [
    ("ar", "auto", True), ("ar", "latin", False), ("en", "auto", False), ("en", "arabic", True),
], ids=["ar-auto", "ar-latin", "en-auto", "en-arabic"])
def test_channel_numbers_and_times_share_the_digits(qtbot: Any, make_app: Any, language: str, setting: str,
                                                    arabic: bool) -> None:
    apply_language(language, setting)
    try:
        app = make_app()
        load(qtbot, app)
        app.live.show_banner()
        number = app.live.banner.number.text()
        time_text = clock(1_700_000_000)
        app.live.numbers.enter_digit(1)
        typed = app.live.numbers.box.digits.text()
        for text in (number, time_text, typed):
            assert bool(set(text) & ARABIC_INDIC) is arabic, (text, number, time_text, typed)
            assert bool(set(text) & set("0123456789")) is not arabic, (text, number, time_text, typed)
    finally:
        apply_language("en", "auto")
