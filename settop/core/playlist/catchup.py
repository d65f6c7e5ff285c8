"""Catch-up URLs: (channel, programme start/end, now) -> the URL that replays the programme, for every playlist mode.

Compatible with Kodi pvr.iptvsimple (modes default, append, shift, flussonic*, xc, vod and its placeholders), with
these deliberate differences (see notes/formats.md):

* ``{utc}``/``${start}`` are the programme's true UTC start plus the channel's ``catchup-correction``; a guide
  time shift (``tvg-shift`` and user offsets, passed as ``guide_shift``) is undone first, never leaked into the URL.
* ``${end}``/``{utcend}`` are the programme's end (start + ``{duration}``) also at the live edge (Kodi gives "now",
  pvr.iptvsimple#942); ``{duration}`` is not capped at "now": a server plays a running programme up to its end.
* "now" (``{lutc}``, ``${now}``, ``${timestamp}``, ``{offset:X}``) carries the correction too, never the guide shift.
* Placeholders are replaced in one pass, so a ``catchup-id`` containing ``{utc}`` is not expanded again.
"""

from __future__ import annotations

import re
from datetime import datetime, tzinfo
from typing import Final

from settop.core.models import Channel

#: A programme starting this close to "now" (seconds) is played live.
LIVE_EDGE: Final = 5
DEFAULT_DAYS: Final = 3
DEFAULT_DURATION: Final = 3600
FLUSSONIC_MODES: Final = frozenset({"flussonic", "flussonic-hls", "flussonic-ts", "fs"})
MODES: Final = frozenset({"default", "append", "shift", "timeshift", "xc", "vod"}) | FLUSSONIC_MODES

_FS_STREAM = re.compile(r"^(https?://[^/]+)/(.*)/([^/]*)(mpegts|\.m3u8)(\?.+=.+)?$")
_FS_OTHER = re.compile(r"^(https?://[^/]+)/(.*)/([^?]*)(\?.+=.+)?$")
_XC = re.compile(r"^(https?://[^/]+)/(?:live/)?([^/]+)/([^/]+)/([^/.]+)(\.m3u8?|\.ts)?$")
_PLACEHOLDER = re.compile(
    r"\{(?P<field>[YmdHMS])\}|\$\{(?P<dollar>[a-z]+)(?::(?P<dfmt>[^}]*))?\}|\{(?P<brace>[a-z-]+)(?::(?P<bfmt>[^}]*))?\}"
)
_START_NAMES: Final = frozenset({"utc", "start"})
_END_NAMES: Final = frozenset({"utcend", "end"})
_NOW_NAMES: Final = frozenset({"lutc", "now", "timestamp"})


def _strftime(epoch: int, fmt: str, tz: tzinfo | None) -> str:
    """Kodi's format form: the letters Y m d H M S become date fields, everything else stays."""
    moment = datetime.fromtimestamp(epoch, tz) if tz is not None else datetime.fromtimestamp(epoch).astimezone()
    return "".join(moment.strftime("%" + ch) if ch in "YmdHMS" else ch for ch in fmt)


def _flussonic_source(base: str, mode: str) -> str | None:
    match = _FS_STREAM.match(base)
    if match:
        host, channel_id, list_type, stream_type, query = match.groups()
        query = query or ""
        if stream_type == "mpegts":
            return f"{host}/{channel_id}/timeshift_abs-${{start}}.ts{query}"
        if list_type == "index":
            return f"{host}/{channel_id}/timeshift_rel-{{offset:1}}.m3u8{query}"
        return f"{host}/{channel_id}/{list_type}-timeshift_rel-{{offset:1}}.m3u8{query}"
    match = _FS_OTHER.match(base)
    if not match:
        return None
    host, channel_id, _rest, query = match.groups()
    query = query or ""
    if mode == "flussonic-hls":
        return f"{host}/{channel_id}/timeshift_rel-{{offset:1}}.m3u8{query}"
    return f"{host}/{channel_id}/timeshift_abs-${{start}}.ts{query}"


def _xc_source(base: str) -> str | None:
    match = _XC.match(base)
    if not match:
        return None
    host, user, password, stream_id, ext = match.groups()
    suffix = ".m3u8" if ext and ext.startswith(".m3u") else ".ts"
    return f"{host}/timeshift/{user}/{password}/{{duration:60}}/{{Y}}-{{m}}-{{d}}:{{H}}-{{M}}/{stream_id}{suffix}"


