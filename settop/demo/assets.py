"""Makes the demo channels with ffmpeg: short loopable HLS segments and a logo per channel, cached by version."""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from settop.core.state.paths import cache_dir as default_cache_dir

log = logging.getLogger("settop.demo")

VERSION = 1
FPS = 25
SEGMENT_SECONDS = 2
SEGMENTS = 4
LOOP_FRAMES = FPS * SEGMENT_SECONDS * SEGMENTS
LOOP_TICKS = LOOP_FRAMES * 90_000 // FPS
SAMPLE_RATE = 48_000
# AAC adds 1024 samples of priming: 374 frames of input make exactly 375 frames (8 s at 48 kHz) on the wire, so the
# loop's audio ends where its video ends and repeats do not overlap.
AUDIO_SAMPLES = LOOP_FRAMES * SAMPLE_RATE // FPS - 1024
WIDTH, HEIGHT = 640, 360
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf",
)


class DemoError(Exception):
    """The demo channels could not be made; ``str(exc)`` says why in words a user can act on."""


@dataclass(frozen=True, slots=True)
class DemoChannelSpec:
    """What one demo channel looks like: an ffmpeg lavfi video source, tones (Hz, language) per audio track."""

    slug: str
    number: int
    name: str
    group: str
    video: str
    colour: str
    label: str
    tones: tuple[tuple[int, str], ...] = ((440, "eng"),)
    catchup: bool = False


