"""The main window: the video surface at the bottom, a stack of screens over it, and the action dispatch."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import cached_property

from PyQt6.QtCore import QByteArray, QRect, QSize, Qt, pyqtSignal
from PyQt6.QtGui import QCloseEvent, QMouseEvent, QMoveEvent, QResizeEvent
from PyQt6.QtWidgets import QWidget

from settop.input.buttons import Action, Context
from settop.input.keymap import Keymap
from settop.ui.live.osd import Toast
from settop.ui.screen import ActionTable, Screen, run_action
from settop.ui.widgets.hints import Hint, hint_line
from settop.ui.widgets.overlay import OverlayHost
from settop.ui.widgets.theme import Theme

log = logging.getLogger("settop.ui")


class MainWindow(QWidget):
    """Holds the video surface and the screen stack.

    The top screen gets each action first; an unused action falls to the screen below, and finally to the
    window itself (full screen, quit). ``native_overlays`` makes every panel a top-level overlay window
    (needed over a native libVLC window).

    Signals: ``closing`` just before the window closes (the app stops the player and saves state).
    """

    closing = pyqtSignal()
    RESTART = 75  # exit_code after "Restart settop": ``settop.app.run`` starts settop again

    def __init__(self, surface: QWidget, native_overlays: bool = False, parent: QWidget | None = None, *,
                 keymap: Keymap | None = None) -> None:
        super().__init__(parent)
        self.keymap = keymap  # the active keymap: screens make their key hints from it
        self.exit_code = 0
        self._windowed_geometry: QRect | None = None  # the window's place before full screen
        self.setObjectName("MainWindow")
        self.setWindowTitle("settop")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(480, 270)
        self.surface = surface
        surface.setParent(self)
        surface.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.host = OverlayHost(self, native_overlays)
        self.theme = Theme.for_height(720)
        self.stack: list[Screen] = []
        self._adopted: set[int] = set()
        self.toast = Toast()
        self.host.adopt(self.toast)
        self.toast.changed.connect(self.place_notices)
        self._apply_theme()

    # -- screens -----------------------------------------------------------------------------------------------
    def push(self, screen: Screen) -> None:
        """Show ``screen`` on top of the stack."""
        if screen in self.stack:
            self.stack.remove(screen)
        if screen.modal:
            for below in self.stack:
                below.covered()
        self.stack.append(screen)
        self._fill_hint(screen)
        self._place(screen)
        for panel, _rect in screen.geometry_for(self.rect(), self.theme):
            if screen.context is not Context.live:  # live panels show themselves when they have something to say
                self.host.show(panel)
        screen.opened()
        self.place_notices()

    def pop(self, screen: Screen) -> None:
        """Remove ``screen`` (wherever it is in the stack) and hide its panels."""
        if screen not in self.stack:
            return
        self.stack.remove(screen)
        for panel, _rect in screen.geometry_for(self.rect(), self.theme):
            panel.hide()
        screen.closed()
        if screen.modal and self.stack and self.on_top(self.stack[-1]):
            self.stack[-1].uncovered()
        self.place_notices()  # the notices may have stood aside for its panels

    def hint_line(self, context: Context, hints: Sequence[Hint]) -> str:
        """A key hint line from the active keymap: only keys that do what it says in ``context``."""
        return hint_line(self.keymap, context, hints)

    def _fill_hint(self, screen: Screen) -> None:
        screen.make_hints(self.hint_line)

    def on_top(self, screen: Screen) -> bool:
        """Whether ``screen`` is in the stack with nothing modal above it (notices may be)."""
        if screen not in self.stack:
            return False
        return not any(above.modal for above in self.stack[self.stack.index(screen) + 1:])

    def active(self) -> Screen | None:
        return self.stack[-1] if self.stack else None

    def has(self, screen: Screen) -> bool:
        return screen in self.stack

    def current_context(self) -> Context:
        screen = self.active()
        return screen.context if screen is not None else Context.global_

    def accepts_text(self) -> bool:
        screen = self.active()
        return screen is not None and screen.accepts_text()

    def dispatch_text(self, text: str) -> bool:
        screen = self.active()
        return screen is not None and screen.handle_text(text)

    @cached_property
    def window_actions(self) -> ActionTable:
        """What the window itself does with an action no screen used."""
        return {Action.fullscreen: self.toggle_fullscreen, Action.quit: self.close}

    def dispatch(self, action: Action) -> bool:
        """Offer ``action`` to the screens from the top down, then to the window."""
        for screen in reversed(list(self.stack)):
            if screen.handle_action(action):
                return True
        return run_action(self.window_actions, action)

    def notify(self, text: str, seconds: float = 3.0) -> None:
        """A short notice at the top of the screen."""
        self.toast.notify(text, seconds)
        self.place_notices()

    # -- geometry and look -------------------------------------------------------------------------------------
    def _place(self, screen: Screen) -> None:
        for panel, logical in screen.geometry_for(self.rect(), self.theme):
            self.place_panel(panel, logical)

    def place_panel(self, panel: QWidget, logical: QRect) -> None:
        """Put one panel of a screen at ``logical`` (left to right; mirrored for right-to-left languages)."""
        if id(panel) not in self._adopted:
            self._adopted.add(id(panel))
            self.host.adopt(panel)
        self.host.place(panel, self._mirrored(logical))

    def _mirrored(self, logical: QRect) -> QRect:
        if not self.isRightToLeft():
            return logical
        # right-to-left languages: side panels open from the other side
        return QRect(self.width() - logical.x() - logical.width(), logical.y(), logical.width(), logical.height())

    def taken(self, logical: QRect, but: QWidget | None = None) -> bool:
        """Whether a panel on screen (``but`` left out) stands where ``logical`` would be placed."""
        rect = self._mirrored(logical)
        return any(shown.intersects(rect) for shown in self.host.shown_rects(but))

    def place_notices(self) -> None:
        """The notification area where it keeps clear of the panels on screen, and on top of them."""
        keep_clear = self.host.shown_rects(but=self.toast)
        self.host.place(self.toast, self.toast.geometry_in(self.rect(), self.theme, keep_clear))
        if self.toast.isVisible():
            self.toast.raise_()

    def _apply_theme(self) -> None:
        sheet = self.theme.stylesheet()
        self.setStyleSheet(sheet)
        self.host.restyle(sheet)

    def relayout(self) -> None:
        self.surface.setGeometry(self.rect())
        theme = Theme.for_height(self.height())
        if theme != self.theme:
            self.theme = theme
            self._apply_theme()
        for screen in self.stack:
            self._fill_hint(screen)  # the language may have changed
            self._place(screen)
        self.place_notices()

    def resizeEvent(self, event: QResizeEvent | None) -> None:
        super().resizeEvent(event)
        self.relayout()

    def moveEvent(self, event: QMoveEvent | None) -> None:
        super().moveEvent(event)
        self.host.replace_all()

    def quit_app(self, restart: bool = False) -> None:
        """Close settop (Menu › Power); ``restart``: the app starts again once it has closed."""
        self.exit_code = self.RESTART if restart else 0
        self.close()

    def start(self, *, fullscreen: bool, geometry: bytes = b"") -> None:
        """Show the window at start: full screen or not as the caller says, the window's place from ``geometry``
        (``saveGeometry()`` of an earlier run; empty: 1280x720 in the middle of the screen)."""
        if geometry and self.restoreGeometry(QByteArray(geometry)):
            normal = self.normalGeometry()
            self._windowed_geometry = QRect(normal) if normal.isValid() else None
        if fullscreen:
            self.show_fullscreen()
        else:
            self.show_windowed()

    def toggle_fullscreen(self) -> None:
        if self.isFullScreen():
            self.show_windowed()
        else:
            self.show_fullscreen()

    def show_fullscreen(self) -> None:
        """Full screen, also where no window manager runs (a TV box's bare X): then the geometry does it.
        The window's place before is kept for :meth:`show_windowed`."""
        if not self.isFullScreen() and self.isVisible():
            self._windowed_geometry = QRect(self.geometry())
        screen = self.screen()
        if screen is not None:
            self.setGeometry(screen.geometry())
        self.showFullScreen()

    def show_windowed(self) -> None:
        """Leave full screen for the window as it was before, or (started full screen) a 1280x720 window in the
        middle of the screen: never a screen-sized window with its title bar above the top edge."""
        self.showNormal()
        geometry = self._windowed_geometry
        screen = self.screen()
        area = screen.availableGeometry() if screen is not None else QRect(0, 0, 1920, 1080)
        if geometry is None or geometry.width() >= area.width() or geometry.height() >= area.height():
            size = QSize(min(1280, area.width() * 2 // 3), min(720, area.height() * 2 // 3))
            geometry = QRect(area.x() + (area.width() - size.width()) // 2,
                             area.y() + (area.height() - size.height()) // 2, size.width(), size.height())
        self.setGeometry(geometry)

    def mousePressEvent(self, event: QMouseEvent | None) -> None:
        if event is not None and event.button() == Qt.MouseButton.RightButton:
            self.dispatch(Action.context_menu)  # the desktop's way to the options a long OK opens on a remote
            return
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent | None) -> None:
        self.toggle_fullscreen()

    def closeEvent(self, event: QCloseEvent | None) -> None:
        self.closing.emit()
        self.host.close_all()
        super().closeEvent(event)

    def screen_rect(self) -> QRect:
        return self.rect()