def catchup_template(channel: Channel, query_format: str = "") -> str | None:
    """The URL template (with placeholders) a channel's catch-up mode gives, or None when it has none.

    query_format: what ``append`` mode adds when the channel has no ``catchup-source`` (Kodi's setting).
    """
    catchup = channel.catchup
    if catchup is None:
        return None
    mode = catchup.mode.lower()
    base = channel.url.split("|", 1)[0]
    source = catchup.source
    if mode == "default":
        if source:
            return source
        mode = "append"
    if mode == "append":
        suffix = source or query_format
        return base + suffix if suffix else None
    if mode in ("shift", "timeshift"):
        return base + ("&" if "?" in base else "?") + "utc={utc}&lutc={lutc}"
    if mode in FLUSSONIC_MODES:
        return source or _flussonic_source(base, mode)
    if mode == "xc":
        return source or _xc_source(base)
    if mode == "vod":
        return source or "{catchup-id}"
    return None


def fill_placeholders(
    template: str,
    *,
    start: int,
    end: int,
    now: int,
    catchup_id: str = "",
    tz: tzinfo | None = None,
    only_now: bool = False,
) -> str:
    """Replace every placeholder of ``template`` in one pass (see the module notes for their meanings).

    only_now: replace only the "now" placeholders and ``{catchup-id}`` (a live URL).
    """
    duration = end - start

    def value(match: re.Match[str]) -> str:
        text = match.group(0)
        field = match.group("field")
        if field:
            return text if only_now else _strftime(start, field, tz)
        name = match.group("dollar") or match.group("brace")
        fmt = match.group("dfmt") if match.group("dollar") else match.group("bfmt")
        epoch: int | None = None
        if name in _NOW_NAMES:
            epoch = now
        elif name == "catchup-id":
            return catchup_id
        elif only_now:
            return text
        elif name in _START_NAMES:
            epoch = start
        elif name in _END_NAMES:
            epoch = end
        elif name == "duration":
            return str(_units(duration, fmt)) if fmt else str(duration)
        elif name == "offset":
            return str(_units(now - start, fmt)) if fmt else str(now - start)
        if epoch is None:
            return text  # not ours: leave it for the server
        return _strftime(epoch, fmt, tz) if fmt else str(epoch)

    return _PLACEHOLDER.sub(value, template)


def _units(seconds: int, divider_text: str) -> int:
    try:
        divider = int(divider_text)
    except ValueError:
        return max(0, seconds)
    return max(0, seconds // divider) if divider > 0 else max(0, seconds)


def _with_options(url: str, stream_url: str) -> str:
    """Re-append the stream's ``|Header=Value`` options unless the catch-up URL has its own."""
    _base, bar, options = stream_url.partition("|")
    if bar and "|" not in url:
        return f"{url}|{options}"
    return url


def catchup_url(
    channel: Channel,
    programme_start: int,
    programme_end: int,
    now: float,
    catchup_id: str = "",
    *,
    guide_shift: int = 0,
    query_format: str = "",
    default_days: int = DEFAULT_DAYS,
    buffer_before: int = 0,
    buffer_after: int = 0,
    tz: tzinfo | None = None,
) -> str | None:
    """The URL that plays this programme of ``channel`` from its start, or None when catch-up cannot.

    programme_start / programme_end: epoch seconds as the guide shows them (with ``guide_shift`` seconds added to
        true UTC, as ``GuideStore`` returns them); an end at or before the start means 1 h.
    catchup_id: the programme's XMLTV ``catchup-id``.
    default_days: days of catch-up when the channel gives none (``vod`` ignores days).
    buffer_before / buffer_after: seconds added around the programme (Kodi's begin/end buffers).
    tz: zone for ``{Y}{m}{d}{H}{M}{S}`` and the format forms; None is the system's local zone.
    Returns None when the channel has no usable catch-up, the programme is older than the catch-up days, or it has
    not started yet. A programme starting within 5 s of now gets the live URL (only "now" placeholders filled).
    """
    catchup = channel.catchup
    if catchup is None or catchup.mode.lower() not in MODES:
        return None
    template = catchup_template(channel, query_format)
    if template is None:
        return None
    mode = catchup.mode.lower()
    correction = round(catchup.correction * 3600)
    moment = int(now)
    start = programme_start - guide_shift
    end = programme_end - guide_shift if programme_end > programme_start else start + DEFAULT_DURATION
    if mode != "vod":
        days = catchup.days if catchup.days > 0 else default_days
        if days > 0 and start < moment - days * 86400:
            return None
    if start >= moment - LIVE_EDGE:
        if start > moment + LIVE_EDGE:
            return None
        return fill_placeholders(
            channel.url, start=start, end=end, now=moment + correction, catchup_id=catchup_id, tz=tz, only_now=True
        )
    if "{catchup-id}" in template and not catchup_id and mode == "vod":
        return None
    url = fill_placeholders(
        template,
        start=start - buffer_before + correction,
        end=end + buffer_after + correction,
        now=moment + correction,
        catchup_id=catchup_id,
        tz=tz,
    )
    return _with_options(url, channel.url)
