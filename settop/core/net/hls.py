"""Probe a stream address: reachable or why not, HLS variants (via ``m3u8.loads`` over the fetcher), container."""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass

import m3u8

from settop.core.net.bodies import text_from_bytes
from settop.core.net.fetch import FetchError, FetchLimits, fetch, peek
from settop.core.net.http import scheme_of
from settop.core.redact import display_source, redact

PEEK_BYTES = 16 * 1024
NOT_PROBED = frozenset({"rtsp", "rtmp", "rtmps", "rtmpe", "rtp", "udp", "srt", "mms", "mmsh", "rist"})
TS_PACKET = 188


@dataclass(frozen=True, slots=True)
class Variant:
    """One ``#EXT-X-STREAM-INF`` of an HLS master playlist (its address is left out: it may hold a token)."""

    bandwidth: int | None
    resolution: tuple[int, int] | None = None
    codecs: str = ""
    frame_rate: float | None = None

    @property
    def label(self) -> str:
        """``1280x720 2.5 Mbit/s`` or what of it is known."""
        parts = []
        if self.resolution:
            parts.append(f"{self.resolution[0]}x{self.resolution[1]}")
        if self.bandwidth:
            parts.append(f"{self.bandwidth / 1e6:.1f} Mbit/s" if self.bandwidth >= 1e6 else
                         f"{self.bandwidth / 1e3:.0f} kbit/s")
        return " ".join(parts) or "variant"


