"""`settop inspect A.m3u B.m3u --json`: the merged lineup with each channel's source, number and alternates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from settop.cli import main


def test_two_playlists_show_the_merged_lineup(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = tmp_path / "operator.m3u", tmp_path / "sports.m3u"
    a.write_text('#EXTM3U url-tvg="http://127.0.0.1:9/a.xml"\n#EXTINF:-1 tvg-id="one.uk" tvg-chno="1",One\n'
                 "http://127.0.0.1:9/a1\n#EXTINF:-1,Local\nhttp://127.0.0.1:9/a2\n", encoding="utf-8")
    b.write_text('#EXTM3U url-tvg="http://127.0.0.1:9/b.xml"\n#EXTINF:-1 tvg-id="ONE.uk" tvg-chno="7",One HD\n'
                 'http://u:secret@127.0.0.1:9/b1\n#EXTINF:-1 tvg-chno="1",Sport\nhttp://127.0.0.1:9/b2\n',
                 encoding="utf-8")
    assert main(["inspect", str(a), str(b), "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    rows = [(c["name"], c["source"], c["number"], [(x["source"], x["name"]) for x in c["alternates"]])
            for c in document["channels"]]
    assert rows == [("One", a.name, "1", [(b.name, "One HD")]), ("Local", a.name, "2", []),
                    ("Sport", b.name, "3", [])]
    assert "secret" not in document["channels"][0]["alternates"][0]["url"]
    assert document["epg_urls"] == ["http://127.0.0.1:9/a.xml", "http://127.0.0.1:9/b.xml"]
    assert main(["inspect", str(a), str(b)]) == 0
    assert "2 playlists: 3 channels, 1 duplicate folded" in capsys.readouterr().out


def test_one_missing_playlist_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = tmp_path / "a.m3u"
    a.write_text("#EXTM3U\n#EXTINF:-1,One\nhttp://127.0.0.1:9/a1\n", encoding="utf-8")
    assert main(["inspect", str(a), str(tmp_path / "gone.m3u"), "--json"]) == 2
    assert "gone.m3u" in capsys.readouterr().err
