"""settop: a remote-first IPTV player for TV boxes and desktops."""

__version__ = "0.1.0"
