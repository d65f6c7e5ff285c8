"""Per-media libVLC options: the playlist's whitelisted options and headers, plus the app's own (hardware decoding).

Playlist text is untrusted: every option is checked again with ``vlcopts.check_option`` and applied with
``add_option_flag(":" + opt, 0)`` so libVLC's own check of unsafe options stays on. Only values the app chose itself
from validated settings (hardware decoding, preferred languages) are added as trusted, because libVLC marks
``avcodec-hw`` unsafe per item and would ignore it otherwise.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from settop.core.playlist.vlcopts import check_option
from settop.core.redact import redact
from settop.player.base import PlayRequest

log = logging.getLogger("settop.player.options")

OPTION_UNTRUSTED = 0x0  # libvlc_media_option_t: libVLC checks the option is safe per item
OPTION_TRUSTED = 0x2  # libvlc_media_option_trusted: only for values the app itself chose and validated
HW_DECODING = ("auto", "any", "vaapi", "vdpau", "nvdec", "dxva2", "d3d11va", "videotoolbox", "mediacodec", "none")
_HEADER_OPTIONS = {"user-agent": "http-user-agent", "referer": "http-referrer", "referrer": "http-referrer"}
_LANGUAGES = re.compile(r"^[A-Za-z]{2,3}(,[A-Za-z]{2,3})*$")


class OptionTarget(Protocol):
    """What options are applied to: a ``vlc.Media`` (only its ``add_option_flag``)."""

    def add_option_flag(self, psz_options: str, i_flags: int) -> None: ...


@dataclass(frozen=True, slots=True)
class MediaOptions:
    """Options for one media, each ``name=value`` without the leading colon.

    playlist: checked options from the playlist (applied untrusted, libVLC checks them again).
    app: options the app chose from validated settings (applied trusted).
    rejected: names of playlist options that were dropped (for the log; values are never kept).
    """

    playlist: tuple[str, ...]
    app: tuple[str, ...]
    rejected: tuple[str, ...]


def hw_decoding_option(hw_decoding: str) -> str | None:
    """``avcodec-hw=...`` for a hardware decoding setting; ``auto`` means "any", unknown values give None."""
    value = hw_decoding.strip().lower()
    if value == "auto":
        value = "any"
    if value not in HW_DECODING:
        return None
    return f"avcodec-hw={value}"


def build_options(request: PlayRequest, *, hw_decoding: str = "auto", audio_languages: Sequence[str] = (),
                  subtitle_languages: Sequence[str] = (), network_caching_ms: int | None = None) -> MediaOptions:
    """Check the request's options and headers and add the app's own; later options of the same name win.

    network_caching_ms: the ``playback.network_caching_ms`` setting (None: libVLC's default); a playlist's own
    ``network-caching`` for its channel wins over it.
    """
    chosen: dict[str, str] = {}
    rejected: list[str] = []

    def take(option: str) -> None:
        checked = check_option(option)
        if checked is None:
            rejected.append(option.partition("=")[0].strip()[:40])
            return
        name, value = checked
        chosen.pop(name, None)
        chosen[name] = value

    for option in request.options:
        take(option.lstrip(":"))
    for header, value in request.headers:
        name = _HEADER_OPTIONS.get(header.strip().lower())
        if name is None:
            rejected.append(f"header {header.strip()[:40]}")
            continue
        take(f"{name}={value}")

    app: list[str] = []
    hw = hw_decoding_option(hw_decoding)
    if hw is not None:
        app.append(hw)
    # Playlist languages, being more specific than the user's general preference, override it.
    if audio_languages and "audio-language" not in chosen and _LANGUAGES.match(",".join(audio_languages)):
        app.append("audio-language=" + ",".join(audio_languages))
    if network_caching_ms is not None and "network-caching" not in chosen:
        app.append(f"network-caching={max(0, int(network_caching_ms))}")
    if subtitle_languages and "sub-language" not in chosen and _LANGUAGES.match(",".join(subtitle_languages)):
        app.append("sub-language=" + ",".join(subtitle_languages))
    return MediaOptions(tuple(f"{k}={v}" for k, v in chosen.items()), tuple(app), tuple(rejected))


def apply_options(media: OptionTarget, options: MediaOptions) -> None:
    """Hand ``options`` to ``media``: playlist options untrusted, the app's own trusted."""
    for option in options.playlist:
        media.add_option_flag(":" + option, OPTION_UNTRUSTED)
    for option in options.app:
        media.add_option_flag(":" + option, OPTION_TRUSTED)
    if options.rejected:
        log.info("ignored stream options: %s", redact(", ".join(sorted(set(options.rejected)))))


def option_names(options: Iterable[str]) -> list[str]:
    """The names of ``name=value`` options, for logs that must not show values."""
    return [option.partition("=")[0] for option in options]
