"""The size caps the viewer set in settings.toml (``[fetch]``), so the command-line tools read what the app reads."""

from __future__ import annotations

from settop.core.net.fetch import FetchLimits, limits_from
from settop.core.state.settings import Settings


def viewer_limits(kind: str) -> FetchLimits:
    """The limits for ``kind`` (``playlist``, ``guide``) with the viewer's ``fetch.max_*`` cap (defaults: no file)."""
    return limits_from(kind, Settings.peek())
