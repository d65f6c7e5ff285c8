"""The one address gate: every stream, guide and logo address passes it at the last moment before use.

Network schemes that libVLC plays are allowed from anywhere. Local files (``file:``, absolute, relative and drive-letter
paths) are allowed only when the source that named them is itself a local file the viewer chose (``local_ok``).
Every other scheme (``v4l2:``, ``screen:``, ``dshow:``, ``smb:``, ``plugin:``, ``javascript:``, ``data:``, ...) is
refused whatever named it: a playlist must never open a device, a capture or another program.
"""

from __future__ import annotations

import re
from typing import Final

#: What a stream address may use when a network source named it.
NETWORK_SCHEMES: Final = frozenset({"http", "https", "rtmp", "rtmps", "rtsp", "rtp", "udp", "mms", "mmsh", "srt"})
#: Local schemes, allowed only for a local source.
LOCAL_SCHEMES: Final = frozenset({"file"})

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

REMOTE_LOCAL: Final = "a playlist from the network may not name local files"


def scheme_of(address: str) -> str:
    """The lower-case scheme, or "" for a path (a one-letter "scheme" is a Windows drive: ``C:/x``)."""
    match = _SCHEME.match(address)
    if match is None or len(match.group(1)) < 2:
        return ""
    return match.group(1).lower()


def refusal(address: str, *, local_ok: bool) -> str | None:
    """Why ``address`` may not be opened (a short English reason), or None when it may.

    local_ok: the source that named the address is a local file the viewer chose, so local files may be opened.
    The address is read as python-vlc and libVLC read it: no ``:`` after the second character is a path
    (``C:/x`` too); ``access[/demux]://rest`` opens the access module, which must be a network scheme (or
    ``file``), written plainly; ``name:rest`` without ``//`` is a path to libVLC unless ``name`` is a scheme.
    """
    if not address or _CONTROL.search(address) is not None:
        return "its address is not a valid URL"
    colon = address.find(":")
    if colon <= 1:
        return None if local_ok else REMOTE_LOCAL
    head, sep, _ = address.partition("://")
    if not sep:
        head = address[:colon]
    if _SCHEME.fullmatch(head + ":") is None:
        # "x/v4l2://", " http://": libVLC would pick an access from it; a colon later in a path is a path
        return f"stream scheme {head[:20]!r} is not supported" if sep else (None if local_ok else REMOTE_LOCAL)
    scheme = head.lower()
    if scheme in LOCAL_SCHEMES:
        return None if local_ok else REMOTE_LOCAL
    if scheme in NETWORK_SCHEMES:
        return None if sep else "its address is not a valid URL"
    return f"stream scheme {scheme[:20]!r} is not supported"


def allowed(address: str, *, local_ok: bool) -> bool:
    """Whether ``address`` passes the gate."""
    return refusal(address, local_ok=local_ok) is None
