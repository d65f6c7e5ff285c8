"""Guide matching on screen: the match report, and mapping an unmatched channel to one of its closest guide channels."""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from settop.core.guide.match import HOW_MANUAL, RULE_LABELS, MatchReport, Unmatched
from settop.core.state.store import StateStore
from settop.i18n import N_, _, ngettext
from settop.ui.settings.rows import SettingsEnv, current_sources
from settop.ui.settings.screen import Page, Row

log = logging.getLogger("settop.ui.guide")


def candidate_id(candidate: str) -> str:
    """The guide channel id of a report candidate ``"id (Name)"``."""
    if candidate.endswith(")") and " (" in candidate:
        return candidate[: candidate.index(" (")]
    return candidate


class GuideMatching:
    """Pages inside the settings screen. A manual mapping is stored in the state store at once and used when the
    guide is read next (a refresh starts right away)."""

    def __init__(self, env: SettingsEnv, state: StateStore) -> None:
        self.env = env
        self.state = state
        self.report: MatchReport | None = None

    def _channels(self) -> tuple[Any, ...]:
        live = self.env.live
        return live.lineup.playlist.channels if live is not None and live.lineup is not None else ()

    def compute(self) -> MatchReport | None:
        guide = self.env.guide
        channels = self._channels()
        if guide is None or not channels:
            self.report = None
        else:
            self.report = guide.store.match_report(channels)
        return self.report

    def open(self) -> None:
        """Open the report page on the settings screen."""
        screen = self.env.screen
        if screen is None:
            return
        self.compute()
        screen.open_page(Page(N_("Guide matching"), self._rows))

    def _rows(self) -> list[Row]:
        report = self.report
        if report is None:
            return [Row(_("No playlist or guide loaded yet"))]
        mappings = self.state.guide_mappings()
        names = {c.key: c.name for c in self._channels()}
        matched = len(report.matched)
        of_total = _("{matched} of {total}").format(matched=matched, total=report.channels_total)
        rows = [Row(_("Channels with guide data"), of_total,
                    help=_("Matched by manual mapping, tvg-id, tvg-id without @feed, tvg-name or name, then names "
                           "without decorations, in that order"))]
        if report.unmatched:
            rows.append(Row(_("Unmatched ({count})").format(count=len(report.unmatched)), header=True))
            for item in report.unmatched[:1000]:
                count = len(item.candidates)
                hint = ngettext("{n} suggestion", "{n} suggestions",
                                count).format(n=count) if count else _("no suggestion")
                rows.append(Row(item.name, hint, select=partial(self._open_candidates, item),
                                help=_("tvg-id “{id}”; OK to pick a guide channel").format(id=item.tvg_id or '—')))
        rows += self._automatic_rows(report, names)
        manual = [(key, gid) for key, gid in mappings.items() if key in names]
        if manual:
            rows.append(Row(_("Manual mappings"), header=True))
            for key, gid in manual:
                rows.append(Row(names[key], gid, select=partial(self._clear, key),
                                help=_("OK removes this manual mapping")))
        return rows

    def _automatic_rows(self, report: MatchReport, names: dict[str, str]) -> list[Row]:
        """Each automatic match with the guide channel and the rule that made it (manual ones are listed below)."""
        automatic = [(key, gid, how) for key, (gid, how) in report.matched.items()
                     if how != HOW_MANUAL and key in names]
        if not automatic:
            return []
        rows = [Row(_("Matched automatically ({count})").format(count=len(automatic)), header=True)]
        for key, gid, how in automatic[:1000]:
            rule = _(RULE_LABELS.get(how, how))
            rows.append(Row(names[key], f"{gid} · {rule}", help=_("Matched by {rule}; map it by hand to change it")
                            .format(rule=rule)))
        return rows

    def _open_candidates(self, item: Unmatched) -> None:
        screen = self.env.screen
        if screen is None:
            return

        def rows() -> list[Row]:
            if not item.candidates:
                return [Row(_("No guide channel looks like this one"), help=_("Check the guide source and the tvg-id"))]
            return [Row(candidate, "map", select=partial(self.map, item.key, candidate_id(candidate), item.name),
                        help=_("OK maps the channel to this guide channel")) for candidate in item.candidates]

        screen.open_page(Page(item.name, rows))

    def map(self, key: str, guide_id: str, name: str = "") -> None:
        """Store the mapping and read the guide again so it takes effect."""
        self.state.set_guide_mapping(key, guide_id)
        log.info("manual guide mapping for %s", name or key)
        screen = self.env.screen
        if screen is not None:
            screen.back()
            screen.message(_("{channel} → {guide}. Reading the guide again…").format(channel=name or key,
                                                                                     guide=guide_id))
        self._reingest()

    def _clear(self, key: str) -> None:
        self.state.set_guide_mapping(key, None)
        if self.env.screen is not None:
            self.env.screen.message(_("Mapping removed. Reading the guide again…"))
        self._reingest()

    def _reingest(self) -> None:
        guide = self.env.guide
        if guide is None:
            return

        def finished(_run: Any) -> None:
            guide.finished.disconnect(finished)
            self.compute()
            if self.env.screen is not None:
                self.env.screen.message(_("Guide read again with your mappings."))
                self.env.screen.rebuild()

        if not guide.refresh(self._channels(), current_sources(self.env)):
            if self.env.screen is not None:
                self.env.screen.message(_("Saved; it applies when the guide is read next."))
            return
        guide.finished.connect(finished)
