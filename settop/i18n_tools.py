"""Catalogue upkeep: extract settop.pot from the source, merge it into each .po, and list what is unfinished.

``python -m settop.i18n_tools update`` re-extracts the template and adds new messages (empty) to every catalogue;
``python -m settop.i18n_tools check`` prints what is missing, fuzzy, empty, stale or has wrong placeholders.
"""

from __future__ import annotations

import ast
import string
import sys
from dataclasses import dataclass, field
from pathlib import Path

from settop.i18n import LOCALE_DIR, PoEntry, read_po

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATE = LOCALE_DIR / "settop.pot"
_HEADER = ("Project-Id-Version: settop\nMIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n"
           "Content-Transfer-Encoding: 8bit\n")
PLURAL_FORMS = {
    "fr": "nplurals=2; plural=(n > 1);",
    "ar": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);",
}


@dataclass(slots=True)
class Message:
    msgid: str
    plural: str = ""
    files: set[str] = field(default_factory=set)


def _literal(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def extract(root: Path = PACKAGE_DIR) -> list[Message]:
    """Every ``_("...")``, ``N_("...")`` and ``ngettext("...", "...", n)`` of the package, in source order."""
    found: dict[tuple[str, str], Message] = {}
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root.parent).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=rel)
        calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)]
        for call in sorted(calls, key=lambda n: (n.lineno, n.col_offset)):
            name = call.func.id  # type: ignore[attr-defined]
            if name in ("_", "N_") and call.args:
                msgid, plural = _literal(call.args[0]), ""
            elif name == "ngettext" and len(call.args) >= 2:
                msgid, plural = _literal(call.args[0]), _literal(call.args[1]) or ""
            else:
                continue
            if not msgid:
                continue
            message = found.setdefault((msgid, plural), Message(msgid, plural))
            message.files.add(rel)
    return list(found.values())


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
    lines = escaped.split("\n")
    parts = [line + "\\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
    if len(parts) <= 1:
        return f'"{parts[0] if parts else ""}"'
    return '""\n' + "\n".join(f'"{p}"' for p in parts)


def _entry(msgid: str, plural: str, msgstr: tuple[str, ...], files: list[str], nplurals: int) -> str:
    out = [f"#: {' '.join(files)}"] if files else []
    out.append(f"msgid {_quote(msgid)}")
    if plural:
        out.append(f"msgid_plural {_quote(plural)}")
        forms = msgstr if len(msgstr) == nplurals else ("",) * nplurals
        out += [f"msgstr[{i}] {_quote(s)}" for i, s in enumerate(forms)]
    else:
        out.append(f"msgstr {_quote(msgstr[0] if msgstr else '')}")
    return "\n".join(out)


def render_template(messages: list[Message]) -> str:
    blocks = [_entry("", "", (_HEADER,), [], 2)]
    blocks += [_entry(m.msgid, m.plural, (), sorted(m.files), 2) for m in messages]
    return "\n\n".join(blocks) + "\n"


def render_catalogue(code: str, messages: list[Message], old: list[PoEntry]) -> str:
    """The catalogue for ``code``: the template's messages in its order, with the translations ``old`` has."""
    rule = PLURAL_FORMS[code]
    nplurals = int(rule.split("nplurals=")[1].split(";")[0])
    known = {(e.msgid, e.plural): e for e in old if e.msgid}
    header = _HEADER + f"Language: {code}\nPlural-Forms: {rule}\n"
    blocks = [_entry("", "", (header,), [], nplurals)]
    for m in messages:
        entry = known.get((m.msgid, m.plural))
        msgstr = entry.msgstr if entry is not None and "fuzzy" not in entry.flags else ()
        blocks.append(_entry(m.msgid, m.plural, msgstr, sorted(m.files), nplurals))
    return "\n\n".join(blocks) + "\n"


def fields(text: str) -> set[str]:
    """The ``{name}`` placeholders of a message."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def problems(code: str, messages: list[Message] | None = None) -> list[str]:
    """What is unfinished in ``code``'s catalogue against the source: one line per problem."""
    messages = extract() if messages is None else messages
    path = LOCALE_DIR / f"{code}.po"
    entries = {(e.msgid, e.plural): e for e in read_po(path) if e.msgid}
    nplurals = int(PLURAL_FORMS[code].split("nplurals=")[1].split(";")[0])
    out: list[str] = []
    for m in messages:
        entry = entries.get((m.msgid, m.plural))
        label = f"{code}.po: {m.msgid[:60]!r}"
        if entry is None:
            out.append(f"{label} missing")
            continue
        if "fuzzy" in entry.flags:
            out.append(f"{label} fuzzy")
        if not entry.msgstr or not all(s.strip() for s in entry.msgstr):
            out.append(f"{label} untranslated")
            continue
        if m.plural and len(entry.msgstr) != nplurals:
            out.append(f"{label} has {len(entry.msgstr)} plural forms, not {nplurals}")
        wanted = fields(m.msgid) | fields(m.plural)
        for s in entry.msgstr:
            try:
                got = fields(s)
            except ValueError:
                out.append(f"{label} translation has a broken {{placeholder}}")
                continue
            if not got <= wanted or (not m.plural and got != wanted):
                out.append(f"{label} placeholders {sorted(got)} != {sorted(wanted)}")
    stale = set(entries) - {(m.msgid, m.plural) for m in messages}
    out += [f"{code}.po: {k[0][:60]!r} no longer in the source" for k in sorted(stale)]
    return out


def catalogue_codes() -> list[str]:
    return sorted(p.stem for p in LOCALE_DIR.glob("*.po"))


def update() -> None:
    messages = extract()
    TEMPLATE.write_text(render_template(messages), encoding="utf-8")
    for code in catalogue_codes():
        path = LOCALE_DIR / f"{code}.po"
        path.write_text(render_catalogue(code, messages, read_po(path)), encoding="utf-8")


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    if command == "update":
        update()
        return 0
    messages = extract()
    bad = [] if TEMPLATE.read_text(encoding="utf-8") == render_template(messages) else ["settop.pot is out of date"]
    for code in catalogue_codes():
        bad += problems(code, messages)
    sys.stdout.write("".join(line + "\n" for line in bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