@dataclass(frozen=True, slots=True)
class ProbeResult:
    """What probing one stream found.

    status: ``ok``, ``error`` or ``skipped`` (a scheme we do not probe, e.g. rtsp).
    container: ``hls mpegts mp4 matroska flv ogg mp3 aac dash unknown`` or "" when nothing was read.
    error_kind: a FetchError kind, or ``not_stream``; reason: redacted, user-readable.
    ttfb_s: seconds from the request to the first byte of the stream (or manifest).
    """

    status: str
    container: str = ""
    reason: str = ""
    error_kind: str = ""
    http_status: int | None = None
    variants: tuple[Variant, ...] = ()
    ttfb_s: float | None = None
    elapsed_s: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def sniff_container(head: bytes, content_type: str = "") -> str | None:
    """Recognise a media container from its first bytes; None when it does not look like a stream."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"#EXTM3U"):
        return "hls"
    if _looks_like_ts(head):
        return "mpegts"
    if head[4:8] in (b"ftyp", b"moov", b"styp", b"moof"):
        return "mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "matroska"
    if head.startswith(b"FLV\x01"):
        return "flv"
    if head.startswith(b"OggS"):
        return "ogg"
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "aac" if len(head) > 1 and head[1] & 0xF6 == 0xF0 else "mp3"
    lowered = text[:512].lower()
    if (lowered.startswith(b"<?xml") and b"<mpd" in lowered) or lowered.startswith(b"<mpd"):
        return "dash"
    mime = content_type.split(";", 1)[0].strip().lower()
    if mime.startswith(("video/", "audio/")) and not lowered.startswith((b"<!doctype", b"<html", b"<?xml", b"{")):
        return "unknown"
    return None


def _looks_like_ts(head: bytes) -> bool:
    for offset in range(min(TS_PACKET, len(head))):
        if head[offset] != 0x47:
            continue
        later = [offset + n * TS_PACKET for n in (1, 2)]
        if all(p >= len(head) or head[p] == 0x47 for p in later) and (len(head) > later[0] or offset == 0):
            return True
    return False


def _not_a_stream(head: bytes, content_type: str) -> str:
    lowered = head.lstrip()[:256].lower()
    if lowered.startswith((b"<!doctype html", b"<html")) or b"<html" in lowered:
        return "Not a stream: the server answered with a web page"
    if lowered.startswith(b"#extm3u") or b"#extinf" in lowered:
        return "Not a stream: an M3U playlist"
    if not head:
        return "Not a stream: the server sent an empty answer"
    mime = content_type.split(";", 1)[0].strip() or "unknown type"
    return f"Not a stream: unrecognised data ({redact(mime)[:60]})"


def probe(url: str, *, timeout: float = 10.0, headers: Mapping[str, str] | None = None,
          allow_insecure: bool = False, cancel: threading.Event | None = None,
          follow_variant: bool = True) -> ProbeResult:
    """Probe ``url`` within ``timeout`` seconds (per request): http(s) only, never a local file.

    HLS: the master's variants are listed and the first variant's media playlist is fetched to prove it works.
    Other http(s): the first bytes must look like a media container. Never raises for stream problems.
    """
    started = time.monotonic()
    scheme = scheme_of(url)
    if scheme in NOT_PROBED:
        return ProbeResult("skipped", reason=f"{scheme}:// streams are not probed", elapsed_s=0.0)
    if scheme not in ("http", "https"):
        return ProbeResult("error", reason=f"Unsupported address ({scheme or 'no scheme'}): {display_source(url)}",
                           error_kind="scheme")
    try:
        head = peek(url, PEEK_BYTES, timeout=timeout, headers=headers, allow_insecure=allow_insecure,
                    cancel=cancel)
        container = sniff_container(head.data, head.content_type)
        if container is None:
            return ProbeResult("error", reason=_not_a_stream(head.data, head.content_type), error_kind="not_stream",
                               http_status=head.status, ttfb_s=head.ttfb_s, elapsed_s=time.monotonic() - started)
        variants: tuple[Variant, ...] = ()
        if container == "hls":
            text = text_from_bytes(head.data) if head.complete else _manifest(head.final_url, timeout, headers,
                                                                              allow_insecure, cancel)
            variants, problem = _check_hls(text, head.final_url, timeout=timeout, headers=headers,
                                           allow_insecure=allow_insecure, cancel=cancel,
                                           follow_variant=follow_variant)
            if problem:
                return ProbeResult("error", container="hls", reason=problem, error_kind="not_stream",
                                   http_status=head.status, variants=variants, ttfb_s=head.ttfb_s,
                                   elapsed_s=time.monotonic() - started)
        return ProbeResult("ok", container=container, http_status=head.status, variants=variants,
                           ttfb_s=head.ttfb_s, elapsed_s=time.monotonic() - started)
    except FetchError as exc:
        return ProbeResult("error", reason=str(exc), error_kind=exc.kind, http_status=exc.status,
                           elapsed_s=time.monotonic() - started)


def _manifest(url: str, timeout: float, headers: Mapping[str, str] | None, allow_insecure: bool,
              cancel: threading.Event | None) -> str:
    base = FetchLimits(connect_timeout=timeout, read_timeout=timeout, total_timeout=timeout, max_bytes=4 * 1024 * 1024)
    result = fetch(url, kind="manifest", limits=base, allow_local=False, allow_insecure=allow_insecure,
                   use_cache=False, headers=headers, cancel=cancel)
    try:
        return result.read_text()
    finally:
        result.path.unlink(missing_ok=True)  # a volatile copy: nothing of a probe stays on disk


def _check_hls(text: str, url: str, *, timeout: float, headers: Mapping[str, str] | None, allow_insecure: bool,
               cancel: threading.Event | None, follow_variant: bool) -> tuple[tuple[Variant, ...], str]:
    """(variants, problem): problem is "" when the playlist is usable."""
    try:
        playlist = m3u8.loads(text, uri=url)
    except Exception as exc:  # m3u8 raises assorted ValueErrors on malformed tags
        return (), f"Not a stream: unreadable HLS playlist ({type(exc).__name__})"
    if not playlist.is_variant:
        if not playlist.segments:
            return (), "HLS playlist without segments"
        return (), ""
    variants = tuple(
        Variant(bandwidth=p.stream_info.bandwidth, resolution=p.stream_info.resolution,
                codecs=p.stream_info.codecs or "", frame_rate=p.stream_info.frame_rate)
        for p in playlist.playlists
    )
    if not playlist.playlists:
        return variants, "HLS master playlist without variants"
    if not follow_variant:
        return variants, ""
    first = playlist.playlists[0].absolute_uri
    if scheme_of(first) not in ("http", "https"):
        return variants, f"HLS variant with an unsupported address: {display_source(first)}"
    try:
        media = m3u8.loads(_manifest(first, timeout, headers, allow_insecure, cancel), uri=first)
    except FetchError as exc:
        return variants, f"First variant unreachable: {exc}"
    except Exception as exc:
        return variants, f"First variant unreadable ({type(exc).__name__})"
    if not media.segments and not media.is_variant:
        return variants, "First variant has no segments"
    return variants, ""
