"""Command-line sub-commands (inspect, check, doctor); each module exposes run(args) -> int."""
