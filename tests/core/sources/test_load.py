"""Loading several sources: in parallel, a failing one said per source, a refresh reusing what did not change."""

from __future__ import annotations

from pathlib import Path

import pytest

from settop.core.sources.base import Source
from settop.core.sources.load import LoadFailed, load_sources
from settop.core.sources.m3u import sources_from
from settop.core.state.settings import PlaylistSource
from tests.helpers.faultserver import FaultServer


def write(folder: Path, name: str, *channels: str) -> Path:
    path = folder / name
    body = "".join(f'#EXTINF:-1 tvg-id="{c.lower()}" group-title="G",{c}\nhttp://127.0.0.1:9/{c}\n' for c in channels)
    path.write_text(f'#EXTM3U url-tvg="http://127.0.0.1:9/{name}.xml"\n' + body, encoding="utf-8")
    return path


def sources(*entries: tuple[Path, str]) -> list[Source]:
    return sources_from(tuple(PlaylistSource(source=str(path), name=name, id=source_id)
                              for path, name, source_id in ((p, n, "" if i == 0 else f"s{i:08x}")
                                                            for i, (p, n) in enumerate(entries))))


def test_two_playlists_merge_and_a_missing_one_is_said_per_source(tmp_path: Path) -> None:
    a = write(tmp_path, "a.m3u", "One", "Two")
    b = write(tmp_path, "b.m3u", "Two", "Three")
    result = load_sources(sources((a, "A"), (b, "B"), (tmp_path / "gone.m3u", "Gone")))
    lineup = result.lineup
    assert lineup is not None
    assert [c.name for c in lineup.channels] == ["One", "Two", "Three"]
    assert lineup.source_name(2) == "B" and len(lineup.choices(1)) == 2
    assert lineup.playlist.epg_urls == ("http://127.0.0.1:9/a.m3u.xml", "http://127.0.0.1:9/b.m3u.xml")
    assert [(p.name, p.stale) for p in result.problems] == [("Gone", False)]
    assert list(result.contents) == ["", "s00000001"]


def test_a_refresh_of_one_source_keeps_the_others_and_unchanged_is_none(tmp_path: Path) -> None:
    a = write(tmp_path, "a.m3u", "One")
    b = write(tmp_path, "b.m3u", "Two")
    both = sources((a, "A"), (b, "B"))
    first = load_sources(both)
    assert load_sources(both, first.contents).lineup is None  # nothing changed: nothing to redo
    write(tmp_path, "b.m3u", "Two", "Four")
    a.unlink()  # only B reloads: A's gone file is not even read
    second = load_sources(both, first.contents, only=frozenset({"s00000001"}))
    assert second.lineup is not None and [c.name for c in second.lineup.channels] == ["One", "Two", "Four"]
    assert not second.problems and [c.cache_key for c in second.refreshed] == [second.contents["s00000001"].cache_key]
    third = load_sources(both, second.contents)  # A fails now: its copy stays, said as stale
    assert third.lineup is None and [(p.name, p.stale) for p in third.problems] == [("A", True)]


def test_nothing_loads_is_one_clear_failure(tmp_path: Path) -> None:
    with pytest.raises(LoadFailed):
        load_sources(sources((tmp_path / "x.m3u", "X")))


def _served(server: FaultServer, body: bytes, content_type: str = "audio/x-mpegurl") -> None:
    server.routes["/list.m3u"] = lambda h: h._send(200, body, content_type)  # type: ignore[attr-defined]


def _m3u(count: int) -> bytes:
    return ("#EXTM3U\n" + "".join(f"#EXTINF:-1,Ch {n}\nhttp://127.0.0.1:9/{n}.ts\n" for n in range(count))).encode()


EXPIRED = (b"<!DOCTYPE html>\n<html>\n<head>\n<title>Subscription expired</title>\n</head>\n<body>\n"
           b"<p>Your subscription has expired. <a href=\"/renew\">Renew</a></p>\n</body>\n</html>\n")


@pytest.mark.allow_warnings("^source \\(.*\\): The refresh ")
@pytest.mark.parametrize(("body", "words"), [
    (EXPIRED, "The refresh is not a channel list"),
    (b'{"error": "expired"}', "The refresh is not a channel list"),
    (_m3u(2), "The refresh has 2 channels instead of 10"),
], ids=["html-page-with-200", "json", "loses-most-of-the-lineup"])
def test_a_bad_refresh_is_kept_aside_and_the_last_good_copy_stays(body: bytes, words: str,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    """Issue 18: an HTML "subscription expired" page served with 200 replaced a good 10-channel lineup."""
    with FaultServer() as server:
        _served(server, _m3u(10))
        source = sources_from((PlaylistSource(source=server.url("/list.m3u"), name="Mine"),))
        first = load_sources(source)
        assert first.lineup is not None and len(first.lineup) == 10
        _served(server, body, "text/html" if body.startswith(b"<") else "application/json")
        refused = load_sources(source, first.contents)
        assert refused.lineup is None  # nothing on screen changes
        assert refused.contents[""] is first.contents[""]
        (problem,) = refused.problems
        assert problem.stale and words in problem.message and "the last good copy stays in use" in problem.message
        _served(server, _m3u(6))  # a real change later is taken (6 of 10 is not "most of the lineup" lost)
        later = load_sources(source, refused.contents)
        assert later.lineup is not None and len(later.lineup) == 6 and not later.problems
    assert "not a channel list" in caplog.text or "instead of 10" in caplog.text


def test_a_first_load_is_not_judged_against_anything(tmp_path: Path) -> None:
    path = tmp_path / "a.m3u"
    path.write_bytes(_m3u(2))
    assert len(load_sources(sources((path, "A"))).lineup or ()) == 2
