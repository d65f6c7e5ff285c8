"""`settop inspect PLAYLIST [--json] [--epg GUIDE]`: show what settop reads in a playlist (and how a guide matches).

The JSON is the CLI contract of DESIGN.md: ``{"channels": [...], "epg_urls": [...], "warnings": [...],
"guide": {...} | null}``; a channel's ``number`` is its text (``"5"``, ``"5.1"``) or null, and ``headers``
maps header names to values; ``extra`` maps the entry's unknown attributes to their values (capped). The text
summary shows counts and capped lists. Both are redacted (every string of the JSON, every line of the text) unless
``--show-secrets`` asks for the secrets in clear.
Bad input is one line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from typing import TYPE_CHECKING, Any

from settop.commands.caps import viewer_limits
from settop.core.models import Channel, Playlist
from settop.core.playlist.lineup import Lineup
from settop.core.redact import display_source, redact, redact_tree
from settop.core.secrets import learn_playlist
from settop.i18n import _, ngettext

if TYPE_CHECKING:
    from settop.commands.inspect_xtream import AccountReport

EXIT_BAD_INPUT = 2
LIST_LIMIT = 20
EXTRA_VALUE_LIMIT = 256
"""Characters of an unknown attribute's value in ``"extra"`` (the parser keeps at most 64 such attributes)."""


class InspectError(Exception):
    """Bad input: the message is user-readable and already redacted."""


def load(source: str) -> tuple[Playlist, str]:
    """Fetch and parse ``source`` (a path or an http(s) URL); returns (playlist, display name)."""
    from settop.core.net.fetch import FetchError, fetch
    from settop.core.playlist import m3u
    from settop.core.playlist.sniff import sniff

    try:
        result = fetch(source, kind="playlist", limits=viewer_limits("playlist"))
        data = result.read_bytes()
    except FetchError as exc:
        raise InspectError(str(exc)) from None
    except OSError as exc:
        raise InspectError(redact(_("cannot read {source}: {error}").format(source=source,
                                                                            error=exc.strerror or exc))) from None
    found = sniff(data)
    if found is not None:
        raise InspectError(redact(f"{result.display}: {found.message}"))
    remote = bool(result.final_url) and result.final_url.lower().startswith(("http://", "https://"))
    base = result.final_url if remote else str(result.path)
    playlist = m3u.parse_bytes(data, base_url=base, remote=remote)
    learn_playlist(playlist)
    return playlist, result.display


def channel_json(channel: Channel) -> dict[str, Any]:
    """One channel as the CLI contract shows it."""
    catchup = channel.catchup
    return {
        "name": channel.name,
        "url": channel.url,
        "tvg_id": channel.tvg_id,
        "tvg_name": channel.tvg_name,
        "logo": channel.logo,
        "groups": list(channel.groups),
        "number": channel.number_text or None,
        "radio": channel.radio,
        "tvg_shift": channel.tvg_shift,
        "catchup": None if catchup is None else {"mode": catchup.mode, "days": catchup.days, "source": catchup.source},
        "headers": dict(channel.headers),
        "vlc_options": list(channel.vlc_options),
        "extra": {name: _capped(value) for name, value in channel.attrs},
    }


def _capped(value: str) -> str:
    return value if len(value) <= EXTRA_VALUE_LIMIT else value[: EXTRA_VALUE_LIMIT - 1] + "…"


def playlist_json(playlist: Playlist, guide: dict[str, Any] | None) -> dict[str, Any]:
    """The whole ``--json`` document."""
    return {
        "channels": [channel_json(channel) for channel in playlist.channels],
        "epg_urls": list(playlist.epg_urls),
        "warnings": [{"line": w.line, "message": w.message} for w in playlist.warnings],
        "guide": guide,
    }


def summary(playlist: Playlist, display: str, *, show_secrets: bool = False) -> str:
    """The readable report: counts, groups, numbering, catch-up, guide URLs, capped channel and warning lists.

    Every line is redacted unless ``show_secrets``.
    """
    mask = _plain if show_secrets else redact
    channels = playlist.channels
    counts = [ngettext("{n} channel", "{n} channels", len(channels)).format(n=len(channels)),
              ngettext("{n} group", "{n} groups", len(playlist.groups)).format(n=len(playlist.groups)),
              ngettext("{n} warning", "{n} warnings", len(playlist.warnings)).format(n=len(playlist.warnings))]
    out = [f"{display}: " + _(", ").join(counts)]  # the list separator: "، " in Arabic
    if playlist.epg_urls:
        out.append(_("Guide URLs: {urls}").format(urls=", ".join(mask(url) for url in playlist.epg_urls)))
    else:
        out.append(_("Guide URLs: none in the header"))
    if playlist.tvg_shift:
        out.append(_("Guide shift: {hours} h for every channel without its own").format(
            hours=f"{playlist.tvg_shift:+g}"))
    group_sizes = Counter(group for channel in channels for group in channel.groups)
    if group_sizes:
        shown = [f"{name} ({size})" for name, size in list(group_sizes.items())[:LIST_LIMIT]]
        out.append(_("Groups: {groups}").format(groups=", ".join(shown) + _more(len(group_sizes))))
    out.append(_("Numbering: {numbering}").format(numbering=_numbering(channels)))
    out.append(_("Catch-up: {catchup}").format(catchup=_catchup(channels)))
    radio, media = sum(c.radio for c in channels), sum(c.media for c in channels)
    headers, options = sum(bool(c.headers) for c in channels), sum(bool(c.vlc_options) for c in channels)
    extras = [
        ngettext("{n} radio station", "{n} radio stations", radio).format(n=radio),
        ngettext("{n} media entry", "{n} media entries", media).format(n=media),
        ngettext("{n} channel with HTTP headers", "{n} channels with HTTP headers", headers).format(n=headers),
        ngettext("{n} channel with player options", "{n} channels with player options", options).format(n=options),
    ]
    out.append(_("Also: {extras}").format(extras=", ".join(extras)))
    if channels:
        out.append(_("Channels (first {shown} of {total}):").format(shown=min(len(channels), LIST_LIMIT),
                                                                    total=len(channels)))
        for channel in channels[:LIST_LIMIT]:
            number = channel.number_text or "-"
            groups = f"  [{'; '.join(channel.groups)}]" if channel.groups else ""
            out.append(f"  {number:>6}  {channel.name}{groups}  {mask(channel.url)}")
    if playlist.warnings:
        out.append(_("Warnings (first {shown} of {total}):").format(shown=min(len(playlist.warnings), LIST_LIMIT),
                                                                  total=len(playlist.warnings)))
        for warning in playlist.warnings[:LIST_LIMIT]:
            where = _("line {line}").format(line=warning.line) if warning.line else _("playlist")
            out.append(f"  {where}: {mask(warning.message)}")
    return "\n".join(mask(line) for line in out)


