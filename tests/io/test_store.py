"""SQLite store: idempotent ingest, provenance, refusal of foreign/corrupt files, concurrency."""

from __future__ import annotations

import hashlib
import json
import multiprocessing as mp
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from planscan.cli import cli
from planscan.errors import DatabaseError, ExitCode
from planscan.io.series import best_points, load_series
from planscan.io.store import Store
from planscan.pipeline import ingest_path

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
OLD = SAMPLES / "tuangiao-2020" / "indicators.jsonl"
NEW = SAMPLES / "tuangiao-2021" / "indicators.jsonl"


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def test_ingest_is_idempotent_by_content_hash(tmp_path):
    db = tmp_path / "p.db"
    with Store(db) as s:
        first = ingest_path(s, OLD)
        before = s.counts()
        again = ingest_path(s, OLD)
        assert first[0].inserted and not again[0].inserted
        assert again[0].document_id == first[0].document_id
        assert s.counts() == before
        # 39 stated figures plus the prior values implied by its 4 linked change statements
        assert before["documents"] == 1 and before["indicators"] == 39 + 4
        derived = s.query("SELECT key, year, value FROM indicators WHERE derived = 1 ORDER BY id")
        assert ("ict.bts_stations", 2018, 104.0) in [tuple(r) for r in derived]


def test_text_input_stores_pages_and_provenance(tmp_path):
    pytest.importorskip("planscan.extract.indicators.records")
    db = tmp_path / "p.db"
    with Store(db) as s:
        (res,) = ingest_path(s, SAMPLES / "tuangiao-2020" / "gold.txt")
        counts = s.counts()
        assert counts["pages"] == 4
        assert res.sha256 == _sha(SAMPLES / "tuangiao-2020" / "gold.txt")
        rows = s.query("SELECT page, line, text, value FROM indicators WHERE key='ict.bts_stations' AND derived=0")
        assert any(r["value"] == 117 and r["page"] == 1 and "117" in r["text"] for r in rows)
        page1 = s.query("SELECT text FROM pages WHERE number=1")[0]["text"]
        assert "BTS" in page1


def test_foreign_sqlite_database_is_refused_and_untouched(tmp_path):
    db = tmp_path / "other.db"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE customers (id INTEGER, name TEXT)")
    con.execute("INSERT INTO customers VALUES (1, 'x')")
    con.commit()
    con.close()
    before = _sha(db)
    with pytest.raises(DatabaseError, match="another program"):
        Store(db)
    assert _sha(db) == before


@pytest.mark.parametrize("content", [b"this is a text file, not a database\n" * 20, b"SQLite format 3\x00" + b"\xff" * 4000])
def test_corrupt_file_is_refused_and_untouched(tmp_path, content):
    db = tmp_path / "bad.db"
    db.write_bytes(content)
    with pytest.raises(DatabaseError) as e:
        with Store(db) as s:
            ingest_path(s, OLD)
    assert str(db) in str(e.value) and "\n" not in str(e.value)
    assert db.read_bytes() == content


def test_cli_exit_code_for_corrupt_database(tmp_path):
    db = tmp_path / "bad.db"
    db.write_bytes(b"garbage" * 100)
    p = subprocess.run([sys.executable, "-m", "planscan.cli", "ingest", str(OLD), "--db", str(db)],
                       capture_output=True, text=True)
    assert p.returncode == ExitCode.database_error == 13
    assert p.stderr.strip().count("\n") == 0 and "bad.db" in p.stderr
    assert db.read_bytes() == b"garbage" * 100


def _worker(db: str, files: list[str], rounds: int, log: str) -> None:
    import traceback

    try:
        with Store(Path(db)) as s:
            for _ in range(rounds):
                for f in files:
                    ingest_path(s, Path(f))
    except BaseException:
        Path(log).write_text(traceback.format_exc(), encoding="utf-8")
        raise


def _many_documents(tmp_path: Path, n: int) -> list[str]:
    """n small records files, each a distinct document (different year)."""
    base = [json.loads(line) for line in OLD.read_text(encoding="utf-8").splitlines()]
    files = []
    for i in range(n):
        p = tmp_path / f"doc{i}.jsonl"
        p.write_text("\n".join(json.dumps({**r, "year": 2000 + i}, ensure_ascii=False) for r in base), encoding="utf-8")
        files.append(str(p))
    return files


def test_two_processes_ingesting_concurrently_never_corrupt(tmp_path):
    db = tmp_path / "shared.db"
    files = _many_documents(tmp_path, 12)
    ctx = mp.get_context("spawn")
    logs = [tmp_path / f"worker{i}.log" for i in range(2)]
    procs = [ctx.Process(target=_worker, args=(str(db), files[::step], 2, str(log))) for step, log in zip((1, -1), logs)]
    for p in procs:
        p.start()
    for p, log in zip(procs, logs):
        p.join(300)
        assert p.exitcode == 0, log.read_text(encoding="utf-8") if log.exists() else f"exit code {p.exitcode}"
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 12
    assert con.execute("SELECT count(DISTINCT sha256) FROM documents").fetchone()[0] == 12
    assert con.execute("SELECT count(*) FROM indicators").fetchone()[0] == 12 * 43
    con.close()


