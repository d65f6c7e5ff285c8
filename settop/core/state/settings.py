"""Declared settings (name, type, default, description, validation), read from and written to settings.toml."""

from __future__ import annotations

import copy
import logging
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from settop.core.state import parental
from settop.core.state.parental import hash_pin, verify_pin
from settop.core.state.paths import config_dir
from settop.core.state.tomlfile import dumps, move_aside, write_atomic
from settop.i18n import N_

log = logging.getLogger("settop.settings")

KINDS = ("bool", "int", "float", "str", "str_list", "playlists")


class SettingError(ValueError):
    """A value a setting does not accept; ``str(exc)`` is user-readable."""


@dataclass(frozen=True, slots=True)
class Setting:
    """One declared setting.

    kind: ``bool int float str str_list playlists``.
    choices: the allowed values of a ``str`` setting (empty: free text).
    minimum, maximum: the inclusive range of an ``int`` or ``float`` setting.
    """

    name: str
    kind: str
    default: Any
    description: str
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None

    @property
    def section(self) -> str:
        """The TOML table the setting lives in ("" for top-level ones such as ``playlists``)."""
        return self.name.rpartition(".")[0]


@dataclass(frozen=True, slots=True)
class PlaylistSource:
    """One ``[[playlists]]`` entry: where a playlist comes from and how it is fetched."""

    source: str
    name: str = ""
    refresh_hours: float = 24.0
    user_agent: str = ""
    allow_insecure: bool = False
    enabled: bool = True
    epg: tuple[str, ...] = ()
    id: str = ""  # the source id in channel keys (settop.core.sources.base); "" only for a viewer's first playlist
    start_number: int = 0  # where this playlist's channel numbers start in the merged lineup (0: its own numbers)
    max_streams: int = 0  # streams its provider allows at once (0: what an account says, else the Playback setting)
    kind: str = "m3u"  # "m3u", or "xtream": a provider account (``source`` is its server, with username/password)
    username: str = ""
    password: str = field(default="", repr=False)  # a secret: never logged, shown or put in a file name

    def to_dict(self) -> dict[str, Any]:
        """The TOML table for this entry (the account fields only for a provider account)."""
        account = {"kind": self.kind, "username": self.username, "password": self.password}
        return ({} if self.kind == "m3u" else account) | {
            "id": self.id,
            "start_number": self.start_number,
            "max_streams": self.max_streams,
            "name": self.name,
            "source": self.source,
            "refresh_hours": self.refresh_hours,
            "user_agent": self.user_agent,
            "allow_insecure": self.allow_insecure,
            "enabled": self.enabled,
            "epg": list(self.epg),
        }


def _with_ids(entries: Iterable[PlaylistSource]) -> tuple[PlaylistSource, ...]:
    """Entries saved before sources had ids: the first keeps ``""`` (its channels keep the plain keys that the
    viewer's favorites and history use, wherever it moves in the order), every other one gets an id derived from
    its address; a repeated id is derived again so no two sources share one."""
    from settop.core.sources.base import KEY_SEPARATOR, derived_source_id

    out: list[PlaylistSource] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        wanted = entry.id
        if wanted in seen or KEY_SEPARATOR in wanted:
            wanted = derived_source_id(entry.source)
            if wanted in seen:
                wanted = derived_source_id(f"{index}|{entry.source}")
        seen.add(wanted)
        out.append(entry if wanted == entry.id else replace(entry, id=wanted))
    return tuple(out)


def _s(name: str, kind: str, default: Any, description: str, **extra: Any) -> Setting:
    return Setting(name, kind, default, description, **extra)


