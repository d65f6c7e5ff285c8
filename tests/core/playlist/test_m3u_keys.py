"""Channel keys: stable across re-ordering and rotating URL tokens, unique within a playlist."""

from __future__ import annotations

import random

import pytest

from settop.core.playlist.m3u import parse

ENTRIES = [
    '#EXTINF:-1 tvg-id="bbc1.uk" group-title="UK",BBC One\nhttp://s/live/u/p/1.ts?token={t}',
    '#EXTINF:-1 tvg-id="chx" group-title="Ent",Channel X\nhttp://s/x.ts?t={t}',
    '#EXTINF:-1 tvg-id="chx" group-title="Ent;HD",Channel X HD\nhttp://s/x-hd.ts?t={t}',
    '#EXTINF:-1 group-title="News",Local  News\nhttp://s/{t}/local.ts',
    '#EXTINF:-1 group-title="Sport",Local News\nhttp://s/{t}/local-sport.ts',
    "#EXTINF:-1,Twin\nhttp://s/twin-a.ts?{t}",
    "#EXTINF:-1,Twin\nhttp://s/twin-b.ts?{t}",
]


def keys_by_url_stem(entries: list[str], token: str) -> dict[str, str]:
    playlist = parse("#EXTM3U\n" + "\n".join(e.format(t=token) for e in entries) + "\n")
    return {c.name + "@" + c.url.split("?")[0].replace(token, ""): c.key for c in playlist.channels}


def test_keys_are_readable_and_unique() -> None:
    playlist = parse("#EXTM3U\n" + "\n".join(e.format(t="a") for e in ENTRIES) + "\n")
    assert [c.key for c in playlist.channels] == [
        "id:bbc1.uk",
        "id:chx|channel x",
        "id:chx|channel x hd",
        "name:local news|news",
        "name:local news|sport",
        "name:twin|",
        "name:twin|#2",
    ]


def test_keys_survive_token_rotation() -> None:
    assert keys_by_url_stem(ENTRIES, "tok111") == keys_by_url_stem(ENTRIES, "tok999")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_keys_survive_reordering(seed: int) -> None:
    shuffled = ENTRIES[:5]  # distinct entries; the two "Twin" twins are told apart by file order only
    random.Random(seed).shuffle(shuffled)
    assert keys_by_url_stem(shuffled, "t") == keys_by_url_stem(ENTRIES[:5], "t")


def test_key_ignores_case_and_spacing_of_ids_and_names() -> None:
    a = parse('#EXTM3U\n#EXTINF:-1 tvg-id="BBC1.UK",X\nhttp://s/1\n#EXTINF:-1 group-title="G",A  b\nhttp://s/2\n')
    b = parse('#EXTM3U\n#EXTINF:-1 tvg-id="bbc1.uk",Y\nhttp://s/1\n#EXTINF:-1 group-title="g",a B\nhttp://s/2\n')
    assert [c.key for c in a.channels] == [c.key for c in b.channels]