def _plain(text: str) -> str:
    return text


def _numbering(channels: tuple[Channel, ...]) -> str:
    numbers = [c.number for c in channels if c.number is not None]
    if not numbers:
        return _("none (channels are numbered in playlist order)")
    texts = Counter(c.number_text for c in channels if c.number is not None)
    duplicates = sum(1 for count in texts.values() if count > 1)
    minors = sum(1 for c in channels if c.number_minor is not None)
    span = f"{min(numbers)}" if min(numbers) == max(numbers) else f"{min(numbers)}-{max(numbers)}"
    parts = [_("{numbered} of {total} numbered, {span}").format(numbered=len(numbers), total=len(channels), span=span)]
    if minors:
        parts.append(ngettext("{n} with a sub-number", "{n} with sub-numbers", minors).format(n=minors))
    if duplicates:
        parts.append(ngettext("{n} number used twice or more", "{n} numbers used twice or more", duplicates)
                     .format(n=duplicates))
    return ", ".join(parts)


def _catchup(channels: tuple[Channel, ...]) -> str:
    with_catchup = [c.catchup for c in channels if c.catchup is not None]
    if not with_catchup:
        return _("none")
    modes = Counter(c.mode for c in with_catchup)
    days = [c.days for c in with_catchup if c.days]
    count = ngettext("{n} channel", "{n} channels", len(with_catchup)).format(n=len(with_catchup))
    text = count + " (" + ", ".join(f"{mode} {n}" for mode, n in modes.most_common()) + ")"
    if days:
        text += ", " + (_("{low}-{high} days").format(low=min(days), high=max(days)) if min(days) != max(days)
                        else ngettext("{n} day", "{n} days", days[0]).format(n=days[0]))
    return text


def _more(total: int) -> str:
    return " " + _("… and {count} more").format(count=total - LIST_LIMIT) if total > LIST_LIMIT else ""


def run(args: argparse.Namespace) -> int:
    """Run the sub-command; returns the exit code (2 for bad input)."""
    account = None
    lineup: Lineup | None = None
    try:
        if getattr(args, "xtream", None):
            account = _account(args)
            playlist, display = account.playlist, account.host
        elif len(args.playlist) > 1:
            from settop.commands.inspect_merge import merged

            lineup = merged([(source, load(source)[0]) for source in args.playlist])
            playlist, display = lineup.playlist, ", ".join(display_source(source) for source in args.playlist)
        else:
            playlist, display = load(args.playlist[0])
        guide: dict[str, Any] | None = None
        guide_text = ""
        if args.epg:
            guide, guide_text = _guide(playlist, list(args.epg))
    except InspectError as exc:
        print(_("settop inspect: {error}").format(error=exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    show = bool(getattr(args, "show_secrets", False))
    try:
        if args.json:
            document = playlist_json(playlist, guide)
            if account is not None:
                document = document | account.extras_json()
            if lineup is not None:
                from settop.commands.inspect_merge import merged_json

                document = merged_json(lineup, document)
            json.dump(document if show else redact_tree(document), sys.stdout, ensure_ascii=False, indent=2)
            sys.stdout.write("\n")
        else:
            print(summary(playlist, display, show_secrets=show))
            if lineup is not None:
                from settop.commands.inspect_merge import merged_summary

                print(merged_summary(lineup))
            if account is not None:
                print("\n".join(line if show else redact(line) for line in account.summary_lines()))
            if guide_text:
                print(guide_text if show else "\n".join(redact(line) for line in guide_text.splitlines()))
        sys.stdout.flush()
    except BrokenPipeError:  # `settop inspect ... | head`: the reader has what it wanted
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return 0


def _account(args: argparse.Namespace) -> AccountReport:
    from settop.commands.inspect_xtream import XtreamError
    from settop.commands.inspect_xtream import load as load_account

    try:
        return load_account(args)
    except XtreamError as exc:
        raise InspectError(str(exc)) from None


def _guide(playlist: Playlist, guides: list[str]) -> tuple[dict[str, Any], str]:
    from settop.commands.inspect_guide import format_guide_report, guide_report
    from settop.core.net.fetch import FetchError

    try:
        report = guide_report(playlist, guides)
    except FetchError as exc:
        raise InspectError(str(exc)) from None
    except (OSError, ValueError) as exc:
        raise InspectError(redact(_("cannot read the guide: {error}").format(error=exc))) from None
    return report, format_guide_report(report)