DECLARED: tuple[Setting, ...] = (
    _s("video.backend", "str", "auto", N_("How video is drawn: native window (hardware decoding), frames, or auto"),
       choices=("auto", "native", "frames")),
    _s("playback.hw_decoding", "str", "auto", N_("Hardware video decoding"),
       choices=("auto", "vaapi", "vdpau", "none")),
    _s("playback.network_caching_ms", "int", 1000, N_("Network buffer in milliseconds"), minimum=100, maximum=60000),
    _s("playback.reconnect_attempts", "int", 5, N_("How often a dropped stream is retried"), minimum=0, maximum=20),
    _s("playback.connections_per_source", "int", 1,
       N_("Streams each provider allows at once; above 1, fast zapping also fetches video ahead"), minimum=1,
       maximum=10),
    _s("playback.stall_seconds", "int", 10, N_("Seconds without progress before reconnecting"), minimum=2, maximum=120),
    _s("playback.audio_languages", "str_list", [],
       N_("Preferred audio languages, ISO 639 codes in order; empty: the interface language")),
    _s("playback.subtitle_languages", "str_list", [], N_("Preferred subtitle languages; empty: subtitles off")),
    _s("playback.deinterlace", "str", "auto", N_("Deinterlacing"), choices=("auto", "on", "off")),
    _s("playback.aspect", "str", "auto", N_("Picture shape"), choices=("auto", "16:9", "4:3", "16:10", "21:9", "fill")),
    _s("live.up_down_zaps", "bool", True, N_("Up and Down change the channel while watching")),
    _s("live.osd_seconds", "int", 5, N_("Seconds the info banner stays on screen"), minimum=1, maximum=60),
    _s("live.number_entry_ms", "int", 1500, N_("Pause after the last digit before tuning"), minimum=300, maximum=10000),
    _s("live.resume_last_channel", "bool", True, N_("Start on the channel watched last")),
    _s("live.reminder_tunes", "bool", False, N_("A reminder tunes to its programme by itself when it starts")),
    _s("guide.past_days", "int", 1, N_("Days of past programmes kept"), minimum=0, maximum=14),
    _s("guide.future_days", "int", 7, N_("Days of future programmes kept"), minimum=1, maximum=31),
    _s("guide.offset_hours", "float", 0.0, N_("Hours added to every guide time"), minimum=-24, maximum=24),
    _s("guide.languages", "str_list", [],
       N_("Preferred languages for guide titles and descriptions; empty: the interface language")),
    _s("guide.sources", "str_list", [], N_("Extra guide (XMLTV) URLs or files, besides those the playlists name")),
    _s("guide.channel_offsets", "str_list", [], N_("Per-channel guide offsets as CHANNEL_KEY=HOURS entries")),
    _s("playlists", "playlists", [], N_("Your playlists")),
    _s("parental.pin_hash", "str", "", N_("Hash of the parental PIN (empty: no PIN)")),
    _s("parental.locked_groups", "str_list", [], N_("Groups that need the PIN")),
    _s("parental.locked_channels", "str_list", [], N_("Channels (by key) that need the PIN")),
    _s("ui.language", "str", "", N_("Language of the interface (empty: the system's)")),
    _s("ui.digits", "str", "auto", N_("Digits for times and numbers: the language's own, Latin (0-9) or Arabic (٠-٩)"),
       choices=("auto", "latin", "arabic")),
    _s("ui.fullscreen", "bool", True, N_("Start full screen")),
    _s("ui.hidden_groups", "str_list", [], N_("Groups not shown in the channel list")),
    _s("fetch.max_playlist_mb", "int", 128, N_("Largest playlist accepted, in MiB"), minimum=1, maximum=4096),
    _s("fetch.max_guide_mb", "int", 2048, N_("Largest guide accepted (uncompressed), in MiB"),
       minimum=1, maximum=16384),
    _s("fetch.max_logo_kb", "int", 2048, N_("Largest channel logo accepted, in KiB"), minimum=16, maximum=65536),
    _s("recording.folder", "str", "", N_("Folder for recordings (empty: settop in your Videos folder)")),
    _s("recording.min_free_mb", "int", 1024,
       N_("Free disk space a recording needs to start, in MiB (it stops when a quarter of it is left)"),
       minimum=0, maximum=1048576),
    _s("recording.pad_before_min", "int", 2,
       N_("Minutes recorded before a programme from the guide starts"), minimum=0, maximum=60),
    _s("recording.pad_after_min", "int", 5,
       N_("Minutes recorded after a programme from the guide ends"), minimum=0, maximum=120),
    _s("timeshift.minutes", "int", 30, N_("Longest stretch of a paused channel kept to rewind, in minutes"),
       minimum=1, maximum=240),
    _s("timeshift.max_mb", "int", 2048, N_("Most disk space a paused channel's buffer takes, in MiB"),
       minimum=64, maximum=65536),
)  # fmt: skip

