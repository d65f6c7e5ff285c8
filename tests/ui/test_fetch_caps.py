"""``fetch.max_playlist_mb``, ``max_guide_mb`` and ``max_logo_kb`` stop a fetch that is too big (loopback server)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from settop import app as app_module
from settop.core.state.settings import Settings
from tests.helpers.faultserver import PLAYLIST, FaultServer
from tests.ui.conftest import load
from tests.ui.guide.test_guide_service import guided_app
from tests.ui.guidefixtures import write_guide

MiB = 1024 * 1024


@pytest.fixture(scope="module")
def server() -> Iterator[FaultServer]:
    with FaultServer() as running:
        yield running


def save(**values: Any) -> None:
    settings, _ = Settings.load()
    for name, value in values.items():
        settings.set(name.replace("__", "."), value)
    settings.save()


@pytest.mark.allow_warnings  # the loader logs the refused playlist
@pytest.mark.parametrize(("cap_mb", "loads"), [(1, False), (2, True)], ids=["over-the-cap", "under-the-cap"])
def test_max_playlist_mb_caps_the_playlist(qtbot: Any, make_app: Callable[..., app_module.App], server: FaultServer,
                                           *, cap_mb: int, loads: bool) -> None:
    body = PLAYLIST + b"#" + b"x" * (MiB + MiB // 2) + b"\n"  # 1.5 MiB
    server.files["big.m3u"] = (body, "audio/x-mpegurl")
    save(fetch__max_playlist_mb=cap_mb)
    app = make_app()
    url = server.url("/file/big.m3u")
    if loads:
        load(qtbot, app, url)
        assert app.live.lineup is not None and len(app.live.lineup) == 1
        return
    with qtbot.waitSignal(app.shell.load_failed, timeout=10000) as failed:
        app.shell.start(url)
    assert "1 MiB limit" in failed.args[0]


@pytest.mark.allow_warnings  # the guide service reports the refused guide
@pytest.mark.parametrize(("cap_mb", "ok"), [(1, False), (8, True)], ids=["over-the-cap", "under-the-cap"])
def test_max_guide_mb_caps_the_guide(qtbot: Any, make_app: Callable[..., app_module.App], server: FaultServer,
                                     tmp_path: Path, *, cap_mb: int, ok: bool) -> None:
    guide = tmp_path / "guide.xml"
    write_guide(guide, time.time(), hours_back=2, hours_ahead=2)
    text = guide.read_bytes().replace(b"<tv", b"<!-- " + b"p" * (2 * MiB) + b" -->\n<tv", 1)  # 2 MiB unpacked
    server.files["guide.xml"] = (text, "application/xml")
    playlist = tmp_path / "guided.m3u"
    playlist.write_text(f'#EXTM3U url-tvg="{server.url("/file/guide.xml")}"\n'
                        '#EXTINF:-1 tvg-chno="1" tvg-id="red.one",Red One\nhttp://127.0.0.1:9/red\n', encoding="utf-8")
    save(fetch__max_guide_mb=cap_mb)
    app = guided_app(make_app)
    assert app.guide is not None
    with qtbot.waitSignal(app.guide.finished, timeout=20000) as finished:
        load(qtbot, app, playlist)
    run = finished.args[0]
    if ok:
        assert run.sources_ok == 1 and not run.failures
    else:
        assert run.sources_ok == 0 and "1 MiB limit" in " ".join(run.failures)


@pytest.mark.parametrize(("cap_kb", "ok"), [(16, False), (64, True)], ids=["over-the-cap", "under-the-cap"])
def test_max_logo_kb_caps_a_logo(server: FaultServer, cap_kb: int, ok: bool) -> None:
    server.files["logo.png"] = (b"\x89PNG\r\n\x1a\n" + bytes(30 * 1024), "image/png")  # 30 KiB
    save(fetch__max_logo_kb=cap_kb)
    settings, _ = Settings.load()
    resolve = app_module.make_logo_resolver(lambda: True, settings)
    assert (resolve(server.url(f"/file/logo.png?cap={cap_kb}")) is not None) is ok
