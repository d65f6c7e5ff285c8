"""The user guide: docs/keymap.md matches the default keymap, and links between the docs lead somewhere."""

from __future__ import annotations

import importlib.util
import re
import sys
import tomllib
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = [*sorted((ROOT / "docs").glob("*.md")), ROOT / "README.md"]
_LINK = re.compile(r"\]\((?P<target>[^)\s]+)\)")


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_keymap_doc", ROOT / "scripts" / "gen_keymap_doc.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("gen_keymap_doc", module)
    spec.loader.exec_module(module)
    return module


def test_keymap_doc_is_up_to_date() -> None:
    gen = _generator()
    wanted = gen.render(gen.KEYMAP.read_text(encoding="utf-8"))
    current = gen.DOC.read_text(encoding="utf-8")
    assert current == wanted, "docs/keymap.md is stale: run .venv/bin/python scripts/gen_keymap_doc.py"


def test_keymap_doc_lists_every_binding() -> None:
    gen = _generator()
    text = gen.KEYMAP.read_text(encoding="utf-8")
    doc = gen.render(text)
    for section, bindings in tomllib.loads(text).items():
        part = doc.split(f"## `[{section}]`", 1)[1].split("\n## ", 1)[0]
        for name in bindings:
            shown = f"hold `{name.removeprefix('long_')}`" if name.startswith("long_") else f"`{name}`"
            assert f"| {shown} |" in part, (section, name)


def _anchors(path: Path) -> set[str]:
    """GitHub-style heading anchors of a Markdown file."""
    anchors = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            title = line.lstrip("#").strip().lower()
            anchors.add(re.sub(r"[^\w\- ]", "", title).replace(" ", "-"))
    return anchors


@pytest.mark.parametrize("doc", DOCS, ids=[p.name for p in DOCS])
def test_relative_links_resolve(doc: Path) -> None:
    """Every relative link and image (screenshots included: they are committed) names a file that exists."""
    broken = []
    for match in _LINK.finditer(doc.read_text(encoding="utf-8")):
        target = match.group("target")
        if re.match(r"^[a-z]+:", target):  # an address on the web: not checked offline
            continue
        file_part, _, anchor = target.partition("#")
        path = (doc.parent / file_part).resolve() if file_part else doc
        missing_anchor = bool(anchor) and path.suffix == ".md" and path.exists() and anchor not in _anchors(path)
        if not path.exists() or missing_anchor:
            broken.append(target)
    assert broken == []


def test_link_check_sees_images() -> None:
    found = [m.group("target") for m in _LINK.finditer("![Guide](screenshots/guide.png) [a](b.md#c)")]
    assert found == ["screenshots/guide.png", "b.md#c"]
