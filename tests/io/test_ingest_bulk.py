"""A records file of many documents is stored in one transaction: whole, or (on an error or a
kill -9 at any moment) not at all, and each stored document has all its figures."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

import planscan.io.store as store_mod
from planscan.errors import DatabaseError
from planscan.io.store import Store
from planscan.pipeline import ingest_path


def _records_file(path: Path, docs: int, per: int, seed: int = 0, first: int = 0) -> Path:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as f:
        for d in range(docs):
            for j in range(per):
                year = 2018 + j % 4
                f.write(json.dumps({"indicator": f"chỉ tiêu số {j}", "value": round(rng.uniform(1, 1e4), 2),
                                    "unit": "tấn", "year": year, "period": f"năm {year}", "kind": "actual",
                                    "page": 1, "line": j, "text": "", "document": f"{first + d:064x}"},
                                   ensure_ascii=False) + "\n")
    return path


def _consistent(db: Path) -> tuple[int, int]:
    """(documents, figures) after checking the file and that every document has all its figures."""
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        short = conn.execute("SELECT d.id FROM documents d LEFT JOIN indicators i ON i.document_id = d.id"
                             " GROUP BY d.id HAVING count(i.id) != d.n_indicators").fetchall()
        assert short == []
        return (conn.execute("SELECT count(*) FROM documents").fetchone()[0],
                conn.execute("SELECT count(*) FROM indicators").fetchone()[0])
    finally:
        conn.close()


def test_a_failure_inside_the_file_stores_none_of_its_documents(tmp_path, monkeypatch):
    first = _records_file(tmp_path / "first.jsonl", docs=2, per=5, seed=1)
    second = _records_file(tmp_path / "second.jsonl", docs=6, per=5, seed=2, first=100)
    db = tmp_path / "s.db"
    with Store(db) as s:
        ingest_path(s, first, derive=False)
    before = _consistent(db)
    assert before == (2, 10)

    real, calls = store_mod._indicator_row, {"n": 0}

    def failing(doc_id, r):
        calls["n"] += 1
        if calls["n"] == 17:  # in the fourth document of the file
            raise sqlite3.OperationalError("disk I/O error")
        return real(doc_id, r)

    monkeypatch.setattr(store_mod, "_indicator_row", failing)
    with Store(db) as s, pytest.raises(DatabaseError, match="rolled back"):
        ingest_path(s, second, derive=False)
    assert _consistent(db) == before
    monkeypatch.setattr(store_mod, "_indicator_row", real)
    with Store(db) as s:
        results = ingest_path(s, second, derive=False)
    assert sum(r.inserted for r in results) == 6
    assert _consistent(db) == (8, 40)


@pytest.mark.parametrize("trial", range(3))
def test_kill_during_ingest_leaves_whole_documents_and_a_rerun_completes(tmp_path, trial):
    path = _records_file(tmp_path / "many.jsonl", docs=400, per=50, seed=trial)
    db = tmp_path / "s.db"
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    cmd = [sys.executable, "-m", "planscan.cli", "ingest", str(path), "--db", str(db)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(random.Random(trial).uniform(0.3, 3.0))  # a moment anywhere from start-up to commit
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    if db.exists():
        docs, figures = _consistent(db)
        assert docs in (0, 400)  # the file is one transaction
    subprocess.run(cmd, env=env, check=True, capture_output=True, timeout=600)
    docs, figures = _consistent(db)
    assert docs == 400 and figures >= 400 * 50


def test_extract_output_read_from_its_json_text_equals_the_dict_path(tmp_path):
    """Lines that are extract output skip the dict; each record is the one the general reader makes,
    with the same fields set, and a line with U+2028 in its text is one record."""
    from planscan.io.records import read_records_file, record_from_dict

    path = _records_file(tmp_path / "r.jsonl", docs=3, per=40, seed=4)
    lines = path.read_text(encoding="utf-8").splitlines()
    keyed = []
    for i, line in enumerate(lines):
        obj = json.loads(line)
        obj.update(key=f"k{i % 7}", period_type="Y", period_first_month=1, period_last_month=12)
        if i % 5 == 0:
            obj["text"] = "dòng\u2028tiếp"
        keyed.append(json.dumps(obj, ensure_ascii=False))
    typed = tmp_path / "typed.jsonl"
    typed.write_text("\n".join(keyed) + "\n", encoding="utf-8")
    records, _ = read_records_file(typed)
    expected = [record_from_dict(json.loads(line), str(typed)) for line in keyed]
    assert len(records) == 120
    assert records == expected
    assert [r.model_fields_set for r in records] == [r.model_fields_set for r in expected]
    assert records[0].text == "dòng\u2028tiếp"


def test_a_hand_made_line_and_a_metadata_line_are_still_read(tmp_path):
    from planscan.io.records import read_records_file

    meta = {"district": "huyện Mẫu", "report_period": "6 tháng đầu năm", "report_year": 2021}
    typed = {"indicator": "Số hộ", "key": "so_ho", "value": 5.0, "unit": "hộ", "year": 2021, "period": "năm 2021",
             "kind": "actual", "text": "", "period_type": "Y", "period_first_month": 1, "period_last_month": 12}
    hand = {"indicator": "Sản lượng", "value": 7.0, "unit": "tấn", "year": 2021, "kind": "actual", "note": "hand-labelled"}
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(json.dumps(o, ensure_ascii=False) for o in (meta, typed, hand)) + "\n", encoding="utf-8")
    records, got_meta = read_records_file(path)
    assert got_meta.district == "huyện Mẫu"
    assert [r.indicator for r in records] == ["Số hộ", "Sản lượng"]
    assert records[0].document == str(path) and records[0].key == "so_ho"
    # the hand-made record got its key, and its period from the metadata's report period
    assert records[1].key and records[1].period_type == "H1"


def test_a_bulk_load_leaves_the_indexes_and_a_small_one_keeps_them(tmp_path, monkeypatch):
    monkeypatch.setattr(store_mod, "_BULK_ROWS", 50)
    db = tmp_path / "s.db"
    with Store(db) as s:
        ingest_path(s, _records_file(tmp_path / "big.jsonl", docs=10, per=20, seed=5), derive=False)
        ingest_path(s, _records_file(tmp_path / "small.jsonl", docs=1, per=60, seed=6, first=50), derive=False)
    conn = sqlite3.connect(db)
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index' AND tbl_name='indicators'")}
    assert {name for name, _ in store_mod._INDICATOR_INDEXES} <= names
    plan = " ".join(r[-1] for r in conn.execute("EXPLAIN QUERY PLAN SELECT * FROM indicators WHERE key='x' AND year=1"))
    assert "indicators_key" in plan
    conn.close()
    assert _consistent(db) == (11, 260)
