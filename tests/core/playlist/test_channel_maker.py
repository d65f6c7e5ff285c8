"""The fast Channel maker (a mutable shell that takes Channel's class) builds exactly what ``Channel(...)`` builds."""

from __future__ import annotations

import dataclasses
import inspect

import pytest

from settop.core.models import Catchup, Channel
from settop.core.playlist import channel as channel_module
from settop.core.playlist.channel import CHANNEL_FIELDS, make_channel

VALUES = ("k", "n", "http://h/s", "id", "tvg", "logo", ("g1", "g2"), 5, 1, True, 1.5, Catchup("shift", 2),
          (("User-Agent", "x"),), ("network-caching=1000",), (("p", "v"),), (("a", "b"),), True, 7)


def test_the_fast_maker_is_in_use() -> None:
    """A silent fall-back to ``Channel`` would cost every parse and cached load (docs/performance.md)."""
    assert make_channel is channel_module._make_via_shell


def test_channel_has_no_post_init() -> None:
    """The shell never runs Channel's ``__init__``: a ``__post_init__`` would silently not run for parsed
    channels. Give the maker the same work (or drop the shell) before adding one."""
    assert not hasattr(Channel, "__post_init__")


def test_the_maker_fills_every_field_in_order() -> None:
    """Channel gaining, losing or re-ordering a field must change the maker too."""
    assert tuple(inspect.signature(channel_module._make_via_shell).parameters) == CHANNEL_FIELDS
    assert tuple(f.name for f in dataclasses.fields(Channel)) == CHANNEL_FIELDS
    assert channel_module._ChannelShell.__slots__ == Channel.__slots__
    assert len(VALUES) == len(CHANNEL_FIELDS)


def test_made_channels_equal_constructed_ones() -> None:
    made, built = make_channel(*VALUES), Channel(*VALUES)
    assert type(made) is Channel
    assert made == built and hash(made) == hash(built)
    for name in CHANNEL_FIELDS:
        assert getattr(made, name) == getattr(built, name)
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.name = "changed"  # type: ignore[misc]
    assert dataclasses.replace(made, name="other").name == "other"
