"""The keymap: (context, button, long press) -> action, from the default file in assets/ and the user's override."""

from __future__ import annotations

import logging
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from settop.core.state.paths import assets_dir, config_dir
from settop.input.buttons import PARENT, Action, Button, Context

log = logging.getLogger("settop.input")

UNBOUND = "none"
LONG_PREFIX = "long_"

Binding = tuple[Button, bool]
"""A button and whether it is held (long press)."""


@dataclass(frozen=True, slots=True)
class KeymapWarning:
    """Something skipped while loading a keymap file; ``line`` is 1-based, 0 when not tied to a line."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}" if self.line else f"{self.file}: {self.message}"


def default_keymap_path() -> Path:
    """The bundled, commented default keymap."""
    return assets_dir() / "keymap.toml"


def user_keymap_path() -> Path:
    """Where a user's overrides live (may not exist)."""
    return config_dir() / "keymap.toml"


_SECTION = re.compile(r"^\s*\[\s*([^\]]+?)\s*\]")
_KEY = re.compile(r"""^\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*=""")


def _line_index(text: str) -> dict[tuple[str, str], int]:
    """(section, key) -> 1-based line, for messages; tomllib itself keeps no positions."""
    index: dict[tuple[str, str], int] = {}
    section = ""
    for number, line in enumerate(text.splitlines(), start=1):
        if match := _SECTION.match(line):
            section = match.group(1).strip("\"'")
            index.setdefault((section, ""), number)
        elif match := _KEY.match(line):
            key = next(g for g in match.groups() if g is not None)
            index.setdefault((section, key), number)
    return index


def _parse_binding_name(name: str) -> Binding | None:
    long = name.startswith(LONG_PREFIX) and name not in Button.__members__
    button_name = name[len(LONG_PREFIX) :] if long else name
    try:
        return Button(button_name), long
    except ValueError:
        return None


def parse_keymap(text: str, file: str) -> tuple[dict[Context, dict[Binding, Action | None]], list[KeymapWarning]]:
    """Parse keymap TOML text into per-context bindings; bad entries become warnings and are skipped."""
    warnings: list[KeymapWarning] = []
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        return {}, [KeymapWarning(file, int(match.group(1)) if match else 0, f"not valid TOML, ignored: {exc}")]
    lines = _line_index(text)
    table: dict[Context, dict[Binding, Action | None]] = {}
    for section, entries in document.items():
        try:
            context = Context(section)
        except ValueError:
            warnings.append(KeymapWarning(file, lines.get((section, ""), 0), f"unknown context [{section}], skipped"))
            continue
        if not isinstance(entries, dict):
            warnings.append(KeymapWarning(file, lines.get((section, ""), 0), f"{section} is not a [section]"))
            continue
        bindings = table.setdefault(context, {})
        for name, value in entries.items():
            line = lines.get((section, name), 0)
            binding = _parse_binding_name(name)
            if binding is None:
                warnings.append(KeymapWarning(file, line, f"unknown button {name!r} in [{section}], skipped"))
                continue
            if not isinstance(value, str):
                warnings.append(KeymapWarning(file, line, f"{name} in [{section}]: the action must be a quoted name"))
                continue
            if value == UNBOUND:
                bindings[binding] = None
                continue
            try:
                bindings[binding] = Action(value)
            except ValueError:
                message = f"unknown action {value!r} for {name} in [{section}], skipped"
                warnings.append(KeymapWarning(file, line, message))
    return table, warnings


def zap_overrides(up_down_zaps: bool) -> dict[tuple[Context, Binding], Action | None]:
    """The ``overrides`` for :meth:`Keymap.load` from the ``live.up_down_zaps`` setting.

    When it is off, Up/Down in live TV become plain ``up``/``down`` (the live screen may open the list with them).
    """
    if up_down_zaps:
        return {}
    return {(Context.live, (Button.up, False)): Action.up, (Context.live, (Button.down, False)): Action.down}


