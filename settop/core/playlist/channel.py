"""Channel objects built fast, and the stable key of each channel of a playlist.

Keys (:func:`assign_keys`): ``id:<tvg-id>`` (case-folded) when the entry has a ``tvg-id``, else
``name:<name>|<first group>`` (case-folded, spaces collapsed). The URL never takes part, so a provider rotating
tokens in it keeps the key, and no position does, so re-ordering keeps it too. When two entries share a
``tvg-id`` (SD and HD feeds of one channel) both get the name added, ``id:<tvg-id>|<name>``; whatever is still
shared gets ``#2``, ``#3`` ... in file order, the first keeping the plain key.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import fields
from typing import Any

from settop.core.models import Catchup, Channel

CHANNEL_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Channel))
NAME, URL, TVG_ID, TVG_NAME, LOGO, GROUPS = range(6)
"""Indexes into a row: the Channel fields after ``key``."""


class _ChannelShell:
    """Same slot layout as Channel but mutable: filled attribute by attribute, then re-classed as Channel.

    A frozen dataclass sets each of its 18 fields through ``object.__setattr__``; building 100,000 channels
    that way costs more than the rest of the parse, and a cached reload is mostly that. The shell sets the
    slots directly and then takes Channel's class, which Python allows for identical layouts. If Channel's
    fields ever differ from the shell's, :data:`make_channel` is plain ``Channel`` (checked at import).
    """

    __slots__ = CHANNEL_FIELDS


def _make_via_shell(  # noqa: PLR0917 - the positional order of Channel's fields is the point
    key: str,
    name: str,
    url: str,
    tvg_id: str,
    tvg_name: str,
    logo: str,
    groups: tuple[str, ...],
    number: int | None,
    number_minor: int | None,
    radio: bool,
    tvg_shift: float,
    catchup: Catchup | None,
    headers: tuple[tuple[str, str], ...],
    vlc_options: tuple[str, ...],
    properties: tuple[tuple[str, str], ...],
    attrs: tuple[tuple[str, str], ...],
    media: bool,
    line: int,
) -> Channel:
    shell = _ChannelShell()
    shell.key = key  # type: ignore[attr-defined]
    shell.name = name  # type: ignore[attr-defined]
    shell.url = url  # type: ignore[attr-defined]
    shell.tvg_id = tvg_id  # type: ignore[attr-defined]
    shell.tvg_name = tvg_name  # type: ignore[attr-defined]
    shell.logo = logo  # type: ignore[attr-defined]
    shell.groups = groups  # type: ignore[attr-defined]
    shell.number = number  # type: ignore[attr-defined]
    shell.number_minor = number_minor  # type: ignore[attr-defined]
    shell.radio = radio  # type: ignore[attr-defined]
    shell.tvg_shift = tvg_shift  # type: ignore[attr-defined]
    shell.catchup = catchup  # type: ignore[attr-defined]
    shell.headers = headers  # type: ignore[attr-defined]
    shell.vlc_options = vlc_options  # type: ignore[attr-defined]
    shell.properties = properties  # type: ignore[attr-defined]
    shell.attrs = attrs  # type: ignore[attr-defined]
    shell.media = media  # type: ignore[attr-defined]
    shell.line = line  # type: ignore[attr-defined]
    shell.__class__ = Channel  # type: ignore[assignment]
    return shell  # type: ignore[return-value]


def _pick_maker() -> Callable[..., Channel]:
    sample: tuple[Any, ...] = ("k", "n", "u", "i", "t", "l", ("g",), 1, 2, True, 1.5, Catchup("shift", 1))
    sample += ((("a", "b"),), ("c",), (), (("x", "y"),), True, 3)
    try:
        made = _make_via_shell(*sample)
        if type(made) is Channel and made == Channel(*sample) and len(CHANNEL_FIELDS) == len(sample):
            return _make_via_shell
    except (TypeError, ValueError, AttributeError):
        pass
    return Channel


make_channel: Callable[..., Channel] = _pick_maker()
"""Build a Channel from its field values in declaration order (positional), faster than ``Channel(...)``."""


def normalise(text: str) -> str:
    """Case-folded with runs of white space collapsed: the form keys compare names in."""
    return " ".join(text.casefold().split())


def assign_keys(rows: Sequence[Sequence[Any]]) -> list[str]:
    """The key of every row (Channel fields without the key) as the module docstring describes."""
    primary = [
        "id:" + row[TVG_ID].casefold() if row[TVG_ID] else f"name:{normalise(row[NAME])}|{_first_group(row)}"
        for row in rows
    ]
    if len(set(primary)) == len(primary):
        return primary
    counts = Counter(primary)
    keys = [
        f"{key}|{normalise(row[NAME])}" if counts[key] > 1 and key.startswith("id:") else key
        for key, row in zip(primary, rows, strict=True)
    ]
    counts = Counter(keys)
    seen: Counter[str] = Counter()
    for index, key in enumerate(keys):
        if counts[key] > 1:
            seen[key] += 1
            if seen[key] > 1:
                keys[index] = f"{key}#{seen[key]}"
    return keys


def _first_group(row: Sequence[Any]) -> str:
    groups: tuple[str, ...] = row[GROUPS]
    return normalise(groups[0]) if groups else ""
