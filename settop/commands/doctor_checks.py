"""The environment checks behind `settop doctor`: each returns a plain dict section, none ever raises.

libVLC and Qt are probed in a child Python process: a broken libVLC or Qt install then shows up as a readable
failure instead of crashing doctor, and only ``settop/player/vlc.py`` imports vlc in-process.
"""

from __future__ import annotations

import ctypes.util
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from settop.core.redact import redact

Section = dict[str, Any]

OK, WARN, FAIL, INFO = "ok", "warn", "fail", "info"
PROBE_TIMEOUT_S = 20.0

# (plugin file relative to the plugin folder, what settop needs it for, Debian package that ships it, required)
VLC_PLUGINS: tuple[tuple[str, str, str, bool], ...] = (
    ("access/libhttp_plugin.so", "http streams", "vlc-plugin-base", True),
    ("access/libhttps_plugin.so", "https streams", "vlc-plugin-base", True),
    ("demux/libadaptive_plugin.so", "HLS and DASH", "vlc-plugin-base", True),
    ("demux/libts_plugin.so", "MPEG-TS", "vlc-plugin-base", True),
    ("codec/libavcodec_plugin.so", "video and audio decoding", "vlc-plugin-base", True),
    ("video_output/libvmem_plugin.so", "the frames video backend", "vlc-plugin-base", True),
    ("video_output/libxcb_x11_plugin.so", "the native video backend on X11", "vlc-plugin-video-output", False),
    ("codec/libvaapi_drm_plugin.so", "VA-API hardware decoding", "vlc-plugin-video-output", False),
    ("vdpau/libvdpau_avcodec_plugin.so", "VDPAU hardware decoding", "vlc-plugin-video-output", False),
)
AUDIO_OUTPUTS = ("audio_output/libpulse_plugin.so", "audio_output/libalsa_plugin.so")

_VLC_PROBE = r"""
import json, sys
out = {}
try:
    import vlc
    out["python_vlc"] = getattr(vlc, "__version__", "")
    out["version"] = (vlc.libvlc_get_version() or b"").decode("utf-8", "replace")
    instance = vlc.Instance("--quiet", "--no-video-title-show")
    out["instance"] = instance is not None
    if instance is not None:
        instance.release()
    with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
        cores = [line.split()[-1] for line in maps if "libvlccore.so" in line and "/" in line]
    out["libvlccore"] = cores[0] if cores else ""
except BaseException as exc:
    out["error"] = f"{type(exc).__name__}: {exc}"
print(json.dumps(out), flush=True)
"""

_QT_PROBE = r"""
import json, os, sys
from PyQt6.QtCore import PYQT_VERSION_STR, QT_VERSION_STR, QLibraryInfo
plugins = QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)
folder = os.path.join(plugins, "platforms")
names = sorted(os.listdir(folder)) if os.path.isdir(folder) else []
print(json.dumps({"qt": QT_VERSION_STR, "pyqt": PYQT_VERSION_STR, "platform_dir": folder, "platform_files": names}),
      flush=True)
if sys.argv[1] == "start":
    from PyQt6.QtGui import QGuiApplication
    app = QGuiApplication(["settop-doctor"])
    out = {"platform": app.platformName()}
    try:  # the app's own decision, so doctor can never disagree with it
        from settop.ui.video import choose_backend
        out["backend"], out["reason"] = choose_backend(sys.argv[2], app.platformName())
        if out["backend"] == "native":
            from settop.ui.video import native_output
            out["output_options"], out["output"] = native_output()
    except Exception as exc:
        out["backend_error"] = f"{type(exc).__name__}: {exc}"
    print(json.dumps(out), flush=True)
"""
_QT_CACHE: dict[tuple[str, ...], tuple[int, str, str]] = {}
_QT_LOCK = threading.Lock()


def reset_probe_cache() -> None:
    """Forget earlier Qt probe results (one doctor run probes Qt once for two checks)."""
    with _QT_LOCK:
        _QT_CACHE.clear()


def _can_start_qt(env: Mapping[str, str]) -> bool:
    return bool(env.get("QT_QPA_PLATFORM") or env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))


