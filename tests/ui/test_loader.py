"""A playlist load (first load through the cache, and a refresh parsed in Python) leaves the interpreter as it
found it: collector state, GIL switch interval, frozen objects (settop.core.runtime)."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import pytest

from settop.core.sources.loaded import load_all
from settop.core.state.settings import PlaylistSource
from tests.ui.conftest import SMALL


@pytest.mark.parametrize("collector", [True, False], ids=["collector-on", "collector-off"])
def test_a_load_leaves_the_interpreter_as_found(tmp_path: Path, settop_home: Path, collector: bool) -> None:
    was = gc.isenabled()
    (gc.enable if collector else gc.disable)()
    try:
        before = (gc.isenabled(), sys.getswitchinterval(), gc.get_freeze_count())
        first, result = load_all((PlaylistSource(str(SMALL)),))
        assert first.lineup is not None and len(first.lineup) > 0
        assert (gc.isenabled(), sys.getswitchinterval(), gc.get_freeze_count()) == before
        changed = tmp_path / "changed.m3u"
        changed.write_text(SMALL.read_text() + "#EXTINF:-1,Extra\nhttp://127.0.0.1:9/extra\n")
        refresh, refreshed = load_all((PlaylistSource(str(changed)),), result.contents)
        assert refresh.lineup is not None and refreshed.refreshed  # parsed without the cache write
        assert (gc.isenabled(), sys.getswitchinterval(), gc.get_freeze_count()) == before
    finally:
        (gc.enable if was else gc.disable)()
