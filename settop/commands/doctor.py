"""`settop doctor`: what settop finds on this machine (libVLC, decoders, video backend, Qt, folders)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from settop.commands import doctor_checks as checks
from settop.commands import doctor_config
from settop.i18n import N_, _

# (key, title, check); the slow probes (child processes) run in parallel
CHECKS: tuple[tuple[str, str, Callable[[], checks.Section]], ...] = (
    ("settop", "settop", checks.check_settop),
    ("libvlc", "libVLC", checks.check_libvlc),
    ("hardware_decoding", N_("Hardware decoding"), checks.check_hw_decoding),
    ("video_backend", N_("Video backend"), checks.check_backend),
    ("qt", "Qt", checks.check_qt),
    ("ffmpeg", "ffmpeg", checks.check_ffmpeg),
    ("paths", N_("Folders"), doctor_config.check_paths),
    ("settings", N_("Settings"), doctor_config.check_settings),
)
MARK = {checks.OK: "ok", checks.WARN: "WARN", checks.FAIL: "FAIL", checks.INFO: "--"}


def collect() -> dict[str, Any]:
    """Run every check; returns ``{key: section}`` plus ``"problems"`` (one line each) and ``"ok"``."""
    checks.reset_probe_cache()
    with ThreadPoolExecutor(max_workers=len(CHECKS)) as pool:
        futures = {key: pool.submit(checks.guarded, title, check) for key, title, check in CHECKS}
        report: dict[str, Any] = {key: future.result() for key, future in futures.items()}
    problems: list[str] = []
    for key, title, _check in CHECKS:
        section = report[key]
        extra = [f"{title}: {p}" for p in section.get("problems", [])]
        if section.get("status") in (checks.WARN, checks.FAIL) and not extra:
            extra = [f"{title}: {section.get('summary', '')}"]
        problems.extend(extra)
    report["problems"] = problems
    report["ok"] = not any(report[key].get("status") == checks.FAIL for key, _t, _c in CHECKS)
    return report


def _details(key: str, section: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    if key == "libvlc" and section.get("plugins"):
        lines.append(_("plugins in {folder}").format(folder=section["plugin_dir"]))
        for row in section["plugins"]:
            state = _("found") if row["found"] else _("MISSING") if row["required"] else _("not installed")
            lines.append(f"  {row['plugin']:<16} {state:<13} {row['for']}")
    if key == "hardware_decoding":
        lines.append(_("render nodes: {nodes}").format(nodes=", ".join(section.get("render_nodes", [])) or _("none")))
    if key == "paths":
        for entry in section.get("dirs", []):
            writable = entry["writable"] or entry["name"] == "assets"
            lines.append(f"{entry['name']:<7} {entry['path']}" + ("" if writable else "  " + _("(NOT writable)")))
        if section.get("settop_home"):
            lines.append(f"SETTOP_HOME={section['settop_home']}")
    if key == "settings":
        lines.extend(f"{part['path']}: {part['summary']}" for part in (section["settings"], section["keymap"])
                     if part.get("exists"))
    if section.get("hint"):
        lines.append(_("fix: {hint}").format(hint=section["hint"]))
    return lines


def format_report(report: dict[str, Any]) -> str:
    """Human text: one line per check with its mark, indented details, then the problems to fix."""
    out: list[str] = []
    for key, title, _check in CHECKS:
        section = report[key]
        out.append(f"[{MARK.get(section.get('status', ''), '??'):>4}] {_(title)}: {section.get('summary', '')}")
        out.extend(f"         {line}" for line in _details(key, section))
    if report["problems"]:
        out.append("")
        out.append(_("To look at:"))
        out.extend(f"  - {problem}" for problem in report["problems"])
    else:
        out.append("")
        out.append(_("Everything settop needs is here."))
    return "\n".join(out)


def run(args: argparse.Namespace) -> int:
    """Print the report (``--json`` for machine-readable output); exit 1 when something settop needs is missing."""
    report = collect()
    if getattr(args, "json", False):
        json.dump(report, sys.stdout, indent=2, sort_keys=False)
        sys.stdout.write("\n")
    else:
        print(format_report(report))
    return 0 if report["ok"] else 1
