"""Open an SQLite file only if it is ours: absent, empty, or stamped with our ``application_id``.

The store and the batch ledger each stamp their files with their own id (``PRAGMA
application_id``, which ``file(1)`` shows too). Anything else (another program's database, a
corrupt file, a text file under the wrong name) raises ``DatabaseError`` naming the file, and is
never written to: nothing here writes at all.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from planscan.errors import DatabaseError

SQLITE_MAGIC = b"SQLite format 3\x00"


def open_owned(path: Path, application_id: int, *, remedy: str, timeout: float = 30.0) -> tuple[sqlite3.Connection, bool]:
    """A connection to ``path`` (autocommit) and whether the database is new (no tables yet).

    ``remedy`` ends every error message: what the user should do, e.g. "pass another --db".
    """
    path = Path(path)
    if path.is_dir():
        raise DatabaseError(f"{path}: is a folder, not a database file; {remedy}")
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        head = b""
    except OSError as e:
        raise DatabaseError(f"{path}: cannot be read ({e.strerror}); check its permissions") from e
    if head and head != SQLITE_MAGIC:
        raise DatabaseError(
            f"{path}: is not an SQLite database (corrupt or another kind of file); it was left untouched, {remedy}"
        )
    try:
        conn = sqlite3.connect(str(path), timeout=timeout, isolation_level=None)
    except sqlite3.Error as e:
        raise DatabaseError(f"{path}: cannot be opened ({e}); check the path and permissions") from e
    try:
        # one read transaction: another process creating the file may commit between two bare
        # reads, and its tables without its id would look like another program's database
        conn.execute("BEGIN")
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        finally:
            conn.execute("COMMIT")
    except sqlite3.DatabaseError as e:
        conn.close()
        raise DatabaseError(f"{path}: is not a readable SQLite database ({e}); it was left untouched, {remedy}") from e
    if app_id != application_id and (app_id != 0 or tables):
        conn.close()
        raise DatabaseError(f"{path}: is an SQLite database of another program; it was left untouched, {remedy}")
    return conn, app_id == 0 and not tables
