"""Masking by knowledge (issue 18): the listed shapes, secrets learnt from a source masked anywhere, idempotence."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from settop.core.models import Channel, Playlist
from settop.core.redact import display_source, forget_all, known_count, redact, remember
from settop.core.secrets import learn_playlist, learn_url, learn_urls
from tests.helpers.faultserver import PLAYLIST, FaultServer


@pytest.mark.parametrize(("text", "secret"), [
    ("http://h/x.ts?pw=Q7secret", "Q7secret"),
    ("http://h/x.ts?p=Q7secret&u=Q7user", "Q7secret"),
    ("http://h/x.ts?k=Q7secret", "Q7secret"),
    ("http://h/x.ts?t=Q7secret", "Q7secret"),
    ("http://h/x.ts?code=Q7secret", "Q7secret"),
    ("http://h/x.ts?st=Q7secret&e=1700000000", "Q7secret"),
    ("http://h/get.php?username=alice&pass%77ord=Q7secret", "Q7secret"),
    ("http://h/play/alice/Q7secret/5.ts", "Q7secret"),
    ("http://h/hls/alice/Q7secret/index.m3u8", "Q7secret"),
    ("GET /images/alice/Q7secret/logo1.png HTTP/1.1", "Q7secret"),
    ("http://h:8080/live/alice/Q7secret", "Q7secret"),
    ("playing http://127.0.0.1:8080/auth401/alice/Q7secret/5.ts", "Q7secret"),
], ids=["pw", "p", "k", "t", "code", "st", "pass%77ord", "play-path", "hls-path", "images-path", "ends-in-password",
        "any-three-segment-prefix-bare"])
def test_listed_shapes_by_pattern(text: str, secret: str) -> None:
    assert secret not in redact(text)


def test_url_ending_in_the_password_is_not_shown_by_display_source() -> None:
    assert display_source("http://h/live/alice/s3cr3tPW") == "h/…/***"


@pytest.mark.parametrize("password", ["pa/ss", "pa?ss", "pa#ss", "pa ss word", "p@ss:w/rd?#x"])
def test_a_known_password_is_masked_raw_and_percent_encoded(password: str) -> None:
    learn_url(f"http://alice:{quote(password, safe='')}@h.tv/list.m3u")
    for shown in (password, quote(password, safe=""), quote(password), quote(password).replace("%2F", "%2f")):
        text = f"error: {shown} was refused; http://h/x?a={shown}&b=1"
        assert password not in redact(text) and shown not in redact(text), redact(text)
    assert "alice" not in redact("user alice logged in")


def test_an_account_password_is_masked_wherever_it_appears() -> None:
    remember("s3cr3t PW/x")  # as an account's password is registered when the account is read
    assert redact("sent 's3cr3t PW/x' and s3cr3t%20PW%2Fx and s3cr3t+PW%2Fx") == "sent '***' and *** and ***"


def test_segments_shared_by_a_hosts_urls_are_learnt() -> None:
    urls = [f"http://127.0.0.1:8080/auth401/alice/Q7secretPW/{n}.ts" for n in ("a", "b", "c")]
    learn_urls(urls)
    assert redact("401 on /auth401/alice/Q7secretPW/a.ts for alice") == "401 on /auth401/***/***/a.ts for ***"


def test_learning_a_huge_playlist_is_quick_and_bounded() -> None:
    channels = tuple(Channel(key=str(n), name=f"c{n}", url=f"http://h{n}.tv/s/index.m3u8?token=Q7tok{n}")
                     for n in range(100_000))
    learn_playlist(Playlist(channels=channels))
    assert known_count() <= 64 * 12  # the values seen most often, each with its encodings
    forget_all()
    assert known_count() == 0


def test_plain_words_are_not_learnt() -> None:
    learn_urls(["http://h/live/live/hls/1.ts", "http://h/get.php?type=m3u_plus&output=ts"])
    assert redact("live hls m3u_plus ts") == "live hls m3u_plus ts"


# The fuzzer's find: 'A://PASS=/&@' -> 'A://PASS=***&@' -> 'A://***@'.
@pytest.mark.parametrize("text", ["A://PASS=/&@", "x://a=b@c/?pass=/&@", "http://u:p@h/?token=a@b"])
def test_redact_is_idempotent_on_known_cases(text: str) -> None:
    once = redact(text)
    assert redact(once) == once


@given(st.text(alphabet=st.sampled_from(list("aP:/?#&=@%3dD ASx*.-_1\"'<>\n")), max_size=40))
@settings(max_examples=2000, deadline=None)
def test_redact_is_idempotent(text: str) -> None:
    once = redact(text)
    assert redact(once) == once


@given(st.text(max_size=60))
@settings(max_examples=500, deadline=None)
def test_redact_is_idempotent_on_any_text(text: str) -> None:
    once = redact(text)
    assert redact(once) == once


SECRETS = ("Q7alice", "Q7s3cr3tPW")


@pytest.mark.parametrize("verbose", ["-v", "-vv"])
def test_no_secret_at_any_verbosity(tmp_path: Path, verbose: str) -> None:
    """`settop check` as a process at -v and -vv (urllib3's request lines too) over URLs of every listed shape."""
    with FaultServer() as server:
        for path in ("/auth401/Q7alice/Q7s3cr3tPW/5.ts", "/images/Q7alice/Q7s3cr3tPW/logo1.png",
                     "/play/Q7alice/Q7s3cr3tPW/6.ts"):
            server.routes[path] = lambda h: h._send(401, b"no", "text/plain")  # type: ignore[attr-defined]
        base = f"http://127.0.0.1:{server.port}"
        playlist = tmp_path / "list.m3u"
        playlist.write_text(
            "#EXTM3U\n"
            f'#EXTINF:-1 tvg-logo="{base}/images/Q7alice/Q7s3cr3tPW/logo1.png",A\n'
            f"{base}/auth401/Q7alice/Q7s3cr3tPW/5.ts\n"
            f"#EXTINF:-1,B\n{base}/play/Q7alice/Q7s3cr3tPW/6.ts\n"
            f"#EXTINF:-1,C\n{base}/x.ts?pw=Q7s3cr3tPW&st=Q7alice\n", encoding="utf-8")
        for fmt in ([], ["--json"]):
            done = subprocess.run([sys.executable, "-m", "settop", "check", str(playlist), verbose, *fmt,
                                   "--timeout", "3"], capture_output=True, text=True, timeout=60)
            output = done.stdout + done.stderr
            assert "DEAD" in output or '"dead"' in output
            if verbose == "-vv":
                assert "urllib3" in output or "GET /" in output or "connectionpool" in output, output
            for secret in SECRETS:
                assert secret not in output, output
    logging.getLogger("settop").debug("%s", PLAYLIST[:0])


def test_local_paths_teach_nothing() -> None:
    learn_url("/media/alice/2024.m3u")
    learn_url("file:///media/alice/2024.m3u")
    assert known_count() == 0 and redact("media alice") == "media alice"
