"""SQLite store of ingested plans: documents, pages, sections and indicators with provenance.

One file, readable by sqlite3, Datasette or pandas (schema in README, "SQLite store"). Safe for
concurrent writers: WAL journal, a busy timeout, and one ``BEGIN IMMEDIATE`` transaction per
document, so a second process waits instead of failing and a crash leaves no half document.
Idempotent: a document whose content hash is already stored is skipped.

A file that is not a planscan store (another SQLite database, a corrupt file, anything else)
raises ``DatabaseError`` and is never written to.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from planscan._util.owned_sqlite import open_owned
from planscan.errors import DatabaseError
from planscan.schemas.records import Document, DocumentMeta, IndicatorRecord, Section

APPLICATION_ID = 0x706C6E73  # "plns": marks the file as a planscan store for `file` and for us
SCHEMA_VERSION = 1
BUSY_TIMEOUT_MS = 60_000

SCHEMA = """
CREATE TABLE IF NOT EXISTS planscan_info (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS documents (
    id            INTEGER PRIMARY KEY,
    sha256        TEXT NOT NULL UNIQUE,
    source        TEXT NOT NULL,
    input_kind    TEXT NOT NULL,
    ingested_at   TEXT NOT NULL,
    issuer        TEXT,
    parent_issuer TEXT,
    district      TEXT,
    province      TEXT,
    number        TEXT,
    code          TEXT,
    place         TEXT,
    date          TEXT,
    doc_type      TEXT,
    title         TEXT,
    plan_year     INTEGER,
    report_period TEXT,
    report_year   INTEGER,
    n_pages       INTEGER,
    n_indicators  INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS pages (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    number      INTEGER NOT NULL,
    source      TEXT,
    status      TEXT,
    error       TEXT,
    rotation    INTEGER,
    skew        REAL,
    text        TEXT NOT NULL,
    PRIMARY KEY (document_id, number)
);
CREATE TABLE IF NOT EXISTS sections (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    parent_id   INTEGER REFERENCES sections(id),
    path        TEXT NOT NULL,
    numbering   TEXT,
    style       TEXT,
    heading     TEXT,
    level       INTEGER,
    page_start  INTEGER,
    line_start  INTEGER,
    page_end    INTEGER,
    line_end    INTEGER,
    flags       TEXT
);
CREATE TABLE IF NOT EXISTS indicators (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    key         TEXT NOT NULL,
    indicator   TEXT NOT NULL,
    value       REAL NOT NULL,
    unit        TEXT NOT NULL,
    "of"        REAL,
    value_base  REAL,
    base_unit   TEXT,
    year        INTEGER,
    period      TEXT,
    period_type TEXT,
    kind        TEXT NOT NULL,
    vs_year     INTEGER,
    derived     INTEGER NOT NULL DEFAULT 0,
    section     TEXT,
    page        INTEGER,
    line        INTEGER,
    bbox        TEXT,
    text        TEXT,
    confidence  REAL
);
CREATE INDEX IF NOT EXISTS indicators_key ON indicators(key, year);
CREATE INDEX IF NOT EXISTS indicators_document ON indicators(document_id);
CREATE INDEX IF NOT EXISTS sections_document ON sections(document_id);
CREATE INDEX IF NOT EXISTS documents_district ON documents(district);
CREATE VIEW IF NOT EXISTS indicator_series AS
    SELECT i.key, i.indicator, d.district, d.province, i.year, i.period, i.period_type, i.kind,
           i.value, i.unit, i.value_base, i.base_unit, i.derived, i.page, i.line, i.text,
           d.id AS document_id, d.source, d.sha256, d.date AS document_date
    FROM indicators i JOIN documents d ON d.id = i.document_id;
"""


@dataclass
class IngestResult:
    document_id: int
    inserted: bool
    indicators: int
    sha256: str
    source: str


class Store:
    """An open planscan store. Use as a context manager, or call ``close()``."""

    def __init__(self, path: str | Path, create: bool = True):
        self.path = Path(path)
        if not create and not self.path.exists():
            raise DatabaseError(f"{self.path}: no such database; run planscan ingest first")
        self.conn, _new = open_owned(self.path, APPLICATION_ID, remedy="pass another --db",
                                     timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            self.conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            self._check_schema_version()
            self.conn.execute("PRAGMA foreign_keys=ON")
            if create:
                self._create()
        except sqlite3.DatabaseError as e:
            self.conn.close()
            raise DatabaseError(
                f"{self.path}: is not a readable planscan database ({e}); it was left untouched, pass another --db"
            ) from e
        except DatabaseError:
            self.conn.close()
            raise

    def _check_schema_version(self) -> None:
        tables = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table','view')")}
        if "planscan_info" in tables:
            row = self.conn.execute("SELECT value FROM planscan_info WHERE name='schema_version'").fetchone()
            if row and int(row[0]) > SCHEMA_VERSION:
                raise DatabaseError(
                    f"{self.path}: was written by a newer planscan (schema {row[0]}); upgrade planscan to read it"
                )

    def _create(self) -> None:
        if self.conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")  # durable enough in WAL mode, and much faster
        exists = self.conn.execute("SELECT 1 FROM sqlite_master WHERE name='planscan_info'").fetchone()
        if exists:
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            # another process may have created it while we waited for the lock: IF NOT EXISTS
            for stmt in SCHEMA.split(";"):
                if stmt.strip():
                    self.conn.execute(stmt)
            self.conn.execute(
                "INSERT OR IGNORE INTO planscan_info(name, value) VALUES ('schema_version', ?), ('created_by', 'planscan')",
                (str(SCHEMA_VERSION),),
            )
            self.conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
            self.conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- writing -------------------------------------------------------------------------------

    def add_document(
        self,
        records: list[IndicatorRecord],
        meta: DocumentMeta | None = None,
        doc: Document | None = None,
        sections: Section | None = None,
        source: str = "",
        sha256: str = "",
        input_kind: str = "records",
    ) -> IngestResult:
        """Store one document and everything extracted from it, in one transaction.

        ``sha256`` identifies the content; a document already stored under it is not stored again.
        """
        sha = sha256 or (doc.sha256 if doc else "") or (meta.sha256 if meta else "") or records_hash(records)
        source = source or (doc.source if doc else "") or (meta.source if meta else "")
        rows = list(records)
        c = self.conn
        try:
            c.execute("BEGIN IMMEDIATE")
            try:
                hit = c.execute("SELECT id, n_indicators FROM documents WHERE sha256=?", (sha,)).fetchone()
                if hit:
                    c.execute("COMMIT")
                    return IngestResult(hit[0], False, hit[1], sha, source)
                m = meta or DocumentMeta()
                cur = c.execute(
                    "INSERT INTO documents(sha256, source, input_kind, ingested_at, issuer, parent_issuer, district,"
                    " province, number, code, place, date, doc_type, title, plan_year, report_period, report_year,"
                    " n_pages, n_indicators) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (
                        sha, source, input_kind, _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
                        m.issuer, m.parent_issuer, m.district, m.province, m.number, m.code, m.place, m.date,
                        m.doc_type, m.title, m.plan_year, m.report_period, m.report_year,
                        len(doc.pages) if doc else None, len(rows),
                    ),
                )
                doc_id = cur.lastrowid
                if doc is not None:
                    c.executemany(
                        "INSERT INTO pages(document_id, number, source, status, error, rotation, skew, text)"
                        " VALUES (?,?,?,?,?,?,?,?)",
                        [(doc_id, p.number, p.source, p.status, p.error, p.rotation, p.skew, p.text) for p in doc.pages],
                    )
                if sections is not None:
                    self._add_sections(doc_id, sections)
                c.executemany(
                    'INSERT INTO indicators(document_id, key, indicator, value, unit, "of", value_base, base_unit,'
                    " year, period, period_type, kind, vs_year, derived, section, page, line, bbox, text, confidence)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    [
                        (
                            doc_id, r.key, r.indicator, r.value, r.unit, r.of, r.value_base, r.base_unit, r.year,
                            r.period, r.period_type, r.kind, r.vs_year, int(r.derived),
                            json.dumps(r.section, ensure_ascii=False) if r.section else None, r.page, r.line,
                            r.bbox.model_dump_json() if r.bbox else None, r.text, r.confidence,
                        )
                        for r in rows
                    ],
                )
                c.execute("COMMIT")
            except BaseException:
                c.execute("ROLLBACK")
                raise
        except sqlite3.DatabaseError as e:
            raise DatabaseError(f"{self.path}: writing failed ({e}); the database was rolled back, retry") from e
        return IngestResult(doc_id, True, len(rows), sha, source)

    def _add_sections(self, doc_id: int, root: Section) -> None:
        def walk(node: Section, parent: int | None) -> None:
            cur = self.conn.execute(
                "INSERT INTO sections(document_id, parent_id, path, numbering, style, heading, level, page_start,"
                " line_start, page_end, line_end, flags) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    doc_id, parent, node.id, node.numbering, node.style, node.heading, node.level, node.page_start,
                    node.line_start, node.page_end, node.line_end, ",".join(node.flags) or None,
                ),
            )
            for child in node.children:
                walk(child, cur.lastrowid)

        walk(root, None)

    # --- reading -------------------------------------------------------------------------------

    def query(self, sql: str, params: tuple = ()) -> list[sqlite3.Row]:
        try:
            self.conn.row_factory = sqlite3.Row
            return list(self.conn.execute(sql, params))
        except sqlite3.DatabaseError as e:
            raise DatabaseError(f"{self.path}: reading failed ({e}); check the file with sqlite3 .recover") from e
        finally:
            self.conn.row_factory = None

    def counts(self) -> dict[str, int]:
        return {t: self.query(f"SELECT count(*) AS n FROM {t}")[0]["n"] for t in ("documents", "pages", "sections", "indicators")}


def records_hash(records: list[IndicatorRecord]) -> str:
    """Content hash of a document known only by its records (ingest of extract output)."""
    h = hashlib.sha256()
    for r in records:
        # the period fields are computed from the others: leaving them out keeps older stores' hashes
        h.update(r.model_dump_json(exclude={"document", "period_type", "period_first_month", "period_last_month"}).encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()
