"""redact(), display_source(), and that no secret reaches logs, excepthook output or the CLI's stderr."""

from __future__ import annotations

import contextlib
import io
import logging
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from settop.cli import main
from settop.core import redact as redact_module
from settop.core.net.fetch import FetchError, fetch
from settop.core.redact import RedactingFilter, display_source, install_logging, redact
from tests.helpers.faultserver import PLAYLIST, FaultServer


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("http://alice:pw@tv.example.com/list.m3u", "http://***@tv.example.com/list.m3u"),
        ("http://al:p@ss@h.tv/x", "http://***@h.tv/x"),
        ("https://tv.example.com/get.php?username=alice&password=pw&type=m3u_plus",
         "https://tv.example.com/get.php?username=***&password=***&type=m3u_plus"),
        ("http://h/x?token=abc&sig=def&ok=1#frag", "http://h/x?token=***&sig=***&ok=1#frag"),
        ("http://h/x?API_KEY=abc&auth_token=def", "http://h/x?API_KEY=***&auth_token=***"),
        ("http://h/x?mac=00:1A:79:00:00:01&sid=9", "http://h/x?mac=***&sid=***"),
        ("http://h:8080/live/alice/pw/123.ts", "http://h:8080/live/***/***/123.ts"),
        ("http://h/movie/alice/pw/9.mkv", "http://h/movie/***/***/9.mkv"),
        ("http://h/series/alice/pw/9.mkv", "http://h/series/***/***/9.mkv"),
        ("http://h/timeshift/alice/pw/60/2024-01-01:10-00/5.ts", "http://h/timeshift/***/***/60/2024-01-01:10-00/5.ts"),
        ("http://h:8080/alice/pw/123", "http://h:8080/***/***/123"),
        ('"GET /live/alice/pw/1.ts HTTP/1.1" 200', '"GET /live/***/***/1.ts HTTP/1.1" 200'),
        ('"GET /alice/pw/1.ts HTTP/1.1" 200', '"GET /***/***/1.ts HTTP/1.1" 200'),
        ("Authorization: Basic YWxpY2U6cHc=", "Authorization: ***"),
        ("password = hunter22", "password = ***"),
        ("http://tv.example.com/list.m3u", "http://tv.example.com/list.m3u"),
        ("plain words, nothing secret", "plain words, nothing secret"),
        ("", ""),
    ],
    ids=["userinfo", "userinfo-raw-at", "xtream-query", "token-sig", "key-like-names", "mac-sid", "live-path",
         "movie-path", "series-path", "timeshift-path", "bare-xtream", "log-line-path", "log-line-bare",
         "auth-header", "text-assignment", "clean-url", "clean-text", "empty"],
)
def test_redact(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("http://alice:pw@tv.example.com:8080/get.php?username=alice&password=pw", "tv.example.com:8080/get.php"),
        ("https://tv.example.com/lists/sub/my.m3u", "tv.example.com/…/my.m3u"),
        ("https://tv.example.com", "tv.example.com"),
        ("http://h/live/alice/pw/1.ts", "h/…/1.ts"),
        ("/home/me/tv/Family%20List.m3u", "Family%20List.m3u"),
        ("file:///home/me/tv/Family%20List.m3u", "Family List.m3u"),
        ("C:\\Users\\me\\tv.m3u", "tv.m3u"),
    ],
    ids=["xtream", "deep-path", "host-only", "live-path", "local-path", "file-url", "windows-path"],
)
def test_display_source(source: str, expected: str) -> None:
    assert display_source(source) == expected


# ----------------------------------------------------------------------------------------- generated secrets

SECRET = st.text(alphabet="abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ23456789-._~!$*+%", min_size=6,
                 max_size=24).map(lambda s: "Q7" + s)
HOST = st.from_regex(r"[a-z]{1,12}(\.[a-z]{2,6}){0,2}", fullmatch=True)
PORT = st.one_of(st.just(""), st.integers(1, 65535).map(lambda p: f":{p}"))
SEGMENT = st.from_regex(r"[a-z0-9_.-]{1,10}", fullmatch=True)
SECRET_KEYS = ["user", "username", "pass", "password", "pwd", "token", "auth", "key", "sig", "hash", "mac", "sid",
               "session", "Password", "X-Amz-Signature", "access_token", "api_key"]


