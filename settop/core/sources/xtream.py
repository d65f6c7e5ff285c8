"""A client of the Xtream Codes player API over the one fetcher: account status, live lineup, films and series.

Every request goes through :func:`settop.core.net.fetch.fetch` (its timeouts, size caps, safe redirects and cache:
a list that fails to load falls back to the last good copy, marked stale). Answers are read leniently
(:mod:`xtream_json`). The password is in every request and stream address; errors name the server only, and the
logging filter masks the ``username=``/``password=`` pairs and ``/live/USER/PASS/`` paths.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, quote, urlencode, urlsplit

from settop.core.models import Catchup, Playlist, Programme
from settop.core.net.fetch import FetchError, FetchResult, fetch
from settop.core.playlist.channel import assign_keys, make_channel
from settop.core.redact import remember
from settop.core.sources import xtream_json as js
from settop.core.sources.ondemand import Category, Details, Episode, Library, Season, SeriesInfo, Title
from settop.core.sources.xtream_models import Account, AccountStatus
from settop.i18n import _

log = logging.getLogger("settop.sources.xtream")

Fetcher = Callable[..., FetchResult]
ERROR_KINDS = frozenset({"auth", "expired", "banned", "disabled", "inactive", "not_api", "address", "fetch"})


class XtreamError(Exception):
    """The account cannot be used; ``str(exc)`` is user-readable and names the server only.

    kind: ``auth`` (user name or password refused), ``expired``, ``banned``, ``disabled``, ``inactive`` (another
    status), ``not_api`` (the answer is not the player API: a web page, empty or broken JSON), ``address`` (the
    server address is not usable) or ``fetch`` (the request failed: ``fetch_kind`` says how).
    """

    def __init__(self, message: str, kind: str, fetch_kind: str = "") -> None:
        super().__init__(message)
        self.kind = kind if kind in ERROR_KINDS else "fetch"
        self.fetch_kind = fetch_kind


def normalise_server(text: str) -> str:
    """``host:port``, ``http://host:port/``, or a pasted ``.../player_api.php`` or ``get.php`` address ->
    ``http(s)://host[:port]`` (plus any folder the panel lives under); raises XtreamError(kind ``address``)."""
    raw = text.strip()
    if raw and "://" not in raw:
        raw = "http://" + raw
    try:
        parts = urlsplit(raw)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        host = None
    if not host or parts.scheme.lower() not in ("http", "https"):
        raise XtreamError(_("Not a server address (http or https): {text}").format(text=_safe(text)), "address")
    path = parts.path.rstrip("/")
    if path.rsplit("/", 1)[-1].endswith(".php"):
        path = path.rsplit("/", 1)[0]
    netloc = parts.netloc.rpartition("@")[2]
    return f"{parts.scheme.lower()}://{netloc}{path}"


def account_from_address(text: str, username: str = "", password: str = "") -> Account:
    """An Account from a server address; a pasted ``get.php``/``player_api.php`` address may carry both names."""
    query = parse_qs(urlsplit(text.strip()).query)
    username = username or (query.get("username") or [""])[0]
    password = password or (query.get("password") or [""])[0]
    if not username or not password:
        raise XtreamError(_("A provider account needs a user name and a password."), "address")
    return Account(normalise_server(text), username, password)


def _safe(text: str) -> str:
    from settop.core.redact import display_source

    return display_source(text.strip()) if "://" in text else text.strip()[:80]


