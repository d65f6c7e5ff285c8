"""The parental lock fails closed (issue 18): its own file, damage keeps locked content locked, bounded hashes."""

from __future__ import annotations

import stat
import time
from pathlib import Path

import pytest

from settop.core.state import parental
from settop.core.state.paths import config_dir
from settop.core.state.settings import Settings, hash_pin, verify_pin

PIN = hash_pin("1234", salt=bytes(16))


def _settings_file() -> Path:
    return config_dir() / "settings.toml"


def _lock_file() -> Path:
    return config_dir() / parental.FILE_NAME


def _lock(groups: list[str]) -> None:
    settings = Settings.load()[0]
    settings.set("parental.pin_hash", PIN)
    settings.set("parental.locked_groups", groups)
    settings.save()


def test_the_lock_lives_in_its_own_private_file() -> None:
    _lock(["Adult"])
    assert "parental" not in _settings_file().read_text(encoding="utf-8")
    assert stat.S_IMODE(_lock_file().stat().st_mode) == 0o600
    assert Settings.load()[0].get_list("parental.locked_groups") == ["Adult"]


def test_settings_truncated_at_a_table_boundary_keeps_the_lock() -> None:
    """The reproduction: settings.toml cut before [parental] silently dropped the PIN."""
    _lock(["Adult"])
    _settings_file().write_text('[video]\nbackend = "auto"\n', encoding="utf-8")
    settings, messages = Settings.load()
    assert verify_pin("1234", settings.get_str("parental.pin_hash"))
    assert settings.get_list("parental.locked_groups") == ["Adult"]
    assert messages == []


def test_an_older_settings_file_moves_its_lock_to_the_own_file() -> None:
    _settings_file().write_text(f'[parental]\npin_hash = "{PIN}"\nlocked_channels = ["k1"]\n', encoding="utf-8")
    settings = Settings.load()[0]
    assert settings.get_list("parental.locked_channels") == ["k1"]
    assert _lock_file().exists()
    _settings_file().write_text("", encoding="utf-8")  # then the settings are lost: the lock is not
    assert Settings.load()[0].get_list("parental.locked_channels") == ["k1"]


@pytest.mark.allow_warnings("^parental: The parental lock is damaged")
@pytest.mark.parametrize("pin_hash", ["5", "true", '"x"', f'"{PIN[:-3]}"',
                                      '"pbkdf2-sha256$99999999999999999999$00000000000000000000000000000000$'
                                      + "0" * 64 + '"',
                                      f'"pbkdf2-sha256${2**31}$' + "0" * 32 + "$" + "0" * 64 + '"'],
                         ids=["int", "bool", "garbage", "truncated", "overflowing-iterations", "2^31-iterations"])
def test_a_damaged_pin_hash_keeps_locked_content_locked(pin_hash: str, caplog: pytest.LogCaptureFixture) -> None:
    _lock(["Adult"])
    _lock_file().write_text(f'[parental]\npin_hash = {pin_hash}\nlocked_groups = ["Adult"]\n', encoding="utf-8")
    started = time.monotonic()
    settings, messages = Settings.load()
    assert settings.get_str("parental.pin_hash")  # a PIN is still set ...
    assert not verify_pin("1234", settings.get_str("parental.pin_hash"))  # ... and none opens it
    assert time.monotonic() - started < 1.0  # no minutes-long PBKDF2, no OverflowError
    assert settings.parental_damaged and not settings.parental_lock_all
    assert settings.get_list("parental.locked_groups") == ["Adult"]
    (message,) = messages
    assert "locked channels stay locked" in message and "To reset the PIN, delete" in message
    assert str(_lock_file()) in message
    assert "damaged" in caplog.text


@pytest.mark.allow_warnings("^parental: The parental lock is damaged")
@pytest.mark.parametrize("text", ["[parental]\npin_hash = ", "", "[parental]\nlocked_groups = 7\n", "\xff"],
                         ids=["truncated", "empty", "wrong-list", "not-utf8"])
def test_an_unreadable_lock_file_locks_everything(text: str, caplog: pytest.LogCaptureFixture) -> None:
    _lock(["Adult"])
    _lock_file().write_bytes(text.encode("utf-8", "surrogateescape") if text != "\xff" else b"\xff\xfe")
    settings, messages = Settings.load()
    assert settings.parental_damaged and settings.parental_lock_all
    assert settings.get_str("parental.pin_hash") == parental.DAMAGED_HASH
    assert "every channel is locked" in messages[0]


def test_deleting_the_file_is_the_documented_reset() -> None:
    _lock(["Adult"])
    _lock_file().write_text("[parental]\npin_hash = 5\n", encoding="utf-8")
    _lock_file().unlink()
    settings = Settings.load()[0]
    assert settings.get_str("parental.pin_hash") == "" and not settings.parental_damaged
    docs = (Path(__file__).resolve().parents[3] / "docs" / "troubleshooting.md").read_text(encoding="utf-8")
    assert "parental.toml" in docs


@pytest.mark.parametrize("iterations", [1, 99_999, 100_001, 2**31, 10**19])
def test_only_the_parameters_settop_writes_are_accepted(iterations: int) -> None:
    forged = f"pbkdf2-sha256${iterations}${'0' * 32}${'0' * 64}"
    started = time.monotonic()
    assert not parental.pin_hash_valid(forged) and not verify_pin("1234", forged)
    assert time.monotonic() - started < 0.05
    assert parental.pin_hash_valid(PIN) and verify_pin("1234", PIN) and not verify_pin("4321", PIN)
