"""The desktop entry, icon and TV-box session files: valid as files, and the TV-box session really run by xinit."""

from __future__ import annotations

import configparser
import json
import os
import shutil
import signal
import struct
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ASSETS = Path(__file__).resolve().parents[1] / "assets"
UNIT = ASSETS / "tvbox" / "settop-tvbox.service"
XINITRC = ASSETS / "tvbox" / "xinitrc"


def _ini(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive in both formats
    parser.read_string(path.read_text(encoding="utf-8"))
    return parser


def test_desktop_entry() -> None:
    entry = _ini(ASSETS / "settop.desktop")["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Categories"].rstrip(";").split(";") == ["AudioVideo", "Video", "TV", "Player"]
    assert entry["Exec"].split()[0] == entry["TryExec"] == "settop"
    assert (ASSETS / "icons" / f"{entry['Icon']}.svg").is_file()


@pytest.mark.skipif(not shutil.which("desktop-file-validate"), reason="desktop-file-utils not installed")
def test_desktop_entry_validates() -> None:
    result = subprocess.run(["desktop-file-validate", str(ASSETS / "settop.desktop")], capture_output=True, text=True)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def test_icon_svg_and_png() -> None:
    svg = ET.parse(ASSETS / "icons" / "settop.svg").getroot()
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    assert svg.get("viewBox") == "0 0 256 256"
    png = (ASSETS / "icons" / "settop-256.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height, depth, colour = struct.unpack(">IIBB", png[16:26])
    assert (width, height, depth, colour) == (256, 256, 8, 6)  # 8-bit RGBA: transparent corners


def test_tvbox_unit_keys() -> None:
    unit = _ini(UNIT)
    service = unit["Service"]
    assert service["Restart"] == "always"
    assert service["User"] == "settop"
    assert service["TTYPath"] == "/dev/tty1"
    assert service["PAMName"] == "login"
    exec_start = service["ExecStart"].split()
    assert exec_start[:2] == ["/usr/bin/xinit", "/etc/settop/xinitrc"]
    assert "--" in exec_start and "-nocursor" in exec_start
    assert unit["Unit"]["Conflicts"] == "getty@tty1.service"
    assert unit["Unit"]["StartLimitIntervalSec"] == "0"  # keep restarting however often settop falls over
    assert unit["Install"]["WantedBy"] == "graphical.target"


@pytest.mark.skipif(not shutil.which("systemd-analyze") or not Path("/usr/bin/xinit").exists(),
                    reason="needs systemd-analyze and xinit")
def test_tvbox_unit_verifies() -> None:
    result = subprocess.run(["systemd-analyze", "verify", "--man=no", str(UNIT)], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr.strip() == "", result.stderr


@pytest.mark.parametrize("shell", ["bash", "dash"])
def test_xinitrc_syntax(shell: str) -> None:
    if not shutil.which(shell):
        pytest.skip(f"{shell} not installed")
    result = subprocess.run([shell, "-n", str(XINITRC)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert os.access(XINITRC, os.X_OK)


# Stands in for settop: waits (bounded) until a compositor owns _NET_WM_CM_S0, then reports what the session set up.
PROBE = r"""
import ctypes, json, os, subprocess, sys, time
x11 = ctypes.CDLL("libX11.so.6")
x11.XOpenDisplay.restype = ctypes.c_void_p
x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
x11.XInternAtom.restype = ctypes.c_ulong
x11.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
x11.XGetSelectionOwner.restype = ctypes.c_ulong
x11.XGetSelectionOwner.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
display = x11.XOpenDisplay(None)
atom = x11.XInternAtom(display, b"_NET_WM_CM_S0", 0)
deadline = time.monotonic() + 15
while not x11.XGetSelectionOwner(display, atom) and time.monotonic() < deadline:
    time.sleep(0.05)
report = {"compositor": bool(x11.XGetSelectionOwner(display, atom)), "argv": sys.argv[1:],
          "xset": subprocess.run(["xset", "q"], capture_output=True, text=True).stdout,
          "qpa": os.environ.get("QT_QPA_PLATFORM"), "path": os.environ.get("PATH", "")}
with open(os.environ["PROBE_OUT"], "w") as out:
    json.dump(report, out)
"""


def _free_display() -> int:
    for number in range(140, 200):
        if not Path(f"/tmp/.X11-unix/X{number}").exists() and not Path(f"/tmp/.X{number}-lock").exists():
            return number
    raise RuntimeError("no free X display number")


@pytest.mark.xvfb
@pytest.mark.skipif(not all(shutil.which(t) for t in ("xinit", "Xvfb", "xset", "xcompmgr")),
                    reason="needs xinit, Xvfb, xset and xcompmgr")
def test_tvbox_session_under_xinit(tmp_path: Path) -> None:
    """xinit runs the real xinitrc on Xvfb; a stand-in for settop checks blanking is off and a compositor runs."""
    probe = tmp_path / "probe.py"
    probe.write_text(PROBE, encoding="utf-8")
    out = tmp_path / "report.json"
    (tmp_path / ".config" / "settop").mkdir(parents=True)
    # the documented override file: here it swaps settop for the probe
    (tmp_path / ".config" / "settop" / "tvbox.env").write_text(
        f'SETTOP_COMMAND="{sys.executable} {probe} --fullscreen-check"\n', encoding="utf-8")
    env = {"HOME": str(tmp_path), "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PROBE_OUT": str(out)}
    display = f":{_free_display()}"
    cmd = ["xinit", str(XINITRC), "--", shutil.which("Xvfb") or "Xvfb", display, "-screen", "0", "320x240x24",
           "-nolisten", "tcp"]
    process = subprocess.Popen(cmd, env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               start_new_session=True)
    try:
        output, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert out.is_file(), output.decode(errors="replace")
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["compositor"] is True
    assert report["argv"] == ["--fullscreen-check"]
    assert report["qpa"] == "xcb"
    assert report["path"].startswith(f"{tmp_path}/.local/bin:")
    xset = report["xset"]
    assert "prefer blanking:  no" in xset
    assert "timeout:  0" in xset
    assert "DPMS is Disabled" in xset or "Server does not have the DPMS Extension" in xset


# Linux evdev code and the Qt key X11 turns it into, for every key the CEC table sends (input-event-codes.h).
EVDEV_TO_QT = {
    "KEY_ESC": (1, "Key_Escape"), "KEY_ENTER": (28, "Key_Return"), "KEY_UP": (103, "Key_Up"),
    "KEY_DOWN": (108, "Key_Down"), "KEY_LEFT": (105, "Key_Left"), "KEY_RIGHT": (106, "Key_Right"),
    "KEY_PAGEUP": (104, "Key_PageUp"), "KEY_PAGEDOWN": (109, "Key_PageDown"), "KEY_COMPOSE": (127, "Key_Menu"),
    **{f"KEY_{n}": (11 if n == 0 else n + 1, f"Key_{n}") for n in range(10)},
    "KEY_A": (30, "Key_A"), "KEY_C": (46, "Key_C"), "KEY_G": (34, "Key_G"), "KEY_I": (23, "Key_I"),
    "KEY_L": (38, "Key_L"), "KEY_S": (31, "Key_S"), "KEY_KPASTERISK": (55, "Key_Asterisk"),
    "KEY_F1": (59, "Key_F1"), "KEY_F2": (60, "Key_F2"), "KEY_F3": (61, "Key_F3"), "KEY_F4": (62, "Key_F4"),
    "KEY_MUTE": (113, "Key_VolumeMute"), "KEY_VOLUMEDOWN": (114, "Key_VolumeDown"),
    "KEY_VOLUMEUP": (115, "Key_VolumeUp"), "KEY_PLAYPAUSE": (164, "Key_MediaPlay"),
    "KEY_STOPCD": (166, "Key_MediaStop"), "KEY_REWIND": (168, "Key_AudioRewind"),
    "KEY_PAUSECD": (201, "Key_MediaPause"), "KEY_FASTFORWARD": (208, "Key_AudioForward"),
}
CEC_BUTTONS = {0x00: "select", 0x01: "up", 0x0d: "back", 0x30: "page_up", 0x31: "page_down", 0x35: "info",
               0x53: "guide", 0x72: "red", 0x73: "green", 0x74: "yellow", 0x71: "blue", 0x25: "number_5",
               0x32: "last_channel", 0x09: "menu"}


def test_cec_table_sends_keys_x11_can_deliver_and_settop_binds() -> None:
    from settop.input.keys import button_for_key_name

    table = tomllib.loads((ASSETS / "tvbox" / "rc_keymaps" / "settop-cec.toml").read_text(encoding="utf-8"))
    (protocol,) = table["protocols"]
    assert protocol["protocol"] == "cec"
    buttons = {}
    for scancode, key in protocol["scancodes"].items():
        code, qt_key = EVDEV_TO_QT[key]
        assert code + 8 <= 255, key  # X11 key codes stop at 255
        button = button_for_key_name(qt_key)
        assert button is not None, (scancode, key)
        buttons[int(scancode, 16)] = button.value
    assert {code: buttons.get(code) for code in CEC_BUTTONS} == CEC_BUTTONS


# Types each keysym with xdotool into a focused Qt window on Xvfb and prints the Qt key names that arrive.
QT_KEYS_PROBE = r"""
import json, subprocess, sys
from PyQt6.QtCore import QTimer, Qt
from PyQt6.QtWidgets import QApplication, QWidget

class Recorder(QWidget):
    def __init__(self):
        super().__init__()
        self.names = []
    def keyPressEvent(self, event):
        name = Qt.Key(event.key()).name
        if name not in ("Key_Shift", "Key_Control", "Key_Alt", "Key_Meta"):  # xdotool may add a modifier
            self.names.append(name)
        if len(self.names) == len(keysyms):
            finish()

app = QApplication([])
widget = Recorder()
widget.resize(100, 100)
widget.show()
widget.activateWindow()
keysyms = sys.argv[1:]

def type_all():
    window = str(int(widget.winId()))
    subprocess.run(["xdotool", "windowfocus", "--sync", window], check=True)
    for keysym in keysyms:
        subprocess.run(["xdotool", "key", "--window", window, keysym], check=True)

def finish():
    print(json.dumps(widget.names))
    app.quit()

QTimer.singleShot(0, type_all)
QTimer.singleShot(20000, finish)  # a safety net only: the test fails on the keys that did not arrive
app.exec()
"""


@pytest.mark.xvfb
@pytest.mark.skipif(not all(shutil.which(t) for t in ("Xvfb", "xdotool", "xmodmap")),
                    reason="needs Xvfb, xdotool and xmodmap")
def test_cec_keys_reach_qt_as_the_table_says(tmp_path: Path) -> None:
    """The X server's evdev keymap and Qt's key mapping turn each key of the CEC table into the Qt key assumed."""
    ready_read, ready_write = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(ready_write), "-screen", "0", "320x240x24", "-nolisten",
                               "tcp"], pass_fds=(ready_write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    os.close(ready_write)
    try:
        with os.fdopen(ready_read) as ready:  # Xvfb writes its display number here once it accepts clients
            display = ":" + ready.readline().strip()
        assert display != ":", "Xvfb did not start"
        env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
        table = subprocess.run(["xmodmap", "-pke"], env=env, capture_output=True, text=True, check=True).stdout
        keysym_of = {int(line.split()[1]): line.split("=", 1)[1].split()[0] for line in table.splitlines()
                     if "=" in line and len(line.split("=", 1)[1].split()) > 0}
        keys = sorted(set(EVDEV_TO_QT))
        keysyms = [keysym_of[EVDEV_TO_QT[key][0] + 8] for key in keys]
        result = subprocess.run([sys.executable, "-c", QT_KEYS_PROBE, *keysyms], env=env, capture_output=True,
                                text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        arrived = json.loads(result.stdout.strip().splitlines()[-1])
        assert dict(zip(keys, arrived, strict=True)) == {key: EVDEV_TO_QT[key][1] for key in keys}
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
