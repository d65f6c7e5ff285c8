"""Everything PyQt6: main window, screens, overlays, video surface and the thread bridge."""
