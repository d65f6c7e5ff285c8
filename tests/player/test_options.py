"""What per-media options the player builds from a request: the whitelist, headers, and the app's own."""

from __future__ import annotations

import pytest

from settop.player.base import PlayRequest
from settop.player.options import (
    OPTION_TRUSTED,
    OPTION_UNTRUSTED,
    apply_options,
    build_options,
    hw_decoding_option,
)


class RecordingMedia:
    def __init__(self) -> None:
        self.calls: list[tuple[str, int]] = []

    def add_option_flag(self, psz_options: str, i_flags: int) -> None:
        self.calls.append((psz_options, i_flags))


@pytest.mark.parametrize(("options", "headers", "expected"), [
    (("network-caching=1000",), (), ("network-caching=1000",)),
    ((":network-caching=1000",), (), ("network-caching=1000",)),
    (("sout=#std{access=file,dst=/tmp/x}",), (), ()),
    (("demux-filter=record",), (), ()),
    (("input-slave=http://127.0.0.1/x.mp3",), (), ()),
    (("http-user-agent=Evil\r\nX-Injected: 1",), (), ()),
    (("network-caching=abc",), (), ()),
    ((), (("User-Agent", "Box/1.0"), ("Referer", "http://example.invalid/")),
     ("http-user-agent=Box/1.0", "http-referrer=http://example.invalid/")),
    ((), (("Cookie", "a=b"),), ()),
    (("http-user-agent=FromOpt",), (("User-Agent", "FromHeader"),), ("http-user-agent=FromHeader",)),
], ids=["plain", "colon", "sout", "demux-filter", "input-slave", "crlf-ua", "bad-number", "headers", "cookie",
        "header-wins"])
def test_playlist_options_are_whitelisted(options: tuple[str, ...], headers: tuple[tuple[str, str], ...],
                                          expected: tuple[str, ...]) -> None:
    request = PlayRequest("http://127.0.0.1/x", headers=headers, options=options)
    built = build_options(request, hw_decoding="none")
    assert built.playlist == expected


@pytest.mark.parametrize(("setting", "option"), [
    ("auto", "avcodec-hw=any"), ("vaapi", "avcodec-hw=vaapi"), ("VDPAU", "avcodec-hw=vdpau"),
    ("none", "avcodec-hw=none"), ("vaapi,sout=#x", None), ("", None),
], ids=["auto", "vaapi", "case", "none", "injection", "empty"])
def test_hw_decoding_option(setting: str, option: str | None) -> None:
    assert hw_decoding_option(setting) == option


def test_apply_keeps_playlist_untrusted_and_app_trusted() -> None:
    request = PlayRequest("http://127.0.0.1/x", options=("network-caching=500", "sout=#display"))
    media = RecordingMedia()
    apply_options(media, build_options(request, hw_decoding="vaapi", audio_languages=("deu", "eng")))
    assert media.calls == [
        (":network-caching=500", OPTION_UNTRUSTED),
        (":avcodec-hw=vaapi", OPTION_TRUSTED),
        (":audio-language=deu,eng", OPTION_TRUSTED),
    ]


def test_playlist_language_beats_preference() -> None:
    request = PlayRequest("http://127.0.0.1/x", options=("audio-language=fra",))
    built = build_options(request, hw_decoding="none", audio_languages=("eng",))
    assert built.playlist == ("audio-language=fra",)
    assert built.app == ("avcodec-hw=none",)
