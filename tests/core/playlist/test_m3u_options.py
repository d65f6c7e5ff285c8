"""#EXTVLCOPT, ``url|Header=..`` and #KODIPROP: what reaches the player, and warnings that never show a value."""

from __future__ import annotations

from pathlib import Path

import pytest

from settop.core.playlist.m3u import parse

DATA = Path(__file__).parents[2] / "data" / "m3u"


def test_options_fixture() -> None:
    playlist = parse((DATA / "options.m3u").read_text(encoding="utf-8"))
    a, b, c = playlist.channels
    assert a.headers == (("User-Agent", "Mozilla/5.0 (X11; Linux) Test/1.0"), ("Referer", "https://www.example.com/"))
    assert a.vlc_options == ("program=745", "network-caching=3000", "sub-language=en,fr")
    assert a.properties == (("inputstream", "inputstream.adaptive"), ("inputstream.adaptive.manifest_type", "hls"))
    assert b.url == "https://s.example/b.m3u8"
    assert b.headers == (("User-Agent", "FromUrl/2.0"), ("Referer", "https://ref.example/"))
    assert c.headers == (("User-Agent", "Quoted Agent/3.0"),)
    got = [(w.line, w.message) for w in playlist.warnings]
    assert got == [
        (8, "#EXTVLCOPT option 'http-proxy' is not allowed; ignored"),
        (9, "#EXTVLCOPT option 'http-reconnect' is not allowed; ignored"),
        (10, "#EXTVLCOPT option 'network-caching' has an invalid value; ignored"),
        (13, "#KODIPROP 'inputstream.adaptive.license_type' ignored: DRM is not supported"),
        (14, "#KODIPROP 'inputstream.adaptive.license_key' ignored: DRM is not supported"),
        (18, "URL header 'Origin' is not supported by the player; ignored (reported once)"),
        (18, "URL header 'Cookie' is not supported by the player; ignored (reported once)"),
    ]
    text = repr(playlist.warnings)
    for secret in ("proxy.example", "lots", "secret-token", "secret-cookie", "o.example", "widevine"):
        assert secret not in text


@pytest.mark.parametrize(
    ("lines", "url", "headers", "options", "warned"),
    [
        pytest.param(
            ["#EXTVLCOPT:http-user-agent=UA/1"], "http://s/x", (("User-Agent", "UA/1"),), (), False, id="user-agent"
        ),
        pytest.param(
            ["#EXTVLCOPT:http-referrer=http://r/"], "http://s/x", (("Referer", "http://r/"),), (), False, id="referrer"
        ),
        pytest.param(["#EXTVLCOPT:program=3"], "http://s/x", (), ("program=3",), False, id="program"),
        pytest.param(
            ["#EXTVLCOPT:audio-language=de"], "http://s/x", (), ("audio-language=de",), False, id="audio-language"
        ),
        pytest.param(
            ["#EXTVLCOPT::network-caching=500"], "http://s/x", (), ("network-caching=500",), False, id="leading-colon"
        ),
        pytest.param(
            ["#EXTVLCOPT:http-user-agent=UA with spaces (X11)"],
            "http://s/x",
            (("User-Agent", "UA with spaces (X11)"),),
            (),
            False,
            id="value-with-spaces-kept-whole",
        ),
        pytest.param(["#EXTVLCOPT:input-slave=file:///etc/passwd"], "http://s/x", (), (), True, id="not-allowed"),
        pytest.param(["#EXTVLCOPT:program=abc"], "http://s/x", (), (), True, id="bad-number"),
        pytest.param(["#EXTVLCOPT:novalue"], "http://s/x", (), (), True, id="no-value"),
        pytest.param(
            [],
            "http://s/x|User-Agent=A%20B&Referer=http%3A%2F%2Fr%2F",
            (("User-Agent", "A B"), ("Referer", "http://r/")),
            (),
            False,
            id="pipe-percent-encoded",
        ),
        pytest.param(
            [],
            "http://s/x|user-agent=a&REFERRER=http://r/",
            (("User-Agent", "a"), ("Referer", "http://r/")),
            (),
            False,
            id="pipe-any-case-and-referrer-spelling",
        ),
        pytest.param([], "http://s/x|!User-Agent=a", (("User-Agent", "a"),), (), False, id="pipe-bang-prefix"),
        pytest.param([], "http://s/x|", (), (), False, id="pipe-empty"),
        pytest.param([], "http://s/x|X-Forwarded-For=1.2.3.4", (), (), True, id="pipe-unsupported-header"),
        pytest.param([], "http://s/x|User-Agent=a%0Db", (), (), True, id="pipe-header-injection"),
        pytest.param(
            ["#EXTVLCOPT:http-user-agent=Option"],
            "http://s/x|User-Agent=Url",
            (("User-Agent", "Url"),),
            (),
            False,
            id="url-header-wins",
        ),
    ],
)
def test_options_and_headers(
    lines: list[str], url: str, headers: tuple[tuple[str, str], ...], options: tuple[str, ...], warned: bool
) -> None:
    extra = "".join(line + "\n" for line in lines)
    playlist = parse(f"#EXTM3U\n#EXTINF:-1,N\n{extra}{url}\n")
    (channel,) = playlist.channels
    assert channel.url == "http://s/x"
    assert (channel.headers, channel.vlc_options) == (headers, options)
    assert bool(playlist.warnings) == warned


