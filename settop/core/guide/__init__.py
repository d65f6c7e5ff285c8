"""The guide: the streaming XMLTV reader, the SQLite guide store, ingest and channel matching."""
