"""What settop keeps: declared settings, remembered state (SQLite), file locations and atomic writes."""
