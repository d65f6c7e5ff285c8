"""The settings pages: rows built from declared settings, with editors, validation and live application."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from PyQt6.QtCore import QObject, pyqtSignal

from settop import __version__
from settop.core.redact import display_source
from settop.core.settings import PlaylistSource, SettingError, Settings, hash_pin, verify_pin
from settop.i18n import LANGUAGE_NAMES, N_, _, available_languages, language, ngettext
from settop.ui.localefmt import choice_label, locale_number
from settop.ui.menu import MenuItem, MenuScreen
from settop.ui.settings_screen import Page, Row, SettingsScreen
from settop.ui.welcome import TextEntryScreen

log = logging.getLogger("settop.ui.settings")

RESTART = N_("Applies after a restart.")
FOLLOW_INTERFACE = ("playback.audio_languages", "guide.languages")  # empty: the interface language (settop.i18n)
LEGAL = N_("settop is a player: it ships no channels, playlists or guide addresses and plays only what you give it, "
         "which must be streams you are licensed to watch. It circumvents no DRM. Free software under the GNU GPL "
         "version 3 or later, with no warranty. Uses libVLC (LGPL-2.1-or-later) and Qt via PyQt6 (GPL-3.0).")


@dataclass
class SettingsEnv:
    """What the pages change: the settings file, and the running parts that apply a change at once."""

    settings: Settings
    window: Any  # MainWindow
    live: Any = None  # LiveScreen
    shell: Any = None  # Shell
    guide: Any = None  # GuideService
    parental: Any = None  # Parental
    keymap: Any = None
    open_matching: Callable[[], None] | None = None
    screen: SettingsScreen | None = None
    applied: dict[str, Callable[[Any], None]] = field(default_factory=dict)


def current_sources(env: SettingsEnv) -> tuple[str, ...]:
    """Every guide source for the loaded playlist: its settings entry, its header, then ``guide.sources``."""
    live, shell, guide = env.live, env.shell, env.guide
    if guide is None or live is None or live.lineup is None:
        return ()
    epg = list(shell.source.epg) if shell is not None and shell.source is not None else []
    return tuple(guide.sources_for(epg + list(live.lineup.playlist.epg_urls)))


def toggle_row(label: str, value: str, toggle: Callable[[], object], help: str = "") -> Row:
    """A row that OK, left and right all toggle."""
    return Row(label, value, select=toggle, adjust=lambda _delta: toggle(), help=help)


class _Versions(QObject):
    ready = pyqtSignal()
    libvlc = ""
    started = False


VERSIONS = _Versions()


def _libvlc_version() -> None:
    """Ask the doctor's probe for the libVLC version once, on a thread (it starts a child process)."""
    if VERSIONS.started:
        return
    VERSIONS.started = True

    def run() -> None:
        try:
            from settop.commands.doctor_checks import check_libvlc

            VERSIONS.libvlc = str(check_libvlc().get("version") or _("not found"))
        except Exception as exc:  # the about page must open whatever the probe does
            VERSIONS.libvlc = _("unknown ({error})").format(error=type(exc).__name__)
        VERSIONS.ready.emit()

    threading.Thread(target=run, name="libvlc-version", daemon=True).start()