_BY_NAME: dict[str, Setting] = {s.name: s for s in DECLARED}
_PLAYLIST_FIELDS = {
    "name": "str", "source": "str", "refresh_hours": "float", "user_agent": "str",
    "allow_insecure": "bool", "enabled": "bool", "epg": "str_list", "id": "str", "start_number": "int",
    "max_streams": "int", "kind": "str", "username": "str", "password": "secret",
}  # fmt: skip
SOURCE_KINDS = ("m3u", "xtream")
MAX_STREAMS = 10  # the most a playlist's "Streams at once" can say
_PLAYLIST_LIMITS = {"refresh_hours": (0.0, 720.0), "start_number": (0, 99999), "max_streams": (0, MAX_STREAMS)}


def _check_scalar(label: str, kind: str, value: Any, minimum: float | None = None, maximum: float | None = None) -> Any:
    if kind == "bool":
        if not isinstance(value, bool):
            raise SettingError(f"{label} must be true or false, not {value!r}")
        return value
    if kind in ("int", "float"):
        wrong_type = isinstance(value, bool) or not isinstance(value, int | float)
        if wrong_type or (kind == "int" and isinstance(value, float)):
            raise SettingError(f"{label} must be a {'whole ' if kind == 'int' else ''}number, not {value!r}")
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            raise SettingError(f"{label} must be between {minimum:g} and {maximum:g}, not {value!r}")
        return float(value) if kind == "float" else value
    if kind == "secret":  # a password: a number is taken as its digits, and no message ever shows the value
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            raise SettingError(f"{label} must be text")
        return value
    if kind == "str":
        if not isinstance(value, str):
            raise SettingError(f"{label} must be text, not {value!r}")
        return value
    if kind == "str_list":
        if isinstance(value, str):
            return [value] if value else []
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise SettingError(f"{label} must be a list of texts, not {value!r}")
        return list(value)
    raise SettingError(f"{label}: unknown kind {kind}")


def _check_playlist(index: int, entry: Any) -> tuple[dict[str, Any], list[str]]:
    label = f"playlists[{index + 1}]"
    if isinstance(entry, PlaylistSource):
        entry = entry.to_dict()
    if not isinstance(entry, Mapping):
        raise SettingError(f"{label} must be a table with at least a source")
    source = entry.get("source")
    if not isinstance(source, str) or not source.strip():
        raise SettingError(f"{label} needs a source (a URL or a file)")
    defaults = PlaylistSource(source=source).to_dict()
    checked: dict[str, Any] = {}
    notes: list[str] = []
    for key, value in entry.items():
        kind = _PLAYLIST_FIELDS.get(key)
        if kind is None:
            notes.append(f"{label}: unknown field {key!r} kept but ignored")
            continue
        low, high = _PLAYLIST_LIMITS.get(key, (None, None))
        try:
            checked[key] = _check_scalar(f"{label}.{key}", kind, value, low, high)
        except SettingError as exc:
            notes.append(f"{exc}; using {defaults.get(key, '')!r}")
    if checked.get("kind", "m3u") not in SOURCE_KINDS:
        raise SettingError(f"{label}.kind must be one of {', '.join(SOURCE_KINDS)}, not {checked['kind']!r}")
    return {**defaults, **checked}, notes


def validate(setting: Setting, value: Any) -> tuple[Any, list[str]]:
    """Check ``value`` for ``setting``; returns the normalised value and notes about repaired parts.

    Raises SettingError when the value as a whole is unusable.
    """
    if setting.kind == "playlists":
        if not isinstance(value, list | tuple):
            raise SettingError("playlists must be a list of [[playlists]] tables")
        entries: list[dict[str, Any]] = []
        notes: list[str] = []
        for index, entry in enumerate(value):
            try:
                checked, entry_notes = _check_playlist(index, entry)
            except SettingError as exc:
                notes.append(f"{exc}; entry skipped")
                continue
            entries.append(checked)
            notes.extend(entry_notes)
        return entries, notes
    checked = _check_scalar(setting.name, setting.kind, value, setting.minimum, setting.maximum)
    if setting.choices and checked not in setting.choices:
        raise SettingError(f"{setting.name} must be one of {', '.join(setting.choices)}, not {value!r}")
    return checked, []


