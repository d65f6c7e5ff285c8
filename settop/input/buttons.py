"""The names of remote buttons, the actions they resolve to, and the input contexts that pick a binding table."""

from __future__ import annotations

from enum import StrEnum


class Button(StrEnum):
    """One physical button as the keymap sees it, after the UI folded a Qt key (or CEC/LIRC key) onto it.

    A long press is not a separate button: the UI passes ``long=True`` to :meth:`Keymap.resolve`, and the keymap
    file binds it with a ``long_<button>`` entry (``long_select = "context_menu"``).
    """

    up = "up"
    down = "down"
    left = "left"
    right = "right"
    select = "select"
    back = "back"
    menu = "menu"
    context_menu = "context_menu"
    info = "info"
    guide = "guide"
    epg = "epg"
    channel_up = "channel_up"
    channel_down = "channel_down"
    page_up = "page_up"
    page_down = "page_down"
    home = "home"
    end = "end"
    number_0 = "number_0"
    number_1 = "number_1"
    number_2 = "number_2"
    number_3 = "number_3"
    number_4 = "number_4"
    number_5 = "number_5"
    number_6 = "number_6"
    number_7 = "number_7"
    number_8 = "number_8"
    number_9 = "number_9"
    dot = "dot"
    play_pause = "play_pause"
    play = "play"
    pause = "pause"
    stop = "stop"
    fast_forward = "fast_forward"
    rewind = "rewind"
    next = "next"
    previous = "previous"
    record = "record"
    volume_up = "volume_up"
    volume_down = "volume_down"
    mute = "mute"
    red = "red"
    green = "green"
    yellow = "yellow"
    blue = "blue"
    search = "search"
    favorites = "favorites"
    last_channel = "last_channel"
    audio = "audio"
    subtitle = "subtitle"
    fullscreen = "fullscreen"
    quit = "quit"


class Action(StrEnum):
    """What a screen is asked to do; names follow Kodi's action vocabulary (DESIGN.md).

    Screens interpret an action in their own way: ``select`` in ``live`` opens the channel list, in a list it
    tunes; ``favorites`` in the channel list toggles the focused channel's favorite mark.
    """

    up = "up"
    down = "down"
    left = "left"
    right = "right"
    page_up = "page_up"
    page_down = "page_down"
    home = "home"
    end = "end"
    select = "select"
    back = "back"
    context_menu = "context_menu"
    info = "info"
    guide = "guide"
    menu = "menu"
    channel_up = "channel_up"
    channel_down = "channel_down"
    last_channel = "last_channel"
    number_0 = "number_0"
    number_1 = "number_1"
    number_2 = "number_2"
    number_3 = "number_3"
    number_4 = "number_4"
    number_5 = "number_5"
    number_6 = "number_6"
    number_7 = "number_7"
    number_8 = "number_8"
    number_9 = "number_9"
    separator = "separator"  # between the parts of a sub-number ("5.1")
    play_pause = "play_pause"
    play = "play"
    pause = "pause"
    stop = "stop"
    record = "record"  # record the channel playing (again: stop recording)
    fast_forward = "fast_forward"
    rewind = "rewind"
    volume_up = "volume_up"
    volume_down = "volume_down"
    mute = "mute"
    audio_next = "audio_next"
    subtitle_next = "subtitle_next"
    red = "red"
    green = "green"
    yellow = "yellow"
    blue = "blue"
    favorites = "favorites"
    search = "search"
    fullscreen = "fullscreen"
    quit = "quit"


class Context(StrEnum):
    """Which binding table applies; each falls back to its parent (see :data:`PARENT`) and finally ``global``."""

    global_ = "global"
    live = "live"
    channel_list = "channel_list"
    guide = "guide"
    settings = "settings"
    dialog = "dialog"
    keyboard = "keyboard"
    welcome = "welcome"
    catchup = "catchup"
    timeshift = "timeshift"
    library = "library"
    vod = "vod"


PARENT: dict[Context, Context] = {Context.catchup: Context.live, Context.timeshift: Context.live}
"""Contexts that fall back to another context before ``global`` (catch-up and time shift behave like live TV)."""

NUMBER_BUTTONS: tuple[Button, ...] = tuple(Button(f"number_{n}") for n in range(10))
NUMBER_ACTIONS: tuple[Action, ...] = tuple(Action(f"number_{n}") for n in range(10))

_DESIGN_NAMES = (
    "up down left right page_up page_down select back context_menu info guide menu channel_up channel_down "
    "last_channel play_pause stop fast_forward rewind volume_up volume_down mute audio_next subtitle_next "
    "red green yellow blue favorites search fullscreen quit"
)
DESIGN_ACTIONS: tuple[Action, ...] = tuple(Action(name) for name in _DESIGN_NAMES.split()) + NUMBER_ACTIONS
"""The action vocabulary DESIGN.md promises; the default keymap binds every one of them somewhere."""


def digit(action: Action) -> int | None:
    """The digit of a ``number_N`` action, None for every other action."""
    if action.value.startswith("number_"):
        return int(action.value[-1])
    return None


# In a right-to-left language Left and Right swap so they follow what the screen shows (the channel list's
# groups, the guide's time axis, settings values), except where the picture stays left to right: the on-screen
# keyboard's Latin letters and the seek bars of catch-up, time shift and on-demand (drawn left to right in every
# language). The dispatcher swaps them; key hints name the swapped key.
LTR_CONTEXTS = frozenset({Context.keyboard, Context.catchup, Context.timeshift, Context.vod})
MIRRORED: dict[Button, Button] = {Button.left: Button.right, Button.right: Button.left}
