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
from urllib.parse import unquote, urlsplit

MASK = "***"

# scheme://user:password@host -> scheme://***@host; greedy up to the last "@" of the authority (raw "@" in passwords)
_USERINFO = re.compile(r"(?P<scheme>(?<![a-zA-Z0-9+.-])[a-zA-Z][a-zA-Z0-9+.-]*://)[^/?#\s\"'<>]*@")
# name=value where the name looks like a credential; works on full URLs, bare paths and plain text
_SECRET_WORDS = r"user|login|pass|pwd|token|auth|key|sig|hash|mac|sid|session|secret|cred|ticket|otp|jwt"
_SECRET_NAME = re.compile(_SECRET_WORDS, re.IGNORECASE)
# the name is checked in code, not in the pattern, so matching stays linear on long runs of word characters
_PAIR = re.compile(r"(?P<name>(?<![\w.-])[\w.-]+)(?:\s*=\s*|%3[dD])")
_VALUE = re.compile(r"[^&#\s\"'<>]+")
# Xtream-style paths: /live/USER/PASS/123.ts, /movie/..., /series/..., /timeshift/USER/PASS/...
_PATH = re.compile(r"(?P<prefix>/(?:live|movie|series|timeshift)/)[^/?#\s\"'<>]+/[^/?#\s\"'<>]+", re.IGNORECASE)
# Xtream live without the "live" word: http://host:port/USER/PASS/123 or "GET /USER/PASS/123.ts HTTP/1.1"
_BARE_XTREAM = re.compile(
    r"(?P<prefix>(?:^|[\s\"'(=]|://[^/\s\"'<>]+))/[^/?#\s\"'<>]+/[^/?#\s\"'<>]+"
    r"(?P<tail>/\d+(?:\.[A-Za-z0-9]{1,5})?)(?=$|[\s?#\"')<>,;])"
)
# header-like secrets in text: "Authorization: Basic abc", "Cookie: a=b"
_HEADER = re.compile(
    r"(?P<name>\b(?:proxy-)?authorization|\bcookie|\bset-cookie)(?P<sep>\s*[:=]\s*)(?P<value>[^\r\n]+)", re.IGNORECASE
)
_BEARER = re.compile(r"(?P<name>\b(?:bearer|basic|digest)\s+)(?P<value>[A-Za-z0-9._~+/=-]{8,})", re.IGNORECASE)


def redact(text: str) -> str:
    """Return ``text`` with credentials masked: URL userinfo, credential-like query values, Xtream path segments.

    Works on whole URLs and on any text that contains them (log lines, exception messages). Over-masking a
    harmless value is accepted; leaking a secret is not.
    """
    if not text:
        return text
    text = _USERINFO.sub(r"\g<scheme>" + MASK + "@", text)
    text = _HEADER.sub(lambda m: m.group("name") + m.group("sep") + MASK, text)
    text = _BEARER.sub(lambda m: m.group("name") + MASK, text)
    text = _mask_pairs(text)
    text = _PATH.sub(r"\g<prefix>" + MASK + "/" + MASK, text)
    return _BARE_XTREAM.sub(r"\g<prefix>/" + MASK + "/" + MASK + r"\g<tail>", text)


def _mask_pairs(text: str) -> str:
    """Mask the value of every ``name=value`` whose name looks like a credential.

    Only the name and "=" are consumed while scanning, so a pair nested in another value (``url=http://h/?pass=x``)
    is still found.
    """
    out: list[str] = []
    pos = 0
    for pair in _PAIR.finditer(text):
        if pair.start() < pos or _SECRET_NAME.search(pair.group("name")) is None:
            continue
        value = _VALUE.match(text, pair.end())
        if value is None:
            continue
        out += [text[pos:pair.end()], MASK]
        pos = value.end()
    out.append(text[pos:])
    return "".join(out)


def display_source(source: str) -> str:
    """A short, secret-free name for a playlist or guide: ``host/…/file.m3u``, ``host`` or the local file name."""
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
