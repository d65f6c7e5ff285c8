"""Where an entry points and how: stream schemes, relative URLs, and the headers and options that go with it."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path, PureWindowsPath
from urllib.parse import unquote, urljoin

from settop.core import address
from settop.core.playlist import vlcopts

STREAM_SCHEMES = address.NETWORK_SCHEMES

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_FILE_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,5}$")
_HEADER_NAMES = {"user-agent": "User-Agent", "referer": "Referer", "referrer": "Referer"}
_PIPE_PAIR = re.compile(r'\s*!?\s*([^=|&"]*?)\s*=\s*(?:"([^"]*)"|([^|&]*))\s*(?:[|&]|$)')

Warn = Callable[[int, str], None]


class Refusal:
    """Why an entry's URL may not be played."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason


_REMOTE_LOCAL = Refusal(address.REMOTE_LOCAL)


class UrlResolver:
    """Checks an entry's URL against the allowed schemes and resolves it against the playlist's place.

    base_url: the playlist's URL, file or folder ("" leaves relative entries as they are).
    remote: the playlist came from the network, so ``file:`` URLs and local paths are refused.
    """

    def __init__(self, base_url: str, remote: bool) -> None:
        self.remote = remote
        self.base_url, self.base_dir = _base(base_url)

    def resolve(self, url: str) -> str | Refusal:
        """The URL to play, or why not (the caller has already passed plain http(s) URLs through).

        Whatever the resolution gives passes the address gate (``settop.core.address``) last.
        """
        resolved = self._resolve(url)
        if isinstance(resolved, Refusal):
            return resolved
        why = address.refusal(resolved, local_ok=not self.remote)
        return resolved if why is None else Refusal(why)

    def guide(self, url: str) -> str | Refusal:
        """A guide URL of the header (``x-tvg-url``), or why it may not be read: the same gate as streams."""
        why = address.refusal(url, local_ok=not self.remote)
        return url if why is None else Refusal(why)

    def _resolve(self, url: str) -> str | Refusal:
        scheme = address.scheme_of(url)
        if scheme:
            return url
        if self.base_url:
            try:
                return urljoin(self.base_url, url)
            except ValueError:  # "//]/x" is an invalid IPv6 host to urllib
                return Refusal("its address is not a valid URL")
        if self.remote:
            return _REMOTE_LOCAL
        if self.base_dir is not None and not is_absolute_path(url):
            return os.path.normpath(self.base_dir / url)
        return url


def _base(base_url: str) -> tuple[str, Path | None]:
    """(URL to join relative entries to, or folder to resolve them in)."""
    base_url = base_url.strip()
    if not base_url:
        return "", None
    match = _SCHEME.match(base_url)
    if match is not None and len(match.group(1)) > 1:  # a URL (one letter is a Windows drive)
        return base_url, None
    try:
        path = Path(base_url).expanduser()
        folder = path if path.is_dir() else path.parent
        return "", folder.absolute()
    except (OSError, RuntimeError, ValueError):  # "~nobody/x", NUL bytes, ...: leave relative entries alone
        return "", None


def is_absolute_path(url: str) -> bool:
    """A rooted POSIX or Windows path, or one starting at the home folder."""
    return url.startswith(("/", "\\", "~")) or PureWindowsPath(url).is_absolute()


def looks_like_url(line: str) -> bool:
    """A URL line has a scheme, or is a path (a slash or a file extension): ``=====`` and prose are junk."""
    if _SCHEME.match(line) is not None:
        return True
    return "/" in line or "\\" in line or _FILE_EXTENSION.search(line) is not None


def player_settings(
    options: list[tuple[int, str]], pipe_headers: dict[str, str] | None, warn: Warn
) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    """#EXTVLCOPT lines and ``url|`` headers to (headers, vlc options); the URL's headers win."""
    headers: dict[str, str] = {}
    vlc_options: list[str] = []
    for option_line, option in options:
        checked = vlcopts.check_option(_unquote_value(option))
        if checked is None:
            name = vlcopts.option_name(option)
            why = "is not allowed" if name not in vlcopts.ALLOWED else "has an invalid value"
            warn(option_line, f"#EXTVLCOPT option {name[:40]!r} {why}; ignored")
            continue
        header = vlcopts.OPTION_HEADERS.get(checked[0])
        if header is not None:
            headers[header] = checked[1]
        else:
            vlc_options.append(f"{checked[0]}={checked[1]}")
    if pipe_headers:
        headers.update(pipe_headers)
    return tuple(headers.items()), tuple(vlc_options)


def read_pipe_headers(lineno: int, tail: str, warn: Warn) -> tuple[dict[str, str], list[str]]:
    """The headers after a URL's first ``|``, checked: (User-Agent and Referer, other header names given).

    Two forms: Kodi's ``User-Agent=x&Referer=y`` (``!name=`` too; values %-decoded) and iptv-org's
    ``Referer="https://a/"|User-Agent="Mozilla/5.0 (...)"`` (``|`` between pairs, quoted values kept as they are).
    libVLC 3 sends no other header per media: the caller reports the other names once per playlist.
    """
    headers: dict[str, str] = {}
    unsupported: list[str] = []
    position = 0
    while position < len(tail):
        match = _PIPE_PAIR.match(tail, position)
        if match is None or match.end() == position:
            cut = min((i for i in (tail.find("|", position), tail.find("&", position)) if i >= 0), default=len(tail))
            if tail[position:cut].strip(" !="):
                warn(lineno, f"URL header {_short_text(tail[position:cut])!r} is not Name=value; ignored")
            position = cut + 1
            continue
        position = match.end()
        key, quoted, plain = match.group(1), match.group(2), match.group(3)
        if not key:
            continue
        name = _HEADER_NAMES.get(key.lower())
        if name is None:
            unsupported.append(key[:40])
            continue
        value = quoted if quoted is not None else (unquote(plain.strip()) if "%" in plain else plain.strip())
        if vlcopts.check_option(f"{vlcopts.HEADER_OPTIONS[name]}={value}") is None:
            warn(lineno, f"URL header {name!r} has an invalid value; ignored")
            continue
        headers[name] = value
    return headers, unsupported


def _unquote_value(option: str) -> str:
    """``name="a b"`` -> ``name=a b``: Kodi cuts unquoted values at a space, we keep the whole value."""
    name, sep, value = option.partition("=")
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        value = value[1:-1]
    return f"{name}{sep}{value}"


def _short_text(text: str, limit: int = 40) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"
