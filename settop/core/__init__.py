"""Pure-Python core: models, parsers, guide store, fetcher, state and settings (no Qt, no vlc)."""
