"""SQLite store of ingested plans: documents, pages, sections and indicators with provenance.

One file, readable by sqlite3, Datasette or pandas (schema in README, "SQLite store"). Safe for
concurrent writers: WAL journal, a busy timeout, and one ``BEGIN IMMEDIATE`` transaction per
document, so a second process waits instead of failing and a crash leaves no half document.
Idempotent: a document whose content hash is already stored is skipped.

A file that is not a planscan store (another SQLite database, a corrupt file, anything else)
raises ``DatabaseError`` and is never written to.

Reviews (``planscan review``) are rows of their own, one per field changed: the extracted figure is
never overwritten. Reading with ``reviewed=True`` lays each field's latest review that was not
undone over the extracted value; the same field reviewed twice is both recorded and the later wins.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import re
import sqlite3
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from planscan._util.owned_sqlite import open_owned
from planscan.errors import DatabaseError
from planscan.extract.text.fold import fold
from planscan.io.tablestore import SCHEMA as TABLES_SCHEMA
from planscan.io.tablestore import insert_tables
from planscan.schemas.records import Document, DocumentMeta, IndicatorRecord, Section

APPLICATION_ID = 0x706C6E73  # "plns": marks the file as a planscan store for `file` and for us
SCHEMA_VERSION = 5  # 4: tables and cells (io/tablestore.py); 5: every IndicatorRecord field of a figure
# Fields a review may set: the figure's own (as in IndicatorRecord) and its status.
REVIEW_FIELDS = ("value", "unit", "of", "value_base", "base_unit", "period", "period_type", "period_first_month",
                 "period_last_month", "year", "kind", "key", "indicator", "status")
REVIEW_STATUSES = ("accepted", "rejected")
BUSY_TIMEOUT_MS = 60_000
CACHE_KIB = 65_536
_BULK_ROWS = 10_000  # records in one add_documents call from which indexes are rebuilt, not updated

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
    n_indicators  INTEGER NOT NULL DEFAULT 0,
    image_file    TEXT
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
    width       INTEGER,
    height      INTEGER,
    dpi         INTEGER,
    layout      TEXT,
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
    confidence  REAL,
    origin      TEXT NOT NULL DEFAULT 'extract',
    period_first_month INTEGER,
    period_last_month  INTEGER,
    "max"         REAL,
    qualifier     TEXT,
    start_year    INTEGER,
    end_year      INTEGER,
    kind_reason   TEXT,
    period_reason TEXT,
    ref           TEXT,
    part_of       TEXT,
    same_as       TEXT,
    "table"       INTEGER,
    "row"         INTEGER,
    col           INTEGER,
    also_in       TEXT
);
CREATE TABLE IF NOT EXISTS reviews (
    id           INTEGER PRIMARY KEY,
    action       INTEGER NOT NULL,
    indicator_id INTEGER NOT NULL REFERENCES indicators(id) ON DELETE CASCADE,
    document_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    field        TEXT NOT NULL,
    old_value    TEXT,
    new_value    TEXT,
    reviewer     TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    undone_at    TEXT,
    undone_by    TEXT
);
-- full-text index of page text, accent-folded (rowid = pages.rowid): "tu khoa" finds "từ khóa"
CREATE VIRTUAL TABLE IF NOT EXISTS page_text USING fts5(folded, tokenize='unicode61');
CREATE INDEX IF NOT EXISTS reviews_indicator ON reviews(indicator_id, field, id);
CREATE INDEX IF NOT EXISTS reviews_document ON reviews(document_id, id);
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

_INDICATOR_INDEXES = tuple(
    (m[1], m[0]) for m in re.finditer(r"CREATE INDEX IF NOT EXISTS (\w+) ON indicators\([^)]*\)", SCHEMA)
)


@dataclass
class IngestResult:
    document_id: int
    inserted: bool
    indicators: int
    sha256: str
    source: str


@contextmanager
def _immediate(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One ``BEGIN IMMEDIATE`` transaction: committed whole, or rolled back and the error raised."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


class Store:
    """An open planscan store. Use as a context manager, or call ``close()``."""

    def __init__(self, path: str | Path, create: bool = True):
        self.path = Path(path)
        if not create and not self.path.exists():
            raise DatabaseError(f"{self.path}: no such database; run planscan ingest first")
        self.conn, _new = open_owned(self.path, APPLICATION_ID, remedy="pass another --db",
                                     timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            self.conn.create_function("planscan_fold", 1, fold, deterministic=True)
            self.conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            # a page cache that holds a bulk load's index pages (SQLite's default is 2 MB)
            self.conn.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
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
            self._switch_to_wal()
        self.conn.execute("PRAGMA synchronous=NORMAL")  # durable enough in WAL mode, and much faster
        exists = self.conn.execute("SELECT 1 FROM sqlite_master WHERE name='planscan_info'").fetchone()
        if exists:
            self._migrate()
            return
        with _immediate(self.conn):
            # another process may have created it while we waited for the lock: IF NOT EXISTS
            self._apply_schema()
            self.conn.execute(
                "INSERT OR IGNORE INTO planscan_info(name, value) VALUES ('schema_version', ?), ('created_by', 'planscan')",
                (str(SCHEMA_VERSION),),
            )
            self.conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
            self.conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    def _switch_to_wal(self) -> None:
        """SQLite answers the journal-mode switch with "database is locked" at once, without its busy
        handler, while another process holds the new file (two ingests creating one store), so the
        switch is retried for as long as any other statement would wait."""
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                self.conn.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as e:
                if "locked" not in str(e) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def _apply_schema(self) -> None:
        for stmt in (SCHEMA + TABLES_SCHEMA).split(";"):
            if stmt.strip():
                self.conn.execute(stmt)

    @contextmanager
    def _writing(self, failure: str) -> Iterator[sqlite3.Connection]:
        """A write transaction whose SQLite failure becomes one DatabaseError line: ``failure``
        says what failed, with ``{e}`` for SQLite's own words."""
        try:
            with _immediate(self.conn) as c:
                yield c
        except sqlite3.DatabaseError as e:
            raise DatabaseError(f"{self.path}: " + failure.format(e=e)) from e

    def _migrate(self) -> None:
        """Bring a store of an older schema up to this one: new columns and tables only, nothing
        rewritten, so its rows read as before."""
        row = self.conn.execute("SELECT value FROM planscan_info WHERE name='schema_version'").fetchone()
        if row and int(row[0]) >= SCHEMA_VERSION:
            return
        with _immediate(self.conn):
            for table, column, decl in _ADDED_COLUMNS:
                have = {r[1] for r in self.conn.execute(f"PRAGMA table_info({table})")}
                if column.strip('"') not in have:
                    self.conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {decl}")
            self._apply_schema()
            # pages stored before the full-text index (schema < 3) are indexed now
            self.conn.execute("INSERT INTO page_text(rowid, folded) SELECT rowid, planscan_fold(text) FROM pages"
                              " WHERE rowid NOT IN (SELECT rowid FROM page_text)")
            self.conn.execute("UPDATE planscan_info SET value=? WHERE name='schema_version'", (str(SCHEMA_VERSION),))
            self.conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

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
        image_file: str | None = None,
        tables: list | None = None,
    ) -> IngestResult:
        """Store one document and everything extracted from it, in one transaction.

        ``sha256`` identifies the content; a document already stored under it is not stored again.
        ``image_file`` is a PDF or image with the document's pages (a searchable PDF, the scan), for
        the review page. ``tables`` are the document's tables (``Table`` records), stored with it.
        """
        return self.add_documents([dict(records=records, meta=meta, doc=doc, sections=sections, source=source,
                                        sha256=sha256, input_kind=input_kind, image_file=image_file,
                                        tables=tables)])[0]

    def add_documents(self, documents: list[dict]) -> list[IngestResult]:
        """Store several documents, each given as ``add_document``'s keyword arguments, in one
        transaction: a records file of many documents is stored whole or not at all, with one
        commit (a commit per document made a long file cost a disk sync per document)."""
        with self._writing("writing failed ({e}); the database was rolled back, retry") as c:
            # a bulk load into a store smaller than itself builds the indicator indexes after its
            # rows (one sort instead of a B-tree insert per row), inside the same transaction
            n = sum(len(d.get("records") or ()) for d in documents)
            rebuild = n >= _BULK_ROWS and n > (c.execute("SELECT max(rowid) FROM indicators").fetchone()[0] or 0)
            if rebuild:
                for name, _sql in _INDICATOR_INDEXES:
                    c.execute(f"DROP INDEX IF EXISTS {name}")
            results = [self._insert_document(**d) for d in documents]
            if rebuild:
                for _name, sql in _INDICATOR_INDEXES:
                    c.execute(sql)
            return results

    def _insert_document(self, records: list[IndicatorRecord], meta: DocumentMeta | None = None,
                         doc: Document | None = None, sections: Section | None = None, source: str = "",
                         sha256: str = "", input_kind: str = "records", image_file: str | None = None,
                         tables: list | None = None) -> IngestResult:
        """One document's rows, inside the caller's transaction; a document already stored is not."""
        sha = sha256 or (doc.sha256 if doc else "") or (meta.sha256 if meta else "") or records_hash(records)
        source = source or (doc.source if doc else "") or (meta.source if meta else "")
        rows = list(records)
        c = self.conn
        hit = c.execute("SELECT id, n_indicators FROM documents WHERE sha256=?", (sha,)).fetchone()
        if hit:
            return IngestResult(hit[0], False, hit[1], sha, source)
        m = meta or DocumentMeta()
        cur = c.execute(
            "INSERT INTO documents(sha256, source, input_kind, ingested_at, issuer, parent_issuer, district,"
            " province, number, code, place, date, doc_type, title, plan_year, report_period, report_year,"
            " n_pages, n_indicators, image_file) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                sha, source, input_kind, _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
                m.issuer, m.parent_issuer, m.district, m.province, m.number, m.code, m.place, m.date,
                m.doc_type, m.title, m.plan_year, m.report_period, m.report_year,
                len(doc.pages) if doc else None, len(rows), image_file,
            ),
        )
        doc_id = cur.lastrowid
        if doc is not None:
            for p in doc.pages:
                page = c.execute(
                    "INSERT INTO pages(document_id, number, source, status, error, rotation, skew, text, width,"
                    " height, dpi, layout) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                    (doc_id, p.number, p.source, p.status, p.error, p.rotation, p.skew, p.text, p.width or None,
                     p.height or None, p.dpi or None, _layout_json(p)),
                )
                c.execute("INSERT INTO page_text(rowid, folded) VALUES (?, ?)", (page.lastrowid, fold(p.text)))
        if sections is not None:
            self._add_sections(doc_id, sections)
        c.executemany(INDICATOR_INSERT, [_indicator_row(doc_id, r) for r in rows])
        if tables:
            insert_tables(c, doc_id, tables, rows)
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


    # --- reviews ---------------------------------------------------------------------------------

    def stored(self, sha256: str) -> IngestResult | None:
        """The document stored under ``sha256``, if any: checked before an input is read or OCR'd."""
        row = self.conn.execute("SELECT id, n_indicators, source FROM documents WHERE sha256=?", (sha256,)).fetchone()
        return IngestResult(row[0], False, row[1], sha256, row[2]) if row else None

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        """Pages whose text holds every word of ``query`` (accents and case ignored), best first,
        each with a snippet of its text around the first match."""
        words = fold(query).split()
        if not words:
            return []
        match = " ".join('"' + w.replace('"', '""') + '"' for w in words)
        rows = self.conn.execute(
            "SELECT p.document_id, p.number, p.text, d.source, d.title FROM page_text"
            " JOIN pages p ON p.rowid = page_text.rowid JOIN documents d ON d.id = p.document_id"
            " WHERE page_text MATCH ? ORDER BY rank, p.document_id, p.number LIMIT ?",
            (match, limit),
        ).fetchall()
        return [SearchHit(r[0], r[1], r[3] or "", r[4], _snippet(r[2], words)) for r in rows]

    def keys(self) -> list[tuple[str, str, int]]:
        """(key, its most frequent label, number of figures) for every key, most figures first."""
        rows = self.conn.execute(
            "SELECT key, indicator, COUNT(*) FROM indicators WHERE key IS NOT NULL AND key != ''"
            " GROUP BY key, indicator"
        ).fetchall()
        labels: dict[str, tuple[int, str]] = {}
        counts: dict[str, int] = {}
        for key, label, n in rows:
            counts[key] = counts.get(key, 0) + n
            if key not in labels or n > labels[key][0]:
                labels[key] = (n, label or "")
        return sorted(((k, labels[k][1], n) for k, n in counts.items()), key=lambda t: (-t[2], t[0]))

    def has_reviews(self) -> bool:
        """Whether the store has the reviews table (a store of schema 1 opened read-only has none)."""
        return bool(self.conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='reviews'").fetchone())

    def figures(self, document_id: int | None = None, key: str | None = None, reviewed: bool = True,
                indicator_id: int | None = None) -> list[dict]:
        """Indicator rows with their document's district, province, source and date.

        With ``reviewed`` each field's latest live review is laid over the extracted value, figures a
        reviewer added are included, and ``review_status`` says unreviewed, accepted, corrected,
        rejected or added; without it the rows are the extraction as stored (status unreviewed)."""
        reviewed = reviewed and self.has_reviews()
        where, params = [], []
        if document_id is not None:
            where.append("i.document_id = ?")
            params.append(document_id)
        if indicator_id is not None:
            where.append("i.id = ?")
            params.append(indicator_id)
        if key is not None:
            if reviewed:  # a review may have given a figure this key
                where.append("(i.key = ? OR i.id IN (SELECT indicator_id FROM reviews WHERE field='key' AND new_value=?"
                             " AND undone_at IS NULL))")
                params += [key, json.dumps(key, ensure_ascii=False)]
            else:
                where.append("i.key = ?")
                params.append(key)
        if not reviewed and self._has_column("indicators", "origin"):
            where.append("i.origin = 'extract'")
        cond = " WHERE " + " AND ".join(where) if where else ""
        rows = [dict(r) for r in self.query(
            "SELECT i.*, d.district, d.province, d.source, d.sha256, d.date AS document_date"
            f" FROM indicators i JOIN documents d ON d.id = i.document_id{cond} ORDER BY i.document_id, i.id",
            tuple(params))]
        for r in rows:
            r["review_status"] = "unreviewed"
        if not reviewed or not rows:
            return rows
        live = self._live_reviews(f"SELECT i.id FROM indicators i{cond}", tuple(params))
        out = []
        for r in rows:
            fields = live.get(r["id"], {})
            if r.get("origin", "extract") != "extract" and not fields.get("added"):
                continue  # added by a review that was undone
            status = _status(r, fields)
            r.update({f: v for f, v in fields.items() if f in REVIEW_FIELDS and f != "status"})
            r["review_status"] = status
            if key is None or r["key"] == key:
                out.append(r)
        return out

    def _has_column(self, table: str, column: str) -> bool:
        return any(r[1] == column for r in self.conn.execute(f"PRAGMA table_info({table})"))

    def _live_reviews(self, ids_sql: str, params: tuple) -> dict[int, dict]:
        """indicator id -> {field: latest value not undone} for the indicators ``ids_sql`` selects."""
        out: dict[int, dict] = {}
        for r in self.query(
            f"SELECT indicator_id, field, new_value FROM reviews WHERE undone_at IS NULL AND indicator_id IN ({ids_sql})"
            " ORDER BY id", params,
        ):
            out.setdefault(r["indicator_id"], {})[r["field"]] = json.loads(r["new_value"])
        return out

    def add_reviews(self, document_id: int, changes: list[tuple[int, str, object]], reviewer: str) -> int:
        """Record ``(indicator id, field, new value)`` changes as one action (undone together) and
        return its id. Each row keeps the value it replaced as it was when written, in the same
        transaction, so two reviewers of one field are both recorded and the later one wins."""
        for _, field, _ in changes:
            if field not in REVIEW_FIELDS and field != "added":
                raise ValueError(f"{field!r} is not a field a review may set")
        now = _now()
        with self._writing("writing the review failed ({e}); it was rolled back, retry") as c:
            action = c.execute("SELECT coalesce(max(action), 0) + 1 FROM reviews").fetchone()[0]
            for ind_id, field, value in changes:
                belongs = c.execute("SELECT 1 FROM indicators WHERE id=? AND document_id=?",
                                    (ind_id, document_id)).fetchone()
                if not belongs:
                    raise DatabaseError(f"{self.path}: figure {ind_id} is not in document {document_id}")
                old = c.execute("SELECT new_value FROM reviews WHERE indicator_id=? AND field=? AND undone_at IS NULL"
                                " ORDER BY id DESC LIMIT 1", (ind_id, field)).fetchone()
                if old is None and field in REVIEW_FIELDS and field != "status":
                    raw = c.execute(f'SELECT "{field}" FROM indicators WHERE id=?', (ind_id,)).fetchone()
                    old = (json.dumps(raw[0], ensure_ascii=False),)
                c.execute("INSERT INTO reviews(action, indicator_id, document_id, field, old_value, new_value, reviewer,"
                          " created_at) VALUES (?,?,?,?,?,?,?,?)",
                          (action, ind_id, document_id, field, old[0] if old else None,
                           json.dumps(value, ensure_ascii=False), reviewer, now))
        return action

    def undo(self, document_id: int, reviewer: str, action: int | None = None) -> int | None:
        """Undo ``action`` (default: the reviewer's latest live action in the document); the rows
        stay, marked undone. Returns the action undone, or None when there was none."""
        now = _now()
        with _immediate(self.conn) as c:
            if action is None:
                row = c.execute("SELECT max(action) FROM reviews WHERE document_id=? AND reviewer=? AND undone_at IS NULL",
                                (document_id, reviewer)).fetchone()
                action = row[0] if row else None
            n = 0
            if action is not None:
                n = c.execute("UPDATE reviews SET undone_at=?, undone_by=? WHERE action=? AND document_id=?"
                              " AND undone_at IS NULL", (now, reviewer, action, document_id)).rowcount
        return action if n else None

    def review_history(self, document_id: int) -> list[sqlite3.Row]:
        if not self.has_reviews():
            return []
        return self.query("SELECT * FROM reviews WHERE document_id=? ORDER BY id", (document_id,))


_ADDED_COLUMNS = (  # columns an older store lacks: of schema 2, then of schema 5
    ("documents", "image_file", "TEXT"),
    ("pages", "width", "INTEGER"), ("pages", "height", "INTEGER"), ("pages", "dpi", "INTEGER"),
    ("pages", "layout", "TEXT"),
    ("indicators", "origin", "TEXT NOT NULL DEFAULT 'extract'"),
    ("indicators", "period_first_month", "INTEGER"), ("indicators", "period_last_month", "INTEGER"),
    ("indicators", '"max"', "REAL"), ("indicators", "qualifier", "TEXT"), ("indicators", "start_year", "INTEGER"),
    ("indicators", "end_year", "INTEGER"), ("indicators", "kind_reason", "TEXT"),
    ("indicators", "period_reason", "TEXT"), ("indicators", "ref", "TEXT"), ("indicators", "part_of", "TEXT"),
    ("indicators", "same_as", "TEXT"), ("indicators", '"table"', "INTEGER"), ("indicators", '"row"', "INTEGER"),
    ("indicators", "col", "INTEGER"), ("indicators", "also_in", "TEXT"),
)


@dataclass(frozen=True)
class SearchHit:
    document_id: int
    page: int
    source: str
    title: str | None
    snippet: str


def _snippet(text: str, words: list[str], width: int = 70) -> str:
    """The page text around the first folded word, on one line, the words marked with [ ]: fold
    keeps offsets, so a match in the folded text is a match in the text."""
    folded = fold(text)
    at = min((i for i in (folded.find(w) for w in words) if i >= 0), default=0)
    start, end = max(0, at - width // 2), min(len(text), at + width)
    piece = text[start:end]
    low = fold(piece)
    for w in sorted(set(words), key=len, reverse=True):
        out, i = [], 0
        while (j := low.find(w, i)) >= 0:
            out.append((j, j + len(w)))
            i = j + len(w)
        for a, b in reversed(out):
            piece, low = piece[:a] + "[" + piece[a:b] + "]" + piece[b:], low[:a] + "[" + low[a:b] + "]" + low[b:]
    return ("…" if start else "") + " ".join(piece.split()) + ("…" if end < len(text) else "")


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


def _status(row: dict, fields: dict) -> str:
    if fields.get("status") == "rejected":
        return "rejected"
    if fields.get("added"):
        return "added"
    if any(f != "status" and row.get(f) != v for f, v in fields.items()):
        return "corrected"
    return "accepted" if fields else "unreviewed"


# The columns of an IndicatorRecord's row, in _indicator_row's order: every field of the record but
# its document (the row's document's sha256) and schema_version (the records format it was read in).
_INDICATOR_COLUMNS = (
    'document_id, key, indicator, value, unit, "of", value_base, base_unit, year, period, period_type, kind,'
    ' vs_year, derived, section, page, line, bbox, text, confidence, period_first_month, period_last_month,'
    ' "max", qualifier, start_year, end_year, kind_reason, period_reason, ref, part_of, same_as, "table", "row",'
    ' col, also_in'
)
INDICATOR_INSERT = (f"INSERT INTO indicators({_INDICATOR_COLUMNS}) VALUES"
                    f" ({','.join('?' * (_INDICATOR_COLUMNS.count(',') + 1))})")


def _indicator_row(doc_id: int, r: IndicatorRecord) -> tuple:
    return (
        doc_id, r.key, r.indicator, r.value, r.unit, r.of, r.value_base, r.base_unit, r.year,
        r.period, r.period_type, r.kind, r.vs_year, int(r.derived),
        json.dumps(r.section, ensure_ascii=False) if r.section else None, r.page, r.line,
        r.bbox.model_dump_json() if r.bbox else None, r.text, r.confidence, r.period_first_month, r.period_last_month,
        r.max, r.qualifier, r.start_year, r.end_year, r.kind_reason or None, r.period_reason or None, r.ref or None,
        r.part_of, r.same_as, r.table, r.row, r.col,
        json.dumps([a.model_dump(mode="json") for a in r.also_in], ensure_ascii=False) if r.also_in else None,
    )


def _layout_json(page) -> str | None:
    """A page's lines with their boxes and pre-restoration forms, compactly, for the review page."""
    if not any(line.bbox for line in page.lines):
        return None

    def box(b):
        return [b.x0, b.y0, b.x1, b.y1] if b else None

    return json.dumps([
        {"text": ln.text, "original": ln.original, "bbox": box(ln.bbox),
         "words": [[w.text, box(w.bbox), w.original] for w in ln.words]}
        for ln in page.lines
    ], ensure_ascii=False, separators=(",", ":"))


def record_of(row: dict) -> IndicatorRecord:
    """The IndicatorRecord of a row of ``Store.figures`` (its reviewed values, when it was read so)."""
    data = {f: row.get(f) for f in IndicatorRecord.model_fields if f in row and row.get(f) is not None}
    data["derived"] = bool(row.get("derived"))
    data["section"] = json.loads(row["section"]) if row.get("section") else []
    data["bbox"] = json.loads(row["bbox"]) if row.get("bbox") else None
    data["also_in"] = json.loads(row["also_in"]) if row.get("also_in") else []
    data["document"] = row.get("sha256") or ""
    data.setdefault("text", "")
    return IndicatorRecord.model_validate(data)


def records_hash(records: list[IndicatorRecord]) -> str:
    """Content hash of a document known only by its records (ingest of extract output)."""
    h = hashlib.sha256()
    for r in records:
        # the period fields are computed from the others, and also_in says where else the figure is
        # stated, not what it is: leaving them out keeps older stores' hashes
        h.update(r.model_dump_json(exclude={"document", "period_type", "period_first_month", "period_last_month",
                                            "also_in"}).encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()


def insert_review_figure(store: Store, document_id: int, record: IndicatorRecord) -> int:
    """Store ``record`` as a figure of origin 'review' and return its id. No read shows it until a
    review sets its field 'added' (``Store.add_reviews``), so it can join a larger action: the
    values a correction derives are added with the correction and undone with it."""
    with store._writing("adding the figure failed ({e}); it was rolled back, retry") as c:
        cur = c.execute(INDICATOR_INSERT.replace(") VALUES (", ", origin) VALUES (?,"),
                        (*_indicator_row(document_id, record), "review"))
    return cur.lastrowid
