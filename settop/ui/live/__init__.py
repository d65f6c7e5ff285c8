"""Live TV on screen: zapping, number entry, the banner and other OSD panels, the channel list."""
