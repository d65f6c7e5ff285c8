"""Catch-up attributes, their aliases and the header's defaults (the reading m3u_build's docstring documents)."""

from __future__ import annotations

from pathlib import Path

import pytest

from settop.core.models import Catchup
from settop.core.playlist.m3u import parse

DATA = Path(__file__).parents[2] / "data" / "m3u"


@pytest.mark.parametrize(
    ("header", "attrs", "name", "expected", "warned"),
    [
        pytest.param(
            "",
            'catchup="default" catchup-source="http://c/{utc}" catchup-days="3"',
            "N",
            Catchup("default", 3, "http://c/{utc}"),
            False,
            id="default-with-source",
        ),
        pytest.param("", 'catchup="default"', "N", Catchup("default"), False, id="default-without-source-kept"),
        pytest.param(
            "", 'catchup-type="shift" catchup-days="2"', "N", Catchup("shift", 2), False, id="catchup-type-alias"
        ),
        pytest.param("", 'catchup="SHIFT"', "N", Catchup("shift"), False, id="mode-any-case"),
        pytest.param("", 'catchup="fs"', "N", Catchup("flussonic"), False, id="fs-is-flussonic"),
        pytest.param("", 'catchup="flussonic-hls"', "N", Catchup("flussonic-hls"), False, id="flussonic-hls"),
        pytest.param("", 'catchup="flussonic-ts"', "N", Catchup("flussonic-ts"), False, id="flussonic-ts"),
        pytest.param("", 'catchup="xc"', "N", Catchup("xc"), False, id="xc"),
        pytest.param("", 'catchup="vod"', "N", Catchup("vod"), False, id="vod"),
        pytest.param(
            "",
            'catchup="append" catchup-source="&cutv={Y}" catchup-correction="-4.0"',
            "N",
            Catchup("append", 0, "&cutv={Y}", -4.0),
            False,
            id="append-with-correction",
        ),
        pytest.param("", 'timeshift="3"', "N", Catchup("shift", 3), False, id="timeshift-days"),
        pytest.param("", 'tvg-rec="7"', "N", Catchup("shift", 7), False, id="tvg-rec-days"),
        pytest.param("", 'tvg-rec="1"', "N", Catchup("shift", 1), False, id="tvg-rec-flag-reads-one-day"),
        pytest.param("", 'tvg-rec="0"', "N", None, False, id="tvg-rec-zero-off"),
        pytest.param(
            "",
            'catchup="shift" catchup-days="5" timeshift="2"',
            "N",
            Catchup("shift", 5),
            False,
            id="catchup-days-beat-timeshift",
        ),
        pytest.param("", 'catchup="shift" timeshift="2"', "N", Catchup("shift", 2), False, id="timeshift-gives-days"),
        pytest.param(
            "", 'catchup="default" catchup-type="vod"', "N", Catchup("default"), False, id="catchup-beats-catchup-type"
        ),
        pytest.param(
            "",
            'catchup-source="http://c/{utc}"',
            "N",
            Catchup("default", 0, "http://c/{utc}"),
            False,
            id="source-alone-is-default",
        ),
        pytest.param("", 'catchup-days="3"', "N", None, False, id="days-alone-is-off"),
        pytest.param("", 'catchup="archive"', "N", None, True, id="unsupported-type-warns"),
        pytest.param("", 'catchup="shift" catchup-days="many"', "N", Catchup("shift"), True, id="bad-days"),
        pytest.param("", 'catchup="shift" catchup-correction="x"', "N", Catchup("shift"), True, id="bad-correction"),
        pytest.param("", 'timeshift="a lot"', "N", None, True, id="bad-timeshift"),
        pytest.param("", "", "N", None, False, id="none"),
        pytest.param(
            'catchup="append" catchup-source="?utc={utc}" catchup-days="4" catchup-correction="-1"',
            "",
            "N",
            Catchup("append", 4, "?utc={utc}", -1.0),
            False,
            id="header-defaults",
        ),
        pytest.param(
            'catchup-source="http://h/{utc}"',
            'catchup="default"',
            "N",
            Catchup("default", 0, "http://h/{utc}"),
            False,
            id="header-source-kodi-forgets",
        ),
        pytest.param(
            'catchup="append" catchup-days="4"',
            'catchup="shift" catchup-days="1" catchup-correction="2"',
            "N",
            Catchup("shift", 1, "", 2.0),
            False,
            id="channel-beats-header",
        ),
        pytest.param(
            'catchup-days="6"', 'timeshift="2"', "N", Catchup("shift", 6), False, id="header-days-beat-timeshift"
        ),
        pytest.param('catchup="xc"', "", "* Marked", Catchup("xc"), False, id="xeev-marked-star"),
        pytest.param('catchup="xc"', "", "[+] Marked", Catchup("xc"), False, id="xeev-marked-plus"),
        pytest.param('catchup="xc"', "", "Unmarked", None, False, id="xeev-unmarked"),
        pytest.param('catchup="xc"', 'catchup="shift"', "Unmarked", Catchup("shift"), False, id="xeev-own-mode"),
        pytest.param('catchup="nonsense"', "", "N", None, True, id="header-unsupported"),
    ],
)
def test_catchup(header: str, attrs: str, name: str, expected: Catchup | None, warned: bool) -> None:
    playlist = parse(f"#EXTM3U {header}\n#EXTINF:-1 {attrs},{name}\nhttp://s.example/x.m3u8\n")
    (channel,) = playlist.channels
    assert channel.catchup == expected
    assert bool(playlist.warnings) == warned
    assert not any(key.startswith(("catchup", "timeshift", "tvg-rec")) for key, _ in channel.attrs)


def test_header_defaults_fixture() -> None:
    playlist = parse((DATA / "header_defaults.m3u").read_text(encoding="utf-8"))
    one, two, three = playlist.channels
    assert playlist.epg_urls == ("http://epg.example/a.xml.gz", "http://epg.example/b.xml", "http://epg.example/c.xml")
    assert playlist.tvg_shift == 2.0
    assert (one.tvg_shift, two.tvg_shift, three.tvg_shift) == (2.0, 2.0, -0.5)
    assert one.catchup == Catchup("append", 4, "?utc={utc}", -1.0)
    assert two.catchup == Catchup("shift", 2, "?utc={utc}", -1.0)
    assert three.catchup == Catchup("append", 4, "&x={utc}", -1.0)
    assert playlist.warnings == ()


def test_catchup_values_are_shared() -> None:
    """Identical catch-up settings are one object: 100,000 channels do not hold 100,000 copies."""
    text = "#EXTM3U\n" + "".join(f'#EXTINF:-1 catchup="shift" catchup-days="3",C{i}\nhttp://s/{i}\n' for i in range(5))
    catchups = {id(c.catchup) for c in parse(text).channels}
    assert len(catchups) == 1