def _walk(document: Mapping[str, Any], prefix: str = "") -> Iterable[tuple[str, Any]]:
    """Yield (dotted name, value) for every leaf, stopping at declared names."""
    for key, value in document.items():
        name = f"{prefix}{key}"
        if name in _BY_NAME or not isinstance(value, Mapping):
            yield name, value
        else:
            yield from _walk(value, name + ".")


@dataclass(slots=True)
class Settings:
    """Every declared setting with its current value; the file's unknown keys are kept and written back.

    Read with ``get("video.backend")`` or the typed getters; change with ``set`` and ``save``. Values that fail
    validation fall back to the default and are reported in ``messages``; the file keeps them until changed.
    """

    path: Path | None = None
    messages: list[str] = field(default_factory=list)
    _document: dict[str, Any] = field(default_factory=dict)
    _values: dict[str, Any] = field(default_factory=dict)
    parental_damaged: bool = False
    """The parental lock's file is damaged: no PIN is accepted (``parental.reset_hint`` says what to do)."""
    parental_lock_all: bool = False
    """The damaged lock's lists could not be read: every channel is locked."""
    _parental_dirty: bool = False
    _quiet: bool = False

    @classmethod
    def load(cls, path: Path | None = None) -> tuple[Settings, list[str]]:
        """Read ``settings.toml`` (``config_dir()`` by default); returns the settings and user-readable messages.

        A file that is not valid TOML is moved aside to ``settings.toml.corrupt-<timestamp>`` and defaults are used.
        """
        path = path or config_dir() / "settings.toml"
        settings = cls(path=path)
        settings._read(path)
        settings._attach_parental(path.with_name(parental.FILE_NAME))
        return settings, list(settings.messages)

    @classmethod
    def peek(cls, path: Path | None = None) -> Settings:
        """The settings as ``settings.toml`` holds them, for the command-line tools: nothing is written, moved or
        logged (a damaged file gives the defaults and is left for the app to report and set aside)."""
        settings = cls(path=path or config_dir() / "settings.toml", _quiet=True)
        settings._read(settings.path or Path(), repair=False)
        return settings

    def _read(self, path: Path, *, repair: bool = True) -> None:
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return
        except OSError as exc:
            self._report(f"Settings could not be read ({exc.strerror}); defaults are in use.")
            return
        try:
            document = tomllib.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            if not repair:
                return
            moved = move_aside(path)
            self._report(f"Settings file was damaged ({exc}); moved to {moved.name}, defaults are in use.")
            return
        self._document = document
        settings = self
        for name, value in _walk(document):
            if name.startswith("parental."):
                continue  # the lock is read from its own file (parental.toml)
            setting = _BY_NAME.get(name)
            if setting is None:
                settings._report(f"Unknown setting {name!r} in {path.name}; kept but ignored.")
                continue
            try:
                settings._values[name], notes = validate(setting, value)
            except SettingError as exc:
                settings._report(f"{exc}; using the default {setting.default!r}.")
                continue
            for note in notes:
                settings._report(note)

    def _attach_parental(self, lock_path: Path) -> None:
        """Take the parental lock from its own file (moving an older ``[parental]`` table there first)."""
        legacy = self._document.pop("parental", None)
        state, migrate = parental.read(lock_path, legacy if isinstance(legacy, Mapping) else None)
        self._values.update(state.values)
        self.parental_damaged, self.parental_lock_all = state.damaged, state.lock_all
        if state.message:
            self.messages.append(state.message)
        if migrate:
            parental.write(lock_path, self._values)

    def _report(self, message: str) -> None:
        if not self._quiet:
            log.warning("settings: %s", message)
        self.messages.append(message)

    @staticmethod
    def declared() -> tuple[Setting, ...]:
        """Every declared setting, in display order (a settings screen is built from this)."""
        return DECLARED

    @staticmethod
    def setting(name: str) -> Setting:
        """The declaration of ``name``; KeyError for an unknown name."""
        return _BY_NAME[name]

    def get(self, name: str) -> Any:
        """The current value of a declared setting (a copy for lists); KeyError for an unknown name."""
        setting = _BY_NAME[name]
        return copy.deepcopy(self._values.get(name, setting.default))

    def is_default(self, name: str) -> bool:
        """Whether ``name`` uses its default (not set in the file, or set to something invalid)."""
        return name not in self._values

    def get_bool(self, name: str) -> bool:
        """A ``bool`` setting."""
        return bool(self.get(name))

    def get_int(self, name: str) -> int:
        """An ``int`` setting."""
        return int(self.get(name))

    def get_float(self, name: str) -> float:
        """A ``float`` (or ``int``) setting."""
        return float(self.get(name))

    def get_str(self, name: str) -> str:
        """A ``str`` setting."""
        return str(self.get(name))

    def get_list(self, name: str) -> list[str]:
        """A ``str_list`` setting."""
        return [str(v) for v in self.get(name)]

    def playlists(self) -> tuple[PlaylistSource, ...]:
        """The configured playlists, valid entries only, each with a source id (see ``_with_ids``)."""
        return _with_ids(
            PlaylistSource(
                source=entry["source"],
                name=entry["name"],
                refresh_hours=float(entry["refresh_hours"]),
                user_agent=entry["user_agent"],
                allow_insecure=entry["allow_insecure"],
                enabled=entry["enabled"],
                epg=tuple(entry["epg"]),
                id=entry["id"],
                start_number=entry["start_number"],
                max_streams=entry.get("max_streams", 0),
                kind=entry.get("kind", "m3u"),
                username=entry.get("username", ""),
                password=entry.get("password", ""),
            )
            for entry in self.get("playlists")
        )

    def set(self, name: str, value: Any) -> None:
        """Change a setting in memory (``save`` writes it); raises SettingError for an invalid value."""
        setting = _BY_NAME[name]
        checked, notes = validate(setting, value)
        if notes:
            raise SettingError("; ".join(notes))
        self._values[name] = checked
        if name.startswith("parental."):
            self._parental_changed()
            return
        *parents, leaf = name.split(".")
        table = self._document
        for part in parents:
            child = table.get(part)
            if not isinstance(child, dict):
                child = table[part] = {}
            table = child
        table[leaf] = copy.deepcopy(checked)

    def reset(self, name: str) -> None:
        """Go back to the default for ``name`` (removed from the file on ``save``)."""
        if name not in _BY_NAME:
            raise KeyError(name)
        self._values.pop(name, None)
        if name.startswith("parental."):
            self._parental_changed()
            return
        *parents, leaf = name.split(".")
        table: Any = self._document
        for part in parents:
            table = table.get(part) if isinstance(table, dict) else None
        if isinstance(table, dict):
            table.pop(leaf, None)

    def save(self) -> None:
        """Write the file atomically: the values set, the invalid and unknown ones kept as they were."""
        if self.path is None:
            raise ValueError("these settings have no file")
        text = dumps(self._document, comment="settop settings; see `settop --help` and docs/ for every setting.")
        write_atomic(self.path, text.encode("utf-8"))
        if self._parental_dirty:
            parental.write(self.path.with_name(parental.FILE_NAME), self._values)
            self._parental_dirty = False

    def _parental_changed(self) -> None:
        """A lock setting was changed on purpose (with the PIN, or a new PIN): the damage is over."""
        self._parental_dirty = True
        if self.parental_damaged and self._values.get(parental.PIN_NAME) != parental.DAMAGED_HASH:
            self.parental_damaged = self.parental_lock_all = False


__all__ = ["DECLARED", "PlaylistSource", "Setting", "SettingError", "Settings", "hash_pin", "validate", "verify_pin"]
