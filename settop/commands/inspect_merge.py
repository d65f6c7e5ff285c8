"""`settop inspect A.m3u B.m3u [--json]`: several playlists merged into one lineup as the app merges them.

In the JSON each channel has, besides the single-playlist fields, its ``source`` (the name of the playlist it plays
from: the file or address as given, redacted), its ``number`` in the merged lineup and ``alternates``: the same
channel in later playlists (``source``, ``name``, ``url``; masked unless ``--show-secrets``), in the order they
are tried when it fails.
"""

from __future__ import annotations

from typing import Any

from settop.core.models import Playlist
from settop.core.playlist.lineup import Lineup
from settop.core.redact import display_source
from settop.core.sources.base import derived_source_id
from settop.core.sources.merge import SourcePart, merge
from settop.i18n import _, ngettext


def merged(playlists: list[tuple[str, Playlist]]) -> Lineup:
    """The lineup of ``(source as given, playlist)`` pairs, the first keeping plain keys, as the app numbers it."""
    parts = [SourcePart("" if index == 0 else derived_source_id(f"{index}|{source}"), display_source(source),
                        playlist) for index, (source, playlist) in enumerate(playlists)]
    result = merge(parts)
    return Lineup(result.playlist, result)


def merged_json(lineup: Lineup, base: dict[str, Any]) -> dict[str, Any]:
    """``base`` (the single-playlist document of the merged playlist) with each channel's source, its number in the
    lineup and its alternates."""
    for index, channel in enumerate(base["channels"]):
        channel["source"] = lineup.source_name(index)
        channel["number"] = lineup.numbers[index]
        assert lineup.merged is not None
        channel["alternates"] = [
            {"source": lineup.merged.parts[alt.part].name, "name": alt.channel.name, "url": alt.channel.url}
            for alt in lineup.merged.alternates.get(index, ())
        ]
    return base


def merged_summary(lineup: Lineup) -> str:
    """One line: how many playlists, rows and folded duplicates."""
    assert lineup.merged is not None
    folded = sum(len(found) for found in lineup.merged.alternates.values())
    return _("Merged {sources}: {channels}, {folded}").format(
        sources=ngettext("{n} playlist", "{n} playlists", len(lineup.merged.parts)).format(n=len(lineup.merged.parts)),
        channels=ngettext("{n} channel", "{n} channels", len(lineup)).format(n=len(lineup)),
        folded=ngettext("{n} duplicate folded", "{n} duplicates folded", folded).format(n=folded))
