"""The settings pages for sources: playlists, guide sources and their time offsets."""

from __future__ import annotations

import contextlib
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

from settop.core.redact import display_source
from settop.core.sources.base import new_source_id
from settop.core.state.settings import MAX_STREAMS, PlaylistSource
from settop.i18n import N_, _, ngettext
from settop.ui.settings.phone_rows import PhonePages
from settop.ui.settings.rows import current_sources
from settop.ui.settings.screen import Page, Row
from settop.ui.widgets.localefmt import locale_number


class SourcePages(PhonePages):
    """The pages under Playlists, Guide sources and Time offsets."""

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
                Row(_("Add from a phone"), _("QR code"), select=lambda: self.open_phone("playlist"),
                    help=_("Scan the code with a phone on the same network and send an address or a file")),
                Row(_("Add a provider account"), _("Xtream Codes"), select=self._add_account,
                    help=_("Server address, user name and password from your provider (Xtream Codes player API)")),
                Row(_("Add a provider account from a phone"), _("QR code"), select=lambda: self.open_phone("account"),
                    help=_("Type the server, user name and password on a phone on the same network")),
            ]
            return result

        return Page(N_("Playlists"), rows)

    def _add_url(self) -> None:
        self.edit_text(_("Playlist address (M3U)"), "http://", self.take_playlist_address)

    def take_playlist_address(self, text: str) -> None:
        """A playlist address typed or sent from a phone: checked, then added."""
        if not text.startswith(("http://", "https://")) or len(text) < 12:
            self.screen.message(_("“{address}” is not an http(s) address").format(address=display_source(text)),
                                error=True)
            return
        self._add_source(PlaylistSource(source=text, name=display_source(text)))

    def _add_account(self) -> None:
        from settop.ui.settings.account import ask_account

        ask_account(self.edit_text, self.screen.message, self.check_account)

    def check_account(self, source: PlaylistSource) -> None:
        """An account typed or sent from a phone: logged in on a worker; added when the provider accepts it."""
        from settop.ui.settings.account import AccountCheck

        if getattr(self, "_account_check", None) is None:
            self._account_check = AccountCheck(self.screen)
            self._account_check.finished.connect(self._account_checked)
        self.screen.message(_("Checking the account…"))
        self._account_check.start(source)

    def _account_checked(self, source: PlaylistSource, message: str, ok: bool) -> None:
        if not ok:
            self.screen.message(message, error=True)
            return
        self._add_source(source, _("Added {name}: {status}").format(name=source.name, status=message))

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

    def _add_source(self, source: PlaylistSource, note: str = "") -> None:
        kept = [p for p in self.s.playlists() if p.source != source.source]
        if kept and not source.id:  # the first playlist keeps plain channel keys; every later one gets its own id
            source = replace(source, id=new_source_id())
        entries = [p.to_dict() for p in kept] + [source.to_dict()]
        shell = self.env.shell
        note = note or _("Added {name}.").format(name=source.name)
        if self.change("playlists", entries, note) and shell is not None:
            shell.load_configured()  # the new source joins the lineup; TV plays on until it is there

    def _set_playlist(self, index: int, **changes: Any) -> None:
        entries = [p.to_dict() for p in self.s.playlists()]
        if not 0 <= index < len(entries):
            return
        entries[index].update(changes)
        if not self.change("playlists", entries) or self.env.shell is None:
            return
        if {"enabled", "start_number"} & set(changes):
            self.env.shell.load_configured()
        elif "max_streams" in changes:
            self.env.shell.apply_stream_limits()

    def _move_playlist(self, index: int) -> None:
        """One place earlier in the order of the lineup (the first playlist wins number collisions and plays
        first for a folded channel); back to the list, which shows the new order."""
        entries = [p.to_dict() for p in self.s.playlists()]
        if not 0 < index < len(entries):
            return
        entries[index - 1], entries[index] = entries[index], entries[index - 1]
        if self.change("playlists", entries, _("Moved up.")):
            self.screen.back()
            if self.env.shell is not None:
                self.env.shell.load_configured()

    def _start_number(self, index: int, text: str) -> None:
        try:
            value = int(text.strip() or "0")
        except ValueError:
            self.screen.message(_("“{text}” is not a channel number").format(text=text), error=True)
            return
        self._set_playlist(index, start_number=max(0, min(99999, value)))

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
                Row(_("Numbers start at"), locale_number(p.start_number) if p.start_number else _("its own numbers"),
                    select=lambda: self.edit_text(_("Numbers start at (0 = the playlist's own numbers)"),
                                                  str(p.start_number), lambda t: self._start_number(index, t)),
                    adjust=lambda d: self._set_playlist(index, start_number=max(0, min(99999,
                                                                                        p.start_number + 100 * d))),
                    help=_("Where this playlist's channel numbers start in your lineup, like 1000")),
                Row(_("Streams at once"), locale_number(p.max_streams) if p.max_streams else _("default"),
                    select=lambda: self._set_playlist(index, max_streams=(p.max_streams + 1) % (MAX_STREAMS + 1)),
                    adjust=lambda d: self._set_playlist(index, max_streams=max(0, min(MAX_STREAMS,
                                                                                      p.max_streams + d))),
                    help=_("Streams this provider allows at once; default: the account's limit, else Playback › "
                           "Connections per provider")),
                Row(_("Move up in the order"), "" if index else "—", select=lambda: self._move_playlist(index),
                    help=_("Earlier playlists win number clashes and play first for a channel several have")),
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
            for signal, slot in ((shell.loader.progress, progress), (shell.load_finished, loaded),
                                 (shell.load_failed, failed)):
                with contextlib.suppress(TypeError):
                    signal.disconnect(slot)

        shell.loader.progress.connect(progress)
        shell.load_finished.connect(loaded)
        shell.load_failed.connect(failed)
        screen.message(_("Refreshing…"))
        shell.refresh_source(source)

    def _remove_playlist(self, index: int, source: PlaylistSource) -> None:
        def remove() -> None:
            entries = [p.to_dict() for i, p in enumerate(self.s.playlists()) if i != index]
            if self.change("playlists", entries,
                           _("Removed {name}.").format(name=source.name or display_source(source.source))):
                self.screen.back()
                if self.env.shell is not None:
                    self.env.shell.load_configured()

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
            result.append(Row(_("Add from a phone"), _("QR code"), select=lambda: self.open_phone("guide"),
                              help=_("Scan the code with a phone on the same network and send a guide address")))
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
        self.edit_text(_("Guide address (XMLTV)"), "http://", self.take_guide_address)

    def take_guide_address(self, text: str) -> None:
        """A guide address typed or sent from a phone: checked, then added and the guide refreshed."""
        if not (text.startswith(("http://", "https://")) or Path(text).is_file()):
            self.screen.message(_("“{address}” is neither an http(s) address nor a file").format(
                address=display_source(text)), error=True)
            return
        self.change("guide.sources", [*self.s.get_list("guide.sources"), text], _("Added. Refreshing the guide…"))
        self._refresh_guide()

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
