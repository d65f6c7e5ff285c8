"""`settop inspect` (placeholder until its issue lands)."""

from __future__ import annotations

import argparse
import sys


def run(args: argparse.Namespace) -> int:
    """Run the sub-command; returns the exit code."""
    print("settop inspect: not built yet", file=sys.stderr)
    return 2
