"""The ``Source`` protocol every kind of source follows, what a load yields, and source-namespaced channel keys.

A source kind (an M3U playlist here, a provider account in ``xtream*``) only has to say who it is (``id``, ``name``,
``start_number``) and turn itself into a :class:`SourceContent` on a worker thread; everything after that (folding
duplicates, numbering, keys) is the pure merge of :mod:`settop.core.sources.merge`, the same for every kind.

Keys: a channel's key inside its source is the playlist key (``id:<tvg-id>`` or ``name:<name>|<group>``, see
:mod:`settop.core.playlist.channel`); in the merged lineup it is ``<source id>/<key>``. The one exception is a
source whose id is ``""``: the playlist a viewer had before settop merged sources (the first configured one), whose
channels keep their plain keys so favorites, history, PIN locks and guide mappings saved before still match. New
sources get an id from :func:`new_source_id` (``s`` and 8 hex digits: never a prefix of a plain key, which starts
with ``id:`` or ``name:``), so keys of different sources can never collide.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from settop.core.models import Playlist
from settop.core.sources.ondemand import Library

Progress = Callable[[int, "int | None"], None]
"""``progress(done, total)`` while a source downloads (bytes; total None when unknown); ``done < 0``: now parsing."""

KEY_SEPARATOR = "/"


@dataclass(frozen=True, slots=True)
class SourceContent:
    """What one load of a source yields.

    playlist: its live channels in the source's own order (keys as the playlist gives them, not yet namespaced),
    the guide URLs its header names and the warnings of the parse.
    display: where it came from, already redacted (for messages).
    stale: the source could not be refreshed and this is the last good copy; ``stale_reason`` says why.
    cache_key: identifies these exact contents; a reload with the same key may skip the merge.
    library: its films and series (on-demand titles), empty for a source without them.
    """

    playlist: Playlist
    display: str = ""
    stale: bool = False
    stale_reason: str = ""
    cache_key: str = ""
    remote: bool = True
    library: Library = field(default_factory=Library)
    max_connections: int | None = None  # streams the source allows at once (a provider account's limit); None: any
    parsed: Playlist | None = None  # the whole parse, when on-demand entries left ``playlist`` (for the parse cache)


@runtime_checkable
class Source(Protocol):
    """One of the viewer's sources of live channels.

    id: stable, secret-free identity used in channel keys (see the module docstring); unique among the sources.
    name: what the viewer calls it (shown in channel info and errors).
    start_number: where the numbers of this source's channels start (0: keep the source's own numbers).
    refresh_hours: how often it reloads (0: never by itself).
    """

    @property
    def id(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def start_number(self) -> int: ...

    @property
    def refresh_hours(self) -> float: ...

    def load(self, cancel: threading.Event | None = None, progress: Progress | None = None,
             known_key: str = "") -> SourceContent:
        """Fetch and parse on the calling thread (a worker); raises ``FetchError``/``OSError`` on failure.

        known_key: ``cache_key`` of the contents on screen; when unchanged a kind may return a SourceContent with an
        empty playlist and the same ``cache_key`` (the caller then keeps what it has).
        """
        ...


def new_source_id() -> str:
    """A fresh source id: ``s`` and 8 random hex digits."""
    return "s" + secrets.token_hex(4)


def derived_source_id(text: str) -> str:
    """A source id derived from ``text`` (a source address) for entries saved without one; a hash, never the text."""
    return "s" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def source_key(source_id: str, key: str) -> str:
    """The key of a source's channel in the merged lineup."""
    return f"{source_id}{KEY_SEPARATOR}{key}" if source_id else key


def split_key(key: str) -> tuple[str, str]:
    """(source id, key inside the source) of a merged key; ``("", key)`` for a plain one."""
    if key.startswith(("id:", "name:")):
        return "", key
    source_id, separator, rest = key.partition(KEY_SEPARATOR)
    return (source_id, rest) if separator else ("", key)
