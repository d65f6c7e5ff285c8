"""Loading every source at once: each in parallel with its own cache key, errors and stale copies per source, then
the merge into one :class:`~settop.core.playlist.lineup.Lineup`. Runs on a worker thread; no Qt."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from settop.core.playlist.lineup import Lineup
from settop.core.playlist.sniff import NotAPlaylistError
from settop.core.redact import redact
from settop.core.sources.base import Source, SourceContent
from settop.core.sources.merge import SourcePart, merge
from settop.core.state.edits import ChannelEdits
from settop.i18n import _

log = logging.getLogger("settop.sources")

MAX_PARALLEL = 4
LOSS_FLOOR = 10
LOSS_SHARE = 0.5
"""A refresh of a source with LOSS_FLOOR channels or more that keeps fewer than this share of them is refused."""
SourceProgress = Callable[[str, int, "int | None"], None]
"""``progress(source name, done, total)``; done < 0: that source is now being read."""


@dataclass(frozen=True, slots=True)
class SourceProblem:
    """A source that could not be (re)loaded: its name, what went wrong, and whether its last copy is shown."""

    name: str
    message: str
    stale: bool = False
    single_stream: bool = False
    """The source is one stream rather than a channel list (the viewer may add it as a single channel)."""


@dataclass(frozen=True, slots=True)
class LoadResult:
    """What one load of the sources gives.

    lineup: the merged lineup, None when nothing changed since ``previous``.
    contents: by source id, in the sources' order, what each source shows now (the next load's ``previous``).
    problems: per source, in order.
    refreshed: contents parsed without writing the playlist cache (a refresh while TV plays), for a later write.
    """

    lineup: Lineup | None
    contents: dict[str, SourceContent]
    problems: tuple[SourceProblem, ...] = ()
    refreshed: tuple[SourceContent, ...] = ()


class LoadFailed(Exception):
    """No source gave any channels; the message (already redacted) says why, ``problems`` per source."""

    def __init__(self, message: str, problems: tuple[SourceProblem, ...] = ()) -> None:
        super().__init__(message)
        self.problems = problems


def load_sources(sources: Sequence[Source], previous: Mapping[str, SourceContent] | None = None, *,
                 only: frozenset[str] | None = None, cancel: threading.Event | None = None,
                 progress: SourceProgress | None = None, pinned: Mapping[str, str] | None = None,
                 remembered: Mapping[str, str] | None = None, edits: ChannelEdits | None = None,
                 remerge: bool = False) -> LoadResult:
    """Load ``sources`` (the enabled ones, in the viewer's order) and merge them.

    previous: what each source showed before (by id); a source whose bytes did not change is not parsed again,
    and one that fails keeps its previous copy (said in ``problems``).
    only: reload just these source ids (their own refresh interval came); the others keep ``previous``.
    edits: the viewer's order, numbers and names; remerge: merge again even when no source changed (new edits).
    Raises :class:`LoadFailed` when no source has anything to show.
    """
    previous = previous or {}
    wanted = [s for s in sources if only is None or s.id in only or s.id not in previous]

    def one(source: Source) -> SourceContent:
        def report(done: int, total: int | None) -> None:
            if progress is not None:
                progress(source.name, done, total)

        known = previous[source.id].cache_key if source.id in previous else ""
        return source.load(cancel, report, known)

    outcomes: dict[str, SourceContent | Exception] = {}
    if len(wanted) == 1:
        outcomes[wanted[0].id] = _attempt(one, wanted[0])
    elif wanted:
        with ThreadPoolExecutor(min(MAX_PARALLEL, len(wanted)), thread_name_prefix="settop-source") as pool:
            outcomes.update(zip((s.id for s in wanted), pool.map(lambda s: _attempt(one, s), wanted), strict=True))
    contents: dict[str, SourceContent] = {}
    problems: list[SourceProblem] = []
    refreshed: list[SourceContent] = []
    changed = False
    for source in sources:
        outcome = outcomes.get(source.id)
        before = previous.get(source.id)
        if isinstance(outcome, Exception):
            problems.append(_failure(source, outcome, before))
            if before is not None:
                contents[source.id] = before
            continue
        refused = refused_refresh(before, outcome) if outcome is not None else ""
        if refused:
            log.warning("source %s: %s", source.id or "(first)", refused)
            problems.append(SourceProblem(source.name, refused, stale=True))
            contents[source.id] = before  # type: ignore[assignment]  # refused_refresh needs a before
            continue
        if outcome is None or (before is not None and outcome.cache_key == before.cache_key
                               and not outcome.playlist.channels):
            assert before is not None
            contents[source.id] = before
        else:
            contents[source.id] = outcome
            changed = True
            if before is not None:
                refreshed.append(outcome)
        if outcome is not None and outcome.stale:
            problems.append(SourceProblem(source.name, outcome.stale_reason, stale=True))
    if not contents:
        raise LoadFailed(problems[0].message if len(problems) == 1 else
                         "; ".join(f"{p.name}: {p.message}" for p in problems) or "no playlist", tuple(problems))
    if not changed and not remerge and list(contents) == list(previous):
        return LoadResult(None, contents, tuple(problems))
    parts = [SourcePart(s.id, s.name, contents[s.id].playlist, s.start_number) for s in sources if s.id in contents]
    merged = merge(parts, pinned=pinned, remembered=remembered, edits=edits)
    # Local files may play only when every source is a local file the viewer chose (the address gate fails closed).
    local_ok = not any(content.remote for content in contents.values())
    return LoadResult(Lineup(merged.playlist, merged, local_ok=local_ok), contents, tuple(problems),
                      tuple(refreshed))


def _failure(source: Source, error: Exception, before: SourceContent | None) -> SourceProblem:
    """The problem of a source that failed; a refresh that is not a channel list (a guide, a web page: see
    :mod:`settop.core.playlist.sniff`) says that the last good copy stays in use."""
    message = redact(str(error)) or type(error).__name__
    not_a_list = isinstance(error, NotAPlaylistError)
    if not_a_list and before is not None:
        message = _("The refresh is not a channel list; the last good copy stays in use.") + " " + message
        log.warning("source %s: %s", source.id or "(first)", message)
    single = not_a_list and error.found.single_stream  # type: ignore[attr-defined]
    return SourceProblem(source.name, message, stale=before is not None, single_stream=single)


def refused_refresh(before: SourceContent | None, after: SourceContent) -> str:
    """Why a refresh that parsed may not replace what a source shows ("" when it may): it loses most of the lineup
    at once. The last good copy then stays in use; the next refresh is judged afresh. (A refresh that is not a
    channel list at all fails earlier, in the sniff: see :func:`_failure`.)"""
    if before is None or after.cache_key == before.cache_key or not before.playlist.channels:
        return ""
    old, new = len(before.playlist.channels), len(after.playlist.channels)
    if old >= LOSS_FLOOR and new < old * LOSS_SHARE:
        return _("The refresh has {new} channels instead of {old}; it is kept aside and the last good copy stays "
                 "in use.").format(new=new, old=old)
    return ""


def _attempt(load: Callable[[Source], SourceContent], source: Source) -> SourceContent | Exception:
    try:
        return load(source)
    except Exception as exc:  # every failure becomes words on screen, per source
        log.debug("source %s failed", source.id or "(first)", exc_info=True)
        return exc
