"""What a file given as a playlist really is, from its first bytes: a channel list, or a guide, a web page, JSON, a
video, an image, an HLS stream, an empty file ... said in words with what to do (before any parse).

gzip and xz bodies are undone by the fetcher before this looks (``settop.core.net.bodies``), so a compressed guide
is recognised as a guide. The Content-Type, when there is one, only helps where the bytes are not conclusive.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from settop.i18n import _

HEAD_BYTES = 64 * 1024
"""How much of the start of a file is looked at."""

_TS_PACKET = 188
_HLS_MEDIA_TAGS = (b"#EXT-X-TARGETDURATION", b"#EXT-X-MEDIA-SEQUENCE")
_CHANNEL_LIST_MARKS = re.compile(rb"#EXTINF:[^\r\n]*(?:tvg-|group-title)", re.IGNORECASE)
_IMAGES = ((b"\x89PNG\r\n\x1a\n", "PNG"), (b"\xff\xd8\xff", "JPEG"), (b"GIF87a", "GIF"), (b"GIF89a", "GIF"))
_ARCHIVES = ((b"PK\x03\x04", "ZIP"), (b"Rar!\x1a\x07", "RAR"), (b"7z\xbc\xaf\x27\x1c", "7-Zip"))


@dataclass(frozen=True, slots=True)
class NotAPlaylist:
    """A file that is not a channel list.

    kind: ``empty guide xml html json stream image archive binary``; ``stream`` (an HLS playlist of one stream, or
    a video or audio file) is the one a viewer may add as a single channel.
    message: what it is and what to do, in the viewer's language.
    """

    kind: str
    message: str

    @property
    def single_stream(self) -> bool:
        return self.kind == "stream"


class NotAPlaylistError(Exception):
    """Raised where a source is loaded as a playlist and is not one; ``str(exc)`` is the viewer's message."""

    def __init__(self, found: NotAPlaylist) -> None:
        super().__init__(found.message)
        self.found = found


def sniff(data: bytes, content_type: str = "") -> NotAPlaylist | None:
    """None when ``data`` may be a channel list (M3U, or text that the lenient parser reads); else what it is."""
    head = data[:HEAD_BYTES]
    text = head.lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n\x00")
    if not text:
        return NotAPlaylist("empty", _("The file is empty: there are no channels in it."))
    upper = text[:HEAD_BYTES].upper()
    if upper.startswith(b"#EXTM3U") or upper.startswith(b"#EXTINF"):
        return _hls(upper)
    found = _markup(text) or _binary(head, text)
    if found is not None:
        return found
    mime = content_type.split(";", 1)[0].strip().lower()
    if mime in ("text/html", "application/xhtml+xml"):
        return _html()
    if mime.startswith(("video/", "audio/")):
        return _stream()
    return None


def _hls(upper: bytes) -> NotAPlaylist | None:
    """An M3U that is one stream's HLS playlist (a master of variants, or a media playlist of segments)."""
    if _CHANNEL_LIST_MARKS.search(upper) is not None:
        return None  # channel attributes: a channel list, whatever else it holds
    if b"#EXT-X-STREAM-INF" in upper or any(tag in upper for tag in _HLS_MEDIA_TAGS):
        return _stream()
    return None


def _markup(text: bytes) -> NotAPlaylist | None:
    lowered = text[:4096].lower()
    if lowered.startswith((b"<!doctype html", b"<html")) or (lowered.startswith(b"<") and b"<html" in lowered):
        return _html()
    if lowered.startswith(b"<"):
        if b"<tv" in lowered or b"<!doctype tv" in lowered:
            return NotAPlaylist("guide", _("This is a TV guide (XMLTV), not a channel list: add it under Guide "
                                           "sources."))
        if b"<mpd" in lowered:
            return _stream()
        return NotAPlaylist("xml", _("This is an XML document, not a channel list: check the playlist's address."))
    if lowered.startswith((b"{", b"[")):
        return NotAPlaylist("json", _("This is JSON data, not a channel list: a provider's account is added as an "
                                      "account (server, user name and password), not as a playlist."))
    return None


def _binary(head: bytes, text: bytes) -> NotAPlaylist | None:
    if _looks_like_ts(head) or head[4:8] in (b"ftyp", b"moov", b"styp", b"moof") or head.startswith(
        (b"\x1a\x45\xdf\xa3", b"FLV\x01", b"OggS", b"ID3")
    ):
        return _stream()
    for magic, name in _IMAGES:
        if head.startswith(magic):
            return NotAPlaylist("image", _("This is an image ({format}), not a channel list: check the playlist's "
                                           "address.").format(format=name))
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return NotAPlaylist("image", _("This is an image ({format}), not a channel list: check the playlist's "
                                       "address.").format(format="WebP"))
    for magic, name in _ARCHIVES:
        if head.startswith(magic):
            return NotAPlaylist("archive", _("This is a compressed archive ({format}): unpack it and open the "
                                             "playlist inside.").format(format=name))
    sample = text[:4096]
    controls = sum(1 for byte in sample if byte < 9 or 13 < byte < 32)
    if controls * 10 > len(sample) and not _utf16(sample):
        return NotAPlaylist("binary", _("This file is binary data, not a channel list: check the playlist's "
                                        "address."))
    return None


def _utf16(sample: bytes) -> bool:
    from settop.core.playlist.m3u_text import utf16_without_bom

    return utf16_without_bom(sample) is not None


def _html() -> NotAPlaylist:
    return NotAPlaylist("html", _("This is a web page (HTML), not a channel list: the address may need a login, "
                                  "or it is not the playlist's address."))


def _stream() -> NotAPlaylist:
    return NotAPlaylist("stream", _("This is one video stream, not a channel list: add it as a single channel?"))


def _looks_like_ts(head: bytes) -> bool:
    """MPEG-TS: sync bytes 0x47 every 188 bytes, three packets in a row."""
    for offset in range(min(_TS_PACKET, len(head))):
        if head[offset] == 0x47 and all(
            offset + n * _TS_PACKET < len(head) and head[offset + n * _TS_PACKET] == 0x47 for n in (1, 2)
        ):
            return True
    return False


def write_single_channel(url: str, name: str) -> Path:
    """Write a playlist of the one channel ``url`` (named ``name``) in settop's data folder; returns its path.

    The viewer chose to add a stream given as a playlist as a single channel: the playlist is theirs, a local file.
    """
    from settop.core.state import paths

    folder = paths.data_dir() / "single-channels"
    folder.mkdir(mode=0o700, exist_ok=True)
    clean_url = url.strip().replace("\r", "").replace("\n", "")
    clean_name = " ".join(name.replace(",", " ").split()) or "Channel"
    path = folder / (hashlib.sha256(clean_url.encode()).hexdigest()[:16] + ".m3u")
    text = f"#EXTM3U\n#EXTINF:-1,{clean_name}\n{clean_url}\n"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        out.write(text)
    return path
