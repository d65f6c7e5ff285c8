"""The Movies and Series screens wired together: the library of the loaded source, the poster cache, the detail
pages, on-demand playback with resume points in ``state.db``, and live TV back when the library closes."""

from __future__ import annotations

import logging
from typing import Any

from PyQt6.QtCore import QObject, pyqtSignal
from PyQt6.QtGui import QPixmap

from settop.core.sources.library_index import LibraryIndex
from settop.core.sources.ondemand import Library, Title
from settop.core.sources.ondemand_details import DetailsSource, details_source
from settop.core.sources.title_search import TitleFinder
from settop.core.state.resume import ResumePoint
from settop.core.state.settings import PlaylistSource
from settop.i18n import _
from settop.ui.library.detail import DetailScreen
from settop.ui.library.playback import VodItem, VodScreen
from settop.ui.library.screen import LibraryScreen

log = logging.getLogger("settop.ui.library")


class LibraryController(QObject):
    """Opens the library screens. ``window``: MainWindow; ``live``: LiveScreen; ``state``: StateStore;
    ``logos``: the UI's LogoCache (posters share it). Signal ``screen_changed`` after each open/close (tests)."""

    screen_changed = pyqtSignal()

    def __init__(self, window: Any, live: Any, player: Any, state: Any, logos: Any, *,
                 lock: Any = None) -> None:
        super().__init__(window)
        self.lock = lock  # Parental: a locked group name locks the film or series category of that name too
        self.window = window
        self.live = live
        self.player = player
        self.state = state
        self.logos = logos
        self.library = Library()
        self.finder = TitleFinder((), ())  # films and series by title for the guide's search
        self.details: DetailsSource = details_source(())
        self._indexes: dict[str, LibraryIndex] = {}
        self.screens: dict[str, LibraryScreen] = {}
        self.detail: DetailScreen | None = None
        self.vod = VodScreen(window, player, self._save,
                             local_ok=lambda: live.lineup is not None and live.lineup.local_ok)
        self.vod.finished.connect(self._vod_finished)
        self._played = False
        self._hidden: list[Any] = []  # the library screens stepped aside while a title plays
        self._points: dict[str, ResumePoint] | None = None  # state.db's resume points, read once
        logos.changed.connect(self._poster_arrived)

    def set_library(self, library: Library, sources: tuple[PlaylistSource, ...]) -> None:
        """Sources loaded: their films and series (open screens show the new titles at once)."""
        self.library = library
        self.finder = TitleFinder(library.movies, library.series)
        self.details = details_source(sources)
        self._indexes.clear()
        for kind, screen in self.screens.items():  # an open screen stays open on the new titles (a refresh)
            screen.index = self.index(kind)
            screen.refresh()

    def index(self, kind: str) -> LibraryIndex:
        found = self._indexes.get(kind)
        if found is None:
            found = self._indexes[kind] = LibraryIndex(self.library, kind)
        return found

    # -- screens -------------------------------------------------------------------------------------------------
    def open(self, kind: str) -> LibraryScreen:
        """Open ``movie`` or ``series``."""
        screen = self.screens.get(kind)
        if screen is None:
            index = self.index(kind)
            screen = LibraryScreen(index, self._poster, self._progress,
                                   lambda: self.index(kind).continue_watching(list(self.points().values())))
            screen.close_requested.connect(lambda: self._close(screen))
            screen.opened_title.connect(self.open_title)
            screen.search_requested.connect(lambda: self._ask_search(screen))
            self.screens[kind] = screen
        else:
            screen.refresh()
        if not self.window.has(screen):
            self.window.push(screen)
        self.screen_changed.emit()
        return screen

    def open_movies(self) -> LibraryScreen:
        return self.open("movie")

    def open_series(self) -> LibraryScreen:
        return self.open("series")

    def _ask_search(self, screen: LibraryScreen) -> None:
        from settop.ui.welcome import TextEntryScreen

        title = _("Search films") if screen.index.kind == "movie" else _("Search series")
        entry = TextEntryScreen(title, screen.show_search, initial=screen.query)
        entry.close_requested.connect(lambda: self.window.pop(entry))
        self.window.push(entry)

    def categories(self) -> list[str]:
        """Every film and series category (for the parental lock's list of groups)."""
        return list(dict.fromkeys([*self.index("movie").categories, *self.index("series").categories]))

    def open_title(self, title: Title) -> DetailScreen | None:
        """The detail page of ``title``; None while the PIN of its locked category is asked (it opens after)."""
        if self.lock is not None and not self.lock.gate_group(title.category, lambda: self.open_title(title)):
            return None
        if self.detail is not None:
            self.window.pop(self.detail)
        detail = DetailScreen(title, self.details, self._poster, resume_of=self.resume_of, play=self.play)
        detail.close_requested.connect(lambda: self._close(detail))
        self.detail = detail
        self.window.push(detail)
        self.screen_changed.emit()
        return detail

    def play(self, item: VodItem) -> None:
        """Play ``item`` full screen: the library screens step aside (they come back when playback stops)."""
        refusal = self.live.stream_refused(item.url)
        if refusal:  # the provider has no connection left
            self.window.notify(refusal, 6)
            return
        self._played = True
        if not self._hidden:
            self._hidden = [s for s in (*self.screens.values(), self.detail) if s is not None and self.window.has(s)]
            for screen in self._hidden:
                self.window.pop(screen)
        self.vod.play(item)
        if not self.window.has(self.vod):
            self.window.push(self.vod)
        self.screen_changed.emit()

    def _close(self, screen: Any) -> None:
        self.window.pop(screen)
        if screen is self.detail:
            self.detail = None
            for open_screen in self.screens.values():
                open_screen.refresh()
        if self._played and not any(self.window.has(s) for s in (*self.screens.values(), self.detail)):
            self._back_to_live()
        self.screen_changed.emit()

    def _vod_finished(self) -> None:
        self.window.pop(self.vod)
        hidden, self._hidden = self._hidden, []
        for screen in hidden:
            if isinstance(screen, LibraryScreen):
                screen.refresh()
            self.window.push(screen)
        if not hidden:
            self._back_to_live()
        self.screen_changed.emit()

    def _back_to_live(self) -> None:
        """The library closed after playing something: the live channel comes back."""
        self._played = False
        live = self.live
        index = live.current
        live.current = None  # make tune() start the live stream even though the channel is the same
        if index is not None:
            live.tune(index)

    # -- data ------------------------------------------------------------------------------------------------------
    def points(self) -> dict[str, ResumePoint]:
        """Every resume point by key (read from state.db once; kept current by :meth:`_save`)."""
        if self._points is None:
            self._points = {point.key: point for point in self.state.resume_points()}
        return self._points

    def resume_of(self, key: str) -> ResumePoint | None:
        return self.points().get(key)

    def _save(self, point: ResumePoint) -> None:
        self.points()[point.key] = point
        try:
            self.state.save_resume(point)
        except Exception as exc:  # a full disk must not stop the film
            log.warning("resume position not saved: %s", exc)

    def _poster(self, url: str) -> QPixmap | None:
        pixmap: QPixmap | None = self.logos.pixmap(url)
        return pixmap

    def _progress(self, key: str) -> float:
        point = self.points().get(key)
        return 0.0 if point is None or point.watched else point.fraction

    def _poster_arrived(self, _url: str) -> None:
        for screen in self.screens.values():
            if screen.isVisible():
                screen.grid.update()
        if self.detail is not None and self.detail.isVisible():
            self.detail.update()
