"""The address gate before libVLC: a canary file is never opened for any local form a remote source names.

Every refused form has a positive control: the same address with ``local_ok`` (a local playlist the viewer chose)
does open the canary, so the inotify watch is shown to see libVLC's opens and the test can fail.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("vlc")

from settop.core.models import Catchup, Channel
from settop.core.playlist.catchup import catchup_url
from settop.core.playlist.m3u import parse
from settop.player.base import PlayerState
from tests.helpers.canary import OpenWatch
from tests.helpers.streams import CHANNELS
from tests.player.conftest import Rig, make_rig

pytestmark = pytest.mark.vlc


@pytest.fixture
def rig(qtbot: Any) -> Iterator[Rig]:
    yield from make_rig(qtbot)


@pytest.fixture
def canary(tmp_path: Path, streams: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A playable .ts file at tmp_path/canary.ts; the working folder has a ``C:`` folder two levels below it."""
    source = next(streams.rglob(f"{CHANNELS[0].name}*.ts"))
    path = tmp_path / "canary.ts"
    shutil.copyfile(source, path)
    work = tmp_path / "work"
    (work / "C:").mkdir(parents=True)
    monkeypatch.chdir(work)
    return path


def _forms(canary: Path) -> dict[str, str]:
    programme_start = 1_700_000_000
    catchup = Channel(key="k", name="c", url="http://h/live.ts",
                      catchup=Catchup(mode="default", days=3, source=canary.as_uri() + "?t={utc}"))
    replay = catchup_url(catchup, programme_start, programme_start + 600, programme_start + 7200)
    assert replay is not None and replay.startswith("file:")
    return {
        "path": str(canary),
        "file-url": canary.as_uri(),
        "drive-letter": "C:/../../canary.ts",
        "catchup-source": replay,
    }


FORMS = ("path", "file-url", "drive-letter", "catchup-source")


@pytest.mark.allow_warnings("^address refused")
@pytest.mark.parametrize("form", FORMS)
def test_a_local_form_from_a_remote_source_never_opens_the_canary(rig: Rig, canary: Path, form: str,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    url = _forms(canary)[form]
    with OpenWatch(canary) as watch:
        mark = rig.events.mark()
        refused = rig.play(url, local_ok=False)
        event = rig.events.wait_for(lambda e: e.kind == "error" and e.request is refused, 10, mark)
        assert event is not None and "refused" in event.message and not event.retryable
        assert rig.player.state is PlayerState.ERROR
        assert not watch.opened(0.5)
        # The control: the same address from a local playlist reaches libVLC, which opens the canary.
        rig.play(url, local_ok=True)
        assert watch.opened(10), f"libVLC did not open the canary for {form}: the watch proves nothing"
    assert "address refused (a playlist from the network may not name local files)" in caplog.text


@pytest.mark.allow_warnings("^address refused")
@pytest.mark.parametrize("url", ["v4l2:///dev/video0", "screen://", "dshow://", "smb://nas/x.ts",
                                 "javascript:alert(1)", "data:video/mp2t;base64,R0lG", "http:/etc/passwd"])
@pytest.mark.parametrize("local_ok", [False, True])
def test_devices_and_unknown_schemes_never_reach_libvlc(rig: Rig, url: str, local_ok: bool,
                                                        caplog: pytest.LogCaptureFixture) -> None:
    request = rig.play(url, local_ok=local_ok)
    event = rig.events.wait_for(lambda e: e.kind == "error" and e.request is request, 10)
    assert event is not None and "refused" in event.message
    assert "address refused" in caplog.text


def test_a_remote_playlist_names_none_of_them(canary: Path) -> None:
    forms = _forms(canary)
    text = "\n".join([
        f'#EXTM3U x-tvg-url="{canary.as_uri()}" url-tvg="C:/../../canary.xml,http://h/ok.xml"',
        *(f"#EXTINF:-1,{name}\n{url}" for name, url in forms.items() if name != "catchup-source"),
        '#EXTINF:-1 catchup="vod" catchup-id="screen://",V\nv4l2:///dev/video0',
        f'#EXTINF:-1 catchup="default" catchup-source="{canary.as_uri()}?{{utc}}",C\nhttp://h/c.ts',
    ])
    playlist = parse(text, base_url="http://h/list.m3u", remote=True)
    assert playlist.epg_urls == ("http://h/ok.xml",)
    # A rooted path in a remote playlist is a path on the playlist's own server.
    assert [c.url for c in playlist.channels] == ["http://h" + str(canary), "http://h/c.ts"]
    messages = " ".join(w.message for w in playlist.warnings)
    assert messages.count("may not name local files") == 4  # 2 guides, file URL, drive letter
    assert "'screen' is not supported" not in messages and "'v4l2' is not supported" in messages
