"""Conformance over every real playlist of ``../shared/corpus/m3u`` (skipped when the corpus is absent).

Counts come from the corpus README; names, URLs, attributes and #EXTVLCOPT headers come from a deliberately
simple reference reading of each file (these files are well formed), which the parser must agree with.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from settop.core.playlist.m3u import STREAM_SCHEMES, parse_bytes
from tests.conftest import CORPUS

M3U = CORPUS / "m3u"
MAPPED = {"tvg-id", "tvg-name", "tvg-logo", "group-title", "tvg-chno", "ch-number", "radio", "tvg-shift", "media"}
MAPPED |= {"catchup", "catchup-type", "catchup-days", "catchup-source", "catchup-correction", "timeshift", "tvg-rec"}
EXPLAINED = ("dropped: stream scheme", "without a URL", "missing #EXTM3U header", "unterminated quote")
_EXTINF = re.compile(r'#EXTINF:(-?\d+)((?:\s+[\w-]+="[^"]*")*)\s*,(.*)$')
_ATTR = re.compile(r'([\w-]+)="([^"]*)"')


def readme_rows() -> list[tuple[str, int, dict[str, int]]]:
    readme = CORPUS / "README.md"
    if not readme.exists():
        return []
    rows = []
    for line in readme.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) > 2 and cells[1].startswith("m3u/") and cells[1].endswith(".m3u"):
            entries = re.search(r"(\d+) entries", line)
            urls = re.search(r"urls: ([\w:,]+)", line)
            schemes = {k: int(v) for k, v in (p.split(":") for p in urls.group(1).split(","))} if urls else {}
            rows.append((cells[1], int(entries.group(1)) if entries else 0, schemes))
    return rows


def reference(text: str) -> tuple[int, list[tuple[str, dict[str, str], list[str], str]]]:
    """(#EXTINF count, [(name, attributes, #EXTVLCOPT values, url)]) read the plain way."""
    extinfs = 0
    entries = []
    current: tuple[str, dict[str, str], list[str]] | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("#EXTINF"):
            extinfs += 1
            match = _EXTINF.match(line)
            assert match is not None, line
            current = (match.group(3).strip(), dict(_ATTR.findall(match.group(2))), [])
        elif line.startswith("#EXTVLCOPT:") and current is not None:
            current[2].append(line[len("#EXTVLCOPT:") :])
        elif line and not line.startswith("#") and current is not None:
            entries.append((*current, line))
            current = None
    return extinfs, entries


ROWS = readme_rows()
pytestmark = pytest.mark.corpus(bool(ROWS))


@pytest.mark.parametrize(("name", "entries", "schemes"), ROWS or [("", 0, {})], ids=[r[0] for r in ROWS] or ["none"])
def test_corpus_playlist(name: str, entries: int, schemes: dict[str, int]) -> None:
    path = CORPUS / name
    data = path.read_bytes()
    playlist = parse_bytes(data, base_url=str(path))
    extinfs, expected = reference(data.decode("utf-8-sig"))
    assert extinfs == entries
    refused = sum(n for scheme, n in schemes.items() if scheme not in STREAM_SCHEMES)
    kept = [e for e in expected if e[3].split(":", 1)[0].lower() in STREAM_SCHEMES]
    assert len(kept) == len(expected) - refused
    assert len(playlist.channels) == len(kept)
    got_schemes = Counter(c.url.split(":", 1)[0].lower() for c in playlist.channels)
    assert got_schemes == Counter({s: n for s, n in schemes.items() if s in STREAM_SCHEMES})
    for channel, (title, attrs, options, url) in zip(playlist.channels, kept, strict=True):
        assert channel.name == (title or attrs.get("tvg-name", "") or channel.name)
        assert channel.url == url.split("|")[0]
        assert channel.tvg_id == attrs.get("tvg-id", "").strip()
        assert channel.tvg_name == attrs.get("tvg-name", "").strip()
        assert channel.logo == attrs.get("tvg-logo", "").strip()
        if "group-title" in attrs:
            assert channel.groups == tuple(g.strip() for g in attrs["group-title"].split(";") if g.strip())
        assert dict(channel.attrs) == {k.lower(): v for k, v in attrs.items() if k.lower() not in MAPPED}
        headers = dict(channel.headers)
        for option in options:
            option_name, _, value = option.partition("=")
            header = {"http-user-agent": "User-Agent", "http-referrer": "Referer"}.get(option_name)
            if header:
                assert headers[header] == value.strip().strip('"')  # a quoted value is read whole, unquoted
    assert len({c.key for c in playlist.channels}) == len(playlist.channels)
    unexplained = [w for w in playlist.warnings if not any(text in w.message for text in EXPLAINED)]
    assert unexplained == []


def test_ipytv_expected_json() -> None:
    """ipytv ships its expected reading of m3u_plus.m3u: ours agrees on every field both have."""
    expected = json.loads((M3U / "ipytv" / "m3u_plus.json").read_text(encoding="utf-8"))
    playlist = parse_bytes((M3U / "ipytv" / "m3u_plus.m3u").read_bytes())
    assert playlist.header == tuple(expected["attributes"].items())
    assert playlist.epg_urls == (expected["attributes"]["x-tvg-url"],)
    assert len(playlist.channels) == len(expected["channels"])
    for channel, want in zip(playlist.channels, expected["channels"], strict=True):
        attrs = want["attributes"]
        assert (channel.name, channel.url) == (want["name"], want["url"])
        assert (channel.tvg_id, channel.tvg_name, channel.logo) == (
            attrs["tvg-id"],
            attrs["tvg-name"],
            attrs["tvg-logo"],
        )
        assert channel.groups == (attrs["group-title"],)
        assert channel.tvg_shift == float(attrs.get("tvg-shift", 0))
        agents = [e.split("=", 1)[1] for e in want["extras"] if e.startswith("#EXTVLCOPT:http-user-agent=")]
        assert dict(channel.headers).get("User-Agent") == (agents[0] if agents else None)


def test_kodi_readme_example() -> None:
    playlist = parse_bytes((M3U / "pvr.iptvsimple" / "readme_m3u_format_elements.m3u").read_bytes())
    by_name = {c.name: c for c in playlist.channels}
    assert playlist.epg_urls == ("http://path-to-xmltv/guide.xml",)
    assert playlist.tvg_shift == -4.5
    x = by_name["Channel X"]
    assert (x.tvg_id, x.number, x.radio, x.tvg_shift, x.groups) == ("channel-x", 10, True, -3.5, ("Entertainment",))
    assert (x.vlc_options, x.properties) == (("program=745",), (("key", "val"),))
    assert by_name["Channel X HD"].groups == ("Entertainment", "HD Channels")
    assert by_name["Channel X"].key != by_name["Channel X HD"].key
    catchups = {name: c.catchup for name, c in by_name.items() if c.catchup is not None}
    assert catchups["Channel B"].source.startswith("http://path-to-stream/live/catchup-b.ts")
    assert (catchups["Channel C"].mode, catchups["Channel C"].correction) == ("append", -4.0)
    assert catchups["Channel A"].correction == -2.5  # the header's catchup-correction
    assert catchups["Channel E"].mode == "shift"  # timeshift="3"
    assert catchups["Channel G"].mode == "flussonic"  # catchup="fs"
    assert (catchups["Channel H"].mode, catchups["Channel J"].mode) == ("xc", "vod")
    assert [by_name[n].media for n in ("Channel L", "Channel M", "Channel N", "Channel O")] == [True] * 4
    assert "Channel K" not in by_name  # plugin:// is refused
    assert [w.line for w in playlist.warnings] == [1, 34]


def test_iptvnator_fixture() -> None:
    playlist = parse_bytes((M3U / "iptvnator" / "test.m3u").read_bytes())
    assert playlist.epg_urls == ("http://xml-url/path/full.xml.gz",)
    assert [(c.name, c.groups) for c in playlist.channels] == [
        ("Channel 1", ("News",)),
        ("Positive News TV", ("News",)),
        ("Sport TVX", ("Sport",)),
    ]
    assert [(w.line, "without a URL" in w.message) for w in playlist.warnings] == [(11, True)]


def test_corpus_is_read_fast_enough_to_notice_regressions() -> None:
    """Not a timing test: every corpus file parses, and the biggest one yields all its entries."""
    big = parse_bytes((M3U / "ipytv" / "iptv-org.m3u").read_bytes())
    assert len(big.channels) == 4601  # 4602 entries: one #EXTINF without a URL (mms and mmsh are played)
    assert Path(M3U).is_dir()
