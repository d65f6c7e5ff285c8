"""The address gate as a property: whatever the address, a remote source never gets past it with a local one."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from settop.core import address
from settop.core.playlist.m3u import parse

PREFIXES = ["http://", "HTTPS://", "file:", "file://", "FILE:///", "C:", "c:/", "C:\\", "\\\\", "/", "~", "..", "",
            "v4l2://", "screen://", "dshow://", "smb://", "data:", "javascript:", "http:", "http/ts://", "udp://@",
            "mms://", "srt://", "rtmps://", "x-y+z.w:", " http://", "\x00", "://", "#", "%2F", "file%3A//"]
addresses = st.builds(lambda prefix, rest: prefix + rest, st.sampled_from(PREFIXES),
                      st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30))


def _libvlc_access(url: str) -> str:
    """The access module libVLC opens for ``url`` ("path" for a file): python-vlc passes a location when ":" comes
    after index 1, and libVLC's input_SplitMRL takes the access before "://" (up to a "/"), else it is a path."""
    if ":" not in url or url.index(":") <= 1:
        return "path"
    head, sep, _ = url.partition("://")
    return head.split("/")[0].lower() if sep else "path"


@given(addresses)
@settings(max_examples=500, deadline=None)
def test_a_remote_address_that_passes_is_a_network_stream(url: str) -> None:
    if address.allowed(url, local_ok=False):
        assert _libvlc_access(url) in address.NETWORK_SCHEMES
        assert not any(ord(ch) < 32 for ch in url)


@given(addresses)
@settings(max_examples=500, deadline=None)
def test_a_local_source_never_opens_a_device(url: str) -> None:
    if address.allowed(url, local_ok=True):
        assert _libvlc_access(url) in address.NETWORK_SCHEMES | {"path", "file"} or url.lower().startswith("file:")


@given(st.lists(addresses, min_size=1, max_size=5), st.sampled_from(["http://h/a/list.m3u", ""]))
@settings(max_examples=300, deadline=None)
def test_every_channel_of_a_remote_playlist_passes_the_gate(urls: list[str], base: str) -> None:
    text = "#EXTM3U\n" + "".join(f"#EXTINF:-1,N\n{url}\n" for url in urls)
    for channel in parse(text, base_url=base, remote=True).channels:
        # The parser's fast path keeps http URLs as they are; the player's gate refuses control characters.
        assert _libvlc_access(channel.url) in address.NETWORK_SCHEMES, channel.url


@pytest.mark.parametrize(("url", "local_ok", "why"), [
    ("http://h/x", False, None),
    ("mmsh://h/x", False, None),
    ("C:/../../../../../../etc/passwd", False, address.REMOTE_LOCAL),
    ("C:/../../../../../../etc/passwd", True, None),
    ("file:///etc/passwd?1700000000", False, address.REMOTE_LOCAL),
    ("v4l2:///dev/video0", True, "stream scheme 'v4l2' is not supported"),
    ("screen://", False, "stream scheme 'screen' is not supported"),
    ("http:/etc/passwd", False, "its address is not a valid URL"),
    ("http://h/x\n:input-slave=file:///etc/passwd", False, "its address is not a valid URL"),
    ("", True, "its address is not a valid URL"),
])
def test_refusals(url: str, local_ok: bool, why: str | None) -> None:
    assert address.refusal(url, local_ok=local_ok) == why