class Pages:
    """Builds every page for ``env``; each editor validates through ``Settings.set`` and saves at once."""

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

    def edit_text(self, title: str, initial: str, done: Callable[[str], None], hint: str = "") -> None:
        entry = TextEntryScreen(title, done, initial=initial, hint=hint)
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

        shown = locale_number(value) + _(unit)
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

    # -- pages -------------------------------------------------------------------------------------------------
    def root(self) -> Page:
        def rows() -> list[Row]:
            entries = [
                (_("Playlists"), self.playlists), (_("Guide sources"), self.guide_sources),
                (_("Guide matching"), None), (_("Time offsets"), self.offsets), (_("Guide window"), self.guide_window),
                (_("Language"), self.language_page), (_("Live TV"), self.live_tv), (_("Playback"), self.playback),
                (_("Hidden groups"), self.hidden_groups), (_("Parental lock"), self.parental), (_("Keymap"),
                                                                                                self.keymap),
                (_("About"), self.about),
            ]
            result = []
            for label, make in entries:
                if make is None:
                    result.append(Row(label, "›", select=self.env.open_matching,
                                      help=_("How the playlist's channels match the guide; fix unmatched channels")))
                    continue
                result.append(Row(label, "›", select=partial(self._open, make)))
            return result

        return Page(N_("Settings"), rows)

    def _open(self, make: Callable[[], Page]) -> None:
        self.screen.open_page(make())

    def playlists(self) -> Page:
        def rows() -> list[Row]:
            result = [Row(_("Your playlists"), header=True)]
            for index, source in enumerate(self.s.playlists()):
                state = "" if source.enabled else "  " + _("(off)")
                result.append(Row(source.name or display_source(source.source), display_source(source.source) + state,
                                  select=partial(self._open, partial(self.playlist, index))))
            if len(result) == 1:
                result.append(Row(_("No playlists yet"), help=_("Add one below")))
            result += [
                Row(_("Add"), header=True),
                Row(_("Add a playlist by address"), _("keyboard"), select=self._add_url,
                    help=_("Type an http(s) address with the on-screen keyboard")),
                Row(_("Add a playlist file"), _("files"), select=self._add_file,
                    help=_("Pick an .m3u file from this box or a USB stick")),
            ]
            return result

        return Page(N_("Playlists"), rows)

    def _add_url(self) -> None:
        def done(text: str) -> None:
            if not text.startswith(("http://", "https://")) or len(text) < 12:
                self.screen.message(_("“{address}” is not an http(s) address").format(address=display_source(text)),
                                    error=True)
                return
            self._add_source(PlaylistSource(source=text, name=display_source(text)))

        self.edit_text(_("Playlist address (M3U)"), "http://", done)

    def _add_file(self) -> None:
        shell = self.env.shell
        if shell is None:
            return
        from settop.ui.welcome import file_picker, find_playlist_files

        def picked(path: str) -> None:
            if not Path(path).is_file():
                self.screen.message(_("{path} is not a file").format(path=path), error=True)
                return
            self._add_source(PlaylistSource(source=path, name=Path(path).stem))

        menu = file_picker(find_playlist_files(shell.file_roots), picked,
                           lambda: self.edit_text(_("Playlist file path"), str(Path.home()) + "/", picked))
        menu.close_requested.connect(lambda: self.env.window.pop(menu))
        self.env.window.push(menu)

    def _add_source(self, source: PlaylistSource) -> None:
        entries = [p.to_dict() for p in self.s.playlists() if p.source != source.source] + [source.to_dict()]
        shell, live = self.env.shell, self.env.live
        if self.change("playlists", entries, _("Added {name}.").format(name=source.name)) and shell is not None \
                and live is not None and live.lineup is None:
            shell.load(source, remember=False)

    def _set_playlist(self, index: int, **changes: Any) -> None:
        entries = [p.to_dict() for p in self.s.playlists()]
        if not 0 <= index < len(entries):
            return
        entries[index].update(changes)
        self.change("playlists", entries)

    def playlist(self, index: int) -> Page:
        def rows() -> list[Row]:
            sources = self.s.playlists()
            if not 0 <= index < len(sources):
                return [Row(_("This playlist was removed"))]
            p = sources[index]

            def hours(delta: int) -> None:
                self._set_playlist(index, refresh_hours=max(0.0, min(720.0, p.refresh_hours + delta)))

            def typed_hours(text: str) -> None:
                try:
                    value = float(text.replace(",", "."))
                except ValueError:
                    self.screen.message(_("Refresh interval: “{text}” is not a number").format(text=text), error=True)
                    return
                self._set_playlist(index, refresh_hours=value)

            return [
                Row(_("Name"), p.name or "—", select=lambda: self.edit_text(
                    _("Playlist name"), p.name, lambda t: self._set_playlist(index, name=t))),
                Row(_("Address"), display_source(p.source), help=_("Remove and add again to change the address")),
                Row(_("Refresh every"), locale_number(p.refresh_hours) + _(" h") if p.refresh_hours else _("never"),
                    adjust=hours,
                    select=lambda: self.edit_text(_("Refresh every (hours, 0 = never)"), f"{p.refresh_hours:g}",
                                                  typed_hours),
                    help=_("Hours between automatic reloads (0 to 720; 0 never)")),
                Row(_("User agent"), p.user_agent or _("default"), select=lambda: self.edit_text(
                    _("User agent"), p.user_agent, lambda t: self._set_playlist(index, user_agent=t)),
                    help=_("Sent when fetching the playlist, for providers that require one")),
                Row(_("Allow insecure TLS"), _("On") if p.allow_insecure else _("Off"),
                    select=lambda: self._set_playlist(index, allow_insecure=not p.allow_insecure),
                    adjust=lambda _d: self._set_playlist(index, allow_insecure=not p.allow_insecure),
                    help=_("Accept broken HTTPS certificates for this provider (not recommended)")),
                Row(_("Enabled"), _("On") if p.enabled else _("Off"),
                    select=lambda: self._set_playlist(index, enabled=not p.enabled),
                    adjust=lambda _d: self._set_playlist(index, enabled=not p.enabled)),
                Row(_("Guides"), ", ".join(display_source(e) for e in p.epg) or _("from the playlist"),
                    select=lambda: self.edit_text(_("Guide addresses (comma separated)"), ", ".join(p.epg),
                                                  lambda t: self._set_playlist(
                                                      index, epg=[x.strip() for x in t.split(",") if x.strip()]))),
                Row(_("Refresh now"), "", select=lambda: self._refresh_playlist(p),
                    help=_("Load the playlist again; live TV keeps playing")),
                Row(_("Remove this playlist"), "", select=lambda: self._remove_playlist(index, p)),
            ]

        return Page(N_("Playlist"), rows)

    def _refresh_playlist(self, source: PlaylistSource) -> None:
        shell = self.env.shell
        if shell is None:
            return
        screen = self.screen

        def progress(text: str, done: int, total: int) -> None:
            mib = "  " + _("{size} MiB").format(size=locale_number(round(done / 1048576, 1))) if done > 0 else ""
            screen.message(f"{text}{mib}")

        def loaded(count: int) -> None:
            screen.message(ngettext("Playlist refreshed: {n} channel.", "Playlist refreshed: {n} channels.", count)
                           .format(n=locale_number(count)))
            disconnect()

        def failed(message: str) -> None:
            screen.message(_("Refresh failed: {error}").format(error=message), error=True)
            disconnect()

        def disconnect() -> None:
            for signal, slot in ((shell.loader.progress, progress), (shell.playlist_loaded, loaded),
                                 (shell.load_failed, failed)):
                with contextlib.suppress(TypeError):
                    signal.disconnect(slot)

        shell.loader.progress.connect(progress)
        shell.playlist_loaded.connect(loaded)
        shell.load_failed.connect(failed)
        screen.message(_("Refreshing…"))
        shell.load(source, remember=False)

    def _remove_playlist(self, index: int, source: PlaylistSource) -> None:
        def remove() -> None:
            entries = [p.to_dict() for i, p in enumerate(self.s.playlists()) if i != index]
            if self.change("playlists", entries,
                           _("Removed {name}.").format(name=source.name or display_source(source.source))):
                self.screen.back()

        self.choose(_("Remove {name}?").format(name=source.name) if source.name else _("Remove this playlist?"),
                    [(_("Remove"), remove), (_("Keep"), lambda: None)])

    def guide_sources(self) -> Page:
        def rows() -> list[Row]:
            result = [Row(_("Extra guide sources"), header=True)]
            for source in self.s.get_list("guide.sources"):
                result.append(Row(display_source(source), "remove", select=partial(self._remove_guide, source),
                                  help=_("OK removes this guide source")))
            result.append(Row(_("Add a guide address"), _("keyboard"), select=self._add_guide,
                              help=_("An XMLTV address (http, https, .xml or .xml.gz)")))
            guide = self.env.guide
            result.append(Row(_("Guide data"), header=True))
            if guide is not None:
                for info in guide.store.sources():
                    counts = _("{programmes}, {channels} matched").format(
                        programmes=ngettext("{n} programme", "{n} programmes", info.programmes).format(
                            n=locale_number(info.programmes)),
                        channels=ngettext("{n} channel", "{n} channels", info.matched).format(
                            n=locale_number(info.matched)))
                    result.append(Row(display_source(info.name), counts))
                last = guide.last
                state = _("refreshing…") if guide.busy else (
                    ngettext("{n} programme", "{n} programmes",
                             last.programmes).format(n=locale_number(last.programmes))
                    if last is not None else _("not loaded yet"))
                result.append(Row(_("Refresh the guide now"), state, select=self._refresh_guide,
                                  help=_("Download and read every guide again; the old data stays until done")))
            return result

        return Page(N_("Guide sources"), rows)

    def _add_guide(self) -> None:
        def done(text: str) -> None:
            if not (text.startswith(("http://", "https://")) or Path(text).is_file()):
                self.screen.message(_("“{address}” is neither an http(s) address nor a file").format(
                    address=display_source(text)), error=True)
                return
            self.change("guide.sources", [*self.s.get_list("guide.sources"), text], _("Added. Refreshing the guide…"))
            self._refresh_guide()

        self.edit_text(_("Guide address (XMLTV)"), "http://", done)

    def _remove_guide(self, source: str) -> None:
        self.change("guide.sources", [s for s in self.s.get_list("guide.sources") if s != source], _("Removed."))
        if self.env.guide is not None:
            self.env.guide.store.remove_source(source)
            self.env.guide.changed.emit()

    def _refresh_guide(self) -> None:
        guide, live = self.env.guide, self.env.live
        if guide is None or live is None or live.lineup is None:
            self.screen.message(_("Load a playlist first"), error=True)
            return
        screen = self.screen

        def progress(text: str, done: int, total: int) -> None:
            percent = f" {100 * done // total} %" if total else ""
            screen.message(text + percent)

        def finished(run: Any) -> None:
            failures = "  " + _("Problems: {problems}").format(problems="; ".join(run.failures)) if run.failures else ""
            screen.message(ngettext("Guide refreshed: {n} programme.", "Guide refreshed: {n} programmes.",
                                    run.programmes)
                           .format(n=locale_number(run.programmes)) + failures, error=bool(run.failures))
            guide.progress.disconnect(progress)
            guide.finished.disconnect(finished)
            screen.rebuild()

        guide.progress.connect(progress)
        guide.finished.connect(finished)
        playlist = live.lineup.playlist
        sources = current_sources(self.env)
        if not sources:
            screen.message(_("No guide sources: the playlist names none; add one above"), error=True)
            guide.progress.disconnect(progress)
            guide.finished.disconnect(finished)
            return
        guide.refresh(playlist.channels, sources)
        screen.message(_("Refreshing the guide…"))

    def offsets(self) -> Page:
        def rows() -> list[Row]:
            result = [self.number_row("guide.offset_hours", _("All channels"), 0.5, N_(" h"),
                                      N_("Shifts every programme; applied at once"))]
            live = self.env.live
            channel = live.current_channel() if live is not None else None
            per = self._channel_offsets()
            if channel is not None:
                hours = per.get(channel.key, 0.0)
                result.append(Row(_("This channel: {channel}").format(channel=channel.name),
                                  _("{hours} h").format(hours=f"{hours:+g}"),
                                  adjust=partial(self._step_offset, channel.key),
                                  help=_("Hours added to this channel's guide only; applied at once")))
            if per:
                result.append(Row(_("Other channels"), header=True))
                names = {c.key: c.name for c in live.lineup.channels} if live is not None and live.lineup else {}
                for key, hours in per.items():
                    result.append(Row(names.get(key, key), _("{hours} h").format(hours=f"{hours:+g}"),
                                      adjust=partial(self._step_offset, key)))
            return result

        return Page(N_("Time offsets"), rows)

    def _channel_offsets(self) -> dict[str, float]:
        result: dict[str, float] = {}
        for entry in self.s.get_list("guide.channel_offsets"):
            key, _, hours = entry.rpartition("=")
            try:
                result[key] = float(hours)
            except ValueError:
                continue
        return result

    def _step_offset(self, key: str, delta: int) -> None:
        self._set_channel_offset(key, self._channel_offsets().get(key, 0.0) + delta * 0.5)

    def _set_channel_offset(self, key: str, hours: float) -> None:
        per = self._channel_offsets()
        hours = max(-24.0, min(24.0, hours))
        if hours:
            per[key] = hours
        else:
            per.pop(key, None)
        self.change("guide.channel_offsets", [f"{k}={v:g}" for k, v in per.items()])

    def guide_window(self) -> Page:
        extra = N_("Applies at the next guide refresh")
        return Page(N_("Guide window"), lambda: [
            self.number_row("guide.past_days", _("Days back"), 1, N_(" d"), extra),
            self.number_row("guide.future_days", _("Days ahead"), 1, N_(" d"), extra),
            self.list_row("guide.languages", _("Guide languages"), "en, de", extra),
        ])

    def language_page(self) -> Page:
        """Interface language (applied at once, right to left for Arabic) and the digits times are written in."""
        def rows() -> list[Row]:
            current = self.s.get_str("ui.language")
            result = [Row(_("Interface language"), header=True)]
            options = [("", _("System default"))] + [(c, LANGUAGE_NAMES.get(c, c)) for c in available_languages()]
            for code, name in options:
                result.append(Row(name, "✓" if code == current else "",
                                  select=partial(self.change, "ui.language", code),
                                  help=_("Menus, messages and the guide's layout; audio, subtitle and guide languages "
                                         "follow it unless set in Playback and Guide window")))
            result.append(Row(_("Times and numbers"), header=True))
            result.append(self.choice_row("ui.digits", _("Digits")))
            return result

        return Page(N_("Language"), rows)

    def live_tv(self) -> Page:
        return Page(N_("Live TV"), lambda: [
            self.bool_row("live.up_down_zaps", _("Up/Down change channel"), RESTART),
            self.number_row("live.osd_seconds", _("Info banner seconds"), 1, N_(" s")),
            self.number_row("live.number_entry_ms", _("Number entry pause"), 250, N_(" ms")),
            self.bool_row("live.resume_last_channel", _("Start on the last channel")),
            self.bool_row("ui.fullscreen", _("Start full screen"), RESTART),
        ])

    def playback(self) -> Page:
        return Page(N_("Playback"), lambda: [
            self.choice_row("playback.hw_decoding", _("Hardware decoding"), RESTART),
            self.choice_row("video.backend", _("Video backend"), RESTART),
            self.list_row("playback.audio_languages", _("Audio languages"), "en, fr", RESTART),
            self.list_row("playback.subtitle_languages", _("Subtitle languages"), "en", RESTART),
            self.choice_row("playback.aspect", _("Picture shape"), N_("Applied at once")),
            self.choice_row("playback.deinterlace", _("Deinterlace"), N_("Applied at once")),
            self.number_row("playback.network_caching_ms", _("Network buffer"), 250, N_(" ms")),
            self.number_row("playback.stall_seconds", _("Reconnect after a stall of"), 1, N_(" s"), RESTART),
        ])

    def _groups(self) -> list[str]:
        live = self.env.live
        return list(live.lineup.playlist.groups) if live is not None and live.lineup is not None else []

    def _toggle_in(self, name: str, item: str) -> None:
        values = self.s.get_list(name)
        self.change(name, [v for v in values if v != item] if item in values else [*values, item])

    def hidden_groups(self) -> Page:
        def rows() -> list[Row]:
            hidden = self.s.get_list("ui.hidden_groups")
            groups = self._groups()
            if not groups:
                return [Row(_("This playlist has no groups"))]
            return [toggle_row(g, _("Hidden") if g in hidden else _("Shown"), partial(self._toggle_in,
                                                                                      "ui.hidden_groups", g),
                               help=_("Hidden groups are left out of the guide and of All channels")) for g in groups]

        return Page(N_("Hidden groups"), rows)

    # -- parental ----------------------------------------------------------------------------------------------
    def parental(self) -> Page:
        def rows() -> list[Row]:
            has = bool(self.s.get_str("parental.pin_hash"))
            locked_groups = self.s.get_list("parental.locked_groups")
            locked_channels = self.s.get_list("parental.locked_channels")
            result = [Row(_("Change the PIN") if has else _("Set a PIN"), "••••" if has else _("none"),
                          select=self._new_pin, help=_("Four digits, asked before locked channels and lock changes"))]
            if has:
                result.append(Row(_("Remove the PIN"), "", select=lambda: self._locked_change(
                    lambda: self.change("parental.pin_hash", "", N_("PIN removed; nothing is locked.")))))
            result += [
                Row(_("Locked groups"), locale_number(len(locked_groups)), select=lambda: self._locked_change(
                    lambda: self._open(self.locked_groups))),
                Row(_("Locked channels"), locale_number(len(locked_channels)), select=lambda: self._locked_change(
                    lambda: self._open(self.locked_channels)),
                    help=_("Channels of the channel list's current group")),
            ]
            return result

        return Page(N_("Parental lock"), rows)

    def _locked_change(self, proceed: Callable[[], object]) -> None:
        parental = self.env.parental
        if parental is None:
            proceed()
            return
        parental.require(_("Enter the PIN to change the lock"), proceed)

    def _new_pin(self) -> None:
        def ask_new() -> None:
            first: list[str] = []

            def check(pin: str) -> str:
                if not first:
                    first.append(pin)
                    prompt.title = _("Enter the new PIN again")
                    return " "  # keep the prompt open for the second entry
                if pin != first[0]:
                    first.clear()
                    prompt.title = _("Enter a new PIN")
                    return _("The two PINs differ. Start again.")
                if self.change("parental.pin_hash", hash_pin(pin), N_("PIN saved.")) and self.env.parental is not None:
                    self.env.parental.changed()
                return ""

            from settop.ui.pin import PinPrompt

            prompt = PinPrompt(_("Enter a new PIN"), check)
            prompt.close_requested.connect(lambda: self.env.window.pop(prompt))
            self.env.window.push(prompt)

        self._locked_change(ask_new)

    def locked_groups(self) -> Page:
        def rows() -> list[Row]:
            locked = self.s.get_list("parental.locked_groups")
            groups = self._groups()
            if not groups:
                return [Row(_("This playlist has no groups"))]
            return [toggle_row(g, _("Locked") if g in locked else _("Open"),
                               partial(self._lock_toggle, "parental.locked_groups", g)) for g in groups]

        return Page(N_("Locked groups"), rows)

    def locked_channels(self) -> Page:
        def rows() -> list[Row]:
            live = self.env.live
            if live is None or live.lineup is None:
                return [Row(_("No playlist loaded"))]
            locked = set(self.s.get_list("parental.locked_channels"))
            cl = live.channel_list
            indices = list(cl.groups[cl.group_index].rows) if cl.groups else list(live.lineup.all)
            result = []
            for i in indices[:500]:
                c = live.lineup.channels[i]
                result.append(toggle_row(f"{live.lineup.numbers[i]}  {c.name}", _("Locked") if c.key in locked
                                         else _("Open"),
                                         partial(self._lock_toggle, "parental.locked_channels", c.key)))
            return result

        return Page(N_("Locked channels"), rows)

    def _lock_toggle(self, name: str, item: str) -> None:
        self._toggle_in(name, item)
        if self.env.parental is not None:
            self.env.parental.changed()
        if not self.s.get_str("parental.pin_hash"):
            self.screen.message(_("Saved. Set a PIN too, or nothing is locked."), error=True)

    # -- read-only pages ---------------------------------------------------------------------------------------
    def keymap(self) -> Page:
        def rows() -> list[Row]:
            keymap = self.env.keymap
            if keymap is None:
                return [Row(_("No keymap loaded"))]
            result: list[Row] = []
            for context in ("global", "live", "catchup", "channel_list", "guide", "settings", "dialog", "keyboard"):
                try:
                    bindings = keymap.bindings(context)
                except ValueError:
                    continue
                if not bindings:
                    continue
                result.append(Row(context.replace("_", " "), header=True))
                for (button, long), action in sorted(bindings.items(), key=lambda b: str(b[0][0])):
                    label = (_("hold {button}") if long else "{button}").format(button=str(button).replace("_", " "))
                    result.append(Row(label, str(action or "nothing").replace("_", " "),
                                      help=_("Change bindings in keymap.toml in the config folder "
                                             "(see docs/keymap.md)")))
            return result

        return Page(N_("Keymap"), rows)

    def about(self) -> Page:
        _libvlc_version()
        VERSIONS.ready.connect(self._maybe_rebuild)

        def rows() -> list[Row]:
            from PyQt6.QtCore import PYQT_VERSION_STR, QT_VERSION_STR

            return [
                Row("settop", __version__),
                Row("libVLC", VERSIONS.libvlc or _("checking…")),
                Row("Qt / PyQt", f"{QT_VERSION_STR} / {PYQT_VERSION_STR}"),
                Row(_("Licence"), "GPL-3.0-or-later", help=_("settop is free software; see the licence for details")),
                Row(_("libVLC licence"), "LGPL-2.1-or-later"),
                Row(_("Legal notice"), _("read"), select=self._legal, help=_(LEGAL)),
            ]

        return Page(N_("About"), rows)

    def _maybe_rebuild(self) -> None:
        screen = self.env.screen
        if screen is not None and screen.page.title == "About":
            screen.rebuild()

    def _legal(self) -> None:
        from settop.ui.dialogs import InfoDialog

        dialog = InfoDialog(_("Legal notice"),
                            _(LEGAL) + "\n\n" + _("Privacy: settop contacts only the addresses in your "
                            "playlists and guides; no telemetry, no accounts."))
        dialog.close_requested.connect(lambda: self.env.window.pop(dialog))
        self.env.window.push(dialog)


def build_settings(env: SettingsEnv) -> SettingsScreen:
    """The settings screen for ``env`` (wired back into ``env.screen``)."""
    pages = Pages(env)
    screen = SettingsScreen(pages.root())
    env.screen = screen
    return screen


__all__ = ["Pages", "SettingsEnv", "build_settings", "verify_pin"]
