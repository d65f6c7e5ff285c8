"""The command line: --version, --help with examples, sub-command help, and errors as one line without a traceback."""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest

from settop import __version__, cli


def _exit(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as stop:
        cli.main(argv)
    captured = capsys.readouterr()
    return int(stop.value.code or 0), captured.out, captured.err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = _exit(["--version"], capsys)
    assert code == 0
    assert out.strip() == f"settop {__version__}"


def test_help_shows_options_and_examples(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = _exit(["--help"], capsys)
    assert code == 0
    assert out.startswith("usage: settop ")
    for option in ("--epg", "--demo", "--windowed", "--backend", "--version"):
        assert option in out
    commands = out.split("commands (", 1)[1].split("examples:", 1)[0]
    for name in ("inspect", "check", "doctor"):
        assert f"\n  {name}  " in commands  # every subcommand, each with what it does
    examples = out.split("examples:", 1)[1]
    for command in ("settop --demo", "settop inspect", "settop check", "settop doctor"):
        assert command in examples


@pytest.mark.parametrize(("name", "options"), [
    ("inspect", ("playlist", "--json", "--epg")),
    ("check", ("playlist", "--json", "--parallel", "--timeout")),
    ("doctor", ("--json",)),
], ids=["inspect", "check", "doctor"])
def test_subcommand_help(name: str, options: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = _exit([name, "--help"], capsys)
    assert code == 0
    assert out.startswith(f"usage: settop {name}")
    assert " ".join(cli.TOOL_DESCRIPTIONS[name].split()[:4]) in " ".join(out.split())
    for option in options:
        assert option in out


@pytest.mark.parametrize("argv", [["--no-such-option"], ["inspect"], ["check", "x.m3u", "--parallel", "many"]],
                         ids=["unknown-option", "missing-playlist", "bad-number"])
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _exit(argv, capsys)
    assert code == 2
    assert "usage: settop" in err
    assert "Traceback" not in out + err


def test_an_unexpected_error_is_one_redacted_line(monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    from settop.commands import doctor

    def explode(args: argparse.Namespace) -> int:
        raise RuntimeError("cannot open http://user:hunter2@example.invalid/get.php?password=hunter2")

    monkeypatch.setattr(doctor, "run", explode)
    assert cli.main(["doctor"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("settop: error: cannot open")
    assert "hunter2" not in err
    assert err.count("\n") == 1


def test_help_imports_neither_qt_nor_vlc() -> None:
    code = ("import sys\nfrom settop import cli\ntry:\n    cli.main(['--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PyQt6', 'vlc')), file=sys.stderr)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "[]"
    assert "examples:" in result.stdout


def test_python_m_settop_version() -> None:
    result = subprocess.run([sys.executable, "-m", "settop", "--version"], capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout.strip()) == (0, f"settop {__version__}")
