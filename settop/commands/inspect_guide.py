"""The guide part of `settop inspect PLAYLIST --epg GUIDE`: how the playlist's channels match one or more guides."""

from __future__ import annotations

import logging
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from settop.commands.caps import viewer_limits
from settop.core.guide.match import HOW_MANUAL, RULE_LABELS
from settop.core.guide.store import GuideStore
from settop.core.guide.xmltv import GuideError
from settop.core.models import Playlist
from settop.core.redact import redact
from settop.i18n import _, ngettext

log = logging.getLogger("settop.guide")

#: How many unmatched channels the text report lists.
LIST_LIMIT = 30
#: Inspecting keeps every date: a guide file from last month still shows how it matches.
_ALL_DATES = (100 * 365 * 86400, 100 * 365 * 86400)


def _mappings() -> dict[str, str]:
    try:
        from settop.core.state.store import StateStore

        return StateStore().guide_mappings()
    except Exception as exc:  # the report still works without the user's manual mappings
        log.debug("manual guide mappings unavailable: %s", exc)
        return {}


def _local_path(source: str) -> tuple[Path, str]:
    from settop.core.net.fetch import fetch

    result = fetch(source, kind="guide", limits=viewer_limits("guide"))
    return result.path, result.display


def guide_report(playlist: Playlist, guides: list[str]) -> dict[str, Any]:
    """Read each guide (URL or file) and report how ``playlist`` matches them, merged as the player would.

    Returns ``{"channels_matched", "channels_total", "programmes", "matched": [{"name", "tvg_id", "guide_id",
    "rule"}], "rules": {rule: count}, "unmatched": [{"name", "tvg_id", "candidates"}], "errors": [text]}``; a rule
    is one of :mod:`settop.core.guide.match`'s ``HOW_*`` names. Raises :class:`GuideError` (or the fetcher's
    error) when no guide could be read at all; a guide that fails beside others that work is listed in ``errors``.
    """
    errors: list[str] = []
    first_error: Exception | None = None
    programmes = 0
    mappings = _mappings()
    with tempfile.TemporaryDirectory(prefix="settop-inspect-") as folder:
        store = GuideStore(Path(folder) / "guide.db", search_index=False)
        read = 0
        for index, source in enumerate(guides):
            try:
                path, display = _local_path(source)
                result = store.ingest(
                    f"guide-{index}", path, playlist.channels, mappings=mappings, window=_ALL_DATES,
                    now=time.time(), display=display,
                )  # fmt: skip
            except Exception as exc:
                if not isinstance(exc, (GuideError, OSError)) and type(exc).__name__ != "FetchError":
                    raise
                errors.append(redact(str(exc)))
                first_error = first_error or exc
                continue
            read += 1
            programmes += result.programmes
        if not read and first_error is not None:
            raise first_error
        report = store.match_report(playlist.channels)
        store.close()
    by_key = {channel.key: channel for channel in playlist.channels}
    matched = [
        {"name": by_key[key].name, "tvg_id": by_key[key].tvg_id, "guide_id": gid, "rule": how}
        for key, (gid, how) in report.matched.items() if key in by_key
    ]
    return {
        "channels_matched": len(report.matched),
        "channels_total": report.channels_total,
        "programmes": programmes,
        "matched": matched,
        "rules": _by_rule(Counter(entry["rule"] for entry in matched)),
        "unmatched": [{"name": u.name, "tvg_id": u.tvg_id, "candidates": list(u.candidates)} for u in report.unmatched],
        "errors": errors,
    }


def _by_rule(counts: Counter[str]) -> dict[str, int]:
    """Counts per rule, strongest rule first."""
    return {rule: counts[rule] for rule in RULE_LABELS if counts[rule]}


def format_guide_report(report: dict[str, Any]) -> str:
    """The report as text a user can act on: counts, then each unmatched channel with its closest guide channels."""
    matched, total = report["channels_matched"], report["channels_total"]
    lines = [ngettext("Guide: {matched} of {total} channel matched, {programmes} programmes",
                      "Guide: {matched} of {total} channels matched, {programmes} programmes", total).format(
        matched=matched, total=total, programmes=report["programmes"])]
    for error in report.get("errors", []):
        lines.append("  " + _("error: {error}").format(error=error))
    rules = report.get("rules", {})
    if rules:
        lines.append(_("Matched by: {rules}").format(
            rules=", ".join(f"{_(RULE_LABELS.get(rule, rule))} {count}" for rule, count in rules.items())))
        automatic = [entry for entry in report.get("matched", []) if entry["rule"] != HOW_MANUAL]
        for entry in automatic[:LIST_LIMIT]:
            lines.append("  " + _("{channel} → {guide} ({rule})").format(
                channel=entry["name"], guide=entry["guide_id"], rule=_(RULE_LABELS.get(entry["rule"], entry["rule"]))))
        if len(automatic) > LIST_LIMIT:
            lines.append("  " + _("… and {count} more").format(count=len(automatic) - LIST_LIMIT))
    unmatched = report["unmatched"]
    if unmatched:
        lines.append(_("Without guide data ({count}):").format(count=len(unmatched)))
        for entry in unmatched[:LIST_LIMIT]:
            tvg = f" [tvg-id {entry['tvg_id']}]" if entry["tvg_id"] else ""
            closest = ", ".join(entry["candidates"]) if entry["candidates"] else _("no similar guide channel")
            lines.append("  " + _("{channel}: closest {candidates}").format(channel=entry["name"] + tvg,
                                                                            candidates=closest))
        if len(unmatched) > LIST_LIMIT:
            lines.append("  " + _("… and {count} more").format(count=len(unmatched) - LIST_LIMIT))
        lines.append(_("Set tvg-id in the playlist, or map a channel to a guide channel in the guide screen."))
    return "\n".join(lines)
