"""An account's status in words: "Active until 12 March 2027 · 1 of 2 connections in use", or what is wrong."""

from __future__ import annotations

from datetime import UTC, datetime

from settop.core.sources.xtream_models import AccountStatus
from settop.i18n import N_, _, ngettext

_MONTHS = (N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"), N_("July"),
           N_("August"), N_("September"), N_("October"), N_("November"), N_("December"))


def date_text(epoch: int) -> str:
    """``12 March 2027`` (UTC), with the month named in the interface language."""
    moment = datetime.fromtimestamp(epoch, UTC)
    return _("{day} {month} {year}").format(day=moment.day, month=_(_MONTHS[moment.month - 1]), year=moment.year)


def status_text(status: AccountStatus, now: float) -> str:
    """The status line a viewer reads; ``now`` (epoch seconds) decides whether an end date has passed."""
    expired = status.expires is not None and status.expires <= now
    if status.status == "expired" or (status.active and expired):
        if status.expires is not None:
            return _("Expired on {date}").format(date=date_text(status.expires))
        return _("The account has expired")
    if status.status == "banned":
        return _("The account is banned by the provider")
    if status.status == "disabled":
        return _("The account is disabled by the provider")
    if not status.active:
        return _("The provider says the account is “{status}”").format(status=status.status)
    head = (_("Active until {date}").format(date=date_text(status.expires)) if status.expires is not None
            else _("Active, no end date"))
    if status.is_trial:
        head += " " + _("(trial)")
    parts = [head]
    if status.max_connections is not None:
        used = status.active_connections or 0
        parts.append(ngettext("{used} of {n} connection in use", "{used} of {n} connections in use",
                              status.max_connections).format(used=used, n=status.max_connections))
    return " · ".join(parts)
