"""The guide on screen: the grid, its painting and model, catch-up playback, matching and the guide service."""
