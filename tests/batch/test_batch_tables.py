"""Tables through the unattended path: `planscan batch` writes each input's tables beside its
records (``x.tables.json``), `planscan ingest` of the output folder stores them with their cells,
a re-run does not redo a finished file but does redo one whose tables file is gone, and a tables
file that is missing or cannot be read is one warning line and exit 11, its records stored."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from planscan.batch import BatchSettings, run_batch
from planscan.errors import ExitCode
from planscan.io.export import write_records
from planscan.io.store import Store
from planscan.io.tables import write_tables
from planscan.io.tablestore import read_tables
from planscan.pipeline import extract_path, ingest_path, read_tables as read_pdf_tables
from planscan.schemas.tables import Table
from tests.io.test_tablestore import BODY, HEADER, table_pdf

ROOT = Path(__file__).resolve().parents[2]
# the figure cells of table_pdf's table: (row, col, text, value, kind, year), header row first
FIGURE_CELLS = [(2, 4, "1.000", 1000.0, "actual", 2023), (2, 5, "1.100", 1100.0, "target", 2024),
                (3, 4, "600", 600.0, "actual", 2023), (3, 5, "650", 650.0, "target", 2024),
                (4, 4, "400", 400.0, "actual", 2023), (4, 5, "450", 450.0, "target", 2024)]


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "planscan.cli", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=300)


def inputs(root: Path) -> Path:
    """A born-digital PDF with a ruled table, and a text (no tables), in nested folders."""
    (root / "annex").mkdir(parents=True)
    table_pdf(root / "annex" / "labour.pdf")
    (root / "notes.txt").write_text("Năm 2023 toàn huyện có 120 trạm BTS.\n", encoding="utf-8")
    return root


def linked_cells(db: Path) -> list[tuple]:
    con = sqlite3.connect(db)
    try:
        return con.execute(
            'SELECT c."row", c.col, c.text, i.value, i.kind, i.year FROM cells c JOIN indicators i'
            ' ON i.id = c.indicator_id ORDER BY c."row", c.col').fetchall()
    finally:
        con.close()


def counts(db: Path) -> tuple[int, int, int, int]:
    con = sqlite3.connect(db)
    try:
        return tuple(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                     for t in ("documents", "indicators", "tables", "cells"))
    finally:
        con.close()


def summary_status(outdir: Path) -> dict[str, str]:
    import csv

    with open(outdir / "summary.csv", encoding="utf-8") as fh:
        return {r["path"]: r["status"] for r in csv.DictReader(fh)}


def test_batch_writes_the_tables_and_ingest_of_its_folder_stores_them(tmp_path):
    indir, outdir, db = inputs(tmp_path / "in"), tmp_path / "out", tmp_path / "s.db"
    r = cli("batch", str(indir), "-o", str(outdir), "--no-pdf", "-j", "1", "-q")
    assert r.returncode == ExitCode.ok, r.stderr
    tables_json = outdir / "annex" / "labour.tables.json"
    # the tables as planscan tables --format json writes them, byte for byte
    expected = tmp_path / "expected.json"
    write_tables(read_pdf_tables(indir / "annex" / "labour.pdf"), str(expected), "json")
    assert tables_json.read_bytes() == expected.read_bytes()
    # a text input has no tables, and says so in its own file
    assert json.loads((outdir / "notes.tables.json").read_text(encoding="utf-8")) == []

    r = cli("ingest", str(outdir), "--db", str(db))
    assert r.returncode == ExitCode.ok, r.stderr
    assert "warning" not in r.stderr
    with Store(db) as store:
        (doc_id,) = [row["id"] for row in store.query("SELECT id FROM documents WHERE source LIKE '%labour.pdf'")]
        (table,) = read_tables(store.conn, doc_id)
    assert table.grid() == [HEADER, *BODY] and table.n_header_rows == 1
    assert linked_cells(db) == FIGURE_CELLS
    assert counts(db)[2:] == (1, 20)

    # the same document ingested from its PDF is already there, tables and all
    r = cli("ingest", str(indir / "annex" / "labour.pdf"), "--db", str(db))
    assert r.returncode == ExitCode.ok and "1 already stored" in r.stderr
    assert counts(db)[2:] == (1, 20)


def test_a_finished_file_is_not_redone_and_one_whose_tables_file_is_gone_is(tmp_path):
    indir, outdir = inputs(tmp_path / "in"), tmp_path / "out"
    settings = BatchSettings(pdf=False)
    assert run_batch(indir, outdir, settings, jobs=1, quiet=True).exit_code == ExitCode.ok
    tables_json = outdir / "annex" / "labour.tables.json"
    con = sqlite3.connect(outdir / "planscan-ledger.sqlite")
    (outputs,) = con.execute("SELECT outputs FROM files WHERE rel='annex/labour.pdf'").fetchone()
    con.close()
    assert "annex/labour.tables.json" in json.loads(outputs)
    written = tables_json.stat().st_mtime_ns

    assert run_batch(indir, outdir, settings, jobs=1, quiet=True).exit_code == ExitCode.ok
    assert summary_status(outdir) == {"annex/labour.pdf": "skipped", "notes.txt": "skipped"}
    assert tables_json.stat().st_mtime_ns == written

    # as after a job stopped before its tables file was written: the file is converted again
    tables_json.unlink()
    assert run_batch(indir, outdir, settings, jobs=1, quiet=True).exit_code == ExitCode.ok
    assert summary_status(outdir) == {"annex/labour.pdf": "done", "notes.txt": "skipped"}
    assert [t.table for t in map(Table.model_validate, json.loads(tables_json.read_text(encoding="utf-8")))] == [1]


def test_a_corrupt_or_missing_tables_file_is_one_warning_and_the_records_are_stored(tmp_path):
    indir, outdir = inputs(tmp_path / "in"), tmp_path / "out"
    assert run_batch(indir, outdir, BatchSettings(pdf=False), jobs=1, quiet=True).exit_code == ExitCode.ok
    tables_json = outdir / "annex" / "labour.tables.json"
    tables_json.write_bytes(tables_json.read_bytes()[:300])  # cut short
    r = cli("ingest", str(outdir), "--db", str(tmp_path / "a.db"))
    assert r.returncode == ExitCode.partial
    warnings = [line for line in r.stderr.splitlines() if line.startswith("planscan: warning:")]
    assert len(warnings) == 1 and str(tables_json) in warnings[0] and "Traceback" not in r.stderr
    assert "2 document(s) added" in r.stderr and "0 failed" in r.stderr
    documents, indicators, n_tables, n_cells = counts(tmp_path / "a.db")
    assert (documents, n_tables, n_cells) == (2, 0, 0) and indicators >= len(FIGURE_CELLS)

    tables_json.unlink()
    r = cli("ingest", str(outdir / "annex" / "labour.indicators.jsonl"), "--db", str(tmp_path / "b.db"))
    assert r.returncode == ExitCode.partial
    (warning,) = [line for line in r.stderr.splitlines() if line.startswith("planscan: warning:")]
    assert str(tables_json) in warning and "missing" in warning
    assert counts(tmp_path / "b.db")[0] == 1 and counts(tmp_path / "b.db")[2] == 0


def test_extract_records_with_a_tables_file_beside_them_store_their_tables(tmp_path):
    pdf = table_pdf(tmp_path / "labour.pdf")
    records = tmp_path / "labour.jsonl"
    write_records(list(extract_path(pdf)), records, fmt="jsonl")
    # without a tables file beside them, extract's records are stored as they are, with no warning
    warned: list[str] = []
    with Store(tmp_path / "a.db") as store:
        (result,) = ingest_path(store, records, warnings=warned)
    assert result.inserted and warned == [] and counts(tmp_path / "a.db")[2] == 0

    write_tables(read_pdf_tables(pdf), str(tmp_path / "labour.tables.json"), "json")
    with Store(tmp_path / "b.db") as store:
        (result,) = ingest_path(store, records, warnings=warned)
        assert [t.grid() for t in read_tables(store.conn, result.document_id)] == [[HEADER, *BODY]]
    assert warned == [] and linked_cells(tmp_path / "b.db") == FIGURE_CELLS

    # records of two documents: whose tables the file holds is not known, so none are stored
    lines = records.read_text(encoding="utf-8").splitlines()
    other = [json.dumps({**json.loads(line), "document": "other.pdf"}, ensure_ascii=False) for line in lines]
    records.write_text("\n".join(lines + other) + "\n", encoding="utf-8")
    with Store(tmp_path / "c.db") as store:
        results = ingest_path(store, records, warnings=warned)
    assert len(results) == 2 and counts(tmp_path / "c.db")[2] == 0
    assert len(warned) == 1 and str(tmp_path / "labour.tables.json") in warned[0]
