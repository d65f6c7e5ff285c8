"""Network: the one fetcher (timeouts, caps, redirects, cache), stream probing, logos and refresh timing."""
