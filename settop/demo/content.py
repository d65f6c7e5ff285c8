"""The demo playlist (M3U) and a guide (XMLTV) with real-looking programmes around the current time."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from settop.demo.assets import DemoChannelSpec

PAST_DAYS = 1
FUTURE_DAYS = 2
CATCHUP_DAYS = 2
CATCHUP_SOURCE = "?start={utc}&end={utcend}"


@dataclass(frozen=True, slots=True)
class DemoProgramme:
    """One generated programme; start and stop are UTC epoch seconds."""

    start: int
    stop: int
    title: str
    sub_title: str
    desc: str
    category: str
    season: int
    episode: int


SHOWS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "bars": (
        ("Morning Calibration", "News", "Reference bars and a 1 kHz tone to line up your set."),
        ("The Signal Hour", "News", "Seven colours, one tone, no interruptions."),
        ("Engineering Update", "Documentary", "What the engineers checked overnight."),
        ("Bars After Dark", "Music", "Late-night colour bars with a steady tone."),
    ),
    "testcard": (
        ("Test Card Classics", "Entertainment", "The great test patterns of broadcast history."),
        ("Two Tones", "Music", "A programme with two soundtracks: English and German."),
        ("Picture Check", "Documentary", "Sharpness, motion and colour, explained."),
        ("The Gradient Show", "Entertainment", "Smooth ramps from edge to edge."),
    ),
    "fractal": (
        ("Deep Zoom", "Science", "A journey into the Mandelbrot set."),
        ("Infinite Edges", "Science", "Where the set meets the plane, again and again."),
        ("Fractal Movie Night", "Movie", "A feature-length zoom with a gentle tone."),
        ("Chaos Theory Today", "Documentary", "Simple rules, complex pictures."),
    ),
    "life": (
        ("Game of Life", "Kids", "Cells are born, live and die by four simple rules."),
        ("Gliders", "Kids", "Small shapes that travel across the board."),
        ("The Quiet Colony", "Nature", "A silent look at a growing colony."),
        ("Still Lifes", "Nature", "Patterns that never change, and why."),
    ),
    "calm": (
        ("Blue Hour", "Lifestyle", "Slow gradients and a low hum to unwind."),
        ("Sky Watch", "Nature", "The colours of a clear evening sky."),
        ("Calm Mornings", "Lifestyle", "Start the day gently."),
        ("Deep Blue", "Lifestyle", "Drift off with shifting blues."),
    ),
}


def _day_programmes(spec: DemoChannelSpec, day: dt.date) -> Iterator[DemoProgramme]:
    """A day of programmes (UTC) for ``spec``; the same for the same day on every call."""
    chooser = random.Random(f"{spec.slug}:{day.isoformat()}")
    start = int(dt.datetime.combine(day, dt.time(), dt.UTC).timestamp())
    end = start + 86_400
    shows = SHOWS.get(spec.slug) or (("Demo Programme", "Entertainment", "A demo programme."),)
    index = 0
    while start < end:
        minutes = chooser.choice((30, 30, 45, 60, 60, 90))
        stop = min(end, start + minutes * 60)
        title, category, desc = shows[chooser.randrange(len(shows))]
        episode = day.timetuple().tm_yday * 4 + index
        season = day.year - 2000
        yield DemoProgramme(
            start, stop, title, f"Episode {episode % 40 + 1}", desc, category, season, episode % 40 + 1
        )
        start = stop
        index += 1


def programmes(spec: DemoChannelSpec, now: float) -> list[DemoProgramme]:
    """Programmes from midnight UTC ``PAST_DAYS`` before ``now`` to ``FUTURE_DAYS`` after it."""
    today = dt.datetime.fromtimestamp(now, dt.UTC).date()
    days = [today + dt.timedelta(days=offset) for offset in range(-PAST_DAYS, FUTURE_DAYS + 1)]
    return [programme for day in days for programme in _day_programmes(spec, day)]


def channel_id(spec: DemoChannelSpec) -> str:
    """The guide id of a demo channel (``tvg-id`` in the playlist)."""
    return f"{spec.slug}.demo.settop"


def _xmltv_time(epoch: int) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y%m%d%H%M%S +0000")


def build_guide(specs: Sequence[DemoChannelSpec], base_url: str, now: float) -> bytes:
    """The XMLTV guide for ``specs``: every channel with icon and names, programmes around ``now``."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<tv generator-info-name="settop demo" source-info-name="settop">',
    ]
    for spec in specs:
        lines += [
            f"  <channel id={quoteattr(channel_id(spec))}>",
            f'    <display-name lang="en">{escape(spec.name)}</display-name>',
            f"    <display-name>{spec.number}</display-name>",
            f"    <icon src={quoteattr(f'{base_url}/logos/{spec.slug}.png')} />",
            "  </channel>",
        ]
    for spec in specs:
        for item in programmes(spec, now):
            catchup = ' catchup-id="' + str(item.start) + '"' if spec.catchup else ""
            lines += [
                f'  <programme start="{_xmltv_time(item.start)}" stop="{_xmltv_time(item.stop)}" '
                f"channel={quoteattr(channel_id(spec))}{catchup}>",
                f'    <title lang="en">{escape(item.title)}</title>',
                f'    <sub-title lang="en">{escape(item.sub_title)}</sub-title>',
                f'    <desc lang="en">{escape(item.desc)}</desc>',
                f'    <category lang="en">{escape(item.category)}</category>',
                f'    <episode-num system="xmltv_ns">{item.season - 1}.{item.episode - 1}.0/1</episode-num>',
                f'    <episode-num system="onscreen">S{item.season:02d}E{item.episode:02d}</episode-num>',
                "  </programme>",
            ]
    lines.append("</tv>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def build_playlist(specs: Sequence[DemoChannelSpec], base_url: str) -> str:
    """The demo M3U: numbers, groups, logos, guide ids, the guide URL in the header, one catch-up channel."""
    lines = [f'#EXTM3U x-tvg-url="{base_url}/guide.xml"']
    for spec in specs:
        attrs = [
            f'tvg-id="{channel_id(spec)}"',
            f'tvg-name="{spec.name}"',
            f'tvg-chno="{spec.number}"',
            f'tvg-logo="{base_url}/logos/{spec.slug}.png"',
            f'group-title="{spec.group}"',
        ]
        if spec.catchup:
            attrs += ['catchup="append"', f'catchup-days="{CATCHUP_DAYS}"', f'catchup-source="{CATCHUP_SOURCE}"']
        lines.append(f"#EXTINF:-1 {' '.join(attrs)},{spec.name}")
        lines.append(f"{base_url}/live/{spec.slug}/index.m3u8")
    return "\n".join(lines) + "\n"
