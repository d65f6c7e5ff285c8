"""The video surface: one QWidget interface, two backends (native window, decoded frames), chosen by a setting.

``native``: libVLC draws into this widget's native window (zero-copy, hardware decoding possible). Qt children of
it are hidden under libVLC's window, so overlays are separate frameless, always-on-top, no-focus top-level windows
(``make_overlay_window``). ``frames``: libVLC decodes into buffers owned here (RV32 = ``Format_RGB32``), painted in
``paintEvent``; overlays are ordinary child widgets. Works offscreen; never hardware-decodes.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import threading
from typing import Any

from PyQt6 import sip
from PyQt6.QtCore import QPoint, QRect, QSize, Qt, pyqtSignal
from PyQt6.QtGui import (
    QColor,
    QGuiApplication,
    QImage,
    QPainter,
    QPaintEvent,
    QRasterWindow,
    QResizeEvent,
    QShowEvent,
    QWindow,
)
from PyQt6.QtWidgets import QWidget

from settop.player.base import PlayerEvent, VideoTargetPlayer, WindowTarget

log = logging.getLogger("settop.ui.video")

BACKENDS = ("auto", "native", "frames")
NATIVE_PLATFORMS = {"xcb": "xcb", "windows": "windows", "cocoa": "cocoa"}
OVERLAY_FLAGS = (
    Qt.WindowType.FramelessWindowHint
    | Qt.WindowType.WindowStaysOnTopHint
    | Qt.WindowType.Tool
    | Qt.WindowType.WindowDoesNotAcceptFocus
)


class VideoSurface(QWidget):
    """Where video appears. ``attach(player)`` makes the player draw here; ``detach()`` before destroying it."""

    backend = "none"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._player: VideoTargetPlayer | None = None
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(self.backgroundRole(), QColor("black"))
        self.setPalette(palette)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    @property
    def native(self) -> bool:
        """True when overlays must be top-level windows (see ``make_overlay_window``)."""
        return self.backend == "native"

    def attach(self, player: VideoTargetPlayer) -> None:
        self._player = player
        player.set_video_target(self._target())

    def detach(self) -> None:
        """Stop the player drawing here; returns once libVLC no longer touches this surface."""
        player, self._player = self._player, None
        if player is not None:
            player.set_video_target(None)

    def _target(self) -> WindowTarget | FramesSurface:
        raise NotImplementedError

    def clear_picture(self) -> None:
        """Show black instead of the last picture (a channel that failed to start must not show the one before)."""
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(640, 360)


class FramesSurface(VideoSurface):
    """Paints frames libVLC decodes into buffers owned here (``settop.player.base.FrameSink``).

    Buffers rotate under a lock: libVLC never gets the buffer being shown or painted. Signals: ``frame_shown()``
    (queued, GUI thread) after each new frame.
    """

    backend = "frames"
    frame_shown = pyqtSignal()
    BUFFERS = 4

    def __init__(self, parent: QWidget | None = None, frame_size: tuple[int, int] = (640, 360)) -> None:
        super().__init__(parent)
        width, height = frame_size
        self._size = (width, height)
        self._buffers = [(ctypes.c_ubyte * (width * height * 4))() for _ in range(self.BUFFERS)]
        self._addresses = [ctypes.addressof(b) for b in self._buffers]
        self._lock = threading.Lock()
        self._shown: int | None = None
        self._painting: int | None = None
        self._locked: set[int] = set()
        self.frames = 0
        self.frame_shown.connect(self.update, Qt.ConnectionType.QueuedConnection)  # type: ignore[call-arg]
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)

    def _target(self) -> FramesSurface:
        return self

    # --- FrameSink (libVLC's video thread) -----------------------------------------------------------------------
    @property
    def frame_size(self) -> tuple[int, int]:
        return self._size

    def lock_frame(self) -> int:
        with self._lock:
            busy = {self._shown, self._painting} | self._locked
            index = next(i for i in range(self.BUFFERS) if i not in busy)
            self._locked.add(index)
            return self._addresses[index]

    def unlock_frame(self, address: int) -> None:
        pass

    def show_frame(self, address: int) -> None:
        index = self._addresses.index(address)
        with self._lock:
            self._locked.discard(index)
            self._shown = index
            self.frames += 1
        with contextlib.suppress(RuntimeError):  # the widget is gone while libVLC finishes a frame
            self.frame_shown.emit()

    # --- GUI thread ---------------------------------------------------------------------------------------------
    def latest_frame(self) -> QImage | None:
        """A copy of the newest frame, or None before the first."""
        with self._lock:
            if self._shown is None:
                return None
            return self._image(self._shown).copy()

    def clear_picture(self) -> None:
        with self._lock:
            self._shown = None
        self.update()

    def _image(self, index: int) -> QImage:
        width, height = self._size
        data = sip.voidptr(self._addresses[index])
        return QImage(data, width, height, width * 4, QImage.Format.Format_RGB32)  # type: ignore[call-overload,no-any-return]

    def paintEvent(self, event: QPaintEvent | None) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("black"))
        with self._lock:
            index = self._painting = self._shown
        try:
            if index is not None:
                image = self._image(index)
                target = _fit(image.size(), self.rect())
                painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
                painter.drawImage(target, image)
        finally:
            with self._lock:
                self._painting = None
            painter.end()


class Curtain(QRasterWindow):
    """Black over the video: a native child window of the surface's that paints itself (its own backing store),
    since the surface's children are painted with its paint engine, which is none."""

    def __init__(self, parent: QWindow) -> None:
        super().__init__(parent)
        self.setFlags(Qt.WindowType.WindowTransparentForInput | Qt.WindowType.WindowDoesNotAcceptFocus)

    def paintEvent(self, event: QPaintEvent | None) -> None:
        painter = QPainter(self)
        painter.fillRect(QRect(0, 0, self.width(), self.height()), QColor("black"))
        painter.end()


