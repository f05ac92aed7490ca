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
