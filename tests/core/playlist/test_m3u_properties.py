"""Properties of the parser: it never raises, and a rendered playlist parses back to the same channels."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from unittest.mock import patch

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from settop.core.models import Catchup
from settop.core.playlist.m3u import parse, parse_bytes

EXAMPLES = int(os.environ.get("SETTOP_M3U_EXAMPLES", "300"))
QUICK = settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))

FRAGMENTS = st.sampled_from(
    [
        "#EXTM3U",
        '#EXTM3U x-tvg-url="http://e/a.xml,http://e/b.xml" catchup="xc"',
        "#EXTINF:-1,",
        '#EXTINF:-1 tvg-id="a" group-title="x;y",Name',
        '#EXTINF:-1 tvg-id=\'a b="c",Name',
        "#EXTINF: a=\"'b\" c='\"d' ,,,",
        "#EXTINF:",
        "#EXTVLCOPT:http-user-agent=x",
        "#EXTVLCOPT--program=",
        "#EXTGRP:",
        "#EXTGRP:a;;b",
        "#KODIPROP:inputstream.adaptive.license_key=x",
        "#EXT-X-PLAYLIST-TYPE:VOD",
        "http://h/a.ts|User-Agent=%ZZ&&=&!",
        "file:///etc/passwd",
        "../x.ts",
        "=====",
        "\ufeff",
        "\x00",
    ]
)
LINES = st.lists(st.one_of(FRAGMENTS, st.text(max_size=60)), max_size=30)


@QUICK
@given(lines=LINES, sep=st.sampled_from(["\n", "\r\n", "\r"]), remote=st.booleans())
def test_parse_never_raises(lines: list[str], sep: str, remote: bool) -> None:
    playlist = parse(sep.join(lines), base_url="http://127.0.0.1/x/list.m3u" if remote else "", remote=remote)
    assert len({c.key for c in playlist.channels}) == len(playlist.channels)
    for warning in playlist.warnings:
        assert warning.line >= 0 and warning.message


@QUICK
@given(data=st.binary(max_size=400))
def test_parse_bytes_never_raises(data: bytes) -> None:
    parse_bytes(b'#EXTM3U\n#EXTINF:-1 tvg-id="' + data + b"\nhttp://h/x\n")


TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters='"\x85'),
    min_size=1,
    max_size=20,
).map(str.strip)
NAME = (
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\x85"),
        min_size=1,
        max_size=30,
    )
    .map(str.strip)
    .filter(bool)
)
GROUP = TEXT.filter(lambda s: bool(s) and ";" not in s)
AGENT = st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=30)


@dataclass(frozen=True)
class Spec:
    name: str
    url: str
    tvg_id: str
    tvg_name: str
    logo: str
    groups: tuple[str, ...]
    number: tuple[int, int | None] | None
    radio: bool
    shift: float
    catchup: Catchup | None
    agent: str
    options: tuple[str, ...]


SPECS = st.builds(
    Spec,
    name=NAME,
    url=st.integers(0, 10**6).map(lambda i: f"http://streams.example/{i}.m3u8"),
    tvg_id=TEXT,
    tvg_name=TEXT,
    logo=st.sampled_from(["", "http://logos.example/a.png", "https://l.example/x,y.png?a=b"]),
    groups=st.lists(GROUP, max_size=3, unique=True).map(tuple),
    number=st.none() | st.tuples(st.integers(0, 99999), st.none() | st.integers(0, 99)),
    radio=st.booleans(),
    shift=st.sampled_from([0.0, 1.0, -2.5, 12.0]),
    catchup=st.none()
    | st.builds(
        Catchup,
        mode=st.sampled_from(["default", "append", "shift", "flussonic", "xc", "vod"]),
        days=st.integers(0, 30),
        source=st.sampled_from(["", "http://c.example/{utc}/{duration}", "?utc={utc}&lutc={lutc}"]),
        correction=st.sampled_from([0.0, -1.5, 2.0]),
    ),
    agent=st.just("") | AGENT,
    options=st.lists(st.sampled_from(["program=3", "network-caching=1500", "audio-language=de,en"]), unique=True).map(
        tuple
    ),
)


def _option_value(value: str) -> str:
    """An option value as a provider must write it: the parser takes one pair of matching outer quotes off
    (``"a b"`` -> ``a b``, as Kodi playlists quote), so a value that is itself wrapped in quotes is quoted once more."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return f'"{value}"'
    return value


