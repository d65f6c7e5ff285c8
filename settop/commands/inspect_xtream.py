"""`settop inspect --xtream SERVER --username U --password P`: what a provider account offers, password masked.

The JSON is the playlist contract of `settop inspect` (channels, epg_urls, warnings, guide) plus ``account``
(status in words and as data), ``vod`` and ``series`` (counts of categories and items). Every address in the output
is redacted (the password travels in each stream address), and the password is never printed.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from settop.core.sources.ondemand import Library
from settop.core.sources.xtream import XtreamClient, XtreamError, account_from_address
from settop.core.sources.xtream_models import AccountStatus
from settop.core.sources.xtream_status import status_text
from settop.i18n import _, ngettext


class AccountReport:
    """What was read from the account, ready to print."""

    def __init__(self, args: argparse.Namespace) -> None:
        account = account_from_address(args.xtream, args.username or "", args.password or "")
        client = XtreamClient(account)
        now = time.time()
        self.host = account.host
        self.status = client.status()
        self.status_words = status_text(self.status, now)
        client.check(now)
        self.playlist = client.live(self.status)
        self.library = client.library()

    def account_json(self) -> dict[str, Any]:
        status: AccountStatus = self.status
        return {"server": self.host, "status": self.status_words, "state": status.status, "expires": status.expires,
                "active_connections": status.active_connections, "max_connections": status.max_connections,
                "output_formats": list(status.output_formats)}

    def extras_json(self) -> dict[str, Any]:
        library: Library = self.library
        return {
            "account": self.account_json(),
            "vod": {"categories": len(library.movie_categories), "items": len(library.movies)},
            "series": {"categories": len(library.series_categories), "items": len(library.series)},
        }

    def summary_lines(self) -> list[str]:
        library = self.library
        films = ngettext("{n} film", "{n} films", len(library.movies)).format(n=len(library.movies))
        series = ngettext("{n} series", "{n} series", len(library.series)).format(n=len(library.series))
        movie_groups, series_groups = len(library.movie_categories), len(library.series_categories)
        return [_("Account: {status}").format(status=self.status_words),
                _("On demand: {films} in {m}, {series} in {s}").format(
                    films=films, series=series,
                    m=ngettext("{n} category", "{n} categories", movie_groups).format(n=movie_groups),
                    s=ngettext("{n} category", "{n} categories", series_groups).format(n=series_groups))]


def load(args: argparse.Namespace) -> AccountReport:
    """Read the account; raises XtreamError (user-readable, no password) when it cannot be used."""
    return AccountReport(args)


__all__ = ["AccountReport", "XtreamError", "load"]
