"""`make install` gives a working `settop` command for the checkout (what README and getting-started promise)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(shutil.which("make") is None or not (ROOT / ".venv" / ".installed").exists(),
                    reason="needs make and the checkout's .venv (make setup)")
def test_make_install_links_a_working_settop(tmp_path: Path) -> None:
    env = {**os.environ, "HOME": str(tmp_path)}
    done = subprocess.run(["make", "-s", "-C", str(ROOT), "install", f"PREFIX={tmp_path}"], env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    command = tmp_path / "bin" / "settop"
    assert command.resolve() == (ROOT / ".venv" / "bin" / "settop").resolve()
    shown = subprocess.run([str(command), "--help"], capture_output=True, text=True, timeout=60, check=False,
                           env={**os.environ, "LANGUAGE": "en"})
    assert shown.returncode == 0 and "inspect" in shown.stdout
