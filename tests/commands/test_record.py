"""``settop record``: a channel of a playlist by number or name, or an address, recorded with progress."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from settop import cli
from tests.core.recording.test_recorder import probe
from tests.helpers.livets import LiveTsServer


@pytest.fixture
def live() -> Iterator[LiveTsServer]:
    with LiveTsServer() as server:
        yield server


def test_records_a_channel_by_number_with_progress(live: LiveTsServer, tmp_path: Path, settop_home: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    playlist = tmp_path / "tv.m3u"
    playlist.write_text(f'#EXTM3U\n#EXTINF:-1 tvg-chno="7",Live Seven\n{live.url}\n'
                        '#EXTINF:-1 tvg-chno="8",Other\nhttp://127.0.0.1:9/x.ts\n', encoding="utf-8")
    (settop_home / "config").mkdir(parents=True, exist_ok=True)
    (settop_home / "config" / "settings.toml").write_text("[recording]\nmin_free_mb = 1\n", encoding="utf-8")
    assert cli.main(["record", "7", "--duration", "3s", "--playlist", str(playlist)]) == 0
    out, err = capsys.readouterr()
    files = [Path(line) for line in out.splitlines()]
    assert len(files) == 1 and files[0].parent == settop_home / "recordings"
    assert files[0].name.startswith("Live Seven - ") and files[0].suffix == ".ts"
    assert 2.0 <= probe(files[0])[0] <= 4.0
    assert "Recording Live Seven for 00:00:03" in err and "Recording finished: 00:00:0" in err


def test_records_an_address_into_a_named_file(live: LiveTsServer, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "clip.ts"
    assert cli.main(["record", live.url, "--duration", "2s", "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip() == str(out) and 1.0 <= probe(out)[0] <= 3.0


@pytest.mark.parametrize(("argv", "message"), [
    (["record", "x", "--duration", "5x"], "“5x” is not a length: write it like 30m, 1h30m or 90s"),
    (["record", "file:///etc/passwd", "--duration", "1m"], "This address cannot be recorded"),
    (["record", "Nothing", "--duration", "1m"], "No playlist is set up"),
])
def test_clear_errors(argv: list[str], message: str, settop_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(argv) == 1
    assert message in capsys.readouterr().err


def test_help_lists_the_options() -> None:
    out = subprocess.run([sys.executable, "-m", "settop", "record", "--help"], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).resolve().parents[2]).stdout
    assert "URL_OR_CHANNEL" in out and "--duration" in out and "--out" in out
