"""``settop record``: record a stream or a channel of the current lineup for a while, with progress, no UI."""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from settop.core import address
from settop.core.models import Channel
from settop.core.recording.plan import MIB, DiskMargin, PlanError, file_name, parse_duration, recordings_folder
from settop.core.recording.recorder import Progress, Recorder
from settop.core.redact import redact
from settop.core.state.settings import Settings
from settop.i18n import _

if TYPE_CHECKING:
    from settop.core.playlist.lineup import Lineup


def _lineup_channel(target: str, playlist: str | None, settings: Settings) -> Channel:
    """The channel ``target`` names (its number, else its name, else the one name it is part of)."""
    from settop.core.net.fetch import fetch
    from settop.core.playlist import m3u
    from settop.core.playlist.lineup import Lineup

    if playlist is None:
        configured = [p for p in settings.playlists() if p.enabled]
        if not configured:
            raise PlanError(_("No playlist is set up: name one with --playlist, or give the stream's address"))
        if configured[0].kind == "xtream":  # a provider account: its live channels through the player API
            from settop.core.sources.xtream import XtreamError
            from settop.core.sources.xtream_source import XtreamSource

            try:
                content = XtreamSource(configured[0]).load()
            except XtreamError as exc:
                raise PlanError(str(exc)) from None
            return _find(target, Lineup(content.playlist), content.display)
        playlist = configured[0].source
    result = fetch(playlist, kind="playlist")
    remote = bool(result.final_url)
    parsed = m3u.parse_bytes(result.read_bytes(), base_url=result.final_url or str(result.path), remote=remote)
    return _find(target, Lineup(parsed, local_ok=not remote), result.display)


def _find(target: str, lineup: Lineup, display: str) -> Channel:
    """The channel of ``lineup`` that ``target`` names (number, exact name, or the one name containing it)."""
    index = lineup.find_number(target) if target.replace(".", "").isdigit() else None
    if index is None:
        folded = target.casefold()
        exact = [i for i, c in enumerate(lineup.channels) if c.name.casefold() == folded]
        partial = exact or [i for i, c in enumerate(lineup.channels) if folded in c.name.casefold()]
        if len(partial) > 1:
            names = ", ".join(lineup.channels[i].name for i in partial[:5])
            raise PlanError(_("“{target}” names several channels ({names}): give its number or full name").format(
                target=target, names=names))
        index = partial[0] if partial else None
    if index is None:
        raise PlanError(_("No channel “{target}” in {playlist}").format(target=target, playlist=display))
    return lineup.channels[index]


def _clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def run(args: argparse.Namespace) -> int:
    settings, _messages = Settings.load()
    duration = parse_duration(args.duration)
    target: str = args.target
    if "://" in target:
        channel_name, url = "", target
        refusal = address.refusal(url, local_ok=False)
        if refusal:
            raise PlanError(_("This address cannot be recorded: {reason}").format(reason=refusal))
    else:
        channel = _lineup_channel(target, args.playlist, settings)
        channel_name, url = channel.name, channel.url
    start = time.time()
    out = Path(args.out).expanduser() if args.out else \
        recordings_folder(settings.get_str("recording.folder")) / file_name(channel_name or _("Recording"), "", start)
    margin = DiskMargin(settings.get_int("recording.min_free_mb") * MIB)
    tty = sys.stderr.isatty()

    def show(progress: Progress) -> None:
        line = _("{elapsed} of {total}  ·  {size:.1f} MiB  ·  part {part}").format(
            elapsed=_clock(progress.seconds), total=_clock(duration), size=progress.size / MIB,
            part=len(progress.parts) + (progress.state == "recording"))
        if progress.state == "recording":
            if tty:
                print("\r" + line, end="", file=sys.stderr, flush=True)
            return
        print(("\n" if tty else "") + (progress.message or line), file=sys.stderr, flush=True)

    recorder = Recorder(url, out, duration, margin=margin, on_progress=show)
    print(_("Recording {what} for {total} into {file}").format(
        what=channel_name or redact(url), total=_clock(duration), file=out), file=sys.stderr)
    recorder.check()
    outcome: list[Progress | Exception] = []

    def record() -> None:
        try:
            outcome.append(recorder.run())
        except Exception as exc:  # said by the command line's last line of defence, on this thread
            outcome.append(exc)

    worker = threading.Thread(target=record, name="settop-record")
    worker.start()
    try:
        while worker.is_alive():
            worker.join(0.5)
    except KeyboardInterrupt:
        recorder.stop()
        worker.join()
    if not outcome:
        return 1
    result = outcome[0]
    if isinstance(result, Exception):
        raise result
    for part in result.parts:
        print(part)
    print(_("{state}: {seconds} recorded, {size:.1f} MiB in {parts} file(s)").format(
        state=result.message, seconds=_clock(result.seconds), size=result.size / MIB, parts=len(result.parts)),
        file=sys.stderr)
    return 0 if result.state in ("done", "stopped") else 1
