"""The batch ledger: SQLite in OUTDIR, written only by the coordinating process.

A file is keyed by (relative path, content hash, settings hash). A re-run skips a file whose key is
recorded as finished and whose outputs are all still there. Writes go through WAL, so a ``kill -9``
loses at most the result being committed, and that file is simply redone; the outputs it may
already have written are whole files (temp + rename), so redoing it is safe.
"""

from __future__ import annotations

import functools
import json
import os
import sqlite3
import time
from pathlib import Path

from planscan._util.owned_sqlite import open_owned
from planscan.batch.result import FileResult
from planscan.errors import DatabaseError, OutputError, PlanscanError

LEDGER_NAME = "planscan-ledger.sqlite"
# "PSBL" (planscan batch ledger) as a 32-bit int, so a foreign SQLite file is recognised as such.
APPLICATION_ID = 0x5053424C
SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    rel TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    settings TEXT NOT NULL,
    status TEXT NOT NULL,           -- done | partial | failed | running
    pages INTEGER NOT NULL DEFAULT 0,
    failed_pages INTEGER NOT NULL DEFAULT 0,
    figures INTEGER NOT NULL DEFAULT 0,
    seconds REAL NOT NULL DEFAULT 0,
    error TEXT,
    exit_code INTEGER NOT NULL DEFAULT 0,
    outputs TEXT NOT NULL DEFAULT '[]',
    peak_rss_mb REAL,
    attempts INTEGER NOT NULL DEFAULT 0,
    updated REAL NOT NULL,
    PRIMARY KEY (rel, sha256, settings)
);
-- Hashing thousands of large scans on every re-run would dominate a resumed batch, so the hash of
-- a file is reused while its size and modification time are unchanged.
CREATE TABLE IF NOT EXISTS hashes (
    rel TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    sha256 TEXT NOT NULL
);
"""


# SQLite's own codes for "the disk cannot take it": a file-access failure (exit 5), not a bad ledger.
_NO_ROOM = {sqlite3.SQLITE_FULL, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_IOERR,
            sqlite3.SQLITE_PERM}


def _ledger_error(path: Path, e: sqlite3.Error, damaged: str) -> PlanscanError:
    if (getattr(e, "sqlite_errorcode", 0) or 0) & 0xFF in _NO_ROOM:
        return OutputError(f"{path}: the batch ledger cannot be written ({e}); free disk space or make the"
                           " output folder writable, then run again (finished outputs are kept)")
    return DatabaseError(f"{path}: {damaged} ({e}); move it away to start the batch afresh")


def _guarded(method):
    """A full disk or a ledger damaged mid-run becomes one line that names the file."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as e:
            raise _ledger_error(self.path, e, "the batch ledger cannot be used") from e

    return wrapper


class Ledger:
    def __init__(self, outdir: Path):
        self.path = outdir / LEDGER_NAME
        try:
            outdir.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise DatabaseError(f"{self.path}: cannot be opened ({e.strerror}); check the output folder") from e
        self.db, new = open_owned(self.path, APPLICATION_ID, remedy="move it away to start the batch afresh")
        try:
            self._init(new)
        except sqlite3.DatabaseError as e:
            self.db.close()
            raise _ledger_error(self.path, e, "not a planscan batch ledger or corrupt") from e

    def _init(self, new: bool) -> None:
        if new:
            # Stamped before anything else, so a ledger cut short while being made is still ours.
            self.db.execute(f"PRAGMA application_id={APPLICATION_ID}")
        # WAL + NORMAL: a crash of the process never corrupts the file; a power cut can lose the
        # last few commits, which only means those files are done again.
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(_SCHEMA)
        self.db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    def close(self) -> None:
        self.db.close()

    # --- content hashes -------------------------------------------------------------------
    @_guarded
    def cached_hash(self, rel: str, size: int, mtime_ns: int) -> str | None:
        row = self.db.execute(
            "SELECT sha256 FROM hashes WHERE rel=? AND size=? AND mtime_ns=?", (rel, size, mtime_ns)
        ).fetchone()
        return row[0] if row else None

    @_guarded
    def store_hashes(self, items: list[tuple[str, int, int, str]]) -> None:
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO hashes VALUES (?,?,?,?)", items)

    # --- file results ---------------------------------------------------------------------
    @_guarded
    def get(self, rel: str, sha256: str, settings: str) -> FileResult | None:
        """The recorded result for (rel, sha256, settings); None if there is none, or if the file was
        still running when its batch stopped or was interrupted."""
        row = self.db.execute(
            "SELECT status, pages, failed_pages, figures, seconds, error, exit_code, outputs, peak_rss_mb"
            " FROM files WHERE rel=? AND sha256=? AND settings=? AND status NOT IN ('running', 'interrupted')",
            (rel, sha256, settings),
        ).fetchone()
        if row is None:
            return None
        status, pages, failed_pages, figures, seconds, error, exit_code, outputs, peak = row
        return FileResult(rel=rel, status=status, pages=pages, failed_pages=failed_pages, figures=figures,
                          seconds=seconds, error=error, exit_code=exit_code, outputs=json.loads(outputs),
                          peak_rss_mb=peak)

    @_guarded
    def mark_running(self, keys: list[tuple[str, str, str]]) -> None:
        """(rel, sha256, settings) of files handed to workers, so a file in flight when the
        coordinator died shows up as interrupted; one transaction for the lot."""
        now = time.time()
        with self.db:
            self.db.executemany(
                "INSERT INTO files (rel, sha256, settings, status, updated) VALUES (?,?,?,'running',?)"
                " ON CONFLICT(rel, sha256, settings) DO UPDATE SET status='running', updated=excluded.updated",
                [(*k, now) for k in keys],
            )

    @_guarded
    def mark_interrupted(self, keys: list[tuple[str, str, str]]) -> None:
        """(rel, sha256, settings) of files that were still in flight when the batch was stopped:
        recorded as not done (their outputs, if any, are redone by the next run)."""
        with self.db:
            self.db.executemany(
                "UPDATE files SET status='interrupted', updated=? WHERE rel=? AND sha256=? AND settings=?",
                [(time.time(), *k) for k in keys],
            )

    @_guarded
    def record(self, rel: str, sha256: str, settings: str, result: FileResult) -> None:
        """Store a worker's result for (rel, sha256, settings); recording the same key again counts an attempt."""
        r = result
        with self.db:
            self.db.execute(
                "INSERT INTO files (rel, sha256, settings, status, pages, failed_pages, figures, seconds, error,"
                " exit_code, outputs, peak_rss_mb, attempts, updated) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,1,?)"
                " ON CONFLICT(rel, sha256, settings) DO UPDATE SET status=excluded.status, pages=excluded.pages,"
                " failed_pages=excluded.failed_pages, figures=excluded.figures, seconds=excluded.seconds,"
                " error=excluded.error, exit_code=excluded.exit_code, outputs=excluded.outputs,"
                " peak_rss_mb=excluded.peak_rss_mb,"
                " attempts=files.attempts+1, updated=excluded.updated",
                (rel, sha256, settings, r.status, r.pages, r.failed_pages, r.figures, r.seconds, r.error,
                 r.exit_code, json.dumps(r.outputs), r.peak_rss_mb, time.time()),
            )


def file_identity(path: Path) -> tuple[int, int]:
    st = os.stat(path)
    return st.st_size, st.st_mtime_ns
