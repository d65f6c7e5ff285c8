"""Hostile XMLTV: no entity expansion, no local file and no network access because of what a document says."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from settop.core.guide.xmltv import GuideError, XmltvReader, read_guide
from settop.core.models import Programme
from tests.conftest import DATA

PROGRAMME = '<programme start="20260101120000 +0000" channel="a"><title>T&xxe;</title><desc>&xxe;</desc></programme>'


class _Counter(BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        type(self).hits.append(self.path)
        body = b'<!ENTITY xxe "FETCHED">' if self.path.endswith(".dtd") else b"FETCHED"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def loopback() -> Iterator[tuple[str, list[str]]]:
    _Counter.hits = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", _Counter.hits
    finally:
        server.shutdown()
        server.server_close()


def _read_all(path: Path) -> list[Programme]:
    try:
        return [p for p in XmltvReader(name=path.name).read(path) if isinstance(p, Programme)]
    except GuideError:
        return []  # refusing the document is as good as ignoring the entity


def test_billion_laughs_is_not_expanded() -> None:
    programmes = _read_all(DATA / "xmltv" / "hostile_laughs.xml")
    for programme in programmes:
        assert len(programme.title) < 100
        assert "lol" not in programme.desc


def test_external_entity_never_reads_the_file(tmp_path: Path) -> None:
    canary = tmp_path / "canary.txt"
    canary.write_text("SECRET-CANARY", encoding="utf-8")
    guide = tmp_path / "xxe.xml"
    guide.write_text(f'<!DOCTYPE tv [<!ENTITY xxe SYSTEM "file://{canary}">]>\n<tv>{PROGRAMME}</tv>', encoding="utf-8")
    for programme in _read_all(guide):
        assert "SECRET" not in programme.title + programme.desc


def test_external_entity_never_opens_the_canary(tmp_path: Path) -> None:
    """The canary is a FIFO: any attempt to open it for reading would release the writer below."""
    fifo = tmp_path / "canary.fifo"
    os.mkfifo(fifo)
    opened = threading.Event()

    def writer() -> None:
        fd = os.open(fifo, os.O_WRONLY)  # blocks until someone opens the FIFO for reading
        opened.set()
        os.write(fd, b"SECRET")
        os.close(fd)

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    guide = tmp_path / "xxe.xml"
    guide.write_text(f'<!DOCTYPE tv [<!ENTITY xxe SYSTEM "{fifo}">]>\n<tv>{PROGRAMME}</tv>', encoding="utf-8")
    programmes = _read_all(guide)
    was_opened = opened.is_set()
    reader_fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # let the writer finish
    thread.join(timeout=10)
    os.close(reader_fd)
    assert not was_opened
    for programme in programmes:
        assert "SECRET" not in programme.title + programme.desc


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE tv SYSTEM "{url}/xmltv.dtd">',
        '<!DOCTYPE tv PUBLIC "-//XMLTV//DTD//EN" "{url}/public.dtd">',
        '<!DOCTYPE tv [<!ENTITY % remote SYSTEM "{url}/param.dtd"> %remote;]>',
        '<!DOCTYPE tv [<!ENTITY xxe SYSTEM "{url}/general.txt">]>',
    ],
    ids=["system-dtd", "public-dtd", "parameter-entity", "general-entity"],
)
def test_no_network_for_dtds_or_entities(tmp_path: Path, loopback: tuple[str, list[str]], doctype: str) -> None:
    url, hits = loopback
    guide = tmp_path / "remote.xml"
    guide.write_text(doctype.format(url=url) + f"\n<tv>{PROGRAMME}</tv>", encoding="utf-8")
    for programme in _read_all(guide):
        assert "FETCHED" not in programme.title + programme.desc
    assert hits == []


def test_corpus_style_remote_dtd_still_reads(tmp_path: Path, loopback: tuple[str, list[str]]) -> None:
    """Real guides name a DTD by URL (epg.iptvx.one does): the guide reads and the DTD is not fetched."""
    url, hits = loopback
    guide = tmp_path / "named-dtd.xml"
    body = '<programme start="20260101120000 +0000" channel="a"><title>Fine</title></programme>'
    guide.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE tv SYSTEM "{url}/xmltv.dtd">\n<tv>{body}</tv>', encoding="utf-8"
    )
    assert [p.title for p in read_guide(guide) if isinstance(p, Programme)] == ["Fine"]
    assert hits == []
