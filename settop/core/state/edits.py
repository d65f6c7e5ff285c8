"""The viewer's own channel order, numbers, names, hidden channels and group order, by key (``channels.json``).

Kept in the config folder beside ``settings.toml`` (written atomically, 0600) and applied at every merge of the
sources (:func:`settop.core.sources.merge.merge`), so they survive refreshes: a key that is no longer in any playlist
is kept too and counts again when the channel comes back. A damaged file is moved aside and reported, never used.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from settop.core.state.paths import config_dir, private_file
from settop.core.state.tomlfile import move_aside, write_atomic

log = logging.getLogger("settop.state")

FILE_NAME = "channels.json"


@dataclass(frozen=True, slots=True)
class ChannelEdits:
    """order: keys in the viewer's order (channels not in it follow, in the lineup's order); numbers: key -> number
    text; names: key -> the viewer's name; hidden: keys not shown in the list nor zapped to; groups: key -> the group
    the viewer moved the channel into (one of their own or a playlist's; it replaces the playlist's groups);
    group_order: group names in the viewer's order (:func:`ordered_groups`; groups not in it follow)."""

    order: tuple[str, ...] = ()
    numbers: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    hidden: frozenset[str] = frozenset()
    groups: dict[str, str] = field(default_factory=dict)
    group_order: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.order or self.numbers or self.names or self.hidden or self.groups or self.group_order)

    def to_json(self) -> dict[str, Any]:
        return {"order": list(self.order), "numbers": dict(self.numbers), "names": dict(self.names),
                "hidden": sorted(self.hidden), "groups": dict(self.groups), "group_order": list(self.group_order)}

    def with_number(self, key: str, number: str | None) -> ChannelEdits:
        numbers = {k: v for k, v in self.numbers.items() if k != key and v != number}
        if number:
            numbers[key] = number
        return replace(self, numbers=numbers)

    def with_name(self, key: str, name: str) -> ChannelEdits:
        names = {k: v for k, v in self.names.items() if k != key}
        if name.strip():
            names[key] = name.strip()
        return replace(self, names=names)

    def with_group(self, key: str, group: str) -> ChannelEdits:
        groups = {k: v for k, v in self.groups.items() if k != key}
        if group.strip():
            groups[key] = group.strip()
        return replace(self, groups=groups)

    def with_group_order(self, shown: Sequence[str]) -> ChannelEdits:
        """The viewer put the groups on screen in the order ``shown``; see :func:`place_groups`."""
        return replace(self, group_order=place_groups(self.group_order, shown))


def ordered_groups(names: Iterable[str], order: Sequence[str]) -> list[str]:
    """``names`` in the viewer's ``order``: the groups it places first, as it places them, then every other group
    (a new one from a playlist, one the viewer never moved) in its own order. Names in ``order`` that are not in
    ``names`` (a group gone for now) are skipped and keep their place for when they come back."""
    names = list(dict.fromkeys(names))
    present = set(names)
    placed = [name for name in dict.fromkeys(order) if name in present]
    chosen = set(placed)
    return placed + [name for name in names if name not in chosen]


def place_groups(before: Sequence[str], shown: Sequence[str]) -> tuple[str, ...]:
    """The new group order when the viewer ordered the groups on screen as ``shown``: ``shown`` as it is, and each
    group of ``before`` that was not on screen (gone from the playlists for now, or hidden) right after the group it
    followed in ``before`` (at the front when it followed none of them), so it comes back where it was."""
    shown = list(dict.fromkeys(shown))
    on_screen = set(shown)
    leading: list[str] = []
    after: dict[str, list[str]] = {}
    anchor: str | None = None
    for name in dict.fromkeys(before):
        if name in on_screen:
            anchor = name
        else:
            (leading if anchor is None else after.setdefault(anchor, [])).append(name)
    placed = list(leading)
    for name in shown:
        placed.append(name)
        placed.extend(after.get(name, ()))
    return tuple(placed)


class EditsError(ValueError):
    """The edits document is not usable; the message says what is wrong."""


def from_json(document: Any) -> ChannelEdits:
    """Check a parsed document; raises EditsError for anything but the shape :meth:`ChannelEdits.to_json` writes."""
    if not isinstance(document, dict):
        raise EditsError("channel edits must be a JSON object")
    order, numbers = document.get("order", []), document.get("numbers", {})
    names, hidden = document.get("names", {}), document.get("hidden", [])
    groups, group_order = document.get("groups", {}), document.get("group_order", [])
    if not isinstance(order, list) or not all(isinstance(k, str) for k in order):
        raise EditsError("order must be a list of channel keys")
    if not isinstance(group_order, list) or not all(isinstance(k, str) and k.strip() for k in group_order):
        raise EditsError("group_order must be a list of group names")
    if not isinstance(hidden, list) or not all(isinstance(k, str) for k in hidden):
        raise EditsError("hidden must be a list of channel keys")
    for label, mapping in (("numbers", numbers), ("names", names), ("groups", groups)):
        if not isinstance(mapping, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                                    for k, v in mapping.items()):
            raise EditsError(f"{label} must map channel keys to texts")
    if any(not _is_number(v) for v in numbers.values()):
        raise EditsError("numbers must be channel numbers like 5 or 5.1")
    if any(not v.strip() for v in groups.values()):
        raise EditsError("groups must map channel keys to group names")
    return ChannelEdits(tuple(dict.fromkeys(order)), dict(numbers), dict(names), frozenset(hidden), dict(groups),
                        tuple(dict.fromkeys(group_order)))


def _is_number(text: str) -> bool:
    major, dot, minor = text.partition(".")
    return major.isdecimal() and int(major) > 0 and (not dot or minor.isdecimal())


def path() -> Path:
    return config_dir() / FILE_NAME


def load(where: Path | None = None) -> tuple[ChannelEdits, str]:
    """The saved edits and a problem to tell the viewer ("" when none); a damaged file is moved aside."""
    where = where or path()
    try:
        text = where.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ChannelEdits(), ""
    except OSError as exc:
        return ChannelEdits(), f"{where.name}: {exc.strerror or exc}"
    try:
        return from_json(json.loads(text)), ""
    except (ValueError, RecursionError) as exc:
        aside = move_aside(where)
        log.warning("channel edits unreadable (%s); moved to %s", exc, aside.name)
        return ChannelEdits(), f"{where.name}: {exc}; moved to {aside.name}"


def save(edits: ChannelEdits, where: Path | None = None) -> None:
    """Write atomically, readable by the viewer only."""
    where = where or path()
    write_atomic(where, json.dumps(edits.to_json(), ensure_ascii=False, indent=1).encode("utf-8"))
    private_file(where)
