"""The settings pages' toolkit: what they change (SettingsEnv) and rows built from declared settings."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from settop.core.state.settings import SettingError, Settings
from settop.i18n import _, language
from settop.ui.settings.screen import Page, Row, SettingsScreen
from settop.ui.welcome import TextEntryScreen
from settop.ui.widgets.localefmt import choice_label, locale_number
from settop.ui.widgets.menu import MenuItem, MenuScreen

if TYPE_CHECKING:
    from settop.core.state.store import StateStore
    from settop.input.keymap import Keymap
    from settop.ui.guide.service import GuideService
    from settop.ui.library.controller import LibraryController
    from settop.ui.live.screen import LiveScreen
    from settop.ui.mainwindow import MainWindow
    from settop.ui.shell import Shell
    from settop.ui.timers_view import TimeKeeper
    from settop.ui.widgets.pin import Parental

log = logging.getLogger("settop.ui.settings")

FOLLOW_INTERFACE = ("playback.audio_languages", "guide.languages")  # empty: the interface language (settop.i18n)


@dataclass
class SettingsEnv:
    """What the pages change: the settings file, and the running parts that apply a change at once."""

    settings: Settings
    window: MainWindow
    state: StateStore  # the guide mappings
    live: LiveScreen | None = None
    shell: Shell | None = None
    guide: GuideService | None = None
    parental: Parental | None = None
    keymap: Keymap | None = None
    library: LibraryController | None = None  # the Movies and Series screens
    timers: TimeKeeper | None = None  # the sleep timer row
    recordings: Callable[[], object] | None = None  # opens Menu › Recordings
    applied: Mapping[str, Callable[[Any], None]] = field(default_factory=dict)  # setting -> apply it now
    screen: SettingsScreen | None = None  # the settings screen while it is built


def current_sources(env: SettingsEnv) -> tuple[str, ...]:
    """Every guide source for the lineup: each playlist's settings entry, their headers, then ``guide.sources``."""
    live, shell, guide = env.live, env.shell, env.guide
    if guide is None or live is None or live.lineup is None:
        return ()
    urls = shell.guide_urls() if shell is not None else list(live.lineup.playlist.epg_urls)
    return tuple(guide.sources_for(urls))


def toggle_row(label: str, value: str, toggle: Callable[[], object], help: str = "") -> Row:
    """A row that OK, left and right all toggle."""
    return Row(label, value, select=toggle, adjust=lambda _delta: toggle(), help=help)


class PageKit:
    """Changing settings and the generic rows; each editor validates through ``Settings.set`` and saves at once."""

    def __init__(self, env: SettingsEnv) -> None:
        self.env = env
        self.s = env.settings

    # -- changing ----------------------------------------------------------------------------------------------
    @property
    def screen(self) -> SettingsScreen:
        assert self.env.screen is not None
        return self.env.screen

    def change(self, name: str, value: Any, note: str = "") -> bool:
        """Validate, store and save ``name``; apply it to the running app. False (and a message) when refused."""
        try:
            self.s.set(name, value)
            self.s.save()
        except SettingError as exc:
            self.screen.message(str(exc), error=True)
            return False
        except OSError as exc:
            self.screen.message(_("Could not save the settings: {error}").format(error=exc.strerror or exc), error=True)
            return False
        apply = self.env.applied.get(name)
        if apply is not None:
            try:
                apply(self.s.get(name))
            except Exception as exc:  # a failed live apply must not lose the saved value
                log.warning("applying %s failed: %s", name, exc)
        self.screen.message(_(note) if note else _("Saved."))
        self.screen.rebuild()
        return True

    def edit_text(self, title: str, initial: str, done: Callable[[str], None], hint: str = "",
                  secret: bool = False) -> None:
        entry = TextEntryScreen(title, done, initial=initial, hint=hint, secret=secret)
        entry.close_requested.connect(lambda: self.env.window.pop(entry))
        self.env.window.push(entry)

    def choose(self, title: str, options: Sequence[tuple[str, Callable[[], object]]], current: str = "") -> None:
        menu = MenuScreen(title, [MenuItem(label, run, checked=label == current) for label, run in options],
                          side="center")
        menu.close_requested.connect(lambda: self.env.window.pop(menu))
        self.env.window.push(menu)

    # -- generic rows ------------------------------------------------------------------------------------------
    def _help(self, name: str, extra: str = "") -> str:
        text = _(Settings.setting(name).description)
        return f"{text}. {_(extra)}" if extra else text

    def bool_row(self, name: str, label: str, extra: str = "") -> Row:
        value = self.s.get_bool(name)
        flip = lambda *_: self.change(name, not self.s.get_bool(name), extra)  # noqa: E731
        return Row(label, _("On") if value else _("Off"), select=flip, adjust=flip, help=self._help(name, extra))

    def choice_row(self, name: str, label: str, extra: str = "") -> Row:
        choices = Settings.setting(name).choices
        current = self.s.get_str(name)

        def step(delta: int) -> None:
            index = choices.index(current) if current in choices else 0
            self.change(name, choices[(index + delta) % len(choices)], extra)

        def pick() -> None:
            self.choose(label, [(choice_label(c), partial(self.change, name, c, extra)) for c in choices],
                        choice_label(current))

        return Row(label, choice_label(current), select=pick, adjust=step, help=self._help(name, extra))

    def number_row(self, name: str, label: str, step: float, unit: str = "", extra: str = "") -> Row:
        setting = Settings.setting(name)
        value = self.s.get(name)
        is_int = setting.kind == "int"

        def adjust(delta: int) -> None:
            new = self.s.get(name) + delta * step
            low = setting.minimum if setting.minimum is not None else new
            high = setting.maximum if setting.maximum is not None else new
            new = min(max(new, low), high)
            self.change(name, int(new) if is_int else float(new), extra)

        def typed(text: str) -> None:
            try:
                number: float = int(text) if is_int else float(text.replace(",", "."))
            except ValueError:
                self.screen.message((_("{label}: “{text}” is not a whole number") if is_int else
                                     _("{label}: “{text}” is not a number")).format(label=label, text=text), error=True)
                return
            self.change(name, number, extra)

        shown = locale_number(value) + (_(unit) if unit else "")  # _("") is the catalogue header
        limits = _("{low} to {high}").format(low=locale_number(setting.minimum), high=locale_number(setting.maximum)) \
            if setting.minimum is not None and setting.maximum is not None else ""
        return Row(label, shown, adjust=adjust,
                   select=lambda: self.edit_text(label, str(self.s.get(name)), typed,
                                                 hint=_("Digits  ·  {limits}").format(limits=limits)),
                   help=self._help(name, extra))

    def list_row(self, name: str, label: str, example: str = "", extra: str = "") -> Row:
        values = self.s.get_list(name)

        def typed(text: str) -> None:
            items = [part.strip() for part in text.split(",") if part.strip()]
            self.change(name, items, extra)

        unset = _("interface language ({code})").format(code=language()) if name in FOLLOW_INTERFACE else _("none")
        return Row(label, ", ".join(values) or unset,
                   select=lambda: self.edit_text(label, ", ".join(self.s.get_list(name)), typed,
                                                 hint=_("Comma separated, e.g. {example}").format(example=example)
                                                 if example else ""),
                   help=self._help(name, extra))

    def _open(self, make: Callable[[], Page]) -> None:
        self.screen.open_page(make())
