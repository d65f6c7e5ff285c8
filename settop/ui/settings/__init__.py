"""The settings screen and its pages: rows built from declared settings, sources and offsets."""
