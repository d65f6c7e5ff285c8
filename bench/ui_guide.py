"""Guide UI benchmark (issue 7): a 1,000,000-programme store; grid open, page move, day change, list now/next.

``python -m bench.ui_guide`` (offscreen Qt). Targets: grid open < 200 ms, page move < 50 ms, day change < 100 ms,
list now/next refresh < 10 ms. Times include painting the grid once (``QWidget.grab``), as the screen would.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
CHANNELS, DAYS, PER_DAY = 2000, 10, 50  # 2000 x 500 = 1,000,000 programmes


def main() -> int:
    from PyQt6.QtWidgets import QApplication, QWidget

    from bench.guide import _channels, generate
    from settop import app as app_module
    from settop.core.guide.store import GuideStore
    from settop.core.models import Playlist
    from settop.core.playlist.lineup import Lineup
    from settop.core.state.settings import Settings
    from settop.core.state.store import StateStore
    from settop.input.buttons import Action
    from settop.input.keymap import Keymap
    from settop.ui.guide.info import GuideNowNext
    from tests.ui.fakes import FakeBridge, FakePlayer

    qt = QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory(prefix="settop-bench-") as tmp:
        folder = Path(tmp)
        os.environ["SETTOP_HOME"] = str(folder / "home")
        now = int(time.time())
        start = now - 3 * 86400
        began = time.perf_counter()
        guide, _playlist = generate(folder, CHANNELS, DAYS, PER_DAY, start - start % 86400)
        channels = _channels(CHANNELS)
        store = GuideStore(folder / "cache" / "guide.db", search_index=False)
        result = store.ingest("bench", guide, channels, window=(4 * 86400, 8 * 86400), now=now)
        print(f"setup: {result.programmes} programmes stored in {time.perf_counter() - began:.1f} s")
        settings, _ = Settings.load()
        keymap, _ = Keymap.load()
        player = FakePlayer()
        events = FakeBridge(player)
        app = app_module.compose(settings=settings, state=StateStore(), keymap=keymap, player=player, events=events,
                                 surface=QWidget(), guide=app_module.GuideSetup(store, refresh_on_load=False),
                                 logos=lambda _u: None, file_roots=[])
        app.window.resize(1920, 1080)
        app.window.show()
        qt.processEvents()
        app.live.set_lineup(Lineup(Playlist(channels=tuple(channels))))
        qt.processEvents()
        grid = app.grid
        assert grid is not None

        def timed(action: object) -> float:
            t0 = time.perf_counter()
            action()  # type: ignore[operator]
            grid.grid.grab()
            return (time.perf_counter() - t0) * 1000

        opens = []
        for _ in range(5):
            grid.model.invalidate()
            opens.append(timed(grid.open))
            grid.close()
        grid.open()
        pages = [timed(lambda: grid.handle_action(Action.page_down)) for _ in range(20)]
        days = [timed(lambda d=d: grid.handle_action(Action.yellow if d % 2 == 0 else Action.green)) for d in range(10)]
        source = app.live.now_next
        assert isinstance(source, GuideNowNext)
        visible = list(app.live.lineup.channels[:12])

        def rows() -> None:
            source.clear()
            for channel in visible:
                source(channel)

        lists = []
        for _ in range(20):
            t0 = time.perf_counter()
            rows()
            lists.append((time.perf_counter() - t0) * 1000)
        report = {
            "grid open": (statistics.median(opens), max(opens), 200),
            "page move": (statistics.median(pages), max(pages), 50),
            "day change": (statistics.median(days), max(days), 100),
            "list now/next (12 rows)": (statistics.median(lists), max(lists), 10),
        }
        failed = False
        for name, (median, worst, target) in report.items():
            ok = median < target
            failed |= not ok
            print(f"{name:26s} median {median:7.1f} ms  worst {worst:7.1f} ms  target < {target} ms  "
                  f"{'ok' if ok else 'MISSED'}")
        app.close()
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
