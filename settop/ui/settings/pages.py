"""The settings pages: rows built from declared settings, with editors, validation and live application."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from settop import __version__
from settop.core.state.edits import ordered_groups
from settop.core.state.settings import hash_pin, verify_pin
from settop.core.timers.sleep import CHOICES
from settop.i18n import LANGUAGE_NAMES, N_, _, available_languages
from settop.ui.guide.info import clock
from settop.ui.guide.matching import GuideMatching
from settop.ui.settings.backup import BackupPages
from settop.ui.settings.rows import SettingsEnv, toggle_row
from settop.ui.settings.screen import Page, Row, SettingsScreen
from settop.ui.settings.sources import SourcePages
from settop.ui.widgets.localefmt import locale_number

if TYPE_CHECKING:
    from settop.ui.timers_view import TimeKeeper

RESTART = N_("Applies after a restart.")
LEGAL = N_("settop is a player: it ships no channels, playlists or guide addresses and plays only what you give it, "
         "which must be streams you are licensed to watch. It circumvents no DRM. Free software under the GNU GPL "
         "version 3 or later, with no warranty. Uses libVLC (LGPL-2.1-or-later) and Qt via PyQt6 (GPL-3.0).")


class Pages(SourcePages, BackupPages):
    """Builds every page for ``env``; each editor validates through ``Settings.set`` and saves at once."""

    def __init__(self, env: SettingsEnv) -> None:
        super().__init__(env)
        self.matching = GuideMatching(env, env.state)

    # -- pages -------------------------------------------------------------------------------------------------
    def root(self) -> Page:
        def rows() -> list[Row]:
            entries = [
                (_("Playlists"), self.playlists), (_("Guide sources"), self.guide_sources),
                (_("Guide matching"), None), (_("Time offsets"), self.offsets), (_("Guide window"), self.guide_window),
                (_("Language"), self.language_page), (_("Live TV"), self.live_tv), (_("Playback"), self.playback),
                (_("Recording"), self.recording),
                (_("Hidden groups"), self.hidden_groups), (_("Parental lock"), self.parental), (_("Keymap"),
                                                                                                self.keymap),
                (_("Backup and restore"), self.backup_page), (_("About"), self.about), (_("Power"), self.power),
            ]
            result = []
            library = self.env.library
            if library is not None:  # only when a source has titles of that kind
                if library.library.movies:
                    result.append(Row(_("Movies"), "›", select=library.open_movies,
                                      help=_("Films of your provider account or playlist, with Resume")))
                if library.library.series:
                    result.append(Row(_("Series"), "›", select=library.open_series,
                                      help=_("Series, seasons and episodes, with Resume and the next episode")))
            if self.env.timers is not None:
                result.append(self.sleep_row(self.env.timers))
            if self.env.recordings is not None:
                result.append(Row(_("Recordings"), "›", select=self.env.recordings,
                                  help=_("What settop record made: play, or delete")))
            for label, make in entries:
                if make is None:
                    result.append(Row(label, "›", select=self.matching.open,
                                      help=_("How the playlist's channels match the guide; fix unmatched channels")))
                    continue
                result.append(Row(label, "›", select=partial(self._open, make)))
            return result

        return Page(N_("Menu"), rows)  # films, timers and recordings before the settings proper

    def sleep_row(self, timers: TimeKeeper) -> Row:
        """Sleep timer: off, in 30/60/90 minutes, or at the end of the programme on now (when the guide knows it)."""
        left = timers.sleep.left()
        value = _("Off") if left is None else _("{minutes} min left").format(minutes=max(1, round(left / 60)))

        def then(run: Callable[[], object]) -> Callable[[], None]:
            def chosen() -> None:
                run()
                self.screen.message(_("Sleep timer off") if not timers.sleep.active else _("Sleep timer set"))
                self.screen.rebuild()

            return chosen

        def pick() -> None:
            options: list[tuple[str, Callable[[], object]]] = [(_("Off"), then(timers.cancel_sleep))]
            options += [(_("In {minutes} minutes").format(minutes=m), then(partial(timers.sleep_in, m)))
                        for m in CHOICES]
            live = self.env.live
            channel = live.current_channel() if live is not None else None
            info = live.now_next(channel) if live is not None and channel is not None and live.now_next else None
            if info is not None and info.now is not None:
                options.append((_("At the end of this programme ({time})").format(time=clock(info.now.stop)),
                                then(partial(timers.sleep_at, info.now.stop))))
            self.choose(_("Sleep timer"), options, value if left is None else "")

        return Row(_("Sleep timer"), value, select=pick,
                   help=_("Stop playing after a while; a notice comes a minute before, OK there keeps watching"))

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
            self.bool_row("live.reminder_tunes", _("Reminders tune by themselves")),
            self.bool_row("ui.fullscreen", _("Start full screen"), RESTART),
            self.number_row("timeshift.minutes", _("Pause buffer length"), 5, N_(" min"), N_("From the next pause")),
            self.number_row("timeshift.max_mb", _("Pause buffer size"), 256, N_(" MiB"), N_("From the next pause")),
        ])

    def recording(self) -> Page:
        """Padding around a programme recorded from the guide (for the next one scheduled) and the disk margin."""
        extra = N_("For recordings scheduled from now on")
        return Page(N_("Recording"), lambda: [
            self.number_row("recording.pad_before_min", _("Start early"), 1, N_(" min"), extra),
            self.number_row("recording.pad_after_min", _("End late"), 1, N_(" min"), extra),
            self.number_row("recording.min_free_mb", _("Free disk space needed"), 256, N_(" MiB")),
        ])

    def playback(self) -> Page:
        return Page(N_("Playback"), lambda: [
            self.choice_row("playback.hw_decoding", _("Hardware decoding"), RESTART),
            self.choice_row("video.backend", _("Video backend"), RESTART),
            self.list_row("playback.audio_languages", _("Audio languages"), "en, fr", RESTART),
            self.list_row("playback.subtitle_languages", _("Subtitle languages"), "en", RESTART),
            self.choice_row("playback.aspect", _("Picture shape"), N_("Applied at once")),
            self.choice_row("playback.deinterlace", _("Deinterlace"), N_("Applied at once")),
            self.number_row("playback.network_caching_ms", _("Network buffer"), 250, N_(" ms"),
                            N_("From the next channel")),
            self.number_row("playback.stall_seconds", _("Reconnect after a stall of"), 1, N_(" s"), RESTART),
            self.number_row("playback.connections_per_source", _("Connections per provider"), 1, "", RESTART),
            self.number_row("playback.reconnect_attempts", _("Reconnect attempts"), 1, "", N_("Applied at once")),
        ])

    def _groups(self) -> list[str]:
        """The lineup's groups in the viewer's order (Move groups), as the channel list's tabs go."""
        live = self.env.live
        if live is None or live.lineup is None:
            return []
        return ordered_groups(live.lineup.playlist.groups, live.channel_list.group_order())

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

            from settop.ui.widgets.pin import PinPrompt

            prompt = PinPrompt(_("Enter a new PIN"), check)
            prompt.close_requested.connect(lambda: self.env.window.pop(prompt))
            self.env.window.push(prompt)

        self._locked_change(ask_new)

    def locked_groups(self) -> Page:
        def rows() -> list[Row]:
            locked = self.s.get_list("parental.locked_groups")
            library = self.env.library
            film_groups = library.categories() if library is not None else []
            groups = list(dict.fromkeys([*self._groups(), *film_groups]))  # film and series categories lock too
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
        def rows() -> list[Row]:
            from PyQt6.QtCore import PYQT_VERSION_STR, QT_VERSION_STR

            return [
                Row("settop", __version__),
                Row("libVLC", self._player_version()),
                Row("Qt / PyQt", f"{QT_VERSION_STR} / {PYQT_VERSION_STR}"),
                Row(_("Licence"), "GPL-3.0-or-later", help=_("settop is free software; see the licence for details")),
                Row(_("libVLC licence"), "LGPL-2.1-or-later"),
                Row(_("Legal notice"), _("read"), select=self._legal, help=_(LEGAL)),
            ]

        return Page(N_("About"), rows)

    def power(self) -> Page:
        """Restart or quit settop from the remote; on a TV box its service starts it again after a quit."""
        window = self.env.window
        return Page(N_("Power"), lambda: [
            Row(_("Restart settop"), "›", select=lambda: window.quit_app(restart=True),
                help=_("Closes settop and starts it again (the playlist, guide and settings are kept)")),
            Row(_("Quit settop"), "›", select=lambda: window.quit_app(restart=False),
                help=_("On a TV box the settop service starts it again; on a desktop it stays closed")),
        ])

    def _player_version(self) -> str:
        """The running player's engine version (libVLC's), asked of the player itself."""
        live = self.env.live
        version = live.player.version() if live is not None else ""
        return version or _("unknown")

    def _legal(self) -> None:
        from settop.ui.widgets.dialogs import InfoDialog

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
