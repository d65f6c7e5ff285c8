"""The wheel carries every settop package and the top-level assets/ folder, and assets_dir() finds them installed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHIPPED_ASSETS = ("keymap.toml", "settop.desktop", "icons/settop.svg", "icons/settop-256.png",
                  "tvbox/settop-tvbox.service", "tvbox/xinitrc")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the wheel from a copy of the tree, so the build leaves no build/ or egg-info in the checkout."""
    src = tmp_path_factory.mktemp("src")
    for name in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("settop", "assets"):
        shutil.copytree(ROOT / name, src / name, ignore=ignore)
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q", "-w", str(out),
         str(src)], capture_output=True, text=True, timeout=120, cwd=src,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (found,) = out.glob("settop-*.whl")
    return found


def test_wheel_holds_all_packages_and_assets(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    packages = {p.relative_to(ROOT).as_posix() for p in (ROOT / "settop").rglob("__init__.py")
                if "__pycache__" not in p.parts}
    assert packages - names == set()
    assert {f"settop/assets/{a}" for a in SHIPPED_ASSETS} - names == set()
    assert "settop/py.typed" in names
    assert not any(n.startswith("assets/") for n in names), "assets must live inside the settop package"


def test_assets_dir_finds_the_installed_copy(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = ("import settop, settop.core.state.paths as p; "
            "print(settop.__file__); print(p.assets_dir()); print((p.assets_dir() / 'keymap.toml').is_file())")
    env = {**os.environ, "PYTHONPATH": str(site)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=tmp_path,
                            env=env)
    assert result.returncode == 0, result.stderr
    module, assets, keymap = result.stdout.split()
    assert Path(module).is_relative_to(site)
    assert Path(assets) == site / "settop" / "assets"
    assert keymap == "True"


def test_assets_dir_in_the_checkout_is_the_top_level_folder() -> None:
    from settop.core.state.paths import assets_dir

    assert assets_dir() == ROOT / "assets"
    assert (assets_dir() / "keymap.toml").is_file()
