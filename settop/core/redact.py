"""Secret masking for URLs and text, and the logging set-up that applies it to every record.

PLACEHOLDER: the fetch/redact issue replaces this module with the full implementation.
"""

from __future__ import annotations

import logging
import re

_USERINFO = re.compile(r"(?P<scheme>[a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\s]+@")


def redact(text: str) -> str:
    """Return ``text`` with credentials in URLs masked."""
    return _USERINFO.sub(r"\g<scheme>***@", text)


def install_logging(level: int = logging.WARNING) -> None:
    """Configure root logging to stderr at ``level``."""
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
