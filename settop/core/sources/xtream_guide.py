"""The guide fallback of provider accounts: ``get_short_epg`` for the account's channels its ``xmltv.php`` lacks,
written as a small XMLTV document that the guide store reads like any other guide."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from urllib.parse import urlsplit
from xml.sax.saxutils import escape, quoteattr

from settop.core.models import Channel, Programme
from settop.core.redact import redact
from settop.core.sources.xtream import XtreamClient, XtreamError

log = logging.getLogger("settop.sources.xtream")

#: At most this many channels are asked per guide run (one request each: a big account's lineup is not walked).
MAX_CHANNELS = 150
SOURCE_ID = "xtream:get_short_epg"  # the guide store's name for the fallback's data

ShortEpg = Callable[[str], tuple[Programme, ...]]
"""The short EPG of one ``stream_id`` (an account's :meth:`XtreamClient.short_epg`)."""


def live_prefix(client: XtreamClient) -> str:
    """What every live stream address of the account starts with (``server/live/user/password/``)."""
    return client.live_url("").rsplit("/", 1)[0] + "/"


def stream_id(url: str, prefix: str) -> str:
    """The account's ``stream_id`` of a live channel address, "" when ``url`` is not one of the account's."""
    if not url.startswith(prefix):
        return ""
    name = urlsplit(url).path.rsplit("/", 1)[-1]
    return name.split(".", 1)[0]


def fallback_guide(accounts: Sequence[tuple[str, ShortEpg]], lacking: Sequence[Channel], *,
                   cancel: threading.Event | None = None, max_channels: int = MAX_CHANNELS) -> bytes | None:
    """An XMLTV document with the short EPG of the channels of ``lacking`` that belong to one of ``accounts``
    ((live prefix, short EPG) pairs), in lineup order, at most ``max_channels``; None when there is nothing.

    Each channel is written under its own tvg-id (or its name when it has none) and its name, so that the guide's
    matching finds it; a channel whose request fails is skipped (the rest still come)."""
    parts: list[str] = []
    asked = 0
    for channel in lacking:
        if asked >= max_channels or (cancel is not None and cancel.is_set()):
            break
        found = next(((sid, epg) for prefix, epg in accounts if (sid := stream_id(channel.url, prefix))), None)
        if found is None:
            continue
        asked += 1
        try:
            programmes = found[1](found[0])
        except XtreamError as exc:
            log.info("short EPG of %s failed: %s", channel.name, redact(str(exc)))
            continue
        if not programmes:
            continue
        ident = quoteattr(channel.tvg_id or channel.name)
        parts.append(f"<channel id={ident}><display-name>{escape(channel.name)}</display-name></channel>")
        parts += [f"<programme start=\"{_stamp(p.start)}\" stop=\"{_stamp(p.stop)}\" channel={ident}>"
                  f"<title>{escape(p.title)}</title>" + (f"<desc>{escape(p.desc)}</desc>" if p.desc else "")
                  + "</programme>" for p in programmes]
    if not parts:
        return None
    log.info("short EPG: %d of %d channels without a guide asked", asked, len(lacking))
    return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tv>" + "\n".join(parts) + "</tv>\n").encode()


def _stamp(seconds: float) -> str:
    return time.strftime("%Y%m%d%H%M%S +0000", time.gmtime(seconds))
