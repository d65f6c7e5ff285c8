"""Catalogues: complete, current and well-formed; plural rules; language choice; times and digits per locale."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from settop import i18n, i18n_tools
from settop.i18n import LOCALE_DIR, _, ngettext, read_po, set_language

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def english_after() -> Iterator[None]:
    yield
    set_language("en")


@pytest.fixture(scope="module")
def messages() -> list[i18n_tools.Message]:
    return i18n_tools.extract()


def test_template_is_current(messages: list[i18n_tools.Message]) -> None:
    """settop.pot is what ``python -m settop.i18n_tools update`` extracts from the source now."""
    assert i18n_tools.TEMPLATE.read_text(encoding="utf-8") == i18n_tools.render_template(messages), \
        "run: .venv/bin/python -m settop.i18n_tools update, then translate the new entries"


@pytest.mark.parametrize("code", ["fr", "ar"])
def test_catalogue_is_complete(messages: list[i18n_tools.Message], code: str) -> None:
    """Every message of the source is translated, none fuzzy or empty, placeholders kept, no stale entries."""
    assert i18n_tools.problems(code, messages) == []


def test_catalogues_are_the_shipped_languages() -> None:
    assert i18n_tools.catalogue_codes() == ["ar", "fr"]
    assert i18n.available_languages() == ("en", "ar", "fr")
    assert not list(ROOT.glob("settop/**/*.mo")), "catalogues are compiled in memory, never committed"


def test_the_check_catches_unfinished_entries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "fr.po").write_text(
        'msgid ""\nmsgstr "Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n\n'
        '#, fuzzy\nmsgid "Watch"\nmsgstr "Regarder"\n\n'
        'msgid "Tuning to {channel}…"\nmsgstr "Passage sur {chaine}…"\n\n'
        'msgid "Keep"\nmsgstr ""\n\nmsgid "Gone"\nmsgstr "Parti"\n', encoding="utf-8")
    monkeypatch.setattr(i18n_tools, "LOCALE_DIR", tmp_path)
    wanted = [i18n_tools.Message(m) for m in ("Watch", "Tuning to {channel}…", "Keep", "Missing")]
    found = "\n".join(i18n_tools.problems("fr", wanted))
    for expected in ("'Watch' fuzzy", "placeholders", "'Keep' untranslated", "'Missing' missing",
                     "'Gone' no longer in the source"):
        assert expected in found, found


def test_po_reader_handles_multiline_and_plurals(tmp_path: Path) -> None:
    path = tmp_path / "x.po"
    path.write_text('msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n\n'
                    'msgid ""\n"a\\n"\n"b"\nmsgstr "c\\"d"\n\n'
                    'msgid "{n} one"\nmsgid_plural "{n} many"\nmsgstr[0] "{n} un"\nmsgstr[1] "{n} des"\n',
                    encoding="utf-8")
    entries = read_po(path)
    assert [(e.msgid, e.plural, e.msgstr) for e in entries[1:]] == [
        ("a\nb", "", ('c"d',)), ("{n} one", "{n} many", ("{n} un", "{n} des"))]


@pytest.mark.parametrize(("n", "form"), [
    pytest.param(0, "لا برامج", id="zero"), pytest.param(1, "برنامج واحد", id="one"),
    pytest.param(2, "برنامجان", id="two"), pytest.param(3, "3 برامج", id="few"),
    pytest.param(11, "11 برنامجًا", id="many"), pytest.param(100, "100 برنامج", id="other"),
    pytest.param(103, "103 برامج", id="few-again"),
])
def test_arabic_has_six_plural_forms(n: int, form: str) -> None:
    set_language("ar")
    assert ngettext("{n} programme", "{n} programmes", n).format(n=n) == form


@pytest.mark.parametrize(("n", "form"), [(0, "0 programme"), (1, "1 programme"), (2, "2 programmes")])
def test_french_plural(n: int, form: str) -> None:
    set_language("fr")
    assert ngettext("{n} programme", "{n} programmes", n).format(n=n) == form


@pytest.mark.parametrize(("setting", "env", "code"), [
    pytest.param("fr", {}, "fr", id="setting"),
    pytest.param("fr_FR.UTF-8", {}, "fr", id="setting-posix"),
    pytest.param("", {"LANG": "ar_MA.UTF-8"}, "ar", id="system"),
    pytest.param("", {"LANGUAGE": "de:fr", "LANG": "en_US.UTF-8"}, "fr", id="language-list"),
    pytest.param("", {"LC_ALL": "C", "LANG": "fr_FR.UTF-8"}, "en", id="c-locale"),
    pytest.param("", {}, "en", id="nothing"),
])
def test_language_choice(monkeypatch: pytest.MonkeyPatch, setting: str, env: dict[str, str], code: str) -> None:
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    assert set_language(setting) == code and i18n.language() == code


@pytest.mark.allow_warnings
def test_unknown_language_falls_back_to_english() -> None:
    assert set_language("xx") == "en"


def test_switch_tells_listeners_and_translates() -> None:
    heard: list[str] = []
    remove = i18n.on_change(heard.append)
    try:
        set_language("fr")
        assert _("Watch") == "Regarder" and i18n.is_rtl() is False
        set_language("ar")
        assert _("Watch") == "مشاهدة" and i18n.is_rtl() is True
        set_language("ar")  # no change, no call
    finally:
        remove()
    assert heard == ["fr", "ar"]


def test_preferred_languages_default_to_the_interface() -> None:
    set_language("fr")
    assert i18n.preferred_languages([]) == ["fr"]
    assert i18n.preferred_languages(["ar", " en "]) == ["ar", "en"]


def _evening() -> float:
    return time.mktime((2026, 11, 29, 20, 15, 0, 0, 0, -1))


@pytest.mark.parametrize(("code", "digits", "expected"), [
    pytest.param("en", "auto", "20:15", id="en"),
    pytest.param("fr", "auto", "20:15", id="fr-24h"),
    pytest.param("ar", "auto", "٢٠:١٥", id="ar-arabic-indic"),
    pytest.param("ar", "latin", "20:15", id="ar-latin"),
    pytest.param("fr", "arabic", "٢٠:١٥", id="fr-arabic-digits"),
])
def test_guide_times_follow_the_locale(qapp: object, code: str, digits: str, expected: str) -> None:
    from settop.ui.widgets import localefmt

    set_language(code)
    localefmt.set_digits(digits)
    try:
        assert localefmt.clock(_evening()) == expected
    finally:
        localefmt.set_digits("auto")


@pytest.mark.parametrize(("code", "expected"), [
    pytest.param("en", "Sun 29 Nov", id="en"),
    pytest.param("fr", "dim. 29 nov.", id="fr"),
    pytest.param("ar", "الأحد ٢٩ نوفمبر", id="ar"),
])
def test_guide_days_follow_the_locale(qapp: object, code: str, expected: str) -> None:
    from settop.ui.guide.paint import day_label

    set_language(code)
    assert day_label(_evening(), now=_evening() + 7 * 86400) == expected
    assert day_label(_evening(), now=_evening()) == {"en": "Today", "fr": "Aujourd'hui", "ar": "اليوم"}[code]


def test_catalogue_files_are_sources() -> None:
    for path in sorted(LOCALE_DIR.glob("*.po")):
        assert read_po(path)[0].msgid == "", path


@pytest.mark.parametrize(("language", "expected"), [
    pytest.param("en", "tiny.m3u: 2 channels, 1 group, 0 warnings", id="en"),
    pytest.param("fr", "tiny.m3u: 2 chaînes, 1 groupe, 0 avertissement", id="fr"),
    pytest.param("ar", "tiny.m3u: قناتان، مجموعة واحدة، لا تحذيرات", id="ar"),
])
def test_cli_speaks_the_terminal_language(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str], language: str, expected: str) -> None:
    from settop.cli import main

    playlist = tmp_path / "tiny.m3u"
    playlist.write_text('#EXTM3U\n#EXTINF:-1 group-title="News",One\nhttp://127.0.0.1:9/1.ts\n'
                        '#EXTINF:-1 group-title="News",Two\nhttp://127.0.0.1:9/2.ts\n', encoding="utf-8")
    monkeypatch.setenv("LANGUAGE", language)
    assert main(["inspect", str(playlist)]) == 0
    assert capsys.readouterr().out.splitlines()[0] == expected
