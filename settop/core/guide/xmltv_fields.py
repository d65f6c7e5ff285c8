"""The XMLTV field readers: text of mixed content, language variants, episode numbers and star ratings."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

_NS_PART = re.compile(r"\s*(\d*)\s*(?:/\s*(\d*))?\s*")


def text_of(elem: Any) -> str:
    """The stripped text of ``elem``, mixed content included."""
    text: str | None = elem.text
    if len(elem):  # mixed content such as <desc>a<x-fig-roll/>b</desc>
        text = "".join(t for t in elem.itertext() if isinstance(t, str))
    return text.strip() if text else ""


def text_or_blank(elem: Any) -> str:
    """:func:`text_of` for an element or None, without a second call for the usual plain text (the reader's hot
    path: four per programme)."""
    if elem is None:
        return ""
    text: str | None = elem.text
    if len(elem):
        return text_of(elem)
    return text.strip() if text else ""


def lang_rank(lang: str | None, languages: Sequence[str]) -> int:
    """How wanted ``lang`` is: its place in ``languages``; no language ranks before an unwanted one."""
    if lang and languages:
        primary = lang.lower().replace("_", "-").partition("-")[0]
        for rank, wanted in enumerate(languages):
            if primary == wanted.replace("_", "-").partition("-")[0]:
                return rank
    return len(languages) + (0 if not lang else 1)


def episode_label(xmltv_ns: str, onscreen: str) -> str:
    """A readable episode label: ``S2 E5`` from ``xmltv_ns`` (zero-based ``season.episode.part``), else onscreen."""
    if xmltv_ns:
        parts = xmltv_ns.split(".")
        labels: list[str] = []
        for letter, part in zip(("S", "E", "P"), parts[:3], strict=False):
            match = _NS_PART.fullmatch(part)
            if not match:
                labels = []
                break
            number, total = match.groups()
            if number:
                label = f"{letter}{int(number) + 1}"
                if total and letter == "P":
                    label += f"/{int(total)}"
                labels.append(label)
        if labels:
            return " ".join(labels)
    return onscreen.strip()


def star_rating(text: str) -> float | None:
    """``7/10``, ``3.5/5`` or ``8`` as a score out of 10, or None when it is no rating."""
    value, _, scale = text.partition("/")
    try:
        number = float(value)
        top = float(scale) if scale else 10.0
    except ValueError:
        return None
    if top <= 0 or number < 0:
        return None
    return round(min(number / top, 1.0) * 10, 2)


def add_variant(many: dict[str, list[Any]] | None, tag: str, first: Any, child: Any) -> dict[str, list[Any]]:
    """Note ``child`` as another language variant of ``tag`` (``first`` is the one seen before)."""
    if many is None:
        many = {}
    many.setdefault(tag, [first]).append(child)
    return many


def best_variant(variants: list[Any] | None, languages: Sequence[str], first: Any) -> Any:
    """The variant in the most preferred language (document order breaks ties)."""
    if not variants:
        return first
    return variants[min(range(len(variants)), key=lambda i: (lang_rank(variants[i].get("lang"), languages), i))]
