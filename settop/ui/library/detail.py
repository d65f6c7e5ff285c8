"""A title's detail page: poster, plot, year, genre, rating, duration, cast; Play / Resume / Start over for a film,
seasons and episodes for a series. The facts load on a worker (a provider's ``get_vod_info``/``get_series_info``).

Context ``library``: Left/Right choose a button (a season for series), Up/Down an episode, OK plays, Back closes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import cached_property

from PyQt6.QtCore import QObject, QRect, QRunnable, Qt, QThreadPool, pyqtSignal
from PyQt6.QtGui import QColor, QPainter, QPaintEvent, QPixmap
from PyQt6.QtWidgets import QWidget

from settop.core.sources.ondemand import Details, Episode, SeriesInfo, Title
from settop.core.sources.ondemand_details import DetailsSource
from settop.core.state.resume import ResumePoint
from settop.i18n import _, ngettext
from settop.input.buttons import Action, Context
from settop.ui.library.grid import paint_poster
from settop.ui.library.playback import VodItem, clock_text
from settop.ui.library.screen import BACKGROUND, paint_hint
from settop.ui.screen import ActionTable, Screen, run_action
from settop.ui.widgets import theme as th
from settop.ui.widgets.localefmt import bidi, digits, isolate
from settop.ui.widgets.overlay import Panel

log = logging.getLogger("settop.ui.library")
_A = Qt.AlignmentFlag


class _Signals(QObject):
    loaded = pyqtSignal(object, object)  # title, Details or SeriesInfo
    failed = pyqtSignal(object, str)


class _Load(QRunnable):
    def __init__(self, source: DetailsSource, title: Title, signals: _Signals) -> None:
        super().__init__()
        self.source, self.title, self.signals = source, title, signals

    def run(self) -> None:
        try:
            found: Details | SeriesInfo = (self.source.series(self.title) if self.title.kind == "series" and
                                           not self.title.url else self.source.details(self.title))
        except Exception as exc:  # every failure becomes words on the page
            log.info("details failed: %s", exc)
            self.signals.failed.emit(self.title, str(exc))
            return
        self.signals.loaded.emit(self.title, found)


def meta_line(title: Title, details: Details) -> str:
    """``2021 · Drama · ★ 7.5 · 1 h 52 min`` from what is known."""
    parts = [details.year or title.year, details.genre]
    rating = details.rating if details.rating is not None else title.rating
    if rating is not None:
        parts.append(f"★ {rating:g}")
    minutes = details.duration_s // 60
    if minutes:
        hours, rest = divmod(minutes, 60)
        parts.append(_("{h} h {m} min").format(h=hours, m=rest) if hours else
                     ngettext("{n} min", "{n} min", rest).format(n=rest))
    return digits("  ·  ".join(p for p in parts if p))


class DetailScreen(Panel, Screen):
    """The detail page of one title. ``play(VodItem)`` is asked for when OK chooses Play, Resume or an episode.

    resume_of(key): the saved point of a film or episode, or None.
    """

    context = Context.library
    covers_video = True
    close_requested = pyqtSignal()
    changed = pyqtSignal()

    def __init__(self, title: Title, source: DetailsSource, poster: Callable[[str], QPixmap | None], *,
                 resume_of: Callable[[str], ResumePoint | None], play: Callable[[VodItem], None],
                 parent: QWidget | None = None) -> None:
        super().__init__("LibraryPanel", parent)
        self.title = title
        self.poster = poster
        self.resume_of = resume_of
        self.play = play
        self.theme = th.Theme()
        self.details = Details(poster=title.poster)
        self.info: SeriesInfo | None = None
        self.message = _("Loading…")
        self.button = 0
        self.season = 0
        self.episode = 0
        self._signals = _Signals(self)
        self._signals.loaded.connect(self._loaded)
        self._signals.failed.connect(self._failed)
        QThreadPool.globalInstance().start(_Load(source, title, self._signals))  # type: ignore[union-attr]

    @property
    def is_series(self) -> bool:
        return self.title.kind == "series" and not self.title.url

    def _loaded(self, title: Title, found: Details | SeriesInfo) -> None:
        if isinstance(found, SeriesInfo):
            self.info = found
            self.details = found.details
            self.message = "" if found.seasons else _("No episodes yet")
            self._focus_resumed_episode()
        else:
            self.details = found
            self.message = ""
        self.update()
        self.changed.emit()

    def _failed(self, title: Title, message: str) -> None:
        self.message = message
        self.update()
        self.changed.emit()

    def _focus_resumed_episode(self) -> None:
        if self.info is None:
            return
        for s, season in enumerate(self.info.seasons):
            for e, episode in enumerate(season.episodes):
                point = self.resume_of(episode.key)
                if point is not None and point.resumable:
                    self.season, self.episode = s, e
                    return

    # -- buttons -------------------------------------------------------------------------------------------------
    def buttons(self) -> list[tuple[str, Callable[[], None]]]:
        """The film's buttons: Resume and Start over when a point is saved, else Play."""
        point = self.resume_of(self.title.key)
        if point is not None and point.resumable:
            return [(_("Resume from {time}").format(time=clock_text(point.position_ms)),
                     lambda: self._play_film(point.position_ms)),
                    (_("Start over"), lambda: self._play_film(0))]
        return [(_("Play"), lambda: self._play_film(0))]

    def _play_film(self, start_ms: int) -> None:
        self.play(VodItem(self.title.key, self.title.name, self.title.url, self.title.headers, start_ms))

    def episodes(self) -> tuple[Episode, ...]:
        if self.info is None or not self.info.seasons:
            return ()
        return self.info.seasons[self.season].episodes

    def item_for(self, episode: Episode, *, resume: bool = True) -> VodItem:
        point = self.resume_of(episode.key) if resume else None
        start = point.position_ms if point is not None and point.resumable else 0
        following = self.info.next_episode(episode.key) if self.info is not None else None
        upcoming = self.item_for(following, resume=False) if following is not None else None
        return VodItem(episode.key, f"{self.title.name} · {episode.title}", episode.url, self.title.headers, start,
                       upcoming)

    # -- keys ----------------------------------------------------------------------------------------------------
    @cached_property
    def action_table(self) -> ActionTable:
        return {
            Action.left: lambda: self._horizontal(-1),
            Action.right: lambda: self._horizontal(1),
            Action.up: lambda: self._vertical(-1),
            Action.down: lambda: self._vertical(1),
            Action.select: self._select,
            Action.play_pause: self._select,
            Action.back: self.close_requested.emit,
        }

    def handle_action(self, action: Action) -> bool:
        if run_action(self.action_table, action):
            self.update()
            self.changed.emit()
            return True
        return action not in (Action.volume_up, Action.volume_down, Action.mute, Action.quit, Action.fullscreen)

    def _horizontal(self, delta: int) -> None:
        forward = -delta if self.layoutDirection() == Qt.LayoutDirection.RightToLeft else delta
        if self.is_series:
            if self.info is not None and self.info.seasons:
                self.season = max(0, min(len(self.info.seasons) - 1, self.season + forward))
                self.episode = 0
        else:
            self.button = max(0, min(len(self.buttons()) - 1, self.button + forward))

    def _vertical(self, delta: int) -> None:
        if self.is_series:
            self.episode = max(0, min(len(self.episodes()) - 1, self.episode + delta))

    def _select(self) -> None:
        if self.is_series:
            episodes = self.episodes()
            if episodes:
                self.play(self.item_for(episodes[self.episode]))
            return
        buttons = self.buttons()
        buttons[min(self.button, len(buttons) - 1)][1]()

    # -- drawing ---------------------------------------------------------------------------------------------------
    def geometry_for(self, rect: QRect, theme: th.Theme) -> list[tuple[QWidget, QRect]]:
        self.theme = theme
        return [(self, rect)]

    def paintEvent(self, event: QPaintEvent | None) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        theme = self.theme
        painter.fillRect(self.rect(), BACKGROUND)
        safe = theme.safe_rect(self.width(), self.height())
        rtl = self.layoutDirection() == Qt.LayoutDirection.RightToLeft
        lead = _A.AlignLeft  # the leading edge: Qt mirrors it in right to left
        poster_w = theme.px(440)
        poster = QRect(safe.right() - poster_w if rtl else safe.x(), safe.y(), poster_w, round(poster_w * 1.5))
        url = self.details.poster or self.title.poster
        paint_poster(painter, poster, self.poster(url) if url else None, self.title.name, theme)
        gap = theme.px(48)
        text_x = safe.x() if rtl else poster.right() + gap
        width = safe.width() - poster_w - gap
        y = safe.y()

        def line(text: str, font: str, *, bold: bool = False, colour: QColor = th.TEXT, lines: int = 1) -> None:
            nonlocal y
            painter.setFont(theme.font(font, bold=bold))
            painter.setPen(colour)
            height = theme.line_height(font, bold) * lines
            flags = lead | _A.AlignTop | (Qt.TextFlag.TextWordWrap if lines > 1 else _A.AlignVCenter)
            painter.drawText(QRect(text_x, y, width, height), flags, bidi(text))
            y += height + theme.px(12)

        line(self.title.name, "title", bold=True)
        meta = meta_line(self.title, self.details)
        if meta:
            line(meta, "body", colour=th.TEXT_DIM)
        if self.details.cast:
            line(_("Cast: {names}").format(names=isolate(self.details.cast)), "small", colour=th.TEXT_DIM)
        if self.details.director:
            line(_("Director: {names}").format(names=isolate(self.details.director)), "small", colour=th.TEXT_DIM)
        if self.details.plot:
            line(self.details.plot, "body", lines=5)
        if self.message:
            line(self.message, "body", colour=th.WARNING if self.message != _("Loading…") else th.TEXT_DIM)
        if self.is_series:
            self._paint_episodes(painter, QRect(text_x, y, width, safe.bottom() - y - theme.px(60)), lead)
            hint = _("◀ ▶  season  ·  ▲▼  episode  ·  OK  play  ·  Back  close")
        else:
            self._paint_buttons(painter, QRect(text_x, y + theme.px(12), width, theme.px(80)), rtl)
            hint = _("◀ ▶  choose  ·  OK  play  ·  Back  close")
        paint_hint(painter, self, theme, hint)
        painter.end()

    def _paint_buttons(self, painter: QPainter, area: QRect, rtl: bool) -> None:
        theme = self.theme
        painter.setFont(theme.font("body", bold=True))
        x = area.right() if rtl else area.x()
        for index, (label, _run) in enumerate(self.buttons()):
            w = painter.fontMetrics().horizontalAdvance(label) + theme.px(64)
            rect = QRect(x - w if rtl else x, area.y(), w, area.height())
            if index == self.button:
                th.paint_focus(painter, rect, theme)
            else:
                painter.fillRect(rect.adjusted(2, 2, -2, -2), th.PANEL)
            painter.setPen(th.TEXT)
            painter.drawText(rect, _A.AlignCenter, bidi(label))
            x = x - w - theme.px(24) if rtl else x + w + theme.px(24)

    def _paint_episodes(self, painter: QPainter, area: QRect, lead: Qt.AlignmentFlag) -> None:
        theme = self.theme
        if self.info is None or not self.info.seasons:
            return
        season = self.info.seasons[self.season]
        painter.setFont(theme.font("body", bold=True))
        painter.setPen(th.ACCENT_LIGHT)
        head_h = theme.line_height("body", True) + theme.px(12)
        arrows = "◀  {name}  ▶" if len(self.info.seasons) > 1 else "{name}"
        painter.drawText(QRect(area.x(), area.y(), area.width(), head_h), lead | _A.AlignVCenter,
                         bidi(arrows.format(name=season.name)))
        row_h = theme.line_height("body") + theme.px(16)
        visible = max(1, (area.height() - head_h) // row_h)
        first = max(0, min(self.episode - visible // 2, len(season.episodes) - visible))
        painter.setFont(theme.font("body"))
        for index, episode in enumerate(season.episodes[first:first + visible], start=first):
            rect = QRect(area.x(), area.y() + head_h + (index - first) * row_h, area.width(), row_h)
            if index == self.episode:
                th.paint_focus(painter, rect, theme)
            point = self.resume_of(episode.key)
            mark = "✓ " if point is not None and point.watched else ""
            left = f" ({clock_text(point.position_ms)})" if point is not None and point.resumable else ""
            painter.setPen(th.TEXT)
            text = f"{mark}{isolate(digits(str(episode.number)))}  ·  {isolate(episode.title)}{left}"
            painter.drawText(rect.adjusted(theme.px(16), 0, -theme.px(16), 0), lead | _A.AlignVCenter, bidi(text))
