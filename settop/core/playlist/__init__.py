"""Playlists: the M3U parser, channel building, catch-up URLs, the lineup and the parse cache."""
