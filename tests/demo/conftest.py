"""Demo fixtures: the demo channels are made once per test session into a shared temporary cache."""

from __future__ import annotations

import shutil

import pytest

from settop.demo.assets import DemoAssets, make_demo


@pytest.fixture(scope="session")
def demo_assets(tmp_path_factory: pytest.TempPathFactory) -> DemoAssets:
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg is not installed")
    return make_demo(tmp_path_factory.mktemp("demo-cache"))
