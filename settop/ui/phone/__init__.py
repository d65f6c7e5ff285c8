"""The phone page: add a playlist or guide address (or upload an M3U file) from a phone on the same network."""
