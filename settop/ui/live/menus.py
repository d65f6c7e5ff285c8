"""Menus of the live view: audio and subtitle tracks, the long-OK context menu, and remembered audio choices."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from settop.i18n import _
from settop.player.base import Track
from settop.ui.widgets.menu import MenuItem, MenuScreen

if TYPE_CHECKING:
    from settop.ui.live.screen import LiveScreen


def track_label(track: Track) -> str:
    name = track.name or _("Track {id}").format(id=track.id)
    if track.language and track.language.casefold() not in name.casefold():
        return f"{name} ({track.language})"
    return name


def _remember(live: LiveScreen, track: Track) -> None:
    key = live.current_key()
    if key:
        live.state.set_audio_language(key, track.language or track.name)


def select_audio(live: LiveScreen, track: Track) -> None:
    live.player.set_audio_track(track.id)
    _remember(live, track)
    live.window.notify(_("Audio: {track}").format(track=track_label(track)))


def select_subtitles(live: LiveScreen, track: Track | None) -> None:
    live.player.set_subtitle_track(track.id if track is not None else -1)
    live.window.notify(_("Subtitles: {track}").format(track=track_label(track)) if track is not None
                       else _("Subtitles off"))


def cycle_audio(live: LiveScreen) -> None:
    tracks = [t for t in live.player.audio_tracks() if t.id >= 0]
    if len(tracks) < 2:
        live.window.notify(_("This channel has one audio track") if tracks else _("No audio track"))
        return
    ids = [t.id for t in tracks]
    current = live.player.audio_track()
    position = ids.index(current) if current in ids else -1
    select_audio(live, tracks[(position + 1) % len(tracks)])


def cycle_subtitles(live: LiveScreen) -> None:
    tracks = [t for t in live.player.subtitle_tracks() if t.id >= 0]
    if not tracks:
        live.window.notify(_("No subtitles on this channel"))
        return
    options: list[Track | None] = [None, *tracks]
    current = live.player.subtitle_track()
    ids = [t.id if t is not None else -1 for t in options]
    position = ids.index(current) if current in ids else 0
    select_subtitles(live, options[(position + 1) % len(options)])


def tracks_menu(live: LiveScreen) -> MenuScreen:
    """Audio and subtitle choices for the playing channel, the current ones ticked."""
    items: list[MenuItem] = [MenuItem(_("Audio"), header=True)]
    audio = [t for t in live.player.audio_tracks() if t.id >= 0]
    current_audio = live.player.audio_track()
    items += [MenuItem(track_label(t), run=partial(select_audio, live, t), checked=t.id == current_audio)
              for t in audio] or [MenuItem(_("No audio track"), header=True)]
    items.append(MenuItem(_("Subtitles"), header=True))
    subtitles = [t for t in live.player.subtitle_tracks() if t.id >= 0]
    current_sub = live.player.subtitle_track()
    items.append(MenuItem(_("Off"), run=lambda: select_subtitles(live, None), checked=current_sub < 0))
    items += [MenuItem(track_label(t), run=partial(select_subtitles, live, t), checked=t.id == current_sub)
              for t in subtitles]
    return MenuScreen(_("Audio and subtitles"), items, side="right")


def open_tracks_menu(live: LiveScreen) -> None:
    menu = tracks_menu(live)
    menu.close_requested.connect(lambda: live.window.pop(menu))
    live.banner_hider.hide()
    live.window.push(menu)


def open_context_menu(live: LiveScreen) -> None:
    channel = live.current_channel()
    items = [MenuItem(_("Channel list"), run=live.open_list), MenuItem(_("Audio and subtitles"),
                                                                     run=lambda: open_tracks_menu(live))]
    if channel is not None:
        favorite = live.state.is_favorite(channel.key)
        items.append(MenuItem(_("Remove from favorites") if favorite else _("Add to favorites"),
                              run=live.toggle_favorite))
    choices = live.failover.choices()
    if len(choices) > 1:  # a merged channel: the viewer picks the source
        items.append(MenuItem(_("Source"), header=True))
        items += [MenuItem(live.failover.source_name(alt), run=partial(live.failover.choose, alt),
                           checked=alt.channel.key == live.failover.playing_key) for alt in choices]
    items += [MenuItem(_("Search channels"), run=lambda: live.open_list(search=True)),
              MenuItem(_("Channel info"), run=live.show_banner),
              MenuItem(_("Retry this channel"), run=live.retry)]
    menu = MenuScreen(channel.name if channel is not None else _("Options"), items, side="center")
    menu.close_requested.connect(lambda: live.window.pop(menu))
    live.window.push(menu)


def apply_remembered_audio(live: LiveScreen) -> None:
    """After the tracks of a channel are known, pick the audio language chosen for it before (if any)."""
    key = live.current_key()
    wanted = live.state.audio_language(key) if key else None
    if not wanted:
        return
    for track in live.player.audio_tracks():
        if track.id >= 0 and wanted in (track.language, track.name):
            if live.player.audio_track() != track.id:
                live.player.set_audio_track(track.id)
            return
