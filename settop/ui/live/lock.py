"""What the live screens ask the parental lock (``settop.ui.widgets.pin.Parental``) before tuning or opening."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from settop.core.models import Channel


class GroupLock(Protocol):
    """The lock on channel-list groups."""

    def is_group_locked(self, name: str) -> bool:
        """Whether entering group ``name`` needs the PIN now."""
        ...

    def gate_group(self, name: str, proceed: Callable[[], object]) -> bool:
        """True when group ``name`` may be entered now; otherwise asks and runs ``proceed`` after the right PIN."""
        ...


class TuneLock(GroupLock, Protocol):
    """The lock on groups and on channels."""

    def gate(self, channel: Channel, proceed: Callable[[], object]) -> bool:
        """True when ``channel`` may be tuned now; otherwise asks and runs ``proceed`` after the right PIN."""
        ...
