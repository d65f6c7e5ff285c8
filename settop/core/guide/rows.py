"""Programme rows of a guide source file as Programme values (the columns every query selects)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from settop.core.guide.xmltv import FLAG_NEW, FLAG_PREMIERE
from settop.core.models import Programme

#: Selected from ``channels c JOIN programmes p``; :func:`programme` reads them in this order.
COLUMNS: Final = "c.guide_id, p.start, p.stop, p.title, p.sub_title, p.descr, p.categories, p.episode, p.icon, " \
    "p.rating, p.star, p.date, p.flags, p.catchup_id"  # fmt: skip


def programme(row: Sequence[Any], shift: int) -> Programme:
    """A row of :data:`COLUMNS` as a Programme, its times moved by ``shift`` seconds."""
    flags = row[12]
    return Programme(
        channel_id=row[0], start=row[1] + shift, stop=row[2] + shift, title=row[3], sub_title=row[4], desc=row[5],
        categories=tuple(row[6].split("\n")) if row[6] else (), episode=row[7], icon=row[8], rating=row[9],
        star_rating=row[10], date=row[11], is_new=bool(flags & FLAG_NEW), premiere=bool(flags & FLAG_PREMIERE),
        catchup_id=row[13],
    )  # fmt: skip
