"""Library UI benchmark (issue 15): the Movies screen with 50,000 titles; first paint and page moves.

``python -m bench.library`` (offscreen Qt). Targets: opening the movie grid to its first paint < 200 ms (building the
index of 50,000 titles included, as after a load), a page move (P-) < 50 ms. Times include painting the screen once
(``QWidget.grab``), as the window would; posters are placeholders (no network).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
TITLES = 50_000
CATEGORIES = 40


def library(count: int) -> object:
    from settop.core.sources.ondemand import Category, Library, Title

    categories = tuple(Category(str(n), f"Category {n}") for n in range(CATEGORIES))
    movies = tuple(Title(key=f"xc:bench:movie:{n}", kind="movie", name=f"Film number {n}",
                         category=categories[n % CATEGORIES].name, poster=f"http://127.0.0.1:9/p/{n}.jpg",
                         url=f"http://127.0.0.1:9/movie/u/p/{n}.mp4", item_id=str(n)) for n in range(count))
    return Library(categories, movies)


def main() -> int:
    from PyQt6.QtWidgets import QApplication, QWidget

    from settop import app as app_module
    from settop.core.state.settings import Settings
    from settop.core.state.store import StateStore
    from settop.input.buttons import Action
    from settop.input.keymap import Keymap
    from tests.ui.fakes import FakeBridge, FakePlayer

    qt = QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory(prefix="settop-bench-") as tmp:
        os.environ["SETTOP_HOME"] = str(Path(tmp) / "home")
        settings, _ = Settings.load()
        keymap, _ = Keymap.load()
        player = FakePlayer()
        app = app_module.compose(settings=settings, state=StateStore(), keymap=keymap, player=player,
                                 events=FakeBridge(player), surface=QWidget(), logos=lambda _u: None, file_roots=[])
        app.window.resize(1920, 1080)
        app.window.show()
        qt.processEvents()
        controller = app.library
        assert controller is not None
        titles = library(TITLES)
        opens = []
        for _ in range(5):
            controller.set_library(titles, ())  # type: ignore[arg-type]  # a fresh load: the index is built again
            t0 = time.perf_counter()
            screen = controller.open_movies()
            screen.grab()
            opens.append((time.perf_counter() - t0) * 1000)
            app.window.pop(screen)
        screen = controller.open_movies()
        screen.handle_action(Action.right)  # into the grid
        pages = []
        for _ in range(30):
            t0 = time.perf_counter()
            screen.handle_action(Action.page_down)
            screen.grab()
            pages.append((time.perf_counter() - t0) * 1000)
        load = os.getloadavg()[0]
        print(f"library: {TITLES:,} titles, load average {load:.2f}")
        print(f"  open to first paint: median {statistics.median(opens):.1f} ms, worst {max(opens):.1f} ms "
              f"(target < 200 ms)")
        print(f"  page move: median {statistics.median(pages):.1f} ms, worst {max(pages):.1f} ms (target < 50 ms)")
        ok = max(opens) < 200 and statistics.median(pages) < 50
        app.close()
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
