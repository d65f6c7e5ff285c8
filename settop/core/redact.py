"""Secret masking for URLs and free text, and the logging set-up that applies it to every record."""

from __future__ import annotations

import logging
import re
import sys
import threading
import traceback
from pathlib import PurePosixPath, PureWindowsPath
from types import TracebackType
from typing import Any
from urllib.parse import quote, quote_plus, unquote, urlsplit

MASK = "***"

# scheme://user:password@host -> scheme://***@host; greedy up to the last "@" of the authority (raw "@" in passwords)
_USERINFO = re.compile(r"(?P<scheme>(?<![a-zA-Z0-9+.-])[a-zA-Z][a-zA-Z0-9+.-]*://)[^/?#\s\"'<>]*@")
# name=value where the name looks like a credential; works on full URLs, bare paths and plain text
_SECRET_WORDS = r"user|login|pass|pwd|token|auth|key|sig|hash|mac|sid|session|secret|cred|ticket|otp|jwt"
_SECRET_NAME = re.compile(_SECRET_WORDS, re.IGNORECASE)
# short names that providers use for credentials (``?u=alice&p=pw``, ``?t=...``, ``?st=...&e=...``)
_SHORT_NAMES = frozenset({"u", "p", "pw", "k", "t", "st", "code", "e", "s", "h", "tk", "hdnts", "hdnea", "acl"})
# the name is checked in code, not in the pattern, so matching stays linear on long runs of word characters
_PAIR = re.compile(r"(?P<name>(?<![\w.%-])[\w.%-]+)(?:\s*=\s*|%3[dD])")
_VALUE = re.compile(r"[^&#\s\"'<>]+")
# path prefixes under which providers put USER/PASS: /live/USER/PASS/123.ts, /play/USER/PASS/..., a URL ending in PASS
PATH_PREFIXES = ("live", "movie", "movies", "series", "timeshift", "play", "hls", "images", "vod", "stream", "streams")
_PATH = re.compile(r"(?P<prefix>/(?:" + "|".join(PATH_PREFIXES) + r")/)[^/?#\s\"'<>]+/[^/?#\s\"'<>]+",
                   re.IGNORECASE)
# Xtream live without the "live" word: http://host:port/USER/PASS/123 or "GET /USER/PASS/123.ts HTTP/1.1", and
# under any one-segment prefix: /auth401/USER/PASS/5.ts
_BARE_XTREAM = re.compile(
    r"(?P<prefix>(?:^|[\s\"'(=]|://[^/\s\"'<>]+)(?:/[^/?#\s\"'<>]+)?)/[^/?#\s\"'<>]+/[^/?#\s\"'<>]+"
    r"(?P<tail>/\d+(?:\.[A-Za-z0-9]{1,5})?)(?=$|[\s?#\"')<>,;])"
)
# header-like secrets in text: "Authorization: Basic abc", "Cookie: a=b"
_HEADER = re.compile(
    r"(?P<name>\b(?:proxy-)?authorization|\bcookie|\bset-cookie)(?P<sep>\s*[:=]\s*)(?P<value>[^\r\n]+)", re.IGNORECASE
)
_BEARER = re.compile(r"(?P<name>\b(?:bearer|basic|digest)\s+)(?P<value>[A-Za-z0-9._~+/=-]{8,})", re.IGNORECASE)
# every pattern below needs one of these: a quick test spares the six scans on most texts
_MAYBE = re.compile(r"[@=:/%]|bearer|basic|digest", re.IGNORECASE)
_PASSES = 4  # masking can uncover another match (``A://PASS=/&@``): run the patterns until nothing changes


def redact(text: str) -> str:
    """Return ``text`` with credentials masked: every secret value settop knows (see :func:`remember`), URL
    userinfo, credential-like query values, USER/PASS path segments.

    Works on whole URLs and on any text that contains them (log lines, exception messages). Over-masking a
    harmless value is accepted; leaking a secret is not. Idempotent: ``redact(redact(t)) == redact(t)``.
    """
    if not text:
        return text
    for _ in range(_PASSES):
        masked = _redact_once(text)
        if masked == text:
            break
        text = masked
    return text


def _redact_once(text: str) -> str:
    text = _mask_known(text)
    if _MAYBE.search(text) is None:  # no pattern below can match: most short texts (JSON values, names)
        return text
    text = _USERINFO.sub(r"\g<scheme>" + MASK + "@", text)
    text = _HEADER.sub(lambda m: m.group("name") + m.group("sep") + MASK, text)
    text = _BEARER.sub(lambda m: m.group("name") + MASK, text)
    text = _mask_pairs(text)
    text = _PATH.sub(lambda m: m.group(0) if _in_local_path(m.string, m.start()) else
                     m.group("prefix") + MASK + "/" + MASK, text)
    return _BARE_XTREAM.sub(lambda m: m.group(0) if _in_local_path(m.string, m.end("prefix")) else
                            m.group("prefix") + "/" + MASK + "/" + MASK + m.group("tail"), text)