def render(specs: list[Spec]) -> str:
    """Write the specs as an extended M3U playlist, the way providers do."""
    out = ["#EXTM3U"]
    for spec in specs:
        attrs = [f'tvg-id="{spec.tvg_id}"', f'tvg-name="{spec.tvg_name}"', f'tvg-logo="{spec.logo}"']
        if spec.groups:
            attrs.append(f'group-title="{";".join(spec.groups)}"')
        if spec.number is not None:
            major, minor = spec.number
            attrs.append(f'tvg-chno="{major}"' if minor is None else f'tvg-chno="{major}.{minor}"')
        attrs.append(f'radio="{"true" if spec.radio else "false"}"')
        attrs.append(f'tvg-shift="{spec.shift}"')
        if spec.catchup is not None:
            c = spec.catchup
            attrs.append(f'catchup="{c.mode}" catchup-days="{c.days}" catchup-source="{c.source}"')
            attrs.append(f'catchup-correction="{c.correction}"')
        out.append(f"#EXTINF:-1 {' '.join(attrs)},{spec.name}")
        if spec.agent:
            out.append(f"#EXTVLCOPT:http-user-agent={_option_value(spec.agent)}")
        out.extend(f"#EXTVLCOPT:{option}" for option in spec.options)
        out.append(spec.url)
    return "\r\n".join(out) + "\r\n"


_PLAIN = Spec(name="0", url="http://streams.example/0.m3u8", tvg_id="0", tvg_name="0", logo="", groups=(),
              number=None, radio=False, shift=0.0, catchup=None, agent="", options=())


@QUICK
@given(specs=st.lists(SPECS, max_size=8))
@example(specs=[replace(_PLAIN, agent="'0'")])  # once came back as 0: the parser unquotes one outer pair
@example(specs=[replace(_PLAIN, agent='"0"'), replace(_PLAIN, agent="''", url="http://streams.example/1.m3u8")])
def test_render_then_parse_gives_the_same_channels(specs: list[Spec]) -> None:
    playlist = parse(render(specs))
    assert playlist.warnings == ()
    got = [
        Spec(
            name=c.name,
            url=c.url,
            tvg_id=c.tvg_id,
            tvg_name=c.tvg_name,
            logo=c.logo,
            groups=c.groups,
            number=None if c.number is None else (c.number, c.number_minor),
            radio=c.radio,
            shift=c.tvg_shift,
            catchup=c.catchup,
            agent=dict(c.headers).get("User-Agent", ""),
            options=c.vlc_options,
        )
        for c in playlist.channels
    ]
    assert got == specs
    assert len({c.key for c in playlist.channels}) == len(specs)


EXTINF_PIECES = st.lists(
    st.sampled_from(
        ["-1", "0", "-1.5", " ", "  ", "\t", ",", '"', "'", "=", "tvg-id", "Tvg-ID", "a.b_c", "-x", "\u0661", "é", "x"]
    ),
    max_size=25,
).map("".join)


ATTR_KEYS = st.sampled_from(["tvg-id", "a", "Tvg-ID", "x_y.z", "-k", "é"])
ATTRS = st.lists(st.tuples(ATTR_KEYS, TEXT | st.just("")), max_size=6)


@QUICK
@given(
    attrs=ATTRS,
    head=st.sampled_from(["-1", "-1 ", " -1", "-10", "0", "-1.0"]),
    sep=st.sampled_from([",", " ,", "  ,", ""]),
    name=NAME | st.sampled_from([" padded name  ", 'a "quoted" name', 'x" b="y', 'p="q" r']),
    noise=EXTINF_PIECES,
)
def test_extinf_fast_path_reads_as_the_tokenizer_does(
    attrs: list[tuple[str, str]], head: str, sep: str, name: str, noise: str
) -> None:
    """Every line the one fast path (split_shape, then a shape the builder accepts) reads, the tokenizer reads the
    same: the attributes, the name, and no problems."""
    from settop.core.playlist.attrs import split_extinf, split_shape
    from settop.core.playlist.build import EntryBuilder
    from settop.core.playlist.catchup_attrs import HeaderDefaults

    builder = EntryBuilder(HeaderDefaults(), lambda line, message: None)
    body = head + "".join(f' {key}="{value}"' for key, value in attrs) + sep + name
    for text in (body, noise, noise + body, body + noise):
        shaped = split_shape("#EXTINF:" + text, 8)
        if shaped is None or builder.shape(shaped[1]) is None:
            continue
        parts, signature, fast_name = shaped
        keys = signature.split('"') if signature else []
        assert split_extinf(text) == (dict(zip(keys, parts[1:-1:2], strict=True)), fast_name, [])


