"""Which Qt key (by its ``Qt.Key`` name) folds onto which remote button; data only, so it stays pure and testable.

The UI resolves a name with ``getattr(Qt.Key, name)`` and skips names its Qt build lacks. Remote controls reach Qt
as these keys: CEC through the kernel's CEC input device or ``cec-client``, LIRC through ``lircd-uinput``, both via
the OS keyboard layer. X11 cannot deliver key codes above 255, so ``KEY_CHANNELUP`` and friends often arrive as
PageUp/PageDown after an ``ir-keytable``/hwdb remap; the default keymap therefore zaps with PageUp/PageDown too.
"""

from __future__ import annotations

from settop.input.buttons import Button

REMOTE_KEYS: dict[str, Button] = {
    # navigation
    "Key_Up": Button.up,
    "Key_Down": Button.down,
    "Key_Left": Button.left,
    "Key_Right": Button.right,
    "Key_Return": Button.select,
    "Key_Enter": Button.select,
    "Key_Select": Button.select,
    "Key_Escape": Button.back,
    "Key_Back": Button.back,
    "Key_Backspace": Button.back,
    "Key_Exit": Button.back,
    "Key_Cancel": Button.back,
    "Key_Menu": Button.menu,
    "Key_TopMenu": Button.menu,
    "Key_Settings": Button.menu,
    "Key_Info": Button.info,
    "Key_Guide": Button.guide,
    "Key_PageUp": Button.page_up,
    "Key_PageDown": Button.page_down,
    "Key_Home": Button.home,
    "Key_End": Button.end,
    # channels
    "Key_ChannelUp": Button.channel_up,
    "Key_ChannelDown": Button.channel_down,
    "Key_LastNumberRedial": Button.last_channel,
    "Key_MediaLast": Button.last_channel,
    # digits
    **{f"Key_{n}": Button(f"number_{n}") for n in range(10)},
    # media
    "Key_MediaTogglePlayPause": Button.play_pause,
    "Key_MediaPlay": Button.play,
    "Key_Play": Button.play,
    "Key_MediaPause": Button.pause,
    "Key_MediaStop": Button.stop,
    "Key_Stop": Button.stop,
    "Key_AudioForward": Button.fast_forward,
    "Key_AudioRewind": Button.rewind,
    "Key_MediaNext": Button.next,
    "Key_MediaPrevious": Button.previous,
    "Key_MediaRecord": Button.record,
    "Key_VolumeUp": Button.volume_up,
    "Key_VolumeDown": Button.volume_down,
    "Key_VolumeMute": Button.mute,
    "Key_AudioCycleTrack": Button.audio,
    "Key_Subtitle": Button.subtitle,
    # colour keys: real ones where the remote sends them, F1-F4 where it sends those (Kodi's convention)
    "Key_Red": Button.red,
    "Key_Green": Button.green,
    "Key_Yellow": Button.yellow,
    "Key_Blue": Button.blue,
    "Key_F1": Button.red,
    "Key_F2": Button.green,
    "Key_F3": Button.yellow,
    "Key_F4": Button.blue,
    # extras
    "Key_Search": Button.search,
    "Key_Favorites": Button.favorites,
    "Key_AddFavorite": Button.favorites,
    "Key_F11": Button.fullscreen,
}
"""Keys any remote or keyboard may send; always folded."""

DESKTOP_KEYS: dict[str, Button] = {
    "Key_Space": Button.play_pause,
    "Key_F": Button.fullscreen,
    "Key_M": Button.mute,
    "Key_I": Button.info,
    "Key_G": Button.guide,
    "Key_C": Button.context_menu,
    "Key_L": Button.last_channel,
    "Key_A": Button.audio,
    "Key_S": Button.subtitle,
    "Key_Slash": Button.search,
    "Key_Asterisk": Button.favorites,
    "Key_Plus": Button.volume_up,
    "Key_Equal": Button.volume_up,
    "Key_Minus": Button.volume_down,
    "Key_Period": Button.dot,
    "Key_Q": Button.quit,
}
"""Letter and symbol shortcuts for a desktop keyboard (mpv-like).

The UI folds these only where no text is being typed (not in ``keyboard`` or a focused search field), so typing
"m" into a search never mutes.
"""


def button_for_key_name(name: str, *, typing: bool = False) -> Button | None:
    """The button for a ``Qt.Key`` member name, or None; ``typing`` leaves out the desktop letter shortcuts."""
    button = REMOTE_KEYS.get(name)
    if button is None and not typing:
        button = DESKTOP_KEYS.get(name)
    return button
