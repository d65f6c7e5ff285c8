"""The guide report behind `settop inspect PLAYLIST --epg GUIDE`."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from settop.commands.inspect_guide import format_guide_report, guide_report
from settop.core.guide.xmltv import GuideError
from settop.core.playlist.m3u import parse
from tests.conftest import DATA

PLAYLIST = """#EXTM3U
#EXTINF:-1 tvg-id="one.UK",BBC One
http://127.0.0.1:9/one.ts
#EXTINF:-1 tvg-name="Das Erste",Erste
http://127.0.0.1:9/erste.ts
#EXTINF:-1 tvg-id="nope",BBC Two
http://127.0.0.1:9/two.ts
"""


def test_report_counts_and_candidates(tmp_path: Path) -> None:
    guide = tmp_path / "guide.xml.gz"
    guide.write_bytes(gzip.compress((DATA / "xmltv" / "basic.xml").read_bytes()))
    report = guide_report(parse(PLAYLIST), [str(guide)])
    assert report == {
        "channels_matched": 2,
        "channels_total": 3,
        "programmes": 3,
        "matched": [
            {"name": "BBC One", "tvg_id": "one.UK", "guide_id": "One.uk", "rule": "tvg-id"},
            {"name": "Erste", "tvg_id": "", "guide_id": "Das.Erste.de", "rule": "tvg-name"},
        ],
        "rules": {"tvg-id": 1, "tvg-name": 1},
        "unmatched": [{"name": "BBC Two", "tvg_id": "nope", "candidates": ["One.uk (BBC One)"]}],
        "errors": [],
    }
    text = format_guide_report(report)
    assert text.splitlines()[0] == "Guide: 2 of 3 channels matched, 3 programmes"
    assert "BBC Two [tvg-id nope]: closest One.uk (BBC One)" in text


def test_a_broken_guide_beside_a_good_one_is_listed(tmp_path: Path) -> None:
    report = guide_report(parse(PLAYLIST), [str(DATA / "xmltv" / "not_xmltv.xml"), str(DATA / "xmltv" / "basic.xml")])
    assert report["channels_matched"] == 2
    assert len(report["errors"]) == 1 and "not an XMLTV guide" in report["errors"][0]
    assert "error: not_xmltv.xml" in format_guide_report(report)


def test_no_readable_guide_raises_a_user_error() -> None:
    with pytest.raises(GuideError, match="not an XMLTV guide"):
        guide_report(parse(PLAYLIST), [str(DATA / "xmltv" / "not_xmltv.xml")])