_REQUEST_LINE = re.compile(r"\b(?:GET|HEAD|POST|PUT|OPTIONS) $")  # "GET /auth/U/P/1.ts HTTP/1.1" is a request path
_LOCAL_PATH_SCAN = 512  # characters looked back for the start of a path
_TOKEN_END = frozenset(" \t\r\n\"'(<>=,;")


def _in_local_path(text: str, pos: int) -> bool:
    """Whether the path segment at ``pos`` lies inside a local file path (``/media/tv/live/news/hd.ts``,
    ``file:///srv/movie/a/b.mkv``, ``~/series/x/y.mkv``): the viewer's own folders, not a provider's USER/PASS.
    A path that starts at the segment (``GET /live/U/P/1.ts``, ``/live/U/P``) is still masked."""
    start, limit = pos, max(0, pos - _LOCAL_PATH_SCAN)
    while start > limit and text[start - 1] not in _TOKEN_END:
        start -= 1
    if start == limit and start > 0 and text[start - 1] not in _TOKEN_END:
        return False  # a token this long is no folder of the viewer's: mask (and keep redact() linear)
    token = text[start:pos]
    if token.startswith("file:"):
        return True
    if "://" in token or _REQUEST_LINE.search(text, max(0, start - 8), start):
        return False
    return token.startswith("~") or (token.startswith("/") and len(token) > 1)


def is_secret_name(name: str) -> bool:
    """Whether a query or form field called ``name`` (maybe %-encoded, ``pass%77ord``) carries a credential."""
    if "%" in name:
        name = unquote(name)
    return _SECRET_NAME.search(name) is not None or name.lower() in _SHORT_NAMES


def _mask_pairs(text: str) -> str:
    """Mask the value of every ``name=value`` whose name looks like a credential.

    Only the name and "=" are consumed while scanning, so a pair nested in another value (``url=http://h/?pass=x``)
    is still found.
    """
    out: list[str] = []
    pos = 0
    for pair in _PAIR.finditer(text):
        if pair.start() < pos or not is_secret_name(pair.group("name")):
            continue
        value = _VALUE.match(text, pair.end())
        if value is None or value.group() == MASK:
            continue
        out += [text[pos:pair.end()], MASK]
        pos = value.end()
    out.append(text[pos:])
    return "".join(out)


_known_lock = threading.Lock()
_known_tokens: frozenset[str] = frozenset()
"""Remembered secrets made only of token characters: looked up per token of a text (fast for thousands)."""
_known_other: dict[str, None] = {}
"""Remembered secrets with other characters (``pa/ss w``): matched by one alternation."""
_known_pattern: re.Pattern[str] | None = None
MAX_KNOWN = 4096
"""At most this many secret forms are remembered (a bound on the work of every redact())."""
MAX_KNOWN_OTHER = 128
MIN_KNOWN = 3
"""Shorter values are not remembered: masking every "ab" in every text would hide everything."""
_TOKEN = re.compile(r"[A-Za-z0-9%_~+.-]+")
_TOKEN_ONLY = re.compile(r"[A-Za-z0-9%_~+.-]+")


def remember(*values: str) -> None:
    """Register secret values (account passwords, URL userinfo, credential path segments and query values): from
    now on :func:`redact` masks each wherever it appears as a whole word, raw or %-encoded (``+`` for spaces too)."""
    global _known_tokens, _known_pattern
    with _known_lock:
        tokens = set(_known_tokens)
        size = len(tokens) + len(_known_other)
        for value in values:
            for form in _forms(value):
                if _TOKEN_ONLY.fullmatch(form):
                    if len(tokens) < MAX_KNOWN:
                        tokens.add(form)
                        tokens.add(form.rstrip("."))  # "pw." at the end of a sentence
                elif len(_known_other) < MAX_KNOWN_OTHER:
                    _known_other.setdefault(form, None)
        if len(tokens) + len(_known_other) != size:
            _known_tokens = frozenset(tokens)
            if _known_other:
                alternatives = sorted(_known_other, key=len, reverse=True)
                _known_pattern = re.compile(
                    r"(?<![A-Za-z0-9])(?:" + "|".join(map(re.escape, alternatives)) + r")(?![A-Za-z0-9])")


def forget_all() -> None:
    """Drop every remembered secret (tests; a process that switches accounts keeps them, which is safe)."""
    global _known_tokens, _known_pattern
    with _known_lock:
        _known_tokens = frozenset()
        _known_other.clear()
        _known_pattern = None


def known_count() -> int:
    """How many secret forms are remembered."""
    return len(_known_tokens) + len(_known_other)


def _mask_known(text: str) -> str:
    pattern = _known_pattern
    if pattern is not None:
        text = pattern.sub(MASK, text)
    tokens = _known_tokens
    if tokens:
        text = _TOKEN.sub(lambda m: _known_token(m.group(), tokens), text)
    return text


