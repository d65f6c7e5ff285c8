"""The layer rules of DESIGN.md: core/ and input/ import neither PyQt6 nor vlc, and only cli-adjacent code prints."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "settop"
PURE = ("core", "input")
FORBIDDEN = ("PyQt6", "vlc")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", PURE)
def test_pure_packages_do_not_import_qt_or_vlc_statically(package: str) -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imports(path) & set(FORBIDDEN))
        for path in (ROOT / package).rglob("*.py")
        if _imports(path) & set(FORBIDDEN)
    }
    assert offenders == {}


def test_pure_packages_do_not_load_qt_or_vlc_at_runtime() -> None:
    modules = sorted(
        "settop." + ".".join(p.relative_to(ROOT).with_suffix("").parts)
        for package in PURE
        for p in (ROOT / package).rglob("*.py")
    )
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m.removesuffix('.__init__'))\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PyQt6', 'vlc'))\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_only_vlc_module_imports_vlc() -> None:
    offenders = [
        str(p.relative_to(ROOT))
        for p in ROOT.rglob("*.py")
        if "vlc" in _imports(p) and p.relative_to(ROOT).as_posix() != "player/vlc.py"
    ]
    assert offenders == []


def test_ui_does_not_import_the_commands() -> None:
    """The CLI commands sit beside the app, not under it: the UI asks the player, not ``settop.commands``."""
    offenders = sorted(
        str(p.relative_to(ROOT))
        for p in (ROOT / "ui").rglob("*.py")
        if any(name == "settop.commands" or name.startswith("settop.commands.") for name in _full_imports(p))
    )
    assert offenders == []


def _full_imports(path: Path) -> set[str]:
    """Every module ``path`` imports, by its full name, wherever in the file (lazy imports included)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names
