"""Masking by knowledge: learn the secret values in a source's URLs when it is read, so redact() masks them anywhere.

What counts as a secret in a URL: its userinfo (user and password, raw, even with ``/ ? #`` or spaces in it when
written ``user:pa/ss@host``); the values of credential-like query names (``password=``, ``pw=``, ``t=``,
``pass%77ord=``); USER and PASS after a provider prefix (``/live/U/P/1.ts``, ``/play/U/P``, ``/hls/U/P/...``,
``/images/U/P/logo.png``, a URL that ends in the password); the bare Xtream form ``/U/P/123.ts``; and, across the
URLs of one host, the two middle segments of ``/X/U/P/ID`` that stay the same while the last one changes.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from urllib.parse import parse_qsl, unquote, urlsplit

from settop.core.models import Playlist
from settop.core.redact import PATH_PREFIXES, is_secret_name, remember

LEARN_LIMIT = 5000
"""At most this many URLs of each kind of a source are looked at (a 100,000-channel list repeats its credentials)."""

LEARN_KEEP = 64
"""At most this many values are kept from one source: the ones seen most often."""
_PREFIXES = frozenset(PATH_PREFIXES)
_BARE_ID = re.compile(r"\d+(?:\.[A-Za-z0-9]{1,5})?")
_RAW_USERINFO = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://(?P<user>[^:@/\s]*):(?P<password>[^\s]*)@"
                           r"(?P<host>[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d+)?(?:[/?#]|$)")
# words that are path or query furniture, never a user's secret
_PLAIN = frozenset({*PATH_PREFIXES, "get.php", "player_api.php", "xmltv.php", "index.m3u8", "playlist.m3u8",
                    "m3u", "m3u8", "m3u_plus", "ts", "mpegts", "hls", "true", "false", "null", "none", "live"})


def learn_url(url: str) -> None:
    """Remember the secrets in one URL (see the module docstring)."""
    remember(*_url_secrets(url))


def learn_playlist(playlist: Playlist) -> None:
    """Remember the secrets of a parsed playlist: its channels' stream, logo and catch-up addresses and guide URLs."""
    learn_urls(playlist.epg_urls)
    learn_urls(channel.url for channel in playlist.channels)
    learn_urls(channel.logo for channel in playlist.channels if channel.logo)
    learn_urls(channel.catchup.source for channel in playlist.channels
               if channel.catchup is not None and channel.catchup.source)


def learn_urls(urls: Iterable[str]) -> None:
    """Remember the secrets of a source's URLs (a playlist's channels, logos and guide URLs), including the
    ``/X/U/P/ID`` segments that every URL of one host shares while its last segment changes."""
    found: Counter[str] = Counter()
    seen: set[str] = set()
    shapes: dict[tuple[str, str, str], set[str]] = {}  # (host, U, P) of /X/U/P/ID -> the IDs
    for count, url in enumerate(urls):
        if count >= LEARN_LIMIT:
            break
        head, _, path = url.partition("://")[2].partition("/")
        segments = path.split("?", 1)[0].split("#", 1)[0].split("/")
        if len(segments) == 4 and all(segments):
            ids = shapes.setdefault((head, segments[1], segments[2]), set())
            if len(ids) < 2:
                ids.add(segments[3])
        cut = url if "?" in url else url[:url.rfind("/")]
        if cut not in seen:
            seen.add(cut)
            found.update(_url_secrets(url))
    for (_host, user, password), ids in shapes.items():
        if len(ids) >= 2:
            found.update({value: LEARN_LIMIT for value in _plain_out(unquote(user), unquote(password))})
    # Credentials repeat across a source's URLs; a token that changes with every URL is masked by its name.
    remember(*(value for value, _count in found.most_common(LEARN_KEEP)))


def _url_secrets(url: str) -> set[str]:
    found: set[str] = set()
    if "://" not in url or url[:7].lower() == "file://":
        return found  # a local path names folders, not credentials
    raw = _RAW_USERINFO.match(url)
    if raw is not None:
        found.update(_plain_out(raw.group("user"), unquote(raw.group("user")), raw.group("password"),
                                unquote(raw.group("password"))))
    try:
        parts = urlsplit(url)
        if parts.username:
            found.update(_plain_out(parts.username, unquote(parts.username)))
        if parts.password:
            found.update(_plain_out(parts.password, unquote(parts.password)))
    except ValueError:
        return found
    for name, value in parse_qsl(parts.query, keep_blank_values=False):
        if is_secret_name(name):
            found.update(_plain_out(value))
    segments = parts.path.split("/")
    if len(segments) >= 4 and segments[1].lower() in _PREFIXES:
        found.update(_plain_out(unquote(segments[2]), unquote(segments[3])))
    elif len(segments) == 4 and _BARE_ID.fullmatch(segments[3]) and segments[1] and segments[2]:
        found.update(_plain_out(unquote(segments[1]), unquote(segments[2])))
    return found


def _plain_out(*values: str) -> set[str]:
    return {v for v in values if v and v.lower() not in _PLAIN and not (v.isdigit() and len(v) < 6)}
