"""Small ffmpeg-made test streams, generated once into a cache folder shared by every test session.

Each channel is a solid colour with its number burnt in and a sine tone of its own pitch, so a test can tell from a
frame's pixels (or the tone) which channel is on screen. Everything is tiny (160x90 or 320x180, a few seconds) so a
cold cache builds in a few seconds; the folder name carries ``VERSION`` so a change here rebuilds it.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

VERSION = "v5"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
CACHE_ROOT = Path(os.environ.get("SETTOP_TEST_STREAMS", Path(__file__).resolve().parents[1] / ".cache" / "streams"))


@dataclass(frozen=True, slots=True)
class TestChannel:
    """A generated channel: its number, colour as (r, g, b), tone in Hz, and folder under the cache root."""

    number: int
    rgb: tuple[int, int, int]
    tone_hz: int

    @property
    def name(self) -> str:
        return f"ch{self.number}"

    @property
    def hex(self) -> str:
        return "0x{:02x}{:02x}{:02x}".format(*self.rgb)


# Colours far apart in every channel so a decoded (YUV-rounded) pixel identifies its channel without doubt.
CHANNELS = (
    TestChannel(1, (220, 30, 30), 440),
    TestChannel(2, (30, 200, 40), 660),
    TestChannel(3, (40, 60, 220), 880),
)
LIVE_SECONDS = 40  # the long VOD a live sliding window is cut from; the window loops with a discontinuity
SEGMENT_SECONDS = 1


def _ffmpeg(*args: str) -> None:
    cmd = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", *args]
    subprocess.run(cmd, check=True, stdin=subprocess.DEVNULL)


def _pattern(channel: TestChannel, seconds: float, size: str, fontsize: int, noise: int = 0) -> list[str]:
    """Inputs and filters of a coloured picture with the channel number and a tone (and moving grain: bitrate)."""
    grain = f"noise=alls={noise}:allf=t," if noise else ""
    text = (
        f"{grain}drawtext=fontfile={FONT}:text={channel.number}:fontsize={fontsize}:fontcolor=white"
        ":x=(w-text_w)/2:y=(h-text_h)/2"
    )
    return [
        "-f", "lavfi", "-i", f"color=c={channel.hex}:s={size}:r=25:d={seconds}",
        "-f", "lavfi", "-i", f"sine=f={channel.tone_hz}:d={seconds}:sample_rate=48000",
        "-vf", text,
    ]


_H264 = ["-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-pix_fmt", "yuv420p",
         "-g", "25", "-keyint_min", "25", "-sc_threshold", "0"]
_AAC = ["-c:a", "aac", "-b:a", "32k", "-ac", "1"]


def _hls(channel: TestChannel, folder: Path, seconds: float, size: str, fontsize: int, *, bitrate: str = "") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    rate = ["-b:v", bitrate] if bitrate else []
    _ffmpeg(*_pattern(channel, seconds, size, fontsize), *_H264, *rate, *_AAC,
            "-f", "hls", "-hls_time", str(SEGMENT_SECONDS), "-hls_list_size", "0", "-hls_playlist_type", "vod",
            "-hls_segment_filename", str(folder / "seg%03d.ts"), str(folder / "index.m3u8"))


def _build(root: Path) -> None:
    for channel in CHANNELS:
        # A short VOD HLS per channel and a long segment set the server slides a live window over.
        _hls(channel, root / channel.name / "vod", 4, "160x90", 40)
        _hls(channel, root / channel.name / "live", LIVE_SECONDS, "160x90", 40)
        _ffmpeg(*_pattern(channel, 6, "160x90", 40), *_H264, *_AAC, "-f", "mpegts", str(root / f"{channel.name}.ts"))
    # A radio channel: sound only.
    _ffmpeg("-f", "lavfi", "-i", "sine=f=330:d=6:sample_rate=48000", *_AAC, "-f", "mpegts", str(root / "radio.ts"))
    # Master playlist with two variants of channel 1.
    master = root / "master"
    _hls(CHANNELS[0], master / "low", 4, "160x90", 40, bitrate="150k")
    _hls(CHANNELS[0], master / "high", 4, "320x180", 80, bitrate="400k")
    (master / "index.m3u8").write_text(
        "#EXTM3U\n#EXT-X-VERSION:3\n"
        '#EXT-X-STREAM-INF:BANDWIDTH=200000,RESOLUTION=160x90,CODECS="avc1.42c00c,mp4a.40.2"\nlow/index.m3u8\n'
        '#EXT-X-STREAM-INF:BANDWIDTH=500000,RESOLUTION=320x180,CODECS="avc1.42c00d,mp4a.40.2"\nhigh/index.m3u8\n'
    )
    # Two audio languages (440 Hz English, 880 Hz German) and an English subtitle track, in Matroska.
    srt = root / "subs.srt"
    srt.write_text("1\n00:00:00,000 --> 00:00:06,000\nHello settop\n")
    ch = CHANNELS[1]
    _ffmpeg("-f", "lavfi", "-i", f"color=c={ch.hex}:s=160x90:r=25:d=6",
            "-f", "lavfi", "-i", "sine=f=440:d=6:sample_rate=48000",
            "-f", "lavfi", "-i", "sine=f=880:d=6:sample_rate=48000",
            "-i", str(srt),
            "-map", "0:v", "-map", "1:a", "-map", "2:a", "-map", "3:s", *_H264, *_AAC, "-c:s", "srt",
            "-metadata:s:a:0", "language=eng", "-metadata:s:a:0", "title=English",
            "-metadata:s:a:1", "language=deu", "-metadata:s:a:1", "title=Deutsch",
            "-metadata:s:s:0", "language=eng", "-reserve_index_space", "2000", str(root / "multi.mkv"))


def stream_dir() -> Path:
    """The folder holding every test stream, building it first when this version is not cached yet.

    Safe to call from parallel processes: a file lock serialises the build, and a finished build is renamed into
    place atomically.
    """
    return cached_build(VERSION, _build)


def cached_build(version: str, build: Callable[[Path], None]) -> Path:
    """``CACHE_ROOT/version``, made by ``build(folder)`` once (under a file lock, renamed into place when done)."""
    root = CACHE_ROOT / version
    if (root / ".done").exists():
        return root
    CACHE_ROOT.mkdir(parents=True, exist_ok=True)
    with open(CACHE_ROOT / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (root / ".done").exists():
            return root
        tmp = CACHE_ROOT / f"{version}.tmp{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        build(tmp)
        (tmp / ".done").write_text(version)
        shutil.rmtree(root, ignore_errors=True)
        tmp.rename(root)
    return root


def segment_names(folder: Path) -> list[str]:
    """The segment file names of a generated VOD playlist, in order."""
    return [line for line in (folder / "index.m3u8").read_text().splitlines() if line and not line.startswith("#")]


def finished_hls(root: Path, channel: TestChannel = CHANNELS[1], seconds: int = 16) -> Path:
    """A film as some providers list it among their live channels: an HLS playlist with ``#EXT-X-ENDLIST`` and no
    ``#EXT-X-PLAYLIST-TYPE``, behind a master playlist. The first ``seconds`` one-second segments of ``channel``'s
    long segment set, copied under ``root``: ``film/master.m3u8`` names ``film/v/index.m3u8``. Returns ``root``."""
    source = stream_dir() / channel.name / "live"
    variant = root / "film" / "v"
    variant.mkdir(parents=True, exist_ok=True)
    names = segment_names(source)[:seconds]
    lines = ["#EXTM3U", "#EXT-X-VERSION:3", f"#EXT-X-TARGETDURATION:{SEGMENT_SECONDS}", "#EXT-X-MEDIA-SEQUENCE:0"]
    for name in names:
        shutil.copyfile(source / name, variant / name)
        lines += [f"#EXTINF:{SEGMENT_SECONDS:.6f},", name]
    (variant / "index.m3u8").write_text("\n".join([*lines, "#EXT-X-ENDLIST"]) + "\n")
    (root / "film" / "master.m3u8").write_text(
        "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-STREAM-INF:BANDWIDTH=200000,RESOLUTION=160x90\nv/index.m3u8\n")
    return root
