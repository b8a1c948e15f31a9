"""Storage: the database URL, the recorders that write events with their seals, every table, migration."""
