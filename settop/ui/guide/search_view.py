"""Guide search (Blue in the guide): channels by name, programmes by title and description, and the library's films
and series by title, as one typed query.

Results come in groups: channels, on now, later, earlier (catch-up), movies, series. The programme search and the
title search each run on a worker thread of their own (``SearchRunner``), so a slow disk or a large library never
holds the GUI; typing faster than they answer only runs the latest text.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from PyQt6.QtCore import QRect, Qt, pyqtSignal
from PyQt6.QtGui import QColor, QPainter, QPaintEvent
from PyQt6.QtWidgets import QWidget

from settop.core.guide.search import SearchHit, SearchResults
from settop.core.models import Channel, Programme
from settop.core.sources.ondemand import Title
from settop.core.sources.title_search import TitleFinder, TitleHits
from settop.i18n import N_, _
from settop.input.buttons import Action, Context
from settop.ui.guide.info import clock
from settop.ui.guide.paint import day_label
from settop.ui.guide.search_runner import Search, SearchRunner
from settop.ui.screen import WINDOW_ACTIONS, ActionTable, Screen, run_action
from settop.ui.widgets import theme as th
from settop.ui.widgets.keyboard import SEARCH_LAYOUT, OnScreenKeyboard
from settop.ui.widgets.localefmt import isolate
from settop.ui.widgets.overlay import Panel

log = logging.getLogger("settop.ui.guide")

HINT = N_("▲▼ choose  ·  OK watch, replay or remind me  ·  Blue type  ·  Back close")
RECORD_HINT = N_("▲▼ choose  ·  OK watch, replay or remind me  ·  Record record  ·  Blue type  ·  Back close")
TITLES_HINT = N_("▲▼ choose  ·  OK watch, replay, remind me or open  ·  Blue type  ·  Back close")
RECORD_TITLES_HINT = N_(
    "▲▼ choose  ·  OK watch, replay, remind me or open  ·  Record record  ·  Blue type  ·  Back close")
TYPING_HINT = N_("Type with the keys  ·  Done or Blue: to the results  ·  Back close")
CHANNEL_RESULTS = 8

@dataclass(frozen=True, slots=True)
class ResultRow:
    """One line of the results: a group header, a channel (``index`` in the lineup), a programme on it, or a film or
    series of the library (``title``)."""

    label: str
    index: int = -1
    programme: Programme | None = None
    header: bool = False
    title: Title | None = None


class GuideSearchScreen(Panel, Screen):
    """The search panel over the guide (context ``keyboard`` while typing, then ``dialog``).

    channels(text) -> lineup indices of channels whose name matches; lookup(keys) -> (lineup index, channel) of
    the first key in the lineup; ``open_row(row)`` does what OK on a row does (the guide decides); earlier
    programmes are listed only where ``replayable(channel, programme)`` (catch-up); ``titles`` finds the library's
    films and series (none without it).
    Signals: ``close_requested``, ``results_shown`` after each answer is laid out (tests wait on it).
    """

    close_requested = pyqtSignal()
    results_shown = pyqtSignal()

    def __init__(self, search: Search, channels: Callable[[str], list[int]],
                 lookup: Callable[[tuple[str, ...]], tuple[int, Channel] | None],
                 describe: Callable[[int], str], open_row: Callable[[ResultRow], None], *,
                 lookup_channel: Callable[[int], Channel] | None = None,
                 replayable: Callable[[Channel, Programme], bool] = lambda _c, _p: True,
                 reminded: Callable[[Channel, Programme], bool] = lambda _c, _p: False,
                 recorded: Callable[[Channel, Programme], bool] = lambda _c, _p: False,
                 record_row: Callable[[ResultRow], None] | None = None,
                 titles: TitleFinder | None = None, clock_fn: Callable[[], float] = time.time,
                 parent: QWidget | None = None) -> None:
        super().__init__("SearchPanel", parent)
        self.channels = channels
        self.lookup = lookup
        self.describe = describe
        self.open_row = open_row
        self.replayable = replayable
        self.reminded = reminded
        self.recorded = recorded
        self.record_row = record_row  # the Record key on a programme to come or on now (the guide decides)
        self.lookup_channel: Callable[[int], Channel] = lookup_channel or (lambda _index: Channel("", "", ""))
        self.clock = clock_fn
        self.theme = th.Theme()
        self.rows: list[ResultRow] = []
        self.focus = 0
        self.top = 0
        self.results: SearchResults | None = None
        self.typing = True
        self.runner = SearchRunner(search, clock_fn, self)
        self.runner.finished.connect(self._show)
        self.titles = titles if titles is not None and len(titles) else None
        self.title_hits: TitleHits | None = None
        self.title_runner: SearchRunner | None = None
        if self.titles is not None:
            finder = self.titles
            self.title_runner = SearchRunner(lambda text, _now: finder.find(text), clock_fn, self, empty=TitleHits)
            self.title_runner.finished.connect(self._show_titles)
        self.keyboard = OnScreenKeyboard(SEARCH_LAYOUT, self)
        self.keyboard.text_changed.connect(self._typed)
        self.keyboard.accepted.connect(lambda _text: self._set_typing(False))

    @property
    def context(self) -> Context:  # type: ignore[override]
        return Context.keyboard if self.typing else Context.dialog

    @property
    def text(self) -> str:
        return self.keyboard.text

    # -- typing and results ------------------------------------------------------------------------------------
    def _typed(self, text: str) -> None:
        if text.strip():
            self.runner.request(text)
            if self.title_runner is not None:
                self.title_runner.request(text)
        else:
            self.results = None
            self.title_hits = None
            self._layout_rows()

    def _show_titles(self, hits: TitleHits) -> None:
        if hits.query == self.text:
            self.title_hits = hits
            self._layout_rows()

    def _show(self, results: SearchResults) -> None:
        if results.query != self.text:
            return
        self.results = results
        self._layout_rows()
        log.debug("guide search %d results in %.1f ms", len(results), results.seconds * 1000)

    def _layout_rows(self) -> None:
        rows: list[ResultRow] = []
        text = self.text
        found = self.channels(text)[:CHANNEL_RESULTS] if text.strip() else []
        if found:
            rows.append(ResultRow(_("Channels"), header=True))
            rows += [ResultRow(self.describe(index), index) for index in found]
        results = self.results
        if results is not None and text.strip():
            for title, hits in ((N_("On now"), results.on_now), (N_("Later"), results.later),
                                (N_("Earlier (catch-up)"), results.earlier)):
                programme_rows = [row for row in map(self._programme_row, hits) if row is not None]
                if programme_rows:
                    rows.append(ResultRow(_(title), header=True))
                    rows += programme_rows
        titles = self.title_hits
        if titles is not None and titles.query == text and text.strip():
            for group, items in ((N_("Movies"), titles.movies), (N_("Series"), titles.series)):
                if items:
                    rows.append(ResultRow(_(group), header=True))
                    rows += [ResultRow(item.name, title=item) for item in items]
        self.rows = rows
        self.focus = next((i for i, row in enumerate(rows) if not row.header), 0)
        self.top = 0
        self.update()
        self.results_shown.emit()

    def _programme_row(self, hit: SearchHit) -> ResultRow | None:
        found = self.lookup(hit.keys)
        if found is None:
            return None
        index, channel = found
        if hit.programme.stop <= self.clock() and not self.replayable(channel, hit.programme):
            return None
        return ResultRow(hit.programme.title, index, hit.programme)

    def focused(self) -> ResultRow | None:
        row = self.rows[self.focus] if 0 <= self.focus < len(self.rows) else None
        return None if row is None or row.header else row

    def _set_typing(self, typing: bool) -> None:
        self.typing = typing
        if not typing and self.focused() is None:
            self.typing = True  # nothing to choose yet: stay on the keys
            return
        self.keyboard.setVisible(self.typing)
        self._place_keyboard()
        self.update()

    # -- actions -----------------------------------------------------------------------------------------------
    def accepts_text(self) -> bool:
        return True

    def handle_text(self, text: str) -> bool:
        if text == "\n":
            self._set_typing(False)
        else:
            self.keyboard.insert(text)
        return True

    def handle_action(self, action: Action) -> bool:
        if self.typing:
            used = run_action(self.typing_table, action) or self.keyboard.handle_action(action)
        else:
            used = run_action(self.results_table, action)
        # Modal: only volume, mute, full screen and quit reach the screens and the window below.
        return used or action not in WINDOW_ACTIONS

    @property
    def typing_table(self) -> ActionTable:
        return {
            Action.back: self.close_requested.emit,
            Action.blue: lambda: self._set_typing(False),
            Action.search: lambda: self._set_typing(False),
        }

    @property
    def results_table(self) -> ActionTable:
        page = self._visible()
        return {
            Action.back: self.close_requested.emit,
            Action.up: lambda: self._move(-1),
            Action.down: lambda: self._move(1),
            Action.page_up: lambda: self._move(-page),
            Action.page_down: lambda: self._move(page),
            Action.select: self._open_focused,
            Action.blue: lambda: self._set_typing(True),
            Action.search: lambda: self._set_typing(True),
            **({Action.record: self._record_focused} if self.record_row is not None else {}),
        }

    def _record_focused(self) -> None:
        row = self.focused()
        if row is not None and row.programme is not None and self.record_row is not None:
            self.record_row(row)
            self.update()

    def _open_focused(self) -> None:
        row = self.focused()
        if row is not None:
            self.open_row(row)

    def _move(self, step: int) -> None:
        choices = [i for i, row in enumerate(self.rows) if not row.header]
        if not choices:
            return
        position = choices.index(self.focus) if self.focus in choices else 0
        self.focus = choices[max(0, min(len(choices) - 1, position + step))]
        self.update()

    # -- look --------------------------------------------------------------------------------------------------
    def _row_height(self) -> int:
        return self.theme.px(60)

    def _results_rect(self) -> QRect:
        pad = self.theme.px(28)
        top = pad + self.theme.px(64) + self.theme.px(56)
        bottom = self.height() - pad - self.theme.px(44)
        if self.typing:
            bottom -= self.keyboard.sizeHint().height() + self.theme.px(16)
        return QRect(pad, top, self.width() - 2 * pad, max(0, bottom - top))

    def _visible(self) -> int:
        return max(1, self._results_rect().height() // self._row_height())

    def _place_keyboard(self) -> None:
        pad = self.theme.px(28)
        height = self.keyboard.sizeHint().height()
        self.keyboard.setGeometry(pad, self.height() - pad - self.theme.px(44) - height, self.width() - 2 * pad,
                                  height)

    def resizeEvent(self, event: object) -> None:
        self._place_keyboard()

    def paintEvent(self, event: QPaintEvent | None) -> None:
        theme = self.theme
        painter, _outline = th.begin_panel(self, theme, 255)  # opaque: the grid under it stays out of the way
        rtl = self.layoutDirection() == Qt.LayoutDirection.RightToLeft
        lead = Qt.AlignmentFlag.AlignLeft  # the painter turns it round in a right-to-left layout; rects are mirrored
        middle = Qt.AlignmentFlag.AlignVCenter
        pad = theme.px(28)
        width = self.width() - 2 * pad
        painter.setFont(theme.font("title", bold=True))
        painter.setPen(QColor("#ffffff"))
        painter.drawText(QRect(pad, pad, width, theme.px(56)), lead | middle, _("Search the guide"))
        painter.setFont(theme.font("body"))
        painter.setPen(th.ACCENT_LIGHT if self.typing else th.TEXT)
        typed = self.text + ("▏" if self.typing else "")
        painter.drawText(QRect(pad, pad + theme.px(64), width, theme.px(48)), lead | middle,
                         _("Search: {text}").format(text=isolate(typed)))
        area = self._results_rect()
        self._paint_rows(painter, area, rtl)
        painter.setFont(theme.font("small"))
        painter.setPen(th.TEXT_DIM)
        painter.drawText(QRect(pad, self.height() - pad - theme.px(40), width, theme.px(40)), lead | middle,
                         _(TYPING_HINT) if self.typing else _(self._results_hint()))
        painter.end()

    def _results_hint(self) -> str:
        """The hint under the results: Record where recording is wired, "open" where films and series are found."""
        if self.titles is None:
            return RECORD_HINT if self.record_row is not None else HINT
        return RECORD_TITLES_HINT if self.record_row is not None else TITLES_HINT

    def _message(self) -> str:
        results = self.results
        if not self.text.strip():
            if self.titles is not None:
                return _("Type a programme title, a word of its description, a channel name, a film or a series")
            return _("Type a programme title, a word of its description or a channel name")
        if results is None and not self.rows:
            return _("Searching…")
        if results is None:
            return ""
        if not self.rows:
            if results.indexing:
                return _("The guide is still being prepared for search; try again in a moment")
            return _("Nothing matches “{text}”").format(text=isolate(self.text.strip()))
        return _("Some guides are still being prepared for search") if results.indexing else ""

    def _paint_rows(self, painter: QPainter, area: QRect, rtl: bool) -> None:
        theme = self.theme
        row_h = self._row_height()
        lead, trail = Qt.AlignmentFlag.AlignLeft, Qt.AlignmentFlag.AlignRight  # turned round by the painter in RTL
        middle = Qt.AlignmentFlag.AlignVCenter
        message = self._message()
        if message:
            painter.setFont(theme.font("body"))
            painter.setPen(th.TEXT_DIM)
            painter.drawText(QRect(area.x(), area.y(), area.width(), row_h), lead | middle, message)
            area = area.adjusted(0, row_h, 0, 0)
        visible = max(1, area.height() // row_h)
        if self.focus < self.top:
            self.top = max(0, self.focus - 1 if self.focus and self.rows[self.focus - 1].header else self.focus)
        elif self.focus >= self.top + visible:
            self.top = self.focus - visible + 1
        now = self.clock()
        time_w = theme.px(330)
        channel_w = round(area.width() * 0.3)
        for offset, row in enumerate(self.rows[self.top : self.top + visible]):
            rect = QRect(area.x(), area.y() + offset * row_h, area.width(), row_h)
            if row.header:
                painter.setFont(theme.font("small", bold=True))
                painter.setPen(th.TEXT_DIM)
                painter.drawText(rect.adjusted(theme.px(12), 0, -theme.px(12), 0),
                                 lead | Qt.AlignmentFlag.AlignBottom, row.label.upper())
                continue
            focused = self.top + offset == self.focus and not self.typing
            if focused:
                th.paint_focus(painter, rect, theme)
            inner = rect.adjusted(theme.px(16), 0, -theme.px(16), 0)
            painter.setFont(theme.font("body", bold=focused))
            painter.setPen(QColor("#ffffff") if focused else th.TEXT)
            if row.title is not None:
                self._paint_title(painter, inner, row.title, focused)
                continue
            if row.programme is None:
                painter.drawText(inner, lead | middle, isolate(row.label))
                continue
            programme = row.programme
            when = f"{day_label(programme.start, now)} {clock(programme.start)}–{clock(programme.stop)}"
            time_rect = QRect(inner.right() - time_w, inner.y(), time_w, row_h) if rtl else \
                QRect(inner.x(), inner.y(), time_w, row_h)
            channel_rect = QRect(inner.x(), inner.y(), channel_w, row_h) if rtl else \
                QRect(inner.right() - channel_w, inner.y(), channel_w, row_h)
            title_rect = QRect(inner.x() + channel_w + theme.px(16), inner.y(),
                               inner.width() - time_w - channel_w - theme.px(32), row_h) if rtl else \
                QRect(inner.x() + time_w + theme.px(16), inner.y(), inner.width() - time_w - channel_w - theme.px(32),
                      row_h)
            metrics = painter.fontMetrics()
            if self.reminded(self.lookup_channel(row.index), programme):
                when = "● " + when
            if self.recorded(self.lookup_channel(row.index), programme):
                when = _("REC") + " " + when
            painter.drawText(time_rect, lead | middle, when)
            painter.drawText(title_rect, lead | middle,
                             metrics.elidedText(isolate(row.label), Qt.TextElideMode.ElideRight, title_rect.width()))
            painter.setPen(th.TEXT_DIM if not focused else QColor("#ffffff"))
            painter.drawText(channel_rect, trail | middle,
                             metrics.elidedText(isolate(self.describe(row.index)), Qt.TextElideMode.ElideRight,
                                                channel_rect.width()))

    def _paint_title(self, painter: QPainter, rect: QRect, title: Title, focused: bool) -> None:
        """A film or series row: its name, then its year and category on the trailing side."""
        lead, trail = Qt.AlignmentFlag.AlignLeft, Qt.AlignmentFlag.AlignRight
        middle = Qt.AlignmentFlag.AlignVCenter
        about = "  ·  ".join(isolate(part) for part in (title.year, title.category) if part)
        about_w = min(round(rect.width() * 0.4), painter.fontMetrics().horizontalAdvance(about) + self.theme.px(8))
        name_rect = rect.adjusted(0, 0, -about_w - self.theme.px(16), 0)
        if self.layoutDirection() == Qt.LayoutDirection.RightToLeft:
            name_rect = rect.adjusted(about_w + self.theme.px(16), 0, 0, 0)
        metrics = painter.fontMetrics()
        painter.drawText(name_rect, lead | middle,
                         metrics.elidedText(isolate(title.name), Qt.TextElideMode.ElideRight, name_rect.width()))
        painter.setPen(QColor("#ffffff") if focused else th.TEXT_DIM)
        painter.drawText(rect, trail | middle, metrics.elidedText(about, Qt.TextElideMode.ElideRight, about_w))

    def geometry_for(self, rect: QRect, theme: th.Theme) -> list[tuple[QWidget, QRect]]:
        self.theme = theme
        self.keyboard.set_theme(theme)
        safe = theme.safe_rect(rect.width(), rect.height())
        return [(self, safe)]

    def opened(self) -> None:
        self._place_keyboard()
        self.keyboard.show()
        if self.title_runner is not None and self.titles is not None:
            self.title_runner.warm(self.titles.prepare)  # the names fold while the viewer starts typing

    def closed(self) -> None:
        self.runner.shutdown()
        if self.title_runner is not None:
            self.title_runner.shutdown()
