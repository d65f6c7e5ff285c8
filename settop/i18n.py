"""Translations for every part of settop: gettext catalogues in settop/locale/*.po, compiled in memory on first use.

Why gettext and not Qt's QTranslator: QTranslator needs .qm files made by ``lrelease`` (Debian's qt6-l10n-tools, an
extra build tool and a compiled binary per language), and it only serves code that imports Qt, while settop/core
and the CLI must not. Python's own ``gettext`` reads the plural rule of each catalogue (Arabic has six forms) and
needs nothing but the standard library. The .po files are the only source: this module parses them and builds the
.mo image in memory at start-up (a few milliseconds), so no binary is ever committed or hand-edited.

Use ``_("text")`` for a message, ``ngettext("one", "many", n)`` for a count, ``N_("text")`` to mark a constant
that is translated where it is shown. ``set_language`` switches at run time; listeners added with
``on_change`` (the UI's ``language_changed`` signal) rebuild the visible texts.
"""

from __future__ import annotations

import ast
import gettext
import io
import logging
import os
import re
import struct
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import ClassVar

log = logging.getLogger("settop.i18n")

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
SOURCE_LANGUAGE = "en"
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur"})
# Names shown in the language chooser, each in its own language.
LANGUAGE_NAMES: dict[str, str] = {"en": "English", "fr": "Français", "ar": "العربية"}


@dataclass(frozen=True, slots=True)
class PoEntry:
    """One message of a .po file: ``msgstr`` holds one text, or one per plural form when ``plural`` is set."""

    msgid: str
    plural: str
    msgstr: tuple[str, ...]
    flags: frozenset[str]
    line: int


def _unquote(text: str, path: Path, line: int) -> str:
    text = text.strip()
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        raise ValueError(f"{path.name}:{line}: expected a quoted string")
    value = ast.literal_eval(text)
    assert isinstance(value, str)
    return value


def read_po(path: Path) -> list[PoEntry]:
    """The entries of a .po or .pot file (the header is the entry with an empty msgid)."""
    entries: list[PoEntry] = []
    fields: dict[str, str] = {}
    flags: set[str] = set()
    key = ""
    start = 0

    def flush() -> None:
        nonlocal fields, flags, key
        if "msgid" in fields:
            forms = sorted((k for k in fields if k.startswith("msgstr")), key=lambda k: (len(k), k))
            entries.append(PoEntry(fields["msgid"], fields.get("msgid_plural", ""),
                                   tuple(fields[k] for k in forms), frozenset(flags), start))
        fields, flags, key = {}, set(), ""

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith("#,"):
            if any(k.startswith("msgstr") for k in fields):
                flush()
            flags.update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#"):
            if any(k.startswith("msgstr") for k in fields):
                flush()
        elif line.startswith('"'):
            if not key:
                raise ValueError(f"{path.name}:{number}: a string outside a field")
            fields[key] += _unquote(line, path, number)
        else:
            name, _, rest = line.partition(" ")
            if name == "msgid" and any(k.startswith("msgstr") for k in fields):
                flush()
            if name == "msgid":
                start = number
            if name not in ("msgid", "msgid_plural", "msgstr") and not name.startswith("msgstr["):
                raise ValueError(f"{path.name}:{number}: unknown keyword {name!r}")
            key = name
            fields[key] = _unquote(rest, path, number)
    flush()
    return entries


