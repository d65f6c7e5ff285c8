"""Bundled demo channels: self-made test patterns served on 127.0.0.1."""
