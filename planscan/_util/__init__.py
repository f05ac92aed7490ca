"""Helpers every stage may use: atomic writes, text input, the cache folder, owned SQLite files."""
