"""The demo: sample users, units observed over two years, and a history of decisions made
through the real services, for `make run` (never into a database with real work)."""
