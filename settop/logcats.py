"""Log categories: every named logger settop writes to, declared here, one line each (``--log-filter`` takes them).

A category is a logger name below ``settop.``; it includes the categories under it (``ui`` includes
``ui.guide``). A test checks that every ``logging.getLogger("settop.…")`` in the code is declared here.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

CATEGORIES: dict[str, str] = {
    "app": "composition and start-up of the application",
    "demo": "the bundled demo channels and their loopback server",
    "fetch": "HTTP and file fetches: cache, redirects, stale copies",
    "guide": "XMLTV reading, guide store, ingest and matching",
    "guide.search": "the guide's full-text search index",
    "input": "keymap files and their problems",
    "logos": "channel logo downloads and their cache",
    "net.zapcache": "channels opened ahead for fast zapping",
    "player": "the player: address gate, requests, reconnects",
    "player.options": "per-channel libVLC options and the whitelist",
    "player.vlc": "libVLC itself (its own log lines) and the VLC player",
    "playlist": "M3U parsing and the playlist cache",
    "qt": "Qt's own messages (qDebug, qWarning, ...)",
    "recording": "recordings (stream copies to disk)",
    "recording.timeshift": "pausing and rewinding live TV (the time-shift buffer)",
    "settings": "settings file, parental lock file",
    "sources": "playlist and account sources, merge, refresh acceptance",
    "sources.xtream": "Xtream Codes accounts (player API)",
    "state": "state database: favorites, history, resume points",
    "ui": "the main window and its action dispatch",
    "ui.catchup": "catch-up playback",
    "ui.timeshift": "live pause and rewind (the time shift)",
    "ui.failover": "switching to a channel's alternate stream",
    "ui.guide": "guide grid, guide service and guide matching",
    "ui.input": "keys to buttons to actions",
    "ui.library": "movies and series library",
    "ui.list": "the channel list",
    "ui.live.screen": "live TV: zapping, banner, programme boundaries",
    "ui.loader": "playlist loading on a worker",
    "ui.phone": "the phone page (adding a playlist from a phone)",
    "ui.recordings": "the recordings list on screen",
    "ui.settings": "the settings screen",
    "ui.shell": "welcome screen and playlist start-up",
    "ui.timers": "reminders and the sleep timer",
    "ui.video": "video backend choice and the video surface",
    "ui.widgets.logos": "logo pixmaps on screen",
    "ui.widgets.pin": "the PIN prompt and the parental gate",
}
"""Category (logger name without ``settop.``) -> what it logs."""

PREFIX = "settop."


def parse_filter(text: str) -> tuple[frozenset[str], bool]:
    """``CAT[,CAT]`` (or ``!CAT[,CAT]`` for all but those) -> (categories, negated); ValueError for an unknown name."""
    negated = text.startswith("!")
    names = [name.strip() for name in text.removeprefix("!").split(",") if name.strip()]
    unknown = [name for name in names if name not in CATEGORIES]
    if unknown or not names:
        raise UnknownCategory(unknown or [text])
    return frozenset(names), negated


class UnknownCategory(ValueError):
    """Names that are no log category (``names``); the message lists the known ones."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        super().__init__(f"unknown log category {', '.join(names)}; known: {', '.join(sorted(CATEGORIES))}")


def in_category(logger_name: str, categories: Iterable[str]) -> bool:
    """Whether a logger belongs to one of ``categories`` (or a category below one of them)."""
    name = logger_name.removeprefix(PREFIX)
    return any(name == category or name.startswith(category + ".") for category in categories)


class CategoryFilter(logging.Filter):
    """Passes records of the chosen categories (or, negated, of all others); WARNING and worse always pass, so
    a filter narrows the chatter but never hides a problem."""

    def __init__(self, categories: frozenset[str], negated: bool = False) -> None:
        super().__init__()
        self.categories = categories
        self.negated = negated

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING:
            return True
        return in_category(record.name, self.categories) != self.negated


def install_filter(text: str) -> CategoryFilter:
    """Put a filter for ``--log-filter text`` on every handler of the root logger."""
    categories, negated = parse_filter(text)
    chosen = CategoryFilter(categories, negated)
    for handler in logging.getLogger().handlers:
        handler.addFilter(chosen)
    return chosen
