"""`settop inspect`: the summary, the JSON contract, --epg, local and loopback-HTTP sources, clean errors."""

from __future__ import annotations

import http.server
import json
import subprocess
import sys
import threading
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from settop.cli import main
from settop.core.models import Playlist
from settop.i18n import set_language

DATA = Path(__file__).parents[1] / "data" / "m3u"
CHANNEL_KEYS = {
    "name", "url", "tvg_id", "tvg_name", "logo", "groups", "number", "radio", "tvg_shift", "catchup", "headers",
    "vlc_options", "extra",
}  # fmt: skip


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    assert main(["inspect", *args, "--json"]) == 0
    document: dict[str, Any] = json.loads(capsys.readouterr().out)
    return document


def test_json_follows_the_cli_contract(capsys: pytest.CaptureFixture[str]) -> None:
    masked = run_json(capsys, str(DATA / "kitchen_sink.m3u"))
    assert masked["channels"][0]["url"] == "http://s.example/live/news.m3u8?token=***"  # masked by default
    document = run_json(capsys, str(DATA / "kitchen_sink.m3u"), "--show-secrets")
    assert set(document) == {"channels", "epg_urls", "warnings", "guide"}
    assert document["epg_urls"] == ["http://epg.example/guide.xml"]
    assert document["guide"] is None
    assert document["warnings"] == []
    assert all(set(channel) == CHANNEL_KEYS for channel in document["channels"])
    news, radio = document["channels"][:2]
    assert news == {
        "name": "News UK, 24h",
        "url": "http://s.example/live/news.m3u8?token=abc",
        "tvg_id": "news.uk",
        "tvg_name": "News UK",
        "logo": "http://logo.example/news.png",
        "groups": ["News", "UK"],
        "number": "101",
        "radio": False,
        "tvg_shift": 1.0,
        "catchup": {"mode": "shift", "days": 7, "source": ""},
        "headers": {"User-Agent": "Kitchen/1.0"},
        "vlc_options": [],
        "extra": {"provider": "Example", "provider-type": "iptv", "provider-countries": "gb,ie", "tvg-country": "UK"},
    }
    assert (radio["number"], radio["radio"], radio["catchup"]) == ("5.1", True, None)


