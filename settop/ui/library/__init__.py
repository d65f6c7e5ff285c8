"""The Movies and Series screens: poster grid, detail page, on-demand playback with a seek bar and resume."""
