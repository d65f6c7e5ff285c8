"""Composition root: the one place that wires core, player, input and ui together.

PLACEHOLDER until the live-TV UI issue lands: it only says what is missing.
"""

from __future__ import annotations

import argparse
import sys


def run(args: argparse.Namespace) -> int:
    """Start the application; returns the exit code."""
    print("settop: the TV interface is not built yet; try 'settop inspect PLAYLIST'", file=sys.stderr)
    return 2
