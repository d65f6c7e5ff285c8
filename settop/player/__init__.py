"""Playback: the Player protocol and its libVLC implementation."""