class XtreamClient:
    """Speaks the player API of one account.

    fetcher: :func:`fetch` or a stand-in with its signature; cancel: stops a request in flight.
    output: ``ts`` or ``m3u8`` for live streams; "" picks TS when the account allows it, else HLS.
    """

    def __init__(self, account: Account, *, fetcher: Fetcher = fetch, allow_insecure: bool = False,
                 user_agent: str = "", cancel: threading.Event | None = None, output: str = "") -> None:
        remember(account.username, account.password)  # masked in every output from now on, whatever its form
        self.account = account
        self._fetch = fetcher
        self._insecure = allow_insecure
        self._headers = {"User-Agent": user_agent} if user_agent else None
        self._cancel = cancel
        self._output = output
        self.stale_reason = ""
        """Set when an answer came from the cache because the server failed (the last good copy)."""

    # ------------------------------------------------------------------------------------------ requests

    def api_url(self, action: str = "", **params: str | int) -> str:
        """The ``player_api.php`` address of ``action`` (it carries the password)."""
        query: dict[str, str | int] = {"username": self.account.username, "password": self.account.password}
        if action:
            query["action"] = action
        query.update(params)
        return f"{self.account.server}/player_api.php?{urlencode(query)}"

    def guide_url(self) -> str:
        """The account's XMLTV guide (``xmltv.php``)."""
        query = urlencode({"username": self.account.username, "password": self.account.password})
        return f"{self.account.server}/xmltv.php?{query}"

    def _call(self, url: str, *, fresh: bool = False) -> Any:
        try:
            result = self._fetch(url, kind="playlist", allow_insecure=self._insecure, headers=self._headers,
                                 cancel=self._cancel, use_cache=not fresh)
            try:
                data = result.read_bytes()
            finally:
                if fresh:
                    result.path.unlink(missing_ok=True)
        except FetchError as exc:
            if exc.status in (401, 403):
                raise self._auth_error() from None
            raise XtreamError(str(exc), "fetch", exc.kind) from None
        except OSError as exc:
            raise XtreamError(_("Cannot read the answer of {server}: {error}").format(
                server=self.account.host, error=exc.strerror or type(exc).__name__), "fetch", "io") from None
        if result.stale and result.stale_reason:
            self.stale_reason = result.stale_reason
        try:
            value = js.decode(data)
        except js.NotJson as exc:
            raise self._not_api(exc.kind) from None
        if isinstance(value, dict) and "user_info" in value and not js.flag(js.mapping(value["user_info"]).get("auth")):
            raise self._auth_error()
        return value

    def _auth_error(self) -> XtreamError:
        return XtreamError(_("{server} did not accept this user name and password.").format(
            server=self.account.host), "auth")

    def _not_api(self, kind: str) -> XtreamError:
        what = {"html": _("a web page"), "empty": _("an empty answer")}.get(kind, _("broken JSON"))
        return XtreamError(_("{server} answered with {what}, not the player API: check the address.").format(
            server=self.account.host, what=what), "not_api")

    # ------------------------------------------------------------------------------------------ account

    def status(self, *, fresh: bool = True) -> AccountStatus:
        """Log in and read the account's status; raises XtreamError for a refused login or an unusable account.

        An empty answer to the login means a refused password on many panels, so it is said as such.
        """
        try:
            value = self._call(self.api_url(), fresh=fresh)
        except XtreamError as exc:
            if exc.kind == "not_api" and "empty" in str(exc).lower():
                raise self._auth_error() from None
            raise
        if not isinstance(value, dict) or "user_info" not in value:
            raise self._not_api("malformed")
        info = js.mapping(value["user_info"])
        server = js.mapping(value.get("server_info"))
        status = AccountStatus(
            status=js.text(info.get("status")).lower() or "active",
            expires=js.integer(info.get("exp_date")) or None,
            active_connections=js.integer(info.get("active_cons")),
            max_connections=js.integer(info.get("max_connections")),
            is_trial=js.flag(info.get("is_trial")),
            output_formats=tuple(f.lower() for f in js.strings(info.get("allowed_output_formats"))),
            server_timezone=js.text(server.get("timezone")),
        )
        return status

    def check(self, now: float) -> AccountStatus:
        """:meth:`status`, raising XtreamError when the account is expired, banned or disabled."""
        from settop.core.sources.xtream_status import status_text

        status = self.status()
        expired = status.expires is not None and status.expires <= now
        if status.active and not expired:
            return status
        kind = "expired" if expired or status.status == "expired" else status.status
        raise XtreamError(status_text(status, now), kind if kind in ERROR_KINDS else "inactive")

    # ------------------------------------------------------------------------------------------ live

    def live_extension(self, status: AccountStatus | None) -> str:
        if self._output in ("ts", "m3u8"):
            return self._output
        formats = status.output_formats if status is not None else ()
        return "ts" if not formats or "ts" in formats else "m3u8"

    def live_url(self, stream_id: str, extension: str = "ts") -> str:
        return self._stream_url("live", stream_id, extension)

    def movie_url(self, stream_id: str, extension: str) -> str:
        return self._stream_url("movie", stream_id, extension or "mp4")

    def episode_url(self, episode_id: str, extension: str) -> str:
        return self._stream_url("series", episode_id, extension or "mp4")

    def _stream_url(self, kind: str, item: str, extension: str) -> str:
        user = quote(self.account.username, safe="")
        password = quote(self.account.password, safe="")
        return f"{self.account.server}/{kind}/{user}/{password}/{quote(item, safe='')}.{extension}"

    def categories(self, action: str) -> tuple[Category, ...]:
        """``get_live_categories``, ``get_vod_categories`` or ``get_series_categories``."""
        out = []
        for record in js.records(self._call(self.api_url(action))):
            category_id = js.text(record.get("category_id"))
            name = js.text(record.get("category_name")) or category_id
            if category_id:
                out.append(Category(category_id, name))
        return tuple(out)

    def live(self, status: AccountStatus | None = None) -> Playlist:
        """The live channels as a Playlist, like an M3U of the same account: ``num`` as the number, the category
        as the group, ``epg_channel_id`` as tvg-id, ``tv_archive`` as ``xc`` catch-up, the guide from xmltv.php."""
        names = {c.id: c.name for c in self.categories("get_live_categories")}
        extension = self.live_extension(status)
        rows: list[tuple[Any, ...]] = []
        for record in js.records(self._call(self.api_url("get_live_streams"))):
            row = self._live_row(record, names, extension)
            if row is not None:
                rows.append(row)
        keys = assign_keys(rows)
        channels = tuple(make_channel(key, *row) for key, row in zip(keys, rows, strict=True))
        return Playlist(channels=channels, epg_urls=(self.guide_url(),))

    def _live_row(self, record: dict[str, Any], names: dict[str, str], extension: str) -> tuple[Any, ...] | None:
        stream_id = js.text(record.get("stream_id"))
        if not stream_id:
            return None
        name = js.text(record.get("name")) or stream_id
        category = js.text(record.get("category_id"))
        group = names.get(category, "")
        number = js.integer(record.get("num"))
        days = js.integer(record.get("tv_archive_duration")) or 0
        catchup = Catchup("xc", days=days) if js.flag(record.get("tv_archive")) and days > 0 else None
        radio = js.text(record.get("stream_type")).lower() in ("radio", "radio_streams")
        attrs = (("xc-stream-id", stream_id),)
        return (name, self.live_url(stream_id, extension), js.text(record.get("epg_channel_id")), name,
                js.text(record.get("stream_icon")), (group,) if group else (),
                number if number is not None and number > 0 else None, None, radio, 0.0, catchup, (), (), (),
                attrs, False, 0)

    def short_epg(self, stream_id: str, channel_id: str = "", limit: int = 10) -> tuple[Programme, ...]:
        """``get_short_epg``: the next programmes of one channel (titles decoded from base64 where they are)."""
        value = js.mapping(self._call(self.api_url("get_short_epg", stream_id=stream_id, limit=limit)))
        out = []
        for record in js.records(value.get("epg_listings")):
            start = js.integer(record.get("start_timestamp"))
            stop = js.integer(record.get("stop_timestamp"))
            title = js.maybe_base64(record.get("title"))
            if start is None or stop is None or stop <= start or not title:
                continue
            out.append(Programme(channel_id=channel_id or stream_id, start=start, stop=stop, title=title,
                                 desc=js.maybe_base64(record.get("description"))))
        return tuple(out)

    # ------------------------------------------------------------------------------------------ on demand

    def _key(self, kind: str, item: str) -> str:
        return f"xc:{self.account.host}:{kind}:{item}"

    def library(self) -> Library:
        """Film and series categories and titles (details come per title, on demand)."""
        movie_categories = self.categories("get_vod_categories")
        series_categories = self.categories("get_series_categories")
        movie_names = {c.id: c.name for c in movie_categories}
        series_names = {c.id: c.name for c in series_categories}
        movies = tuple(t for t in (self._movie(r, movie_names) for r in
                                   js.records(self._call(self.api_url("get_vod_streams")))) if t is not None)
        series = tuple(t for t in (self._series(r, series_names) for r in
                                   js.records(self._call(self.api_url("get_series")))) if t is not None)
        return Library(movie_categories, movies, series_categories, series)

    def _movie(self, record: dict[str, Any], names: dict[str, str]) -> Title | None:
        stream_id = js.text(record.get("stream_id"))
        if not stream_id:
            return None
        extension = js.text(record.get("container_extension")) or "mp4"
        return Title(key=self._key("movie", stream_id), kind="movie", name=js.text(record.get("name")) or stream_id,
                     category=names.get(js.text(record.get("category_id")), ""),
                     poster=js.text(record.get("stream_icon")), url=self.movie_url(stream_id, extension),
                     item_id=stream_id, rating=_rating(record.get("rating")), year=_year(record),
                     added=js.integer(record.get("added")) or 0)

    def _series(self, record: dict[str, Any], names: dict[str, str]) -> Title | None:
        series_id = js.text(record.get("series_id"))
        if not series_id:
            return None
        return Title(key=self._key("series", series_id), kind="series", name=js.text(record.get("name")) or series_id,
                     category=names.get(js.text(record.get("category_id")), ""), poster=js.text(record.get("cover")),
                     item_id=series_id, rating=_rating(record.get("rating")), year=_year(record),
                     added=js.integer(record.get("last_modified")) or 0)

    def movie_details(self, stream_id: str) -> Details:
        """``get_vod_info``: plot, year, genre, rating, duration, cast of one film."""
        value = js.mapping(self._call(self.api_url("get_vod_info", vod_id=stream_id)))
        return _details(js.mapping(value.get("info")))

    def series_info(self, series_id: str) -> SeriesInfo:
        """``get_series_info``: details plus seasons and episodes (episodes keyed by season, or a flat list)."""
        value = js.mapping(self._call(self.api_url("get_series_info", series_id=series_id)))
        names = {js.integer(s.get("season_number")): js.text(s.get("name")) for s in js.records(value.get("seasons"))}
        raw = value.get("episodes")
        groups: dict[int, list[Episode]] = {}
        lists = raw.values() if isinstance(raw, dict) else [raw]
        for group in lists:
            for record in js.records(group):
                episode = self._episode(series_id, record)
                if episode is not None:
                    groups.setdefault(episode.season, []).append(episode)
        seasons = tuple(
            Season(number, names.get(number) or _("Season {n}").format(n=number),
                   tuple(sorted(episodes, key=lambda e: e.number)))
            for number, episodes in sorted(groups.items())
        )
        return SeriesInfo(_details(js.mapping(value.get("info"))), seasons)

    def _episode(self, series_id: str, record: dict[str, Any]) -> Episode | None:
        episode_id = js.text(record.get("id"))
        if not episode_id:
            return None
        info = js.mapping(record.get("info"))
        season = js.integer(record.get("season")) or 1
        number = js.integer(record.get("episode_num")) or 0
        return Episode(key=self._key("episode", f"{series_id}:{episode_id}"), season=season, number=number,
                       title=js.text(record.get("title")) or _("Episode {n}").format(n=number),
                       url=self.episode_url(episode_id, js.text(record.get("container_extension"))),
                       duration_s=js.integer(info.get("duration_secs")) or 0, plot=js.text(info.get("plot")),
                       image=js.text(info.get("movie_image")))


