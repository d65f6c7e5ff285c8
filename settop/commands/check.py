"""`settop check` (placeholder until its issue lands)."""

from __future__ import annotations

import argparse
import sys


def run(args: argparse.Namespace) -> int:
    """Run the sub-command; returns the exit code."""
    print("settop check: not built yet", file=sys.stderr)
    return 2
