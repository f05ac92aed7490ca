"""Reading and writing records: JSON Lines, CSV, XLSX, diff renderers, the SQLite store, series."""
