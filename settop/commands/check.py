"""`settop check PLAYLIST`: probe every stream with bounded concurrency and report the dead ones and why."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

from settop.commands.caps import viewer_limits
from settop.commands.check_probe import ProbePool, interrupt_flag
from settop.commands.check_source import PlaylistText, decoded
from settop.core.net.fetch import FetchError, fetch
from settop.core.net.hls import ProbeResult
from settop.core.redact import redact, redact_tree
from settop.i18n import N_, _, ngettext

MAX_PARALLEL = 64
REASON_WORDS = {
    "dns": N_("DNS"),
    "refused": N_("refused"),
    "timeout": N_("timeout"),
    "http": N_("HTTP status"),
    "not_stream": N_("not a stream"),
    "reset": N_("connection reset"),
    "tls": N_("TLS"),
    "redirect": N_("redirect"),
    "too_large": N_("too large"),
    "scheme": N_("unsupported address"),
}


@dataclass(frozen=True, slots=True)
class ChannelReport:
    """One line of the report: the channel's place in the file, its own number (``tvg-chno``; "" without one), name
    and redacted address, and what probing found. The text report names a channel by its number, else ``#place``."""

    index: int
    name: str
    url: str
    result: ProbeResult
    number: str = ""

    def as_json(self) -> dict[str, Any]:
        r = self.result
        return {
            "index": self.index,
            "number": self.number,
            "name": self.name,
            "url": self.url,
            "status": r.status,
            "container": r.container,
            "reason": r.reason,
            "error_kind": r.error_kind,
            "http_status": r.http_status,
            "variants": [
                {"bandwidth": v.bandwidth, "resolution": f"{v.resolution[0]}x{v.resolution[1]}" if v.resolution
                 else None, "codecs": v.codecs, "frame_rate": v.frame_rate}
                for v in r.variants
            ],
            "ttfb_ms": None if r.ttfb_s is None else round(r.ttfb_s * 1000),
        }

    def as_text(self, width: int) -> str:
        r = self.result
        label = {"ok": _("OK  "), "error": _("DEAD"), "skipped": _("SKIP")}.get(r.status, r.status.upper())
        name = (self.name[: width - 1] + "…") if len(self.name) > width else self.name
        if r.ok:
            detail = r.container
            if r.variants:
                detail += " " + ", ".join(v.label for v in r.variants[:4]) + (" …" if len(r.variants) > 4 else "")
            if r.ttfb_s is not None:
                detail += "  " + _("(first byte {ms} ms)").format(ms=round(r.ttfb_s * 1000))
        else:
            detail = r.reason
        return f"{label} {self.number or f'#{self.index}':>5}  {name:<{width}}  {detail}"


def _load(source: str) -> tuple[PlaylistText, str, str]:
    """(the playlist to read in pieces, display name, stale note); raises FetchError."""
    result = fetch(source, kind="playlist", limits=viewer_limits("playlist"))
    remote = bool(result.final_url)
    playlist = decoded(result.read_bytes(), result.final_url or str(result.path), remote)
    note = _("using a copy from {hours} h ago: {reason}").format(hours=f"{result.age_s / 3600:.1f}",
                                                                  reason=result.stale_reason) if result.stale else ""
    return playlist, result.display, note


def _plain(text: str) -> str:
    return text


class _Tally:
    """The summary's counts, kept as the reports stream by (no report is kept)."""

    def __init__(self) -> None:
        self.probed = 0
        self.statuses: Counter[str] = Counter()
        self.reasons: Counter[str] = Counter()

    def add(self, result: ProbeResult) -> None:
        self.probed += 1
        self.statuses[result.status] += 1
        if result.status == "error":
            self.reasons[REASON_WORDS.get(result.error_kind, result.error_kind or "other")] += 1

    def summary(self, total: int, elapsed: float, interrupted: bool) -> dict[str, Any]:
        return {"total": total, "probed": self.probed, "ok": self.statuses["ok"], "dead": self.statuses["error"],
                "skipped": self.statuses["skipped"], "reasons": dict(self.reasons.most_common()),
                "elapsed_s": round(elapsed, 2), "interrupted": interrupted}


def _summary_text(summary: dict[str, Any]) -> str:
    text = ngettext("{total} channel: {ok} ok, {dead} dead, {skipped} skipped in {seconds} s",
                    "{total} channels: {ok} ok, {dead} dead, {skipped} skipped in {seconds} s",
                    summary["total"]).format(
        total=summary["total"], ok=summary["ok"], dead=summary["dead"], skipped=summary["skipped"],
        seconds=f"{summary['elapsed_s']:.1f}")
    if summary["reasons"]:
        text += " (" + ", ".join(f"{count} {_(why)}" for why, count in summary["reasons"].items()) + ")"
    if summary["interrupted"]:
        text += _("; interrupted after {probed} of {total}").format(probed=summary["probed"], total=summary["total"])
    return text


def run(args: argparse.Namespace) -> int:
    """Probe the playlist's streams; exit 0 when all answered, 1 when some are dead, 2 when the playlist is
    unreadable, 130 on Ctrl-C (after printing what was found so far, within a second or two).

    Reports are written as they come, in playlist order (JSON too, one channel at a time), so memory stays bounded
    however long the playlist is.
    """
    parallel = max(1, min(int(args.parallel), MAX_PARALLEL))
    timeout = max(0.5, float(args.timeout))
    as_json = bool(args.json)
    show = bool(getattr(args, "show_secrets", False))
    mask = _plain if show else redact
    try:
        channels, display, stale_note = _load(args.playlist)
    except FetchError as exc:
        print(_("settop check: error: {error}").format(error=exc), file=sys.stderr)
        return 2
    if stale_note:
        print(_("settop check: warning: {warning}").format(warning=redact(stale_note)), file=sys.stderr)
    started = time.monotonic()
    total, longest = channels.survey()
    width = min(32, longest if total else 4)
    tally = _Tally()
    out = sys.stdout
    if as_json:
        out.write('{"playlist": ' + json.dumps(display) + ', "channels": [')
    else:
        print(ngettext("Checking {n} channel of {playlist} ({parallel} at a time, {timeout} s each)",
                       "Checking {n} channels of {playlist} ({parallel} at a time, {timeout} s each)",
                       total).format(n=total, playlist=display, parallel=parallel,
                                             timeout=f"{timeout:g}"), flush=True)
    with interrupt_flag() as interrupted:
        pool = ProbePool(channels.channels(), total=total, parallel=parallel, timeout=timeout,
                         interrupted=interrupted)
        for index, channel, result in pool.results():
            number = channel.number_text if channel.number is not None else ""
            report = ChannelReport(index, mask(channel.name), mask(channel.url), result, number)
            tally.add(result)
            if as_json:
                document = report.as_json()
                out.write(("\n  " if tally.probed == 1 else ",\n  ")
                          + json.dumps(document if show else redact_tree(document)))
            else:
                out.write(mask(report.as_text(width)) + "\n")
            out.flush()
    summary = tally.summary(total, time.monotonic() - started, interrupted.is_set())
    if as_json:
        out.write("\n], \"summary\": " + json.dumps(summary) + "}\n")
    else:
        print(_summary_text(summary))
    if interrupted.is_set():
        print(_("settop check: interrupted"), file=sys.stderr)
        return 130
    return 1 if summary["dead"] else 0
