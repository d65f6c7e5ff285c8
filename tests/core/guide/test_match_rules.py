"""Guide matching on the public lists' forms: @feed ids, decorated names, country tags; the strongest rule wins."""

from __future__ import annotations

from pathlib import Path

import pytest

from settop.core.guide.match import (
    HOW_FEED_ID,
    HOW_LOOSE_NAME,
    HOW_TVG_ID,
    ChannelMatcher,
    bare_id,
    loose_name,
)
from settop.core.guide.xmltv import XmltvReader
from settop.core.models import GuideChannel
from settop.core.playlist.m3u import parse

DATA = Path(__file__).parents[2] / "data" / "guide_match"


@pytest.mark.parametrize(
    ("name", "folded"),
    [
        ("3sat (720p) [Geo-blocked]", "3sat"),
        ("BBC News (540p)", "bbcnews"),
        ("AlJazeera Arabic", "aljazeeraarabic"),
        ("Al Jazeera Arabic", "aljazeeraarabic"),
        ("FR: TF1 HD [Not 24/7]", "tf1"),
        ("|FR| TF1", "tf1"),
        ("FR - TF1", "tf1"),
        ("TF1 .fr", "tf1"),
        ("Télé-Québec", "telequebec"),
        ("4K", "4k"),
        ("(720p)", ""),
    ],
)
def test_loose_name(name: str, folded: str) -> None:
    assert loose_name(name) == folded


def test_bare_id() -> None:
    assert (bare_id("3sat.de@SD"), bare_id("3sat.de"), bare_id("@x")) == ("3sat.de", "", "")


def _match() -> dict[str, tuple[str, str]]:
    channels = parse((DATA / "iptv_org.m3u").read_text(encoding="utf-8")).channels
    matcher = ChannelMatcher(channels)
    for item in XmltvReader(name="guide.xml").read(DATA / "guide.xml"):
        if isinstance(item, GuideChannel):
            matcher.add_guide_channel(item)
    names = {c.key: c.name for c in channels}
    return {names[key]: value for key, value in matcher.result().items()}


def test_public_list_forms_match_with_their_rule() -> None:
    matched = _match()
    assert matched["3sat (720p) [Geo-blocked]"] == ("3sat.de", HOW_FEED_ID)
    assert matched["BBC News (540p)"] == ("BBCNews.uk", HOW_FEED_ID)
    assert matched["Al Jazeera Arabic"] == ("AlJazeera.Arabic.net", HOW_LOOSE_NAME)
    assert matched["FR: TF1 HD [Not 24/7]"] == ("TF1.fr", HOW_LOOSE_NAME)
    assert matched["|FR| TF1"] == ("TF1.fr", HOW_LOOSE_NAME)  # two by one rule: both (two feeds of one station)
    assert matched["Télé-Québec"] == ("telequebec.ca", "name")
    assert matched["Exact One"] == matched["Exact One HD"] == ("Exact.us", HOW_TVG_ID)


def test_a_weaker_rule_never_shares_a_guide_channel_a_stronger_rule_matched() -> None:
    matched = _match()
    assert matched["ARTE"] == ("arte.fr", HOW_TVG_ID)
    assert "Arte (1080p)" not in matched  # "arte" by a decorated name: the guide channel is ARTE's by its id