SHAPE_KEYS = st.sampled_from(
    [
        "tvg-id", "tvg-name", "tvg-logo", "group-title", "tvg-chno", "ch-number", "radio", "tvg-shift", "media",
        "media-dir", "media-size", "catchup", "catchup-type", "catchup-source", "catchup-days", "catchup-correction",
        "timeshift", "tvg-rec", "provider", "x.y_z", "Tvg-Id", "bad key", "",
    ]
)  # fmt: skip
SHAPE_VALUES = st.sampled_from(
    [
        "",
        " ",
        "1",
        " 7 ",
        "5.1",
        "x",
        "true",
        " TRUE",
        "false",
        "-2.5",
        "a;b",
        " News ",
        "shift",
        "xc",
        "{utc}",
        "é",
        "1e9",
    ]
)
SHAPE_HEADERS = st.sampled_from(
    ["#EXTM3U", '#EXTM3U tvg-shift="2" catchup="xc" catchup-days="3"', '#EXTM3U catchup-source="?u={utc}"', ""]
)


@QUICK
@given(
    header=SHAPE_HEADERS,
    entries=st.lists(
        st.tuples(
            st.lists(st.tuples(SHAPE_KEYS, SHAPE_VALUES), max_size=7),
            st.sampled_from(["", "Name", " * Name ", "[+] N", 'a "q" name', "x,y"]),
            st.sampled_from(["", "#EXTGRP:g1;g2", "#EXT-X-PLAYLIST-TYPE:VOD", "#EXTVLCOPT:program=3"]),
        ),
        max_size=6,
    ),
)
def test_shapes_read_as_the_attribute_dicts_do(
    header: str, entries: list[tuple[list[tuple[str, str]], str, str]]
) -> None:
    """The Shape path (no dict per entry) gives exactly what the tokenizer's dicts give, warnings included."""
    from settop.core.playlist import m3u

    lines = [header]
    for index, (attrs, name, extra) in enumerate(entries):
        lines.append("#EXTINF:-1" + "".join(f' {key}="{value}"' for key, value in attrs) + "," + name)
        lines += [extra, f"http://h/{index}.ts"]
    text = "\n".join(lines) + "\n"
    fast = parse(text)
    with patch.object(m3u, "split_shape", lambda line, start: None):
        slow = parse(text)
    assert fast == slow


def test_past_max_shapes_the_rest_reads_through_dicts() -> None:
    from settop.core.playlist import m3u
    from settop.core.playlist.build import MAX_SHAPES

    text = "#EXTM3U\n" + "".join(
        f'#EXTINF:-1 tvg-id="i{i}" x{i}="v" group-title="g",N{i}\nhttp://h/{i}.ts\n' for i in range(MAX_SHAPES + 20)
    )
    with patch.object(m3u, "split_shape", lambda line, start: None):
        slow = parse(text)
    assert parse(text) == slow
    assert slow.channels[-1].attrs == ((f"x{MAX_SHAPES + 19}", "v"),)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        pytest.param('#EXTINF:-1 a="x" b="",N ', (["", "x", " b=", "", None], ' a=" b=', "N"), id="usual"),
        pytest.param('#EXTINF:-1 a="x" ,N', (["", "x", None], " a=", "N"), id="space-before-comma"),
        pytest.param('#EXTINF:-1 a="x", b="y",N', (["", "x", ", b=", "y", None], ' a=", b=', "N"), id="odd-key"),
        pytest.param('#EXTINF:-1 a="x",Say "hi"', None, id="quoted-name"),
        pytest.param('#EXTINF:-1 a="x,N', None, id="unterminated"),
        pytest.param('#EXTINF:0 a="x",N', (["", "x", None], " a=", "N"), id="other-duration"),
        pytest.param('#EXTINF:-1.5 a="x",N', (["", "x", None], " a=", "N"), id="fraction"),
        pytest.param('#EXTINF:-10,N', (["", None], "", "N"), id="longer-duration"),
        pytest.param('#EXTINF:x a="x",N', None, id="no-duration"),
        pytest.param('#EXTINF:-1  ,N', None, id="two-spaces"),
        pytest.param('#EXTINF:-1"",', None, id="quote-without-key"),
        pytest.param('#EXTINF:-1 a="x"N', None, id="no-comma"),
        pytest.param("#EXTINF:-1,N", (["", None], "", "N"), id="no-attributes"),
        pytest.param("#EXTINF:-1 ,N", (["", None], "", "N"), id="no-attributes-space"),
    ],
)
def test_split_shape(line: str, expected: tuple[list[object], str, str] | None) -> None:
    """A shape with an odd key (``', b='``) comes back too: the builder refuses it, not split_shape."""
    from settop.core.playlist.attrs import split_shape
    from settop.core.playlist.build import EntryBuilder
    from settop.core.playlist.catchup_attrs import HeaderDefaults

    assert split_shape(line, 8) == expected
    if expected is not None:
        shape = EntryBuilder(HeaderDefaults(), lambda line, message: None).shape(expected[1])
        assert (shape is None) == ("," in expected[1])