def test_json_extra_holds_unknown_attributes_capped(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    playlist = tmp_path / "extra.m3u"
    attributes = "".join(f' x-{i}="v{i}"' for i in range(70))
    playlist.write_text(
        f'#EXTM3U\n#EXTINF:-1 tvg-id="a" tvg-country="FR" tvg-language="French" long="{"y" * 400}",A\nhttp://h/a\n'
        f"#EXTINF:-1 {attributes},B\nhttp://h/b\n",
        encoding="utf-8",
    )
    document = run_json(capsys, str(playlist))
    first, second = document["channels"]
    assert first["extra"] == {"tvg-country": "FR", "tvg-language": "French", "long": "y" * 255 + "…"}
    assert len(second["extra"]) == 64
    assert {"line": 5, "message": "6 more unknown attributes than 64; not kept"} in document["warnings"]


def test_json_warnings_have_lines(capsys: pytest.CaptureFixture[str]) -> None:
    document = run_json(capsys, str(DATA / "options.m3u"))
    assert document["warnings"][0] == {"line": 8, "message": "#EXTVLCOPT option 'http-proxy' is not allowed; ignored"}
    assert document["channels"][0]["vlc_options"] == ["program=745", "network-caching=3000", "sub-language=en,fr"]


def test_summary(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    playlist = tmp_path / "mine.m3u"
    playlist.write_bytes(
        (DATA / "kitchen_sink.m3u").read_bytes()
        + b"=====\n#EXTINF:-1,Secret\nhttp://user:hunter2@s.example/live/u/p/9.ts?password=hunter2\n"
    )
    assert main(["inspect", str(playlist)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("mine.m3u: 6 channels, 3 groups, 1 warning\n")
    for expected in (
        "Guide URLs: http://epg.example/guide.xml",
        "Groups: News (1), UK (1), Radio (1)",
        "Numbering: 2 of 6 numbered, 5-101, 1 with a sub-number",
        "Catch-up: 1 channel (shift 1), 7 days",
        "1 radio station, 1 media entry, 1 channel with HTTP headers",
        "     101  News UK, 24h  [News; UK]",
        "line 13: not a URL or a tag; line skipped",
    ):
        assert expected in out
    assert "hunter2" not in out


def test_many_channels_are_capped_in_the_summary(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    playlist = tmp_path / "big.m3u"
    playlist.write_text(
        "#EXTM3U\n" + "".join(f'#EXTINF:-1 group-title="G{i}",C{i}\nhttp://s/{i}\n' for i in range(50)),
        encoding="utf-8",
    )
    assert main(["inspect", str(playlist)]) == 0
    out = capsys.readouterr().out
    assert "Channels (first 20 of 50):" in out
    assert "… and 30 more" in out
    assert "C20" not in out


@pytest.mark.parametrize(
    ("make", "message"),
    [
        pytest.param(lambda tmp: str(tmp / "missing.m3u"), "missing.m3u", id="missing-file"),
        pytest.param(str, "", id="a-folder"),
        pytest.param(lambda tmp: "ftp://example.com/list.m3u", "", id="unsupported-scheme"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    make: Any, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["inspect", make(tmp_path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("settop inspect: ")
    assert message in lines[0]


@pytest.fixture
def guide_module(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Playlist, list[str]]]:
    """Stands in for the guide helper's settop.commands.inspect_guide (its own tests cover the real one)."""
    calls: list[tuple[Playlist, list[str]]] = []
    module = types.ModuleType("settop.commands.inspect_guide")

    def guide_report(playlist: Playlist, guides: list[str]) -> dict[str, Any]:
        calls.append((playlist, guides))
        if guides == ["broken.xml"]:
            raise ValueError("not XMLTV")
        return {"channels_matched": 1, "channels_total": len(playlist.channels), "programmes": 42, "unmatched": []}

    module.guide_report = guide_report  # type: ignore[attr-defined]
    module.format_guide_report = lambda report: f"Guide: {report['programmes']} programmes"  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "settop.commands.inspect_guide", module)
    return calls


def test_epg_adds_the_guide_report(
    guide_module: list[tuple[Playlist, list[str]]], capsys: pytest.CaptureFixture[str]
) -> None:
    document = run_json(capsys, str(DATA / "kitchen_sink.m3u"), "--epg", "a.xml", "--epg", "b.xml.gz")
    assert document["guide"] == {"channels_matched": 1, "channels_total": 5, "programmes": 42, "unmatched": []}
    assert guide_module[0][1] == ["a.xml", "b.xml.gz"]
    assert main(["inspect", str(DATA / "kitchen_sink.m3u"), "--epg", "a.xml"]) == 0
    assert "Guide: 42 programmes" in capsys.readouterr().out


def test_bad_guide_is_exit_2(
    guide_module: list[tuple[Playlist, list[str]]], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["inspect", str(DATA / "kitchen_sink.m3u"), "--epg", "broken.xml"]) == 2
    assert capsys.readouterr().err.strip() == "settop inspect: cannot read the guide: not XMLTV"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def http_folder(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A loopback HTTP server for ``tmp_path``: (base URL, folder)."""
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0),
        lambda *a: _Quiet(*a, directory=str(tmp_path)),
    )
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", tmp_path
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_remote_playlist_resolves_relative_urls_and_refuses_local_files(
    http_folder: tuple[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    base, folder = http_folder
    (folder / "lists").mkdir()
    (folder / "lists" / "tv.m3u").write_text(
        "#EXTM3U\n#EXTINF:-1,Rel\nstreams/a.m3u8\n#EXTINF:-1,Local\nfile:///etc/passwd\n#EXTINF:-1,Abs\n/b.ts\n",
        encoding="utf-8",
    )
    document = run_json(capsys, f"{base}/lists/tv.m3u")
    assert [c["url"] for c in document["channels"]] == [f"{base}/lists/streams/a.m3u8", f"{base}/b.ts"]
    assert document["warnings"] == [
        {"line": 5, "message": "channel 'Local' dropped: a playlist from the network may not name local files"}
    ]


def test_subprocess_round_trip(tmp_path: Path) -> None:
    """The installed entry point: JSON on stdout, and for bad input one line on stderr, exit 2, no traceback."""
    ok = subprocess.run(
        [sys.executable, "-m", "settop", "inspect", str(DATA / "groups.m3u"), "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ok.returncode == 0, ok.stderr
    assert len(json.loads(ok.stdout)["channels"]) == 10
    bad = subprocess.run(
        [sys.executable, "-m", "settop", "inspect", str(tmp_path / "nope.m3u")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2
    assert "Traceback" not in bad.stderr and len(bad.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("name", "words"),
    [
        pytest.param("guide.xml", "This is a TV guide (XMLTV), not a channel list: add it under Guide sources.",
                     id="xmltv"),
        pytest.param("guide.xml.gz", "TV guide (XMLTV)", id="xmltv-gzip"),
        pytest.param("page.xz", "web page (HTML)", id="html-xz"),
        pytest.param("login.html", "the address may need a login", id="html"),
        pytest.param("account.json", "JSON data", id="json"),
        pytest.param("clip.ts", "add it as a single channel?", id="mpeg-ts"),
        pytest.param("clip.mp4", "one video stream", id="mp4"),
        pytest.param("logo.png", "image (PNG)", id="png"),
        pytest.param("master.m3u8", "one video stream", id="hls-master"),
        pytest.param("media.m3u8", "one video stream", id="hls-media"),
        pytest.param("empty.m3u", "The file is empty", id="empty"),
    ],
)
@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_not_a_playlist_exits_non_zero_in_words(
    capsys: pytest.CaptureFixture[str], name: str, words: str, as_json: bool
) -> None:
    source = str(Path(__file__).parents[1] / "data" / "sniff" / name)
    assert main(["inspect", source, *(["--json"] if as_json else [])]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert words in captured.err
    assert name in captured.err and "Traceback" not in captured.err


def test_epg_reports_each_automatic_match_with_its_rule(capsys: pytest.CaptureFixture[str]) -> None:
    folder = Path(__file__).parents[1] / "data" / "guide_match"
    args = [str(folder / "iptv_org.m3u"), "--epg", str(folder / "guide.xml")]
    document = run_json(capsys, *args)
    guide = document["guide"]
    by_name = {entry["name"]: (entry["guide_id"], entry["rule"]) for entry in guide["matched"]}
    assert by_name["3sat (720p) [Geo-blocked]"] == ("3sat.de", "tvg-id without @feed")
    assert by_name["Al Jazeera Arabic"] == ("AlJazeera.Arabic.net", "name without decorations")
    assert guide["rules"] == {"tvg-id": 3, "tvg-id without @feed": 2, "name": 1, "name without decorations": 3}
    assert main(["inspect", *args]) == 0
    out = capsys.readouterr().out
    assert "Matched by: tvg-id 3, tvg-id without @feed 2, name 1, name without decorations 3" in out
    assert "  3sat (720p) [Geo-blocked] → 3sat.de (tvg-id without @feed)" in out


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "File not found: {path}"),
    ("fr", "Fichier introuvable : {path}"),
    ("ar", "الملف غير موجود: {path}"),
], ids=["en", "fr", "ar"])
def test_missing_file_is_said_in_the_language_with_the_path_as_given(
        language: str, expected: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LANGUAGE", language)
    given = "tv/missing list.m3u"  # relative, as typed
    try:
        assert main(["inspect", given]) != 0
    finally:
        set_language("en")
    err = capsys.readouterr().err
    assert expected.format(path=given) in err


def test_the_viewers_size_cap_is_the_one_inspect_reads_with(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    from settop.core.state.paths import config_dir

    playlist = tmp_path / "big.m3u"
    entry = "#EXTINF:-1,Channel\nhttp://127.0.0.1:9/" + "x" * 1000 + "\n"
    playlist.write_text("#EXTM3U\n" + entry * 1600)  # about 1.6 MiB: under the 128 MiB default
    assert main(["inspect", str(playlist)]) == 0
    capsys.readouterr()
    (config_dir() / "settings.toml").write_text("[fetch]\nmax_playlist_mb = 1\n")
    assert main(["inspect", str(playlist)]) == 2
    assert "1 MiB limit" in capsys.readouterr().err


def test_a_damaged_settings_file_is_left_for_the_app(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from settop.core.state.paths import config_dir

    settings = config_dir() / "settings.toml"
    settings.write_text("[fetch\nmax_playlist_mb = ")
    playlist = tmp_path / "one.m3u"
    playlist.write_text("#EXTM3U\n#EXTINF:-1,One\nhttp://127.0.0.1:9/one\n")
    assert main(["inspect", str(playlist)]) == 0
    assert settings.read_text() == "[fetch\nmax_playlist_mb = " and capsys.readouterr().err == ""