class NativeSurface(VideoSurface):
    """A native window libVLC draws into; overlays go in ``make_overlay_window`` windows placed over it.

    Qt never paints this window (``WA_PaintOnScreen`` with no paint engine, no background): between two channels,
    when libVLC has destroyed the old input's video window and not yet made the new one, the X server leaves the
    old picture where it was instead of Qt's black. Black, where it is wanted (before the first picture, under a
    channel that failed: ``clear_picture``), is a native child window, the ``Curtain``, raised over the video; the
    video window libVLC makes for the next input maps above it, and the curtain hides at the next first picture.
    """

    backend = "native"
    _picture_up = pyqtSignal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAutoFillBackground(False)
        self.setAttribute(Qt.WidgetAttribute.WA_NativeWindow, True)
        self.setAttribute(Qt.WidgetAttribute.WA_DontCreateNativeAncestors, True)
        self.setAttribute(Qt.WidgetAttribute.WA_PaintOnScreen, True)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground, True)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self._curtain: Curtain | None = None
        self._curtain_wanted = True  # black until the first picture
        self._heard: VideoTargetPlayer | None = None  # the player whose events this surface listens to
        self._picture_up.connect(self._lift_curtain, Qt.ConnectionType.QueuedConnection)  # type: ignore[call-arg]

    @property
    def curtain_down(self) -> bool:
        """True while the curtain covers the video (before the first picture, after ``clear_picture``)."""
        return self._curtain_wanted

    def paintEngine(self) -> None:
        return None  # libVLC's pictures, or the old one the X server keeps: Qt paints nothing here

    def paintEvent(self, event: QPaintEvent | None) -> None:
        pass

    def showEvent(self, event: QShowEvent | None) -> None:
        super().showEvent(event)
        self._place_curtain()

    def resizeEvent(self, event: QResizeEvent | None) -> None:
        super().resizeEvent(event)
        self._place_curtain()

    def _place_curtain(self) -> None:
        """Show, size and raise the curtain while it is wanted (made on first need: it needs this native window)."""
        curtain = self._curtain
        if curtain is not None and sip.isdeleted(curtain):
            curtain = self._curtain = None  # the surface's native window was made again, its children with it
        if not self._curtain_wanted:
            if curtain is not None:
                curtain.hide()
            return
        handle = self.windowHandle()
        if handle is None:
            return
        if curtain is None:
            curtain = self._curtain = Curtain(handle)
        curtain.setGeometry(0, 0, max(1, self.width()), max(1, self.height()))
        curtain.show()
        curtain.raise_()
        curtain.requestUpdate()

    def _lift_curtain(self) -> None:
        self._curtain_wanted = False
        self._place_curtain()

    def attach(self, player: VideoTargetPlayer) -> None:
        super().attach(player)
        add_listener = getattr(player, "add_listener", None)
        if add_listener is not None and player is not self._heard:  # players have no remove_listener: once each
            self._heard = player
            add_listener(lambda event: self._on_event(player, event))

    def _on_event(self, player: VideoTargetPlayer, event: PlayerEvent) -> None:
        """libVLC's event thread: lift the curtain once the attached player shows a picture."""
        if event.kind == "first_frame" and self._player is player:
            with contextlib.suppress(RuntimeError):  # the surface is gone while the player finishes
                self._picture_up.emit()

    def clear_picture(self) -> None:
        self._curtain_wanted = True
        self._place_curtain()

    def _target(self) -> WindowTarget:
        platform = QGuiApplication.platformName()
        return WindowTarget(int(self.winId()), NATIVE_PLATFORMS.get(platform, "xcb"))

    def make_overlay_window(self, rect: QRect | None = None) -> QWidget:
        """A frameless, always-on-top, no-focus top-level window (hidden) for an overlay panel over the video.

        Without a compositor its transparent pixels are black: size it to its panel. ``rect`` is in this
        surface's coordinates; ``place_overlay`` moves it later.
        """
        window = QWidget(None, OVERLAY_FLAGS)
        window.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, True)
        window.setAttribute(Qt.WidgetAttribute.WA_TranslucentBackground, True)
        window.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        if rect is not None:
            self.place_overlay(window, rect)
        return window

    def place_overlay(self, window: QWidget, rect: QRect) -> None:
        """Put an overlay window at ``rect`` given in this surface's coordinates."""
        window.setGeometry(QRect(self.mapToGlobal(QPoint(rect.x(), rect.y())), rect.size()))