def _qt_probe(python: str, env: Mapping[str, str], setting: str) -> tuple[int, str, str]:
    """Run the Qt probe once per (interpreter, window-system variables, backend setting)."""
    key = (python, setting, *(env.get(k, "") for k in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")))
    with _QT_LOCK:
        if key not in _QT_CACHE:
            mode = "start" if _can_start_qt(env) else "versions"
            _QT_CACHE[key] = _run([python, "-c", _QT_PROBE, mode, setting], env=env)
        return _QT_CACHE[key]


def _run(cmd: list[str], timeout: float = PROBE_TIMEOUT_S,
         env: Mapping[str, str] | None = None) -> tuple[int, str, str]:
    """Run ``cmd``; (exit code, stdout, stderr). A missing program or a timeout is reported as code 127 / 124."""
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=dict(env) if env else None,
                              stdin=subprocess.DEVNULL, errors="replace")
    except FileNotFoundError as exc:
        return 127, "", str(exc)
    except subprocess.TimeoutExpired:
        return 124, "", f"timed out after {timeout:.0f} s"
    except OSError as exc:
        return 126, "", str(exc)
    return done.returncode, done.stdout, done.stderr


def _json_lines(text: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("{"):
            try:
                value = json.loads(line)
            except ValueError:
                continue
            if isinstance(value, dict):
                found.append(value)
    return found


def _last_line(text: str) -> str:
    """The most telling line of an error output: one saying what failed, else the last one."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for pattern in (r"could not connect", r"^qt\.qpa", r"could not|cannot|failed|error"):
        telling = [line for line in lines if re.search(pattern, line, re.IGNORECASE)]
        if telling:
            return redact(telling[0])
    return redact(lines[-1]) if lines else ""


def guarded(name: str, check: Callable[[], Section]) -> Section:
    """Run one check; any exception becomes a ``fail`` section with a one-line reason."""
    try:
        return check()
    except Exception as exc:
        return {"status": FAIL, "summary": f"{name} check failed: {redact(str(exc)) or type(exc).__name__}"}


def check_settop() -> Section:
    from settop import __version__

    return {"status": INFO, "summary": f"settop {__version__} on Python {sys.version.split()[0]}",
            "version": __version__, "python": sys.version.split()[0], "executable": sys.executable}


def plugin_report(plugin_dir: Path | None) -> tuple[list[Section], list[str]]:
    """What each needed libVLC plugin file says about ``plugin_dir``; (rows, problems)."""
    rows: list[Section] = []
    problems: list[str] = []
    if plugin_dir is None or not plugin_dir.is_dir():
        return rows, ["libVLC plugin folder not found"]
    for rel, purpose, package, required in VLC_PLUGINS:
        found = (plugin_dir / rel).is_file()
        rows.append({"plugin": Path(rel).name.removesuffix("_plugin.so").removeprefix("lib"), "for": purpose,
                     "found": found, "required": required, "package": package})
        if not found and required:
            problems.append(f"missing libVLC plugin for {purpose} (install {package})")
    audio = [Path(rel).name for rel in AUDIO_OUTPUTS if (plugin_dir / rel).is_file()]
    rows.append({"plugin": "audio output", "for": "sound", "found": bool(audio), "required": True,
                 "package": "vlc-plugin-base", "files": audio})
    if not audio:
        problems.append("no libVLC audio output plugin (pulse or alsa): no sound")
    return rows, problems


def check_libvlc(python: str = sys.executable) -> Section:
    code, out, err = _run([python, "-c", _VLC_PROBE])
    found = _json_lines(out)
    info = found[0] if found else {}
    if not info or "error" in info or not info.get("version"):
        reason = info.get("error") or _last_line(err) or f"probe exited with code {code}"
        return {"status": FAIL, "summary": f"libVLC not usable: {redact(str(reason))}",
                "hint": "sudo apt-get install --no-install-recommends libvlc5 vlc-plugin-base libvlc-bin "
                        "vlc-plugin-video-output"}
    env_dir = os.environ.get("VLC_PLUGIN_PATH", "")
    core = str(info.get("libvlccore") or "")
    plugin_dir = Path(env_dir) if env_dir else (Path(core).parent / "vlc" / "plugins" if core else None)
    rows, problems = plugin_report(plugin_dir)
    cache = bool(plugin_dir and (plugin_dir / "plugins.dat").is_file())
    if plugin_dir and not cache:
        problems.append("no plugins.dat plugin cache: each start is slower (install libvlc-bin)")
    status = FAIL if any("missing" in p or "no libVLC audio" in p for p in problems) else WARN if problems else OK
    return {"status": status, "summary": f"libVLC {info['version']} (python-vlc {info.get('python_vlc', '?')})",
            "version": info["version"], "python_vlc": info.get("python_vlc", ""), "library": core,
            "plugin_dir": str(plugin_dir or ""), "plugin_cache": cache, "plugins": rows,
            "instance": bool(info.get("instance")),
            "problems": problems}


def parse_vainfo(text: str) -> tuple[str, list[str]]:
    """(driver line, decodable codec profiles) from ``vainfo`` output; profiles come from VAEntrypointVLD lines."""
    driver = ""
    profiles: list[str] = []
    for line in text.splitlines():
        if "Driver version" in line:
            driver = line.split(":", 2)[-1].strip()
        match = re.match(r"\s*VAProfile(\w+)\s*:\s*VAEntrypointVLD\b", line)
        if match and match.group(1) != "None" and match.group(1) not in profiles:
            profiles.append(match.group(1))
    return driver, profiles


def check_hw_decoding(dri: str = "/dev/dri") -> Section:
    nodes = sorted(glob.glob(os.path.join(dri, "renderD*")))
    usable = [n for n in nodes if os.access(n, os.R_OK | os.W_OK)]
    va_drivers = sorted({Path(p).name.removesuffix("_drv_video.so") for p in
                         glob.glob("/usr/lib/*/dri/*_drv_video.so") + glob.glob("/usr/lib/dri/*_drv_video.so")})
    vdpau_lib = ctypes.util.find_library("vdpau") or ""
    vdpau_drivers = sorted({Path(p).name.split(".so")[0].removeprefix("libvdpau_") for p in
                            glob.glob("/usr/lib/*/vdpau/libvdpau_*.so*")} - {"trace"})
    section: Section = {"render_nodes": nodes, "usable_render_nodes": usable, "va_drivers": va_drivers,
                        "vdpau_library": vdpau_lib, "vdpau_drivers": vdpau_drivers, "vainfo": None}
    if shutil.which("vainfo") and usable:
        code, out, err = _run(["vainfo", "--display", "drm", "--device", usable[0]], timeout=10)
        driver, profiles = parse_vainfo(out + "\n" + err)
        section["vainfo"] = {"exit_code": code, "driver": driver, "decode_profiles": profiles}
    decoders: list[str] = []
    vainfo = section["vainfo"]
    if vainfo and vainfo["decode_profiles"]:
        decoders.append(f"VA-API ({vainfo['driver'] or 'driver'}: {', '.join(vainfo['decode_profiles'][:6])})")
    elif usable and va_drivers:
        decoders.append(f"VA-API likely (drivers: {', '.join(va_drivers)}; install vainfo to confirm)")
    if vdpau_lib and vdpau_drivers:
        decoders.append(f"VDPAU (drivers: {', '.join(vdpau_drivers)})")
    section["decoders"] = decoders
    if decoders:
        section.update(status=OK, summary="; ".join(decoders))
    elif nodes and not usable:
        section.update(status=WARN, summary=f"{nodes[0]} exists but this user cannot open it "
                                            "(add the user to the 'render' and 'video' groups)")
    else:
        section.update(status=INFO, summary="no hardware decoder found: software decoding (fine for SD and most HD)")
    return section


def choose_backend(setting: str, environ: Mapping[str, str]) -> tuple[str, str]:
    """The video backend ``auto`` (or an explicit setting) resolves to in ``environ``, and why."""
    if setting in ("native", "frames"):
        return setting, f"video.backend is set to {setting}"
    platform = environ.get("QT_QPA_PLATFORM", "").split(":")[0].strip()
    if platform in ("offscreen", "minimal", "vnc"):
        return "frames", f"QT_QPA_PLATFORM={platform} has no native windows to embed video in"
    if platform.startswith("wayland") or (not platform and environ.get("WAYLAND_DISPLAY")
                                          and not environ.get("DISPLAY")):
        return "frames", "Wayland session: libVLC 3 can only embed into X11 windows (set QT_QPA_PLATFORM=xcb " \
                         "to use XWayland and the native backend)"
    if environ.get("DISPLAY"):
        return "native", f"X11 display {environ['DISPLAY']} present: libVLC draws into a native window " \
                         "(hardware decoding stays zero-copy)"
    return "frames", "no DISPLAY or WAYLAND_DISPLAY: no window system here; settop needs one to open its window"


def _backend_setting() -> tuple[str, str]:
    """(value of video.backend, where it came from); ``auto`` when settings cannot be read."""
    from settop.commands.doctor_config import load_settings

    try:
        loaded = load_settings()
    except Exception:  # settings problems are reported by check_settings
        loaded = None
    if loaded is None:
        return "auto", "default"
    settings, _messages = loaded
    return str(settings.get("video.backend")), "default" if settings.is_default("video.backend") else "settings.toml"


def check_backend(environ: Mapping[str, str] | None = None, python: str = sys.executable) -> Section:
    """The backend the app would pick, asked of the app's own ``choose_backend`` on the Qt platform that starts.

    Where no Qt GUI can start (no display), the answer is worked out from the environment instead.
    """
    env = dict(os.environ if environ is None else environ)
    setting, source = _backend_setting()
    _code, out, _err = _qt_probe(python, env, setting)
    decided = [line for line in _json_lines(out) if line.get("backend")]
    output = ""
    if decided:
        backend, reason, how = str(decided[0]["backend"]), str(decided[0]["reason"]), "asked of the app"
        output = str(decided[0].get("output", ""))
    else:
        backend, reason = choose_backend(setting, env)
        how = "guessed from the environment (no Qt GUI can start here)"
    summary = f"{backend} ({reason})" + (f"; video output: {output}" if output else "")
    return {"status": INFO, "summary": summary, "output": output, "setting": setting,
            "setting_source": source, "backend": backend, "reason": reason, "decided": how,
            "display": env.get("DISPLAY", ""), "wayland_display": env.get("WAYLAND_DISPLAY", ""),
            "qt_qpa_platform": env.get("QT_QPA_PLATFORM", "")}


def _missing_libs(library: str) -> list[str]:
    if not shutil.which("ldd") or not Path(library).is_file():
        return []
    _code, out, _err = _run(["ldd", library], timeout=10)
    return sorted({line.split()[0] for line in out.splitlines() if "not found" in line})


def check_qt(python: str = sys.executable, environ: Mapping[str, str] | None = None) -> Section:
    env = dict(os.environ if environ is None else environ)
    can_start = _can_start_qt(env)
    code, out, err = _qt_probe(python, env, _backend_setting()[0])
    found = _json_lines(out)
    if not found:
        return {"status": FAIL, "summary": f"PyQt6 not usable: {_last_line(err) or f'exit code {code}'}"}
    info = found[0]
    platforms = sorted(n.removeprefix("libq").split(".")[0] for n in info.get("platform_files", []))
    section: Section = {"qt": info.get("qt", ""), "pyqt": info.get("pyqt", ""), "platforms": platforms,
                        "platform_dir": info.get("platform_dir", ""), "platform": "", "xcb_missing_libs": []}
    xcb = Path(str(info.get("platform_dir", ""))) / "libqxcb.so"
    section["xcb_missing_libs"] = _missing_libs(str(xcb))
    problems: list[str] = []
    if section["xcb_missing_libs"]:
        problems.append("Qt's xcb platform cannot load: missing " + ", ".join(section["xcb_missing_libs"]))
    if len(found) > 1:
        section["platform"] = str(found[1].get("platform", ""))
    elif can_start:
        problems.append("Qt could not start a GUI: " + (_last_line(err) or f"exit code {code}"))
    section["problems"] = problems
    where = f", starts on '{section['platform']}'" if section["platform"] else (
        "" if can_start else ", no display here to start on")
    section["status"] = WARN if problems else OK
    section["summary"] = f"Qt {section['qt']} (PyQt {section['pyqt']}), platforms {', '.join(platforms)}{where}"
    return section


def check_ffmpeg() -> Section:
    path = shutil.which("ffmpeg")
    if not path:
        return {"status": WARN, "path": "",
                "summary": "ffmpeg not found: the demo channels cannot be made (apt-get install ffmpeg)"}
    code, out, err = _run([path, "-hide_banner", "-version"], timeout=10)
    first = (out or err).splitlines()[0] if (out or err) else ""
    version = first.split()[2] if first.startswith("ffmpeg version") and len(first.split()) > 2 else ""
    return {"status": OK if code == 0 else WARN, "summary": f"ffmpeg {version or '(unknown version)'} at {path}",
            "path": path, "version": version}