def test_options_do_not_leak_to_the_next_entry() -> None:
    playlist = parse(
        "#EXTM3U\n#EXTINF:-1,A\n#EXTVLCOPT:program=1\n#KODIPROP:k=v\n#EXT-X-PLAYLIST-TYPE:VOD\nhttp://s/a\n"
        "#EXTINF:-1,B\nhttp://s/b\n"
    )
    a, b = playlist.channels
    assert (a.vlc_options, a.properties, a.media) == (("program=1",), (("k", "v"),), True)
    assert (b.vlc_options, b.properties, b.media) == ((), (), False)


@pytest.mark.parametrize(
    ("line", "properties", "warned"),
    [
        pytest.param("#KODIPROP:key=val", (("key", "val"),), False, id="kept"),
        pytest.param(
            "#KODIPROP:inputstreamclass=inputstream.adaptive",
            (("inputstream", "inputstream.adaptive"),),
            False,
            id="inputstreamclass-alias",
        ),
        pytest.param("#KODIPROP:a=b=c", (("a", "b=c"),), False, id="rest-of-line-is-value"),
        pytest.param("#KODIPROP:inputstream.adaptive.drm_legacy=x", (), True, id="drm"),
        pytest.param("#KODIPROP:inputstream.adaptive.server_certificate=x", (), True, id="certificate"),
        pytest.param("#KODIPROP:nothing", (), True, id="no-equals"),
    ],
)
def test_kodiprop(line: str, properties: tuple[tuple[str, str], ...], warned: bool) -> None:
    playlist = parse(f"#EXTM3U\n#EXTINF:-1,N\n{line}\nhttp://s/x\n")
    assert playlist.channels[0].properties == properties
    assert bool(playlist.warnings) == warned


def test_iptv_org_header_forms() -> None:
    """iptv-org's EXTINF attributes and quoted pipe form, Kodi's pipe form; precedence attrs < EXTVLCOPT < URL."""
    playlist = parse((DATA / "iptv_org_headers.m3u").read_text(encoding="utf-8"))
    first, attrs, pipe, kodi, second = playlist.channels
    assert dict(first.headers) == {"Referer": "https://www.3sat.de/",
                                   "User-Agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"}
    assert first.attrs == ()  # header attributes are headers, not leftovers
    assert dict(attrs.headers) == {"User-Agent": "OptionAgent/2.0", "Referer": "https://attr.example/"}
    assert pipe.url == "https://pipe.example/index.m3u8"
    assert dict(pipe.headers) == {"Referer": "https://a.example/",
                                  "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/115.0"}
    assert dict(kodi.headers) == {"User-Agent": "Kodi/20.0", "Referer": "https://k.example/"}
    assert second.headers == ()
    messages = [(w.line, w.message) for w in playlist.warnings]
    assert messages == [
        (8, "URL header 'Origin' is not supported by the player; ignored (reported once)"),
        (10, "URL header 'X-Forwarded-For' is not supported by the player; ignored (reported once)"),
    ]


@pytest.mark.parametrize(
    ("tail", "headers", "unsupported"),
    [
        pytest.param("User-Agent=x&Referer=y", {"User-Agent": "x", "Referer": "y"}, [], id="kodi"),
        pytest.param('Referer="https://a/"|User-Agent="M/5.0 (a|b; c=d)"', {"Referer": "https://a/",
                     "User-Agent": "M/5.0 (a|b; c=d)"}, [], id="iptv-org-quoted-bar-inside"),
        pytest.param("!User-Agent=a%20b", {"User-Agent": "a b"}, [], id="kodi-bang-percent"),
        pytest.param('referer="r"|user-agent=u', {"Referer": "r", "User-Agent": "u"}, [], id="lower-case-mixed"),
        pytest.param("Origin=o&Cookie=c", {}, ["Origin", "Cookie"], id="unsupported"),
        pytest.param("&&=&!", {}, [], id="empty-parts"),
    ],
)
def test_pipe_header_forms(tail: str, headers: dict[str, str], unsupported: list[str]) -> None:
    from settop.core.playlist.urls import read_pipe_headers

    warnings: list[str] = []
    assert read_pipe_headers(1, tail, lambda line, message: warnings.append(message)) == (headers, unsupported)
    assert warnings == []
