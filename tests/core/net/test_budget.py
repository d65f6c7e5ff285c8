"""The connection budget, row by row: who may open a stream of which provider, and what a refusal says."""

from __future__ import annotations

import threading

import pytest

from settop.core.net.budget import ConnectionBudget, StreamSlot, source_of

A = "http://a.example:8080"


@pytest.mark.parametrize(("url", "source"), [
    ("http://A.example:8080/live/u/p/1.ts", A),
    ("http://user:secret@a.example:8080/x.m3u8", A),  # credentials never name a source
    ("https://b.example/x", "https://b.example"),
    ("/home/viewer/film.mkv", ""),  # a local file: no provider, no limit
    ("file:///home/viewer/film.mkv", ""),
])
def test_source_of(url: str, source: str) -> None:
    assert source_of(url) == source


# (default limit, stated limit, explicit limit, grants wanted) -> how many are granted
@pytest.mark.parametrize(("default", "stated", "explicit", "wanted", "granted"), [
    (None, None, None, 5, 5),  # nothing known: no limit
    (1, None, None, 3, 1),  # the setting
    (2, None, None, 3, 2),
    (1, 2, None, 3, 2),  # an account's max_connections wins over the setting
    (5, 1, None, 3, 1),
    (5, None, 3, 4, 3),  # one set for this source
    (5, 2, 3, 4, 2),  # stated beats set
    (1, 0, None, 2, 1),  # a stated 0 (a broken panel) counts as 1
])
def test_limits_row_by_row(default: int | None, stated: int | None, explicit: int | None, wanted: int,
                           granted: int) -> None:
    budget = ConnectionBudget(default)
    if explicit is not None:
        budget.set_limit(A, explicit)
    if stated is not None:
        budget.set_known({A: stated})
    grants = [budget.try_acquire(A, "player") for _ in range(wanted)]
    assert sum(g is not None for g in grants) == granted
    assert all(g is None for g in grants[granted:])  # refused means refused, in order
    assert budget.in_use(A) == granted
    assert budget.try_acquire("http://other", "player") is not None or default == 0  # per source


def test_release_gives_back_once_and_spare_counts() -> None:
    budget = ConnectionBudget(2)
    first, second = budget.try_acquire(A, "player"), budget.try_acquire(A, "recording")
    assert budget.spare(A) == 0 and budget.try_acquire(A, "prefetch") is None
    budget.release(first)
    budget.release(first)  # twice: still one back
    budget.release(None)
    assert budget.spare(A) == 1 and budget.in_use(A) == 1
    assert second is not None


def test_stated_limits_replace_and_a_lower_limit_keeps_open_streams() -> None:
    budget = ConnectionBudget(1)
    budget.set_known({A: 3})
    grants = [budget.try_acquire(A, "player") for _ in range(3)]
    assert all(grants)
    budget.set_known({A: 1})
    assert budget.in_use(A) == 3 and budget.try_acquire(A, "player") is None  # open ones stay, new ones wait
    budget.set_known({})  # the account went away: the setting again
    assert budget.limit(A) == 1


def test_refusal_says_the_limit_and_who_holds_it() -> None:
    budget = ConnectionBudget(1)
    budget.try_acquire(A, "recording")
    assert budget.refusal(A) == "This provider allows 1 stream at once, in use by a recording"
    budget.set_known({A: 2})
    budget.try_acquire(A, "player")
    assert budget.refusal(A) == "This provider allows 2 streams at once, all in use by watching, a recording"


def test_slot_holds_one_stream_and_zapping_does_not_count_twice() -> None:
    budget = ConnectionBudget(1)
    player = StreamSlot(budget, "player")
    assert player.take(A + "/1.ts") == ""
    assert player.take(A + "/2.ts") == ""  # the zap gives the first back before taking the next
    assert budget.in_use(A) == 1
    assert StreamSlot(budget, "recording").take(A + "/3.ts").startswith("This provider allows 1 stream")
    assert player.take("/films/local.mkv") == "" and budget.in_use(A) == 0  # a local file holds nothing
    player.release()
    assert budget.in_use(A) == 0


def test_never_over_the_limit_from_many_threads() -> None:
    budget = ConnectionBudget(3)
    peak, lock = [0], threading.Lock()

    def work() -> None:
        for _ in range(200):
            grant = budget.try_acquire(A, "prefetch")
            with lock:
                peak[0] = max(peak[0], budget.in_use(A))
            budget.release(grant)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert peak[0] <= 3 and budget.in_use(A) == 0


def test_a_limit_set_for_a_playlist_wins_over_what_its_account_says() -> None:
    from settop.core.models import Channel, Playlist
    from settop.core.sources.base import SourceContent
    from settop.core.sources.loaded import hosts_of, stream_limits
    from settop.core.state.settings import PlaylistSource

    def content(host: str, stated: int | None) -> SourceContent:
        playlist = Playlist(channels=(Channel(key="k", name="n", url=f"{host}/live/1.ts"),))
        return SourceContent(playlist, max_connections=stated)

    contents = {"a": content("http://a.example", 2), "b": content("http://b.example", None),
                "c": content("http://c.example", None)}

    def sources(*max_streams: int) -> list[PlaylistSource]:
        return [PlaylistSource(source=f"{i}.m3u", id=i, max_streams=n) for i, n in zip("abc", max_streams, strict=True)]

    assert stream_limits(sources(0, 0, 0), contents) == (("http://a.example", 2),)
    assert stream_limits(sources(4, 0, 1), contents) == (("http://a.example", 4), ("http://c.example", 1))
    urls = ["http://u:p@A.example:81/live/1.ts", "http://a.example:81/x?y=/z", "https://b.example?q=1", "/local/f.ts"]
    assert hosts_of(urls) == {"http://a.example:81", "https://b.example"}
