"""The tables of stored documents: a ``tables`` row per table and a ``cells`` row per cell, in the
store's file and transaction.

The store calls ``insert_tables`` while it writes a document, so a document's tables are stored
with it or not at all. A cell that gave a figure names its ``indicators`` row (``indicator_id``),
so a figure leads to its cell and back. Boxes are JSON ``[x0, y0, x1, y1]`` in the pixels of the
page at the table's ``dpi`` (72: PDF points), as ``planscan tables`` writes them.

A records file brings its document's tables in a tables file beside it (``x.tables.json`` for
``x.indicators.jsonl``, the batch output, or for ``x.jsonl``), as ``planscan tables --format json``
writes them; ``tables_file`` names it and ``read_tables_file`` reads it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from planscan.errors import InputFileError
from planscan.schemas.records import BBox, IndicatorRecord
from planscan.schemas.tables import Cell, Segment, Table

SCHEMA = """
CREATE TABLE IF NOT EXISTS tables (
    id            INTEGER PRIMARY KEY,
    document_id   INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    number        INTEGER NOT NULL,
    pages         TEXT NOT NULL,
    bbox          TEXT,
    dpi           INTEGER NOT NULL,
    n_rows        INTEGER NOT NULL,
    n_cols        INTEGER NOT NULL,
    n_header_rows INTEGER NOT NULL,
    borders       INTEGER NOT NULL,
    title         TEXT,
    unit_note     TEXT,
    context       TEXT,
    segments      TEXT,
    UNIQUE (document_id, number)
);
CREATE TABLE IF NOT EXISTS cells (
    table_id     INTEGER NOT NULL REFERENCES tables(id) ON DELETE CASCADE,
    "row"        INTEGER NOT NULL,
    col          INTEGER NOT NULL,
    rowspan      INTEGER NOT NULL,
    colspan      INTEGER NOT NULL,
    text         TEXT NOT NULL,
    page         INTEGER NOT NULL,
    bbox         TEXT,
    indicator_id INTEGER REFERENCES indicators(id) ON DELETE SET NULL,
    PRIMARY KEY (table_id, "row", col)
);
CREATE INDEX IF NOT EXISTS tables_document ON tables(document_id);
CREATE INDEX IF NOT EXISTS cells_indicator ON cells(indicator_id);
"""


TABLES_SUFFIX = ".tables.json"
_TABLES = TypeAdapter(list[Table])


def tables_file(records: Path) -> Path:
    """Where the tables of the records file ``records`` are: ``x.tables.json`` beside
    ``x.indicators.jsonl`` (a batch output) or ``x.jsonl`` / ``x.json``."""
    from planscan.io.records import BATCH_RECORDS_SUFFIX  # here: the store need not load the record readers

    name = records.name
    stem = name[: -len(BATCH_RECORDS_SUFFIX)] if name.endswith(BATCH_RECORDS_SUFFIX) else records.stem
    return records.with_name(stem + TABLES_SUFFIX)


def read_tables_file(path: Path) -> list[Table]:
    """The tables of a tables file (a JSON list of Table records); one ``InputFileError`` line
    naming the file when it cannot be read or is not one."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputFileError(f"{path}: cannot be read ({e.strerror}); check the path and permissions") from e
    try:  # a cut-short or non-UTF-8 file is a validation error too
        return _TABLES.validate_json(data)
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(map(str, first["loc"]))
        why = f"{where}: {first['msg']}" if where else first["msg"]
        raise InputFileError(f"{path}: not a planscan tables file ({why}); write it again with planscan batch or"
                             " planscan tables --format json") from e


def _box(b: BBox | None) -> str | None:
    return json.dumps([b.x0, b.y0, b.x1, b.y1]) if b is not None else None


def _bbox(text: str | None) -> BBox | None:
    if not text:
        return None
    x0, y0, x1, y1 = json.loads(text)
    return BBox(x0=x0, y0=y0, x1=x1, y1=y1)


def insert_tables(conn: sqlite3.Connection, document_id: int, tables: list[Table],
                  records: Sequence[IndicatorRecord] = ()) -> None:
    """Store a document's tables inside the caller's transaction, after its ``records`` (in the
    order they were inserted), whose table cells get their figure's ``indicators`` id."""
    ids = [r[0] for r in conn.execute("SELECT id FROM indicators WHERE document_id=? ORDER BY id", (document_id,))]
    figure = {(r.table, r.row, r.col): i for r, i in zip(records, ids) if r.table is not None}
    for t in tables:
        cur = conn.execute(
            "INSERT INTO tables(document_id, number, pages, bbox, dpi, n_rows, n_cols, n_header_rows, borders, title,"
            " unit_note, context, segments) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (document_id, t.table, json.dumps(t.pages), _box(t.bbox), t.dpi, t.n_rows, t.n_cols, t.n_header_rows,
             int(t.borders), t.title, t.unit_note, json.dumps(t.context, ensure_ascii=False),
             json.dumps([s.model_dump(mode="json") for s in t.segments])),
        )
        conn.executemany(
            'INSERT INTO cells(table_id, "row", col, rowspan, colspan, text, page, bbox, indicator_id)'
            " VALUES (?,?,?,?,?,?,?,?,?)",
            [(cur.lastrowid, c.row, c.col, c.rowspan, c.colspan, c.text, c.page, _box(c.bbox),
              figure.get((t.table, c.row - t.n_header_rows, c.col))) for c in t.cells],
        )


def read_tables(conn: sqlite3.Connection, document_id: int) -> list[Table]:
    """The stored tables of a document as Table records, in their order; none from a store written
    before tables were stored."""
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='tables'").fetchone():
        return []
    out = []
    for (tid, number, pages, bbox, dpi, n_rows, n_cols, n_header, borders, title, unit_note, context,
         segments) in conn.execute(
            "SELECT id, number, pages, bbox, dpi, n_rows, n_cols, n_header_rows, borders, title, unit_note, context,"
            " segments FROM tables WHERE document_id=? ORDER BY number", (document_id,)).fetchall():
        cells = [Cell(row=r, col=c, rowspan=rs, colspan=cs, text=text, page=page, bbox=_bbox(box))
                 for r, c, rs, cs, text, page, box in conn.execute(
                     'SELECT "row", col, rowspan, colspan, text, page, bbox FROM cells WHERE table_id=?'
                     ' ORDER BY "row", col', (tid,))]
        out.append(Table(
            table=number, pages=json.loads(pages), bbox=_bbox(bbox), dpi=dpi, n_rows=n_rows, n_cols=n_cols,
            n_header_rows=n_header, borders=bool(borders), title=title, unit_note=unit_note,
            context=json.loads(context) if context else [],
            segments=[Segment.model_validate(s) for s in json.loads(segments)] if segments else [], cells=cells,
        ))
    return out