CHANNELS: tuple[DemoChannelSpec, ...] = (
    DemoChannelSpec("bars", 1, "Colour Bars", "Test Patterns", f"smptebars=s={WIDTH}x{HEIGHT}:rate={FPS}",
                    "#b03a2e", "BARS", ((1000, "eng"),)),
    DemoChannelSpec("testcard", 2, "Test Card", "Test Patterns", f"testsrc2=s={WIDTH}x{HEIGHT}:rate={FPS}",
                    "#1e8449", "CARD", ((440, "eng"), (660, "deu"))),
    DemoChannelSpec("fractal", 3, "Fractal TV", "Entertainment",
                    f"mandelbrot=s=320x180:rate={FPS}:maxiter=100,scale={WIDTH}:{HEIGHT}",
                    "#6c3483", "FRAC", ((330, "eng"),), catchup=True),
    DemoChannelSpec("life", 4, "Life", "Entertainment",
                    f"life=s=160x90:rate={FPS}:seed=7:mold=10:ratio=0.12:death_color=#102030:life_color=#58d68d,"
                    f"scale={WIDTH}:{HEIGHT}:flags=neighbor", "#117a65", "LIFE", ()),
    DemoChannelSpec("calm", 5, "Calm Blue", "Lifestyle",
                    f"gradients=s={WIDTH}x{HEIGHT}:rate={FPS}:seed=3:speed=0.03:c0=0x1f3a5f:c1=0x5dade2",
                    "#1f618d", "CALM", ((220, "eng"),)),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class DemoChannel:
    """A generated demo channel: its spec, its loop of TS segments (in order) and its logo."""

    spec: DemoChannelSpec
    segments: tuple[Path, ...]
    logo: Path


@dataclass(frozen=True, slots=True)
class DemoAssets:
    """Everything the demo server serves; ``segment_seconds`` x ``len(segments)`` is one loop."""

    root: Path
    channels: tuple[DemoChannel, ...]
    segment_seconds: int = SEGMENT_SECONDS
    loop_ticks: int = LOOP_TICKS

    def channel(self, slug: str) -> DemoChannel | None:
        """The channel called ``slug``, None when there is none."""
        return next((c for c in self.channels if c.spec.slug == slug), None)


def _font() -> str:
    for candidate in FONT_CANDIDATES:
        if Path(candidate).is_file():
            return f"fontfile={candidate}"
    return "font=Sans"


def _video_filter(spec: DemoChannelSpec, work: Path) -> str:
    font = _font()
    title = work / f"{spec.slug}.title.txt"
    title.write_text(f"{spec.number}  {spec.name}", encoding="utf-8")
    box = "box=1:boxcolor=black@0.55:boxborderw=12"
    period = SEGMENT_SECONDS * SEGMENTS
    return ",".join(
        (
            "format=yuv420p",
            f"drawtext={font}:textfile={title}:x=36:y=28:fontsize=42:fontcolor=white:{box}",
            f"drawtext={font}:text='%{{pts\\:hms}}':x=36:y=h-th-36:fontsize=34:fontcolor=white:{box}",
            # a dot that sweeps and returns within one loop, so motion is seamless across repeats
            f"drawtext={font}:text='●':fontsize=40:fontcolor=#f4d03f:y=h-th-110:"
            f"x=(w-tw-40)*(0.5-0.5*cos(2*PI*t/{period}))+20",
        )
    )


def _encode_channel(ffmpeg: str, spec: DemoChannelSpec, work: Path) -> tuple[Path, ...]:
    out = work / spec.slug
    out.mkdir()
    command = [ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i", spec.video]
    tones = spec.tones or ((0, "und"),)
    for frequency, _language in tones:
        source = (
            f"sine=frequency={frequency}:sample_rate={SAMPLE_RATE},volume=0.25,aformat=channel_layouts=stereo"
            if frequency
            else f"anullsrc=r={SAMPLE_RATE}:cl=stereo"
        )
        command += ["-f", "lavfi", "-i", f"{source},atrim=end_sample={AUDIO_SAMPLES}"]
    command += ["-map", "0:v"]
    for index, (_frequency, language) in enumerate(tones):
        command += ["-map", f"{index + 1}:a", f"-metadata:s:a:{index}", f"language={language}"]
    command += [
        "-vf", _video_filter(spec, work), "-frames:v", str(LOOP_FRAMES),
        "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-profile:v", "main", "-pix_fmt", "yuv420p",
        "-g", str(FPS * SEGMENT_SECONDS), "-keyint_min", str(FPS * SEGMENT_SECONDS), "-sc_threshold", "0",
        "-b:v", "450k", "-maxrate", "600k", "-bufsize", "600k", "-threads", "1",
        "-c:a", "aac", "-b:a", "64k", "-ac", "2", "-ar", str(SAMPLE_RATE),
        "-f", "hls", "-hls_time", str(SEGMENT_SECONDS), "-hls_list_size", "0",
        "-hls_segment_filename", str(out / "%d.ts"), str(out / "index.m3u8"),
    ]  # fmt: skip
    _run(command)
    segments = tuple(out / f"{n}.ts" for n in range(SEGMENTS))
    if not all(s.is_file() and s.stat().st_size > 0 for s in segments):
        raise DemoError(f"ffmpeg made {len(list(out.glob('*.ts')))} segments for {spec.name}, expected {SEGMENTS}")
    return segments


def _make_logo(ffmpeg: str, spec: DemoChannelSpec, work: Path) -> Path:
    font = _font()
    label = work / f"{spec.slug}.label.txt"
    label.write_text(spec.label, encoding="utf-8")
    number = work / f"{spec.slug}.number.txt"
    number.write_text(str(spec.number), encoding="utf-8")
    logo = work / f"{spec.slug}.png"
    graph = ",".join(
        (
            "drawbox=x=10:y=10:w=iw-20:h=ih-20:color=white@0.85:t=6",
            f"drawtext={font}:textfile={label}:fontsize=64:fontcolor=white:x=(w-tw)/2:y=(h-th)/2-30",
            f"drawtext={font}:textfile={number}:fontsize=44:fontcolor=white@0.8:x=(w-tw)/2:y=(h-th)/2+50",
        )
    )
    _run([
        ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
        "-f", "lavfi", "-i", f"color=c={spec.colour}:s=256x256", "-vf", graph, "-frames:v", "1", str(logo),
    ])  # fmt: skip
    return logo


def _run(command: list[str]) -> None:
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    except subprocess.TimeoutExpired as exc:
        raise DemoError("ffmpeg took too long making the demo channels") from exc
    except OSError as exc:
        raise DemoError(f"ffmpeg could not be started: {exc.strerror}") from exc
    if result.returncode != 0:
        raise DemoError(f"ffmpeg failed making the demo channels: {result.stderr.strip()[-500:]}")


def _load(root: Path) -> DemoAssets | None:
    try:
        manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if manifest.get("version") != VERSION or manifest.get("channels") != [c.slug for c in CHANNELS]:
        return None
    channels = tuple(
        DemoChannel(spec, tuple(root / spec.slug / f"{n}.ts" for n in range(SEGMENTS)), root / f"{spec.slug}.png")
        for spec in CHANNELS
    )
    if not all(path.is_file() for channel in channels for path in (*channel.segments, channel.logo)):
        return None
    return DemoAssets(root=root, channels=channels)


def make_demo(cache_dir: Path | None = None) -> DemoAssets:
    """The demo channels under ``cache_dir`` (settop's cache by default), made with ffmpeg unless already there.

    Made in a private folder and renamed into place, so a crash or a second process never sees half a set.
    Raises DemoError when ffmpeg is missing or fails.
    """
    base = cache_dir or default_cache_dir()
    root = base / f"demo-v{VERSION}"
    existing = _load(root)
    if existing is not None:
        return existing
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        raise DemoError("the demo channels need ffmpeg; install it (Debian: apt install ffmpeg)")
    base.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".demo-v{VERSION}-", dir=base))
    try:
        workers = max(1, min(len(CHANNELS), os.cpu_count() or 1))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(_encode_channel, ffmpeg, spec, work) for spec in CHANNELS]
            logos = [pool.submit(_make_logo, ffmpeg, spec, work) for spec in CHANNELS]
            for encoded in futures:
                encoded.result()
            for logo in logos:
                logo.result()
        manifest = {"version": VERSION, "channels": [c.slug for c in CHANNELS]}
        (work / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
        if root.exists():
            shutil.rmtree(root)  # an older or damaged set
        try:
            os.replace(work, root)
        except OSError:
            if _load(root) is None:  # another process did not win the race either
                raise
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)
    assets = _load(root)
    if assets is None:
        raise DemoError(f"the demo channels in {root} are incomplete")
    log.info("demo channels made in %s", root)
    return assets
