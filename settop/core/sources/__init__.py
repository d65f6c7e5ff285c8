"""A viewer's sources of channels (M3U playlists, provider accounts) and their merge into one lineup."""