def test_series_across_documents_and_plot(tmp_path):
    db = tmp_path / "p.db"
    with Store(db) as s:
        ingest_path(s, OLD)
        ingest_path(s, NEW)
        key, points = load_series(s, "ict.bts_stations")
        assert key == "ict.bts_stations"
        h1 = [p for p in points if p.period_type == "H1"]
        assert {(p.year, p.value, p.derived) for p in h1} >= {(2018, 104, True), (2019, 117, False), (2020, 125, False)}
        line = best_points(points)[("(unknown)", "H1", "actual")]
        assert [(p.year, p.value, p.derived) for p in line] == [(2018, 104, True), (2019, 117, False), (2020, 125, False)]
        # a label works as well as a key
        assert load_series(s, "Số trạm BTS")[0] == "ict.bts_stations"
    out = tmp_path / "bts.png"
    res = CliRunner().invoke(cli, ["series", "ict.bts_stations", "--db", str(db), "--plot", str(out)])
    assert res.exit_code == 0, res.output
    assert "104" in res.stdout and "125" in res.stdout
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    res = CliRunner().invoke(cli, ["series", "ict.bts_stations", "--db", str(db), "--format", "json"])
    assert {p["year"] for p in json.loads(res.stdout)} == {2018, 2019, 2020, 2021}


def test_cli_ingest_reports_and_continues_after_a_bad_input(tmp_path):
    db = tmp_path / "p.db"
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{oops\n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["ingest", str(OLD), str(bad), str(NEW), "--db", str(db)])
    assert "bad.jsonl" in res.stderr and "2 document(s) added" in res.stderr
    with Store(db) as s:
        assert s.counts()["documents"] == 2


def test_series_on_a_missing_database_does_not_create_it(tmp_path):
    db = tmp_path / "none.db"
    res = CliRunner().invoke(cli, ["series", "ict.bts_stations", "--db", str(db)])
    assert isinstance(res.exception, DatabaseError)
    assert not db.exists()


def test_schema_is_readable_with_plain_sqlite(tmp_path):
    db = tmp_path / "p.db"
    with Store(db) as s:
        ingest_path(s, NEW)
    con = sqlite3.connect(db)
    rows = con.execute(
        "SELECT year, value FROM indicator_series WHERE key='ict.bts_stations' AND kind='target'"
    ).fetchall()
    assert rows == [(2021, 140.0)]
    assert con.execute("PRAGMA application_id").fetchone()[0] == 0x706C6E73


def test_an_ingest_killed_mid_way_leaves_a_sound_store_and_resumes(tmp_path):
    import signal
    import time

    db = tmp_path / "k.db"
    files = _many_documents(tmp_path, 40)
    p = subprocess.Popen([sys.executable, "-m", "planscan.cli", "ingest", *files, "--db", str(db)],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline and p.poll() is None:  # kill once some documents are in
        if db.exists():
            try:
                con = sqlite3.connect(db, timeout=1)
                n = con.execute("SELECT count(*) FROM documents").fetchone()[0]
                con.close()
                if n >= 3:
                    break
            except sqlite3.Error:
                pass
        time.sleep(0.05)
    p.send_signal(signal.SIGKILL)
    p.wait()
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # every stored document is complete: its indicator rows all arrived with it
    for doc_id, n in con.execute("SELECT id, n_indicators FROM documents"):
        assert con.execute("SELECT count(*) FROM indicators WHERE document_id=?", (doc_id,)).fetchone()[0] == n
    con.close()
    res = CliRunner().invoke(cli, ["ingest", *files, "--db", str(db)])
    assert res.exit_code == 0
    with Store(db) as s:
        assert s.counts()["documents"] == 40


def test_batch_output_folder_ingests_with_pages_and_the_original_hash(tmp_path):
    """planscan batch writes x.indicators.jsonl beside x.ocr.json; ingesting the folder stores the
    pages and metadata too, under the original input's hash (so the original is then a duplicate)."""
    pytest.importorskip("planscan.extract.indicators.records")
    from planscan.pipeline import extract_document, read_document

    out = tmp_path / "converted" / "2020"
    out.mkdir(parents=True)
    src = SAMPLES / "tuangiao-2020" / "gold.txt"
    doc = read_document(src)
    meta, _sections, records = extract_document(doc)
    (out / "gold.ocr.json").write_text(doc.model_dump_json(), encoding="utf-8")
    (out / "gold.indicators.jsonl").write_text("".join(r.model_dump_json() + "\n" for r in records), encoding="utf-8")
    (tmp_path / "converted" / "progress.jsonl").write_text('{"event": "start"}\n', encoding="utf-8")
    db = tmp_path / "p.db"
    res = CliRunner().invoke(cli, ["ingest", str(tmp_path / "converted"), "--db", str(db)])
    assert res.exit_code == 0, res.stderr
    assert "1 document(s) added" in res.stderr
    with Store(db) as s:
        row = s.query("SELECT sha256, district, input_kind, n_pages FROM documents")[0]
        assert row["sha256"] == _sha(src) and row["input_kind"] == "batch-output" and row["n_pages"] == 4
        assert row["district"] == meta.district
        assert s.counts()["pages"] == 4
        assert ingest_path(s, src)[0].inserted is False


def test_chart_keeps_the_figure_in_line_with_the_series_when_one_document_gives_two():
    from planscan.io.series import SeriesPoint

    def pt(year, value, kind="actual", doc=1):
        return SeriesPoint("X", year, None, "Y", kind, value, "trạm", value, "trạm", False, "BTS", "a", doc, 1)

    points = [pt(2019, 117), pt(2020, 125), pt(2021, 10, "target", 2), pt(2021, 140, "target", 2)]
    lines = best_points(points)
    assert [p.value for p in lines[("X", "Y", "target")]] == [140]
    assert [p.value for p in lines[("X", "Y", "actual")]] == [117, 125]