def _fit(size: QSize, area: QRect) -> QRect:
    """The largest rectangle of ``size``'s aspect centred in ``area``."""
    if size.width() <= 0 or size.height() <= 0:
        return area
    scaled = size.scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
    return QRect(area.x() + (area.width() - scaled.width()) // 2, area.y() + (area.height() - scaled.height()) // 2,
                 scaled.width(), scaled.height())


def choose_backend(backend: str, platform: str | None = None) -> tuple[str, str]:
    """(``native`` or ``frames``, the reason) for the ``video.backend`` setting on this window system."""
    platform = QGuiApplication.platformName() if platform is None else platform
    if backend == "frames":
        return "frames", "the video.backend setting asks for frames"
    if platform in NATIVE_PLATFORMS:
        return "native", f"window system {platform!r} can embed libVLC"
    if platform.startswith("wayland"):
        why = "libVLC 3 cannot embed into Wayland windows (QT_QPA_PLATFORM=xcb runs native video on XWayland)"
    else:
        why = f"Qt platform {platform!r} has no window libVLC can draw into"
    return "frames", why


SOFTWARE_GL = ("llvmpipe", "softpipe", "swrast", "software rasterizer")
PLAIN_X11_OUTPUT = "--vout=xcb_x11"


def gl_renderer() -> str:
    """The OpenGL renderer of this window system's default context (``llvmpipe (LLVM 15...)``), "" when none."""
    try:
        from PyQt6.QtGui import QOffscreenSurface, QOpenGLContext
        from PyQt6.QtOpenGL import QOpenGLVersionFunctionsFactory, QOpenGLVersionProfile
    except ImportError:
        return ""
    context = QOpenGLContext()
    surface = QOffscreenSurface()
    surface.create()
    try:
        if not context.create() or not context.makeCurrent(surface):
            return ""
        profile = QOpenGLVersionProfile()
        profile.setVersion(2, 0)
        functions: Any = QOpenGLVersionFunctionsFactory.get(profile, context)
        renderer = functions.glGetString(0x1F01) if functions is not None else None  # GL_RENDERER
        context.doneCurrent()
        return str(renderer or "")
    finally:
        surface.destroy()


def native_output(renderer: str | None = None, platform: str | None = None) -> tuple[tuple[str, ...], str]:
    """libVLC instance options for the native backend's video output, and why.

    libVLC 3 draws native video with OpenGL by default; where OpenGL is a software renderer (llvmpipe in Xvfb or
    on a box without a GPU driver) that costs more than decoding, so the plain X11 output is used instead.
    """
    if (QGuiApplication.platformName() if platform is None else platform) != "xcb":
        return (), "libVLC's default output for this window system"
    renderer = gl_renderer() if renderer is None else renderer
    if not renderer:
        return (PLAIN_X11_OUTPUT,), "no OpenGL here: libVLC's plain X11 output"
    if any(name in renderer.lower() for name in SOFTWARE_GL):
        return (PLAIN_X11_OUTPUT,), f"OpenGL is software ({renderer}): libVLC's plain X11 output instead"
    return (), f"OpenGL renderer {renderer}: libVLC's OpenGL output"


def make_surface(backend: str = "auto", parent: QWidget | None = None,
                 frame_size: tuple[int, int] = (640, 360)) -> VideoSurface:
    """The surface for the ``video.backend`` setting (``auto``, ``native`` or ``frames``), logging the choice."""
    if backend not in BACKENDS:
        log.warning("unknown video.backend %r; using auto", backend)
        backend = "auto"
    chosen, why = choose_backend(backend)
    if backend == "native" and chosen != "native":
        log.warning("native video is not possible here (%s); using frames", why)
    else:
        log.info("video backend %s: %s", chosen, why)
    if chosen == "native":
        return NativeSurface(parent)
    return FramesSurface(parent, frame_size)
