"""Coverage-guided fuzzing with atheris (when installed): ``python -m tests.helpers.atheris_harness TARGET [libFuzzer
flags]`` with TARGET one of ``redact``, ``m3u``, ``xmltv``. tests/core/test_fuzz.py runs it for a bounded time."""

from __future__ import annotations

import io
import sys

import atheris

with atheris.instrument_imports():
    from settop.core import redact
    from settop.core.guide import xmltv
    from settop.core.playlist import m3u


def fuzz_redact(data: bytes) -> None:
    text = atheris.FuzzedDataProvider(data).ConsumeUnicodeNoSurrogates(4096)
    masked = redact.redact(text)
    if redact.redact(masked) != masked:
        raise AssertionError(f"redact is not stable on {text!r}")
    redact.display_source(text)


def fuzz_m3u(data: bytes) -> None:
    m3u.parse_bytes(data, base_url="http://127.0.0.1/list.m3u", remote=True)


def fuzz_xmltv(data: bytes) -> None:
    try:
        for _ in xmltv.XmltvReader(name="fuzz.xml").read(io.BytesIO(data)):
            pass
    except xmltv.GuideError:
        pass


TARGETS = {"redact": fuzz_redact, "m3u": fuzz_m3u, "xmltv": fuzz_xmltv}


def main() -> None:
    target = TARGETS[sys.argv[1]]
    atheris.Setup([sys.argv[0], *sys.argv[2:]], target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