def compile_mo(entries: Iterable[PoEntry]) -> bytes:
    """The GNU .mo image of ``entries`` (fuzzy and untranslated ones left out, as msgfmt does)."""
    messages: dict[bytes, bytes] = {}
    for entry in entries:
        if entry.msgid and ("fuzzy" in entry.flags or not all(entry.msgstr)):
            continue
        key = entry.msgid if not entry.plural else entry.msgid + "\0" + entry.plural
        messages[key.encode("utf-8")] = "\0".join(entry.msgstr).encode("utf-8")
    keys = sorted(messages)
    ids = strs = b""
    offsets: list[tuple[int, int, int, int]] = []
    for k in keys:
        offsets.append((len(ids), len(k), len(strs), len(messages[k])))
        ids += k + b"\0"
        strs += messages[k] + b"\0"
    key_start = 7 * 4 + 16 * len(keys)
    value_start = key_start + len(ids)
    key_table: list[int] = []
    value_table: list[int] = []
    for id_off, id_len, str_off, str_len in offsets:
        key_table += [id_len, key_start + id_off]
        value_table += [str_len, value_start + str_off]
    header = struct.pack("Iiiiiii", 0x950412DE, 0, len(keys), 7 * 4, 7 * 4 + 8 * len(keys), 0, 0)
    return header + struct.pack(f"{len(key_table)}i", *key_table) + struct.pack(
        f"{len(value_table)}i", *value_table) + ids + strs


def available_languages() -> tuple[str, ...]:
    """The source language and every language with a catalogue, in a stable order."""
    found = sorted(p.stem for p in LOCALE_DIR.glob("*.po"))
    return (SOURCE_LANGUAGE, *found)


@lru_cache(maxsize=8)
def _catalogue(code: str) -> gettext.NullTranslations:
    path = LOCALE_DIR / f"{code}.po"
    if code == SOURCE_LANGUAGE or not path.is_file():
        return gettext.NullTranslations()
    try:
        return gettext.GNUTranslations(io.BytesIO(compile_mo(read_po(path))))
    except (OSError, ValueError) as exc:
        log.warning("the %s translation could not be read: %s", code, exc)
        return gettext.NullTranslations()


def normalize(code: str) -> str:
    """``fr_FR.UTF-8`` -> ``fr``; "" stays ""."""
    return re.split(r"[._@-]", code, maxsplit=1)[0].lower()


def system_language(environ: dict[str, str] | None = None) -> str:
    """The first language of the environment (LANGUAGE, LC_ALL, LC_MESSAGES, LANG) that settop speaks, else en."""
    env = os.environ if environ is None else environ
    known = available_languages()
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        for part in env.get(var, "").split(":"):
            code = normalize(part)
            if code in ("c", "posix"):
                return SOURCE_LANGUAGE
            if code in known:
                return code
    return SOURCE_LANGUAGE


class _State:
    code: ClassVar[str] = SOURCE_LANGUAGE
    translations: ClassVar[gettext.NullTranslations] = gettext.NullTranslations()
    listeners: ClassVar[list[Callable[[str], None]]] = []


def language() -> str:
    """The code of the language in use (``en``, ``fr``, ``ar``)."""
    return _State.code


def is_rtl(code: str | None = None) -> bool:
    """True for a right-to-left language (the current one when ``code`` is None)."""
    return normalize(code if code is not None else _State.code) in RTL_LANGUAGES


def set_language(setting: str) -> str:
    """Switch to ``setting`` (a code, or "" for the system's); returns the code in use and tells the listeners."""
    code = normalize(setting) or system_language()
    if code not in available_languages():
        log.warning("no %s translation; using English", code or "?")
        code = SOURCE_LANGUAGE
    changed = code != _State.code
    _State.code = code
    _State.translations = _catalogue(code)
    if changed:
        for listener in list(_State.listeners):
            listener(code)
    return code


def on_change(listener: Callable[[str], None]) -> Callable[[], None]:
    """Call ``listener(code)`` after each language switch; returns a function that removes it."""
    _State.listeners.append(listener)

    def remove() -> None:
        if listener in _State.listeners:
            _State.listeners.remove(listener)

    return remove


def _(message: str) -> str:
    """``message`` in the current language."""
    return _State.translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a counted message for ``n`` in the current language (use ``{n}`` in the text)."""
    return _State.translations.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks ``message`` for the catalogue without translating it (translate it with ``_`` where it is shown)."""
    return message


def preferred_languages(configured: Iterable[str]) -> list[str]:
    """``configured`` ISO 639 codes, or the interface language when none are set (guide text, audio, subtitles)."""
    codes = [c.strip() for c in configured if c.strip()]
    return codes or [_State.code]
