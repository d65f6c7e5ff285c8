"""`settop check PLAYLIST`: probe every stream with bounded concurrency and report the dead ones and why."""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from collections import Counter
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any

from settop.core.models import Channel
from settop.core.net.fetch import FetchError, fetch
from settop.core.net.hls import ProbeResult, probe
from settop.core.redact import redact, redact_tree
from settop.core.secrets import learn_playlist
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
    """One line of the report: the channel's place, name and redacted address, and what probing found."""

    index: int
    name: str
    url: str
    result: ProbeResult

    def as_json(self) -> dict[str, Any]:
        r = self.result
        return {
            "index": self.index,
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
        return f"{label} {self.index:>4}  {name:<{width}}  {detail}"


def _headers(channel: Channel) -> dict[str, str]:
    return {name: value for name, value in channel.headers}


def _load(source: str) -> tuple[list[Channel], str, str]:
    """(channels, display name, stale note); raises FetchError."""
    from settop.core.playlist.m3u import parse_bytes

    result = fetch(source, kind="playlist")
    remote = bool(result.final_url)
    playlist = parse_bytes(result.read_bytes(), base_url=result.final_url or str(result.path), remote=remote)
    learn_playlist(playlist)
    note = _("using a copy from {hours} h ago: {reason}").format(hours=f"{result.age_s / 3600:.1f}",
                                                                  reason=result.stale_reason) if result.stale else ""
    return list(playlist.channels), result.display, note


def _plain(text: str) -> str:
    return text


def _summary(reports: list[ChannelReport], total: int, elapsed: float, interrupted: bool) -> dict[str, Any]:
    statuses = Counter(r.result.status for r in reports)
    reasons = Counter(REASON_WORDS.get(r.result.error_kind, r.result.error_kind or "other")
                      for r in reports if r.result.status == "error")
    return {"total": total, "probed": len(reports), "ok": statuses["ok"], "dead": statuses["error"],
            "skipped": statuses["skipped"], "reasons": dict(reasons.most_common()), "elapsed_s": round(elapsed, 2),
            "interrupted": interrupted}


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
    unreadable, 130 on Ctrl-C (after printing what was found so far)."""
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
    cancel = threading.Event()
    width = min(32, max((len(c.name) for c in channels), default=4))
    reports: dict[int, ChannelReport] = {}
    interrupted = False
    shared: dict[tuple[str, tuple[tuple[str, str], ...]], Future[ProbeResult]] = {}
    pool = ThreadPoolExecutor(max_workers=parallel, thread_name_prefix="settop-check")
    by_future: dict[Future[ProbeResult], list[int]] = {}
    for index, channel in enumerate(channels, start=1):
        key = (channel.url, channel.headers)
        if key not in shared:  # the same stream listed twice is probed once
            shared[key] = pool.submit(probe, channel.url, timeout=timeout, headers=_headers(channel), cancel=cancel)
        by_future.setdefault(shared[key], []).append(index)
    next_to_print = 1
    if not as_json:
        print(ngettext("Checking {n} channel of {playlist} ({parallel} at a time, {timeout} s each)",
                       "Checking {n} channels of {playlist} ({parallel} at a time, {timeout} s each)",
                       len(channels)).format(n=len(channels), playlist=display, parallel=parallel,
                                             timeout=f"{timeout:g}"))
    try:
        pending = set(by_future)
        while pending:
            done, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
            for future in done:
                result = future.result()
                for index in by_future[future]:
                    channel = channels[index - 1]
                    reports[index] = ChannelReport(index, mask(channel.name), mask(channel.url), result)
            while not as_json and next_to_print in reports:
                print(mask(reports[next_to_print].as_text(width)), flush=True)
                next_to_print += 1
    except KeyboardInterrupt:
        interrupted = True
        cancel.set()
    finally:
        pool.shutdown(wait=not interrupted, cancel_futures=True)
    ordered = [reports[i] for i in sorted(reports)]
    summary = _summary(ordered, len(channels), time.monotonic() - started, interrupted)
    if as_json:
        document = {"playlist": display, "channels": [r.as_json() for r in ordered], "summary": summary}
        json.dump(document if show else redact_tree(document), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        for report in ordered:
            if report.index >= next_to_print:
                print(mask(report.as_text(width)))
        print(_summary_text(summary))
    if interrupted:
        print(_("settop check: interrupted"), file=sys.stderr)
        return 130
    return 1 if summary["dead"] else 0
