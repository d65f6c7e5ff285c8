"""Value objects of a provider account: the account and its status."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass(frozen=True, slots=True)
class Account:
    """A provider account spoken to through the Xtream Codes player API.

    server: the base address, ``http(s)://host[:port]`` with no trailing slash (see :func:`xtream.normalise_server`).
    password: a secret: never in ``repr``, logs, errors or file names.
    """

    server: str
    username: str
    password: str = field(repr=False)

    @property
    def host(self) -> str:
        """``host[:port]`` of the server: the secret-free name of the account."""
        parts = urlsplit(self.server)
        return parts.netloc.rpartition("@")[2] or self.server


@dataclass(frozen=True, slots=True)
class AccountStatus:
    """What ``player_api.php`` says about the account.

    status: the panel's word folded to lower case (``active``, ``expired``, ``banned``, ``disabled``, ...).
    expires: epoch seconds, None for an account without an end date.
    active_connections, max_connections: None when the panel does not say.
    output_formats: the stream containers the account may use (``m3u8``, ``ts``, ``rtmp``), lower case.
    """

    status: str
    expires: int | None = None
    active_connections: int | None = None
    max_connections: int | None = None
    is_trial: bool = False
    output_formats: tuple[str, ...] = ()
    server_timezone: str = ""

    @property
    def active(self) -> bool:
        return self.status == "active"
