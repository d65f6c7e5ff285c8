"""`settop doctor`: the pure decisions as case tables, and the whole command against this machine's real libVLC/Qt."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from settop.cli import main
from settop.commands import doctor, doctor_checks, doctor_config
from tests.conftest import DATA


@pytest.mark.parametrize(("setting", "environ", "backend", "reason_part"), [
    ("auto", {"DISPLAY": ":0"}, "native", "X11 display :0"),
    ("auto", {}, "frames", "no DISPLAY"),
    ("auto", {"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}, "frames", "offscreen"),
    ("auto", {"WAYLAND_DISPLAY": "wayland-0"}, "frames", "Wayland"),
    ("auto", {"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}, "native", "X11 display"),
    ("auto", {"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0", "QT_QPA_PLATFORM": "wayland"}, "frames", "Wayland"),
    ("auto", {"DISPLAY": ":0", "QT_QPA_PLATFORM": "xcb"}, "native", "X11"),
    ("native", {}, "native", "set to native"),
    ("frames", {"DISPLAY": ":0"}, "frames", "set to frames"),
], ids=["x11", "nothing", "offscreen", "wayland-only", "xwayland", "forced-wayland-qt", "xcb", "setting-native",
        "setting-frames"])
def test_choose_backend(setting: str, environ: dict[str, str], backend: str, reason_part: str) -> None:
    chosen, reason = doctor_checks.choose_backend(setting, environ)
    assert chosen == backend
    assert reason_part in reason


def test_parse_vainfo_lists_decode_profiles_once() -> None:
    driver, profiles = doctor_checks.parse_vainfo((DATA / "commands" / "vainfo-radeonsi.txt").read_text())
    assert driver.startswith("Mesa Gallium driver 22.3.6")
    assert profiles == ["MPEG2Simple", "MPEG2Main", "VC1Simple", "H264ConstrainedBaseline", "H264Main", "H264High",
                        "HEVCMain", "JPEGBaseline"]


def _plugin_dir(root: Path, rels: list[str]) -> Path:
    for rel in rels:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(b"")
    return root


@pytest.mark.parametrize(("present", "problem_parts"), [
    ([r for r, *_ in doctor_checks.VLC_PLUGINS] + ["audio_output/libalsa_plugin.so"], []),
    (["access/libhttp_plugin.so", "audio_output/libpulse_plugin.so"], ["https streams", "HLS and DASH"]),
    ([r for r, _p, _k, req in doctor_checks.VLC_PLUGINS if req], ["audio output"]),
], ids=["complete", "base-missing", "no-audio"])
def test_plugin_report(tmp_path: Path, present: list[str], problem_parts: list[str]) -> None:
    rows, problems = doctor_checks.plugin_report(_plugin_dir(tmp_path, present))
    assert {row["plugin"] for row in rows} >= {"http", "adaptive", "xcb_x11", "audio output"}
    for part in problem_parts:
        assert any(part in problem for problem in problems), problems
    if not problem_parts:
        assert problems == []


def test_plugin_report_without_folder() -> None:
    assert doctor_checks.plugin_report(None) == ([], ["libVLC plugin folder not found"])


def test_render_node_the_user_can_open_counts(tmp_path: Path) -> None:
    (tmp_path / "renderD128").write_bytes(b"")
    section = doctor_checks.check_hw_decoding(str(tmp_path))
    assert section["render_nodes"] == [str(tmp_path / "renderD128")]
    assert section["usable_render_nodes"] == section["render_nodes"]
    assert section["status"] in ("ok", "info")


@pytest.mark.parametrize("check", [doctor_checks.check_libvlc, doctor_checks.check_qt], ids=["libvlc", "qt"])
def test_a_broken_interpreter_is_a_failure_not_a_crash(check: Callable[[str], doctor_checks.Section]) -> None:
    section = check("/nonexistent/python3")
    assert section["status"] == "fail"
    assert "not usable" in section["summary"]


def test_guarded_turns_an_exception_into_a_failed_section() -> None:
    def boom() -> doctor_checks.Section:
        raise RuntimeError("http://user:secret@example.invalid/x broke")

    section = doctor_checks.guarded("Thing", boom)
    assert section["status"] == "fail"
    assert "secret" not in section["summary"]


@pytest.mark.vlc
def test_doctor_json_reports_every_section(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["doctor", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [key for key, _t, _c in doctor.CHECKS] == [k for k in report if k not in ("problems", "ok")]
    assert report["ok"] is True
    assert report["libvlc"]["version"].startswith("3.")
    assert report["libvlc"]["plugin_cache"] is True
    assert all(row["found"] for row in report["libvlc"]["plugins"] if row["required"])
    assert report["video_backend"]["backend"] == "frames"  # conftest runs Qt offscreen
    assert report["video_backend"]["decided"] == "asked of the app"  # settop.ui.video.choose_backend itself
    assert report["qt"]["platform"] == "offscreen"
    assert "xcb" in report["qt"]["platforms"]
    assert report["qt"]["xcb_missing_libs"] == []
    assert {d["name"] for d in report["paths"]["dirs"]} == {"config", "data", "cache", "assets"}
    assert report["settings"]["settings"]["exists"] is False


@pytest.mark.vlc
def test_doctor_text_names_each_check(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["doctor"]) == 0
    out = capsys.readouterr().out
    for _key, title, _check in doctor.CHECKS:
        assert f"] {title}: " in out
    assert "libVLC 3." in out


def test_a_broken_settings_file_fails_without_traceback(settop_home: Path, capsys: pytest.CaptureFixture[str],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    (settop_home / "config").mkdir(parents=True, exist_ok=True)
    (settop_home / "config" / "settings.toml").write_text("[video\nbackend = ", encoding="utf-8")
    # the probes are not what this test is about: keep it fast
    monkeypatch.setattr(doctor, "CHECKS", tuple(c for c in doctor.CHECKS if c[0] in ("settop", "paths", "settings")))
    assert main(["doctor"]) == 1
    captured = capsys.readouterr()
    assert "[FAIL] Settings: settings.toml cannot be read" in captured.out
    assert "Traceback" not in captured.out + captured.err
    assert (settop_home / "config" / "settings.toml").is_file()  # reported, not moved aside


@pytest.mark.parametrize(("text", "status", "backend", "summary_part"), [
    ('[video]\nbackend = "native"\n', "ok", "native", "settings.toml ok"),
    ('[video]\nbackend = "sideways"\n', "warn", "auto", "settings.toml: "),
    ('[nonsense]\nthing = 1\n', "warn", "auto", "Unknown setting"),
], ids=["backend-set", "bad-value", "unknown-name"])
def test_settings_are_judged_by_the_settings_module(settop_home: Path, text: str, status: str, backend: str,
                                                    summary_part: str) -> None:
    path = settop_home / "config" / "settings.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    section = doctor_config.check_settings()
    assert section["status"] == status
    assert summary_part in section["summary"]
    assert doctor_checks.check_backend({"DISPLAY": ":0"})["setting"] == backend
    assert path.read_text(encoding="utf-8") == text  # doctor never moves or rewrites the user's file


def test_a_user_keymap_with_unknown_names_is_reported_by_line(settop_home: Path) -> None:
    path = settop_home / "config" / "keymap.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('[live]\nup = "up"\nwarp = "channel_up"\ndown = "teleport"\n', encoding="utf-8")
    section = doctor_config.check_settings()
    assert section["status"] == "warn"
    problems = section["keymap"]["problems"]
    assert [p.split(":")[1] for p in problems] == ["3", "4"]
