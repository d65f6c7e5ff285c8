"""The parental lock in its own file, ``parental.toml`` beside ``settings.toml``: written atomically, failing closed.

Damage to ``settings.toml`` (truncated at a table boundary, moved aside) never removes the lock: once the lock has
its own file, ``[parental]`` in ``settings.toml`` is ignored. Damage to the lock's own file keeps locked content
locked: a PIN hash of the wrong type or shape makes every PIN wrong (the viewer is told how to reset it: delete
the file), and lock lists that cannot be read lock every channel. PIN hashes are accepted only with the parameters
settop writes, so a hostile hash can neither overflow nor freeze the GUI for minutes.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from settop.core.state.tomlfile import dumps, write_atomic
from settop.i18n import _

log = logging.getLogger("settop.settings")

FILE_NAME = "parental.toml"
PIN_ITERATIONS = 100_000
PIN_NAME = "parental.pin_hash"
LIST_NAMES = ("parental.locked_groups", "parental.locked_channels")
NAMES = (PIN_NAME, *LIST_NAMES)
DAMAGED_HASH = "damaged"
"""The PIN hash in use when the stored one is unreadable: a PIN is set, and no PIN matches it."""
_HASH = re.compile(r"pbkdf2-sha256\$(?P<iterations>\d{1,7})\$(?P<salt>[0-9a-f]{32})\$(?P<digest>[0-9a-f]{64})")


def hash_pin(pin: str, salt: bytes | None = None) -> str:
    """A ``parental.pin_hash`` value for ``pin``: ``pbkdf2-sha256$<iterations>$<salt hex>$<hash hex>``."""
    salt = salt if salt is not None else os.urandom(16)
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode("utf-8"), salt, PIN_ITERATIONS)
    return f"pbkdf2-sha256${PIN_ITERATIONS}${salt.hex()}${digest.hex()}"


def pin_hash_valid(pin_hash: str) -> bool:
    """Whether ``pin_hash`` has exactly the shape and parameters :func:`hash_pin` writes."""
    match = _HASH.fullmatch(pin_hash)
    return match is not None and int(match.group("iterations")) == PIN_ITERATIONS


def verify_pin(pin: str, pin_hash: str) -> bool:
    """Whether ``pin`` matches a value made by :func:`hash_pin`; False for anything else (never slow, never raises)."""
    if not pin_hash_valid(pin_hash):
        return False
    _scheme, _iterations, salt, expected = pin_hash.split("$")
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode("utf-8"), bytes.fromhex(salt), PIN_ITERATIONS)
    return hmac.compare_digest(digest.hex(), expected)


@dataclass(slots=True)
class LockState:
    """What was read: the parental values, whether they were damaged, whether every channel is locked."""

    values: dict[str, Any] = field(default_factory=dict)
    damaged: bool = False
    lock_all: bool = False
    message: str = ""


def reset_hint(path: Path) -> str:
    """How the viewer resets a PIN they cannot enter (the documented path)."""
    return _("To reset the PIN, delete {path}.").format(path=path)


def prompt_hint() -> str:
    """What the PIN prompt says while the lock is damaged (short: one line of the prompt)."""
    return _("Damaged lock: no PIN works. See Troubleshooting.")


def read(path: Path, legacy: Mapping[str, Any] | None) -> tuple[LockState, bool]:
    """The lock from ``path``, else from ``legacy`` (the ``[parental]`` table of an older settings.toml).

    Returns the state and whether ``path`` should be written now (a lock moving to its own file).
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        if not isinstance(legacy, Mapping) or not legacy:
            return LockState(), False
        state = _check(legacy, path)
        return state, not state.damaged
    except OSError:
        raw = b"\xff"  # unreadable: the same as damaged
    try:
        document = tomllib.loads(raw.decode("utf-8"))
        table = document.get("parental")
        if not isinstance(table, Mapping):
            raise ValueError("no [parental] table")
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, ValueError):
        return _damaged(path, {}, lock_all=True), False
    return _check(table, path), False


def _check(table: Mapping[str, Any], path: Path) -> LockState:
    values: dict[str, Any] = {}
    lock_all = damaged = False
    for name in LIST_NAMES:
        value = table.get(name.split(".")[1], [])
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            values[name] = list(value)
        else:
            damaged = lock_all = True
    pin_hash = table.get("pin_hash", "")
    if not isinstance(pin_hash, str) or (pin_hash and not pin_hash_valid(pin_hash)):
        damaged = True
    elif pin_hash:
        values[PIN_NAME] = pin_hash
    if not damaged:
        return LockState(values)
    return _damaged(path, values, lock_all=lock_all)


def _damaged(path: Path, values: dict[str, Any], *, lock_all: bool) -> LockState:
    values = dict(values)
    values[PIN_NAME] = DAMAGED_HASH
    message = _("The parental lock is damaged: locked channels stay locked and no PIN opens them.")
    if lock_all:
        message = _("The parental lock is damaged: every channel is locked and no PIN opens it.")
    message += " " + reset_hint(path)
    log.warning("parental: %s", message)
    return LockState(values, damaged=True, lock_all=lock_all, message=message)


def write(path: Path, values: Mapping[str, Any]) -> None:
    """Write the lock atomically (0600): the PIN hash and both lists."""
    table = {name.split(".")[1]: values.get(name, "" if name == PIN_NAME else []) for name in NAMES}
    text = dumps({"parental": table}, comment="settop parental lock; delete this file to reset the PIN.")
    write_atomic(path, text.encode("utf-8"))