class Keymap:
    """Resolves (context, button, long) to an action; a context falls back to its parent, then to ``global``.

    An explicit ``"none"`` binding stops the fall-back: the button does nothing in that context.
    """

    def __init__(self, bindings: Mapping[Context, Mapping[Binding, Action | None]]) -> None:
        self._bindings: dict[Context, dict[Binding, Action | None]] = {
            context: dict(table) for context, table in bindings.items()
        }

    @classmethod
    def load(
        cls,
        default_path: Path | None = None,
        user_path: Path | None = None,
        overrides: Mapping[tuple[Context, Binding], Action | None] | None = None,
    ) -> tuple[Keymap, list[KeymapWarning]]:
        """Load the default keymap (the bundled one when ``default_path`` is None), then the user's file on top.

        ``overrides`` (from settings, e.g. ``live.up_down_zaps = false``) apply between the two, so a user's
        keymap file still wins. A missing user file is fine; problems in it are returned (and logged), never
        raised. A broken default keymap raises ValueError: it ships with settop and a test keeps it valid.
        """
        path = default_path or default_keymap_path()
        table, problems = parse_keymap(path.read_text(encoding="utf-8"), str(path))
        if problems:
            raise ValueError("default keymap is broken: " + "; ".join(map(str, problems)))
        for (context, binding), action in (overrides or {}).items():
            table.setdefault(context, {})[binding] = action
        warnings: list[KeymapWarning] = []
        if user_path is not None and user_path.is_file():
            try:
                text = user_path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                warnings.append(KeymapWarning(str(user_path), 0, f"could not be read, ignored: {exc}"))
            else:
                user_table, warnings = parse_keymap(text, str(user_path))
                for context, bindings in user_table.items():
                    table.setdefault(context, {}).update(bindings)
        for warning in warnings:
            log.warning("keymap: %s", warning)
        return cls(table), warnings

    def _chain(self, context: Context) -> Iterable[Context]:
        seen: Context | None = context
        while seen is not None:
            yield seen
            seen = PARENT.get(seen)
        if context is not Context.global_:
            yield Context.global_

    def _lookup(self, context: Context, binding: Binding) -> tuple[bool, Action | None]:
        for ctx in self._chain(context):
            table = self._bindings.get(ctx, {})
            if binding in table:
                return True, table[binding]
        return False, None

    def resolve(self, context: Context | str, button: Button | str, long: bool = False) -> Action | None:
        """The action for ``button`` in ``context``, or None when nothing is bound.

        A long press uses a ``long_<button>`` binding when one exists anywhere in the chain, else the plain one.
        """
        ctx, btn = Context(context), Button(button)
        if long:
            found, action = self._lookup(ctx, (btn, True))
            if found:
                return action
        return self._lookup(ctx, (btn, False))[1]

    def has_long(self, context: Context | str, button: Button | str) -> bool:
        """Whether holding ``button`` does something else than pressing it (the UI only waits for those)."""
        ctx, btn = Context(context), Button(button)
        found, action = self._lookup(ctx, (btn, True))
        return found and action != self._lookup(ctx, (btn, False))[1]

    def bindings(self, context: Context | str) -> dict[Binding, Action | None]:
        """The bindings defined in one section (without fall-back), for help screens and docs."""
        return dict(self._bindings.get(Context(context), {}))

    def buttons_for(self, context: Context | str, action: Action | str) -> list[Binding]:
        """Every (button, long) that resolves to ``action`` in ``context``, for on-screen hints."""
        wanted = Action(action)
        return [
            (button, long)
            for button in Button
            for long in (False, True)
            if (self._lookup(Context(context), (button, True))[0] or not long)
            and self.resolve(context, button, long) == wanted
        ]

    def all_actions(self) -> set[Action]:
        """Every action bound anywhere."""
        return {a for table in self._bindings.values() for a in table.values() if a is not None}