def _rating(value: Any) -> float | None:
    number = js.real(value)
    return round(number, 1) if number is not None and 0 < number <= 10 else None


def _year(record: dict[str, Any]) -> str:
    for name in ("year", "releaseDate", "releasedate", "release_date"):
        raw = js.text(record.get(name))
        if len(raw) >= 4 and raw[:4].isdigit():
            return raw[:4]
    return ""


def _details(info: dict[str, Any]) -> Details:
    duration = js.integer(info.get("duration_secs")) or _clock_seconds(js.text(info.get("duration")))
    backdrop = info.get("backdrop_path")
    backdrop_text = js.strings(backdrop)[0] if js.strings(backdrop) else ""
    return Details(plot=js.text(info.get("plot") or info.get("description")), year=_year(info),
                   genre=js.text(info.get("genre")), rating=_rating(info.get("rating")), duration_s=duration,
                   cast=js.text(info.get("cast") or info.get("actors")), director=js.text(info.get("director")),
                   poster=js.text(info.get("movie_image") or info.get("cover")), backdrop=backdrop_text)


def _clock_seconds(text: str) -> int:
    """``01:52:30`` -> 6750; anything else -> 0."""
    parts = text.split(":")
    if not 2 <= len(parts) <= 3 or not all(p.isdigit() for p in parts):
        return 0
    seconds = 0
    for part in parts:
        seconds = seconds * 60 + int(part)
    return seconds
