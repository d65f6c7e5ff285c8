"""The short-EPG fallback's document: which channels are asked, what is written, what a failure skips."""

from __future__ import annotations

import threading
import xml.etree.ElementTree as ET

from settop.core.models import Channel, Programme
from settop.core.sources.xtream import XtreamError
from settop.core.sources.xtream_guide import fallback_guide, stream_id

PREFIX = "http://p.example/live/u/pw/"


def channel(i: int, tvg_id: str = "") -> Channel:
    return Channel(key=f"k{i}", name=f"Chan <{i}>", url=f"{PREFIX}{i}.ts", tvg_id=tvg_id)


def test_stream_id_only_of_the_accounts_addresses() -> None:
    assert stream_id(PREFIX + "42.m3u8", PREFIX) == "42"
    assert stream_id("http://other.example/live/u/pw/42.ts", PREFIX) == ""


def test_document_asks_the_accounts_channels_in_order_and_skips_failures() -> None:
    asked: list[str] = []

    def epg(sid: str) -> tuple[Programme, ...]:
        asked.append(sid)
        if sid == "2":
            raise XtreamError("down", "fetch")
        return (Programme(channel_id=sid, start=3600, stop=7200, title=f"Show & {sid}", desc="d"),)

    lacking = [channel(1, "one.tv"), channel(2), Channel(key="x", name="M3U", url="http://m3u.example/a.ts"),
               channel(3), channel(4)]
    data = fallback_guide([(PREFIX, epg)], lacking, max_channels=3)
    assert data is not None and asked == ["1", "2", "3"]  # the cap; the M3U channel is not the account's
    root = ET.fromstring(data)
    assert [c.get("id") for c in root.iter("channel")] == ["one.tv", "Chan <3>"]  # tvg-id, else the name
    titles = [(p.get("channel"), p.findtext("title"), p.get("start")) for p in root.iter("programme")]
    assert titles == [("one.tv", "Show & 1", "19700101010000 +0000"), ("Chan <3>", "Show & 3", "19700101010000 +0000")]


def test_nothing_to_say_and_cancel() -> None:
    assert fallback_guide([(PREFIX, lambda sid: ())], [channel(1)]) is None
    cancel = threading.Event()
    cancel.set()
    assert fallback_guide([(PREFIX, lambda sid: ())], [channel(1)], cancel=cancel) is None
