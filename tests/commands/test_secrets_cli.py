"""Canary secrets through every CLI command and output format: masked by default, shown only with --show-secrets."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from settop.cli import main
from tests.helpers.faultserver import FaultServer

CANARIES = ("Q7canUser", "Q7canPass", "Q7canTok", "Q7canPw2", "Q7canRef")


def _playlist(folder: Path, base: str) -> Path:
    path = folder / "list.m3u"
    path.write_text(
        f'#EXTM3U x-tvg-url="{base}/xmltv.php?username=Q7canUser&password=Q7canPass"\n'
        f'#EXTINF:-1 tvg-id="a" tvg-logo="{base}/images/Q7canUser/Q7canPass/a.png" catchup="default" '
        f'catchup-source="{base}/timeshift/Q7canUser/Q7canPass/{{utc}}/1.ts",A\n'
        f"#EXTVLCOPT:http-referrer=http://ref.example/?token=Q7canRef\n"
        f"{base}/live/Q7canUser/Q7canPass/1.ts\n"
        f"#EXTINF:-1,B\nhttp://Q7canUser:Q7canPw2@127.0.0.1:{base.rsplit(':', 1)[1]}/b.ts\n"
        f"#EXTINF:-1,C\n{base}/c.m3u8?t=Q7canTok\n"
        f"#EXTINF:-1,D\n{base}/Q7canUser/Q7canPass/4\n",
        encoding="utf-8")
    return path


def _guide(folder: Path) -> Path:
    path = folder / "guide.xml"
    path.write_text('<?xml version="1.0"?><tv><channel id="a"><display-name>A</display-name></channel></tv>',
                    encoding="utf-8")
    return path


def _leaks(text: str) -> list[str]:
    return [canary for canary in CANARIES if canary in text]


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with FaultServer() as srv:
        yield srv


COMMANDS = {
    "inspect-text": ["inspect", "{playlist}"],
    "inspect-json": ["inspect", "{playlist}", "--json"],
    "inspect-epg-text": ["inspect", "{playlist}", "--epg", "{guide}"],
    "inspect-epg-json": ["inspect", "{playlist}", "--epg", "{guide}", "--json"],
    "check-text": ["check", "{playlist}", "--timeout", "2"],
    "check-json": ["check", "{playlist}", "--timeout", "2", "--json"],
}


@pytest.mark.parametrize("name", list(COMMANDS))
def test_no_canary_in_any_command_or_format(name: str, tmp_path: Path, server: FaultServer,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    base = f"http://127.0.0.1:{server.port}"
    values = {"playlist": str(_playlist(tmp_path, base)), "guide": str(_guide(tmp_path))}
    args = [part.format(**values) for part in COMMANDS[name]]
    main([*args, "-v"])
    captured = capsys.readouterr()
    assert captured.out.strip()
    assert _leaks(captured.out + captured.err) == [], captured.out + captured.err
    if name.endswith("json"):
        json.loads(captured.out)  # masking keeps the document valid
    # The deliberate flag shows them (the canaries are really in the output it masks; check's text has no URLs).
    main([*args, "--show-secrets"])
    shown = capsys.readouterr()
    assert ("Q7canPass" in shown.out) is (name != "check-text")


def test_doctor_masks_the_settings_it_reports(settop_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (settop_home / "config").mkdir(parents=True, exist_ok=True)
    (settop_home / "config" / "settings.toml").write_text(
        '[[playlists]]\nname = "Mine"\nsource = "http://Q7canUser:Q7canPass@h.invalid/get.php?token=Q7canTok"\n'
        '[guide]\nsources = ["http://h.invalid/xmltv.php?username=Q7canUser&password=Q7canPass"]\n'
        '[video]\nbackend = "sideways"\n', encoding="utf-8")
    for fmt in ([], ["--json"]):
        main(["doctor", *fmt])
        captured = capsys.readouterr()
        assert _leaks(captured.out + captured.err) == []


def test_the_app_at_vv_never_logs_a_canary(tmp_path: Path, server: FaultServer) -> None:
    """`settop inspect -vv` as a process: urllib3's request lines and settop's debug lines are all masked."""
    base = f"http://127.0.0.1:{server.port}"
    server.routes["/list.m3u"] = lambda h: h._send(  # type: ignore[attr-defined]
        200, _playlist(tmp_path, base).read_bytes(), "audio/x-mpegurl")
    url = f"http://Q7canUser:Q7canPw2@127.0.0.1:{server.port}/list.m3u?pw=Q7canTok"
    done = subprocess.run([sys.executable, "-m", "settop", "inspect", url, "-vv"], capture_output=True, text=True,
                          timeout=60)
    assert "connectionpool" in done.stderr  # urllib3's debug lines are there ...
    assert _leaks(done.stdout + done.stderr) == []  # ... and masked