def _known_token(token: str, tokens: frozenset[str]) -> str:
    if token in tokens:
        return MASK
    if "." not in token:
        return token
    # "s3cr3tPW." ending a sentence, "s3cr3tPW.ts" as a file name
    return ".".join(MASK if part in tokens else part for part in token.split("."))


def _forms(value: str) -> set[str]:
    if len(value) < MIN_KNOWN or MASK in value or "\n" in value:
        return set()
    forms = {value, quote_plus(value), *(quote(value, safe=safe) for safe in _SAFE_SETS)}
    forms |= {_LOWER_ESCAPES.sub(lambda m: m.group().lower(), form) for form in forms}
    return {form for form in forms if len(form) >= MIN_KNOWN}


_LOWER_ESCAPES = re.compile(r"%[0-9A-F]{2}")
_SAFE_SETS = ("", "/", ":@", "/:@", "/:@!$&'()*+,;=")  # what encoders leave as it is: none, a path, userinfo, ...


def redact_tree(value: Any) -> Any:
    """A JSON-like document (dicts, lists, strings, numbers) with every string, keys too, passed through redact()."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {redact_tree(key): redact_tree(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [redact_tree(item) for item in value]
    return value


def display_source(source: str) -> str:
    """A short, secret-free name for a playlist or guide: ``host/…/file.m3u``, ``host`` or the local file name.

    The source is redacted whole first, so a secret in the last segment (``/live/alice/PASS``) shows as ``***``.
    """
    source = redact(source)
    if "://" not in source:
        name = PureWindowsPath(source).name if "\\" in source else PurePosixPath(source).name
        return redact(name or source)
    try:
        parts = urlsplit(source)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return redact(source.split("://", 1)[0] + "://…")
    if parts.scheme == "file":
        return redact(PurePosixPath(unquote(parts.path)).name or "file")
    if port is not None:
        host = f"{host}:{port}"
    segments = [s for s in parts.path.split("/") if s]
    if not segments:
        return redact(host)
    name = unquote(segments[-1])
    shown = f"{host}/{name}" if len(segments) == 1 else f"{host}/…/{name}"
    return redact(shown)


class RedactingFilter(logging.Filter):
    """Rewrites each record's message, exception text and stack with :func:`redact`; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        _redact_record(record)
        return True


def _redact_record(record: logging.LogRecord) -> None:
    if getattr(record, "_settop_redacted", False):
        return
    try:
        message = record.getMessage()
    except Exception:  # a bad format string must not hide the record or leak its args
        message = f"{record.msg!s} (unformattable arguments)"
    record.msg = redact(message)
    record.args = None
    if record.exc_info and not record.exc_text:
        record.exc_text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
    if record.exc_text:
        record.exc_text = redact(record.exc_text)
    if record.stack_info:
        record.stack_info = redact(record.stack_info)
    record._settop_redacted = True


_installed_lock = threading.Lock()
_factory_installed = False
_FILTER = RedactingFilter()


def _install_record_factory() -> None:
    """Every record created anywhere (urllib3, requests, the libVLC bridge, handlers added later) is redacted."""
    global _factory_installed
    with _installed_lock:
        if _factory_installed:
            return
        previous = logging.getLogRecordFactory()

        def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            record = previous(*args, **kwargs)
            _redact_record(record)
            return record

        logging.setLogRecordFactory(factory)
        _factory_installed = True


def _one_line(exc_type: type[BaseException], exc: BaseException) -> str:
    detail = redact(str(exc)).splitlines()[0] if str(exc) else ""
    return f"settop: error: {exc_type.__name__}{': ' + detail if detail else ''}"


def _excepthook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    logging.getLogger("settop").debug("unhandled exception", exc_info=(exc_type, exc, tb))
    print(_one_line(exc_type, exc), file=sys.stderr)  # noqa: T201 - the last line of defence writes to stderr


def _thread_excepthook(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is None:
        return
    name = args.thread.name if args.thread is not None else "?"
    logging.getLogger("settop").debug("unhandled exception in thread %s", name,
                                      exc_info=(args.exc_type, args.exc_value, args.exc_traceback))
    print(_one_line(args.exc_type, args.exc_value) + f" (thread {name})", file=sys.stderr)  # noqa: T201


def install_logging(level: int = logging.WARNING) -> None:
    """Log to stderr at ``level`` with every record redacted; redact uncaught exceptions to one line.

    Puts :class:`RedactingFilter` on every handler of the root logger, installs a record factory so records that
    reach handlers added later (by libraries or the UI) are redacted too, routes ``warnings`` through logging,
    and replaces ``sys.excepthook`` and ``threading.excepthook``.
    """
    root = logging.getLogger()
    if not root.handlers:
        stream_handler = logging.StreamHandler()
        stream_handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        root.addHandler(stream_handler)
    root.setLevel(level)
    for handler in root.handlers:
        if _FILTER not in handler.filters:
            handler.addFilter(_FILTER)
    for name in ("urllib3", "requests", "settop"):
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
    _install_record_factory()
    logging.captureWarnings(True)
    sys.excepthook = _excepthook
    threading.excepthook = _thread_excepthook
