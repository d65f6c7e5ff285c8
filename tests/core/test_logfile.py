"""The app's log stays small: repeats collapsed per window, the file rotated at its cap."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

import pytest

from settop.core import logfile
from settop.core.logfile import Collapsing


class _Keep(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def _record(message: str, name: str = "settop.player.vlc") -> logging.LogRecord:
    return logging.LogRecord(name, logging.WARNING, __file__, 1, "%s", (message,), None)


def test_repeats_in_a_window_become_one_line_with_the_count() -> None:
    now = [0.0]
    kept = _Keep()
    collapsing = Collapsing(kept, window_s=10, clock=lambda: now[0])
    for i in range(1200):
        now[0] = i * 0.005
        collapsing.handle(_record("alsa audio output error: cannot open ALSA device \"default\""))
        collapsing.handle(_record("audio output failed"))
    assert kept.lines == ['alsa audio output error: cannot open ALSA device "default"', "audio output failed"]
    now[0] = 11
    collapsing.handle(_record("playing"))
    assert kept.lines[2:] == [
        'alsa audio output error: cannot open ALSA device "default" ... repeated 1,199 times',
        "audio output failed ... repeated 1,199 times",
        "playing",
    ]
    collapsing.handle(_record("playing"))
    collapsing.flush()
    assert kept.lines[-1] == "playing ... repeated 1 times"


def test_a_month_of_repeated_errors_stays_within_the_caps(tmp_path: Path) -> None:
    """A storm of distinct lines (the worst case for collapsing) still ends at the rotation cap."""
    path = tmp_path / "settop.log"
    target = logging.handlers.RotatingFileHandler(path, maxBytes=20_000, backupCount=logfile.BACKUPS, delay=True)
    collapsing = Collapsing(target, window_s=1e9)
    for i in range(5000):
        collapsing.handle(_record(f"error {i}: cannot open ALSA device"))
    collapsing.close()
    files = sorted(tmp_path.iterdir())
    assert [f.name for f in files] == ["settop.log", "settop.log.1", "settop.log.2", "settop.log.3"]
    assert sum(f.stat().st_size for f in files) <= 4 * 20_000


def test_install_wraps_stderr_and_adds_the_rotating_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    stream = logging.StreamHandler()
    monkeypatch.setattr(root, "handlers", [stream])
    try:
        path = logfile.install(tmp_path / "log", logging.WARNING)
        assert all(isinstance(h, Collapsing) for h in root.handlers)
        file_handler = root.handlers[-1]
        assert isinstance(file_handler, Collapsing)
        assert isinstance(file_handler.target, logging.handlers.RotatingFileHandler)
        assert (file_handler.target.maxBytes, file_handler.target.backupCount) == (5 * 1024 * 1024, 3)
        assert root.handlers[0].level == logging.WARNING and file_handler.level == logging.INFO
        logging.getLogger("settop.test").info("to the file only")
        file_handler.flush()
        assert "to the file only" in path.read_text(encoding="utf-8")
    finally:
        for handler in root.handlers:
            if handler not in saved[0]:
                handler.close()
        root.setLevel(saved[1])


NATIVE_STORM = r"""
import ctypes, logging, sys, time
from pathlib import Path
from settop.core import logfile
from settop.core.redact import install_logging
install_logging(logging.WARNING)
path = logfile.install(Path(sys.argv[1]), logging.WARNING)
logfile.capture_native_stderr()
libc = ctypes.CDLL(None)
line = b"ALSA lib pcm.c:2666:(snd_pcm_open_noupdate) Unknown PCM default\n"
for _ in range(2000):
    libc.write(2, line, len(line))  # as alsa-lib does: straight to file descriptor 2
time.sleep(0.5)
print("python still prints", file=sys.stderr)
logging.shutdown()
"""


def test_native_stderr_storm_is_collapsed_in_the_log_and_on_stderr(tmp_path: Path) -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", NATIVE_STORM, str(tmp_path / "log")], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("Unknown PCM default") <= 2  # once, then "... repeated N times"
    assert "python still prints" in done.stderr
    log = (tmp_path / "log" / "settop.log").read_text(encoding="utf-8")
    assert log.count("Unknown PCM default") == 2
    assert "Unknown PCM default ... repeated 1,999 times" in log