@st.composite
def secret_urls(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A URL with one to three secrets in userinfo, credential-like query values and Xtream path segments."""
    secrets: list[str] = []
    scheme = draw(st.sampled_from(["http", "https", "rtsp", "rtmp"]))
    auth = ""
    if draw(st.booleans()):
        user, password = draw(SECRET), draw(SECRET)
        secrets += [user, password]
        auth = f"{user}:{password}@"
    path = "/" + "/".join(draw(st.lists(SEGMENT, max_size=3)))
    style = draw(st.sampled_from(["live", "movie", "series", "timeshift", "bare", "none"]))
    if style != "none":
        user, password = draw(SECRET), draw(SECRET)
        secrets += [user, password]
        prefix = "" if style == "bare" else f"/{style}"
        path = f"{prefix}/{user}/{password}/{draw(st.integers(1, 99999))}{draw(st.sampled_from(['', '.ts', '.m3u8']))}"
    query_parts = [f"{draw(SEGMENT)}=plain"] if draw(st.booleans()) else []
    for key in draw(st.lists(st.sampled_from(SECRET_KEYS), max_size=3)):
        value = draw(SECRET)
        secrets.append(value)
        query_parts.append(f"{key}={value}")
    query = "?" + "&".join(draw(st.permutations(query_parts))) if query_parts else ""
    if not secrets:
        value = draw(SECRET)
        secrets.append(value)
        query = f"?token={value}"
    url = f"{scheme}://{auth}{draw(HOST)}{draw(PORT)}{path}{query}"
    return url, secrets


@settings(max_examples=300, deadline=None)
@given(case=secret_urls(), before=st.sampled_from(["", "GET ", "error: ", "(", '"', "url="]),
       after=st.sampled_from(["", " HTTP/1.1", ")", '"', " and more", "\n"]))
def test_generated_secrets_never_survive(case: tuple[str, list[str]], before: str, after: str) -> None:
    url, secrets = case
    for text in (url, before + url + after):
        masked = redact(text)
        for secret in secrets:
            assert secret not in masked, (text, masked)
    shown = display_source(url)
    for secret in secrets:
        assert secret not in shown


# ----------------------------------------------------------------------------------------- logging and hooks


@contextlib.contextmanager
def installed_logging() -> Iterator[io.StringIO]:
    """install_logging() with an extra root handler writing to a buffer; everything global is restored after."""
    root = logging.getLogger()
    saved = (root.level, list(root.handlers), logging.getLogRecordFactory(), sys.excepthook, threading.excepthook)
    saved_filters = {name: list(logging.getLogger(name).filters) for name in ("urllib3", "requests", "settop")}
    saved_flag = redact_module._factory_installed
    redact_module._factory_installed = False
    install_logging(logging.DEBUG)
    buffer = io.StringIO()
    late = logging.StreamHandler(buffer)  # added after install: as a library or the UI would
    late.setFormatter(logging.Formatter("%(name)s %(message)s"))
    root.addHandler(late)
    try:
        yield buffer
    finally:
        root.setLevel(saved[0])
        root.handlers[:] = saved[1]
        logging.setLogRecordFactory(saved[2])
        sys.excepthook = saved[3]
        threading.excepthook = saved[4]
        for name, filters in saved_filters.items():
            logging.getLogger(name).filters[:] = filters
        redact_module._factory_installed = saved_flag
        logging.captureWarnings(False)


@pytest.fixture
def logging_installed() -> Iterator[io.StringIO]:
    with installed_logging() as buffer:
        yield buffer


@pytest.mark.allow_warnings("access stream error", "^failed on ")
def test_no_secret_in_any_log(logging_installed: io.StringIO, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    secret_url = "http://alice:Q7userpw@127.0.0.1:{port}/live/Q7xuser/Q7xpass/1.m3u?token=Q7token"
    with FaultServer() as server:
        server.routes["/live/Q7xuser/Q7xpass/1.m3u"] = lambda h: h._send(  # type: ignore[attr-defined]
            200, PLAYLIST, "audio/x-mpegurl")
        url = secret_url.format(port=server.port)
        fetch(url, use_cache=False)
        with pytest.raises(FetchError):
            fetch(url.replace("/1.m3u", "/2.m3u"), use_cache=False)
    logging.getLogger("settop.fetch").info("fetched %s", url)
    logging.getLogger("settop.player.vlc").warning("access stream error: HTTP connection failure %s", url)
    try:
        raise RuntimeError(f"boom {url}")
    except RuntimeError:
        logging.getLogger("settop.test").exception("failed on %s", url)
    formatted = logging_installed.getvalue() + "\n".join(caplog.text.splitlines())
    assert "urllib3.connectionpool" in formatted  # urllib3's DEBUG lines were captured ...
    assert "/live/***/***/1.m3u" in formatted
    for secret in ("Q7userpw", "Q7xuser", "Q7xpass", "Q7token"):
        assert secret not in formatted  # ... and none of them holds a secret


def test_filter_alone_redacts_args_and_exceptions() -> None:
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "open %s", ("http://u:Q7pw@h/",), None)
    try:
        raise ValueError("http://h/?password=Q7pw2")
    except ValueError:
        record.exc_info = sys.exc_info()
    assert RedactingFilter().filter(record)
    text = logging.Formatter().format(record)
    assert "Q7pw" not in text
    assert "http://***@h/" in text


def test_excepthook_prints_one_redacted_line(logging_installed: io.StringIO, capsys: pytest.CaptureFixture[str]
                                             ) -> None:
    try:
        raise ConnectionError("cannot open http://bob:Q7hook@h/live/bob/Q7path/1.ts")
    except ConnectionError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("settop: error: ConnectionError: cannot open http://***@h/live/***/***/1.ts")
    assert "Q7" not in err + logging_installed.getvalue()


def test_excepthook_in_a_real_process() -> None:
    code = ("from settop.core.redact import install_logging\ninstall_logging()\n"
            "raise RuntimeError('http://bob:Q7proc@h/get.php?username=bob&password=Q7proc2')")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "Q7proc" not in done.stderr
    assert "Traceback" not in done.stderr
    assert "settop: error: RuntimeError" in done.stderr


@pytest.fixture(scope="module")
def server() -> Iterator[FaultServer]:
    with FaultServer() as running:
        yield running


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(key=st.sampled_from(SECRET_KEYS), secrets=st.tuples(SECRET, SECRET, SECRET, SECRET, SECRET))
def test_generated_secrets_never_leak_from_a_fetch(server: FaultServer, settop_home: Path, key: str,
                                                   secrets: tuple[str, str, str, str, str]) -> None:
    """Fetch good and failing URLs full of secrets; look for them in logs, errors, CLI output and the cache."""
    user, password, value, path_user, path_pass = secrets
    auth = f"{quote(user, safe='')}:{quote(password, safe='')}"
    good = server.url(f"/etag/list.m3u?{key}={quote(value, safe='')}", userinfo=auth)
    bad = server.url(f"/live/{quote(path_user, safe='')}/{quote(path_pass, safe='')}/1.ts?{key}={value}",
                     userinfo=auth)
    seen: list[str] = []
    with installed_logging() as logs:
        fetch(good)
        fetch(good)
        try:
            fetch(bad)
        except FetchError as exc:
            seen.append(str(exc))
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()) as out:
            main(["check", bad])
        seen += [logs.getvalue(), err.getvalue(), out.getvalue()]
    files = b"".join(p.read_bytes() for p in settop_home.rglob("*") if p.is_file())
    for secret in secrets:
        for text in seen:
            assert secret not in text and quote(secret, safe="") not in text
        assert secret.encode() not in files and quote(secret, safe="").encode() not in files


@pytest.mark.parametrize(("text", "expected"), [
    ("/media/tv/live/news/hd/chan.ts", "/media/tv/live/news/hd/chan.ts"),
    ("file:///srv/movie/a/b/c.mkv", "file:///srv/movie/a/b/c.mkv"),
    ("~/tv/series/x/y/1.mkv", "~/tv/series/x/y/1.mkv"),
    ("/home/pi/tv/7.ts", "/home/pi/tv/7.ts"),
    ("http://h/live/bob/pw/1.ts", "http://h/live/***/***/1.ts"),
    ("GET /auth401/bob/pw/5.ts HTTP/1.1", "GET /auth401/***/***/5.ts HTTP/1.1"),
    ("/live/bob/pw/1.ts", "/live/***/***/1.ts"),  # a path that starts at the prefix may be a request path
], ids=["media", "file-url", "home-tilde", "home-bare-id", "provider", "request-line", "bare-prefix"])
def test_local_file_paths_are_not_taken_for_credentials(text: str, expected: str) -> None:
    assert redact(text) == expected
