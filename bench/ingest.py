"""Benchmark of `planscan ingest` on one JSON Lines file of many records.

Prints one table, all rows from the same run (the same machine load), on generated records (no
corpus text: labels, values and periods are synthetic):
1. one file of N records from 1,000 documents, as `planscan extract` writes them for many inputs
   (every record with its key, period type and document) -- the target row;
2. the same records as one document (no `document` field), in process: linking a document's
   statements is the part that grew with records per document;
3. the same records without keys and period types (hand-made files: the reader computes them);
4. 1,000 files of N/1,000 records (the shape `planscan batch` leaves), for comparison;
5. the floor: the same rows inserted by plain sqlite3 `executemany` into the same schema.

Records/s are given per CPU second of the ingesting process (the machine is shared; wall times are
noisy) and per wall second.

Run: .venv/bin/python bench/ingest.py [--records 100000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from planscan.extract.indicators.keys import indicator_key  # noqa: E402
from planscan.extract.text.periods import period_fields  # noqa: E402
from planscan.io.store import INDICATOR_INSERT, SCHEMA, Store, _indicator_row  # noqa: E402
from planscan.io.records import read_records_file  # noqa: E402
from planscan.pipeline import ingest_path  # noqa: E402

_LABELS = ["Tổng sản phẩm trên địa bàn", "Sản lượng lương thực có hạt", "Diện tích trồng rừng mới",
           "Số hộ nghèo", "Tỷ lệ trẻ em đến trường", "Thu ngân sách nhà nước", "Giá trị sản xuất công nghiệp",
           "Số xã đạt chuẩn nông thôn mới", "Số trạm y tế có bác sĩ", "Chiều dài đường giao thông được cứng hóa"]
_UNITS = ["tỷ đồng", "tấn", "ha", "hộ", "%", "xã", "trạm", "km"]
_KINDS = ["actual", "target", "estimate", "change"]


def generate(n: int, docs: int, keyed: bool, seed: int = 1) -> list[dict]:
    """``n`` records over ``docs`` documents: each document a plan of n/docs figures over a few years."""
    rng = random.Random(seed)
    keys: dict[tuple, str] = {}
    out = []
    per = max(1, n // docs)
    for i in range(n):
        d, j = divmod(i, per)
        label = f"{_LABELS[j % len(_LABELS)]} vùng {j // len(_LABELS) % 7 + 1}"
        unit, kind = _UNITS[j % len(_UNITS)], _KINDS[(j // 3) % len(_KINDS)]
        year = 2015 + (d + j) % 10
        row = {"indicator": label, "value": round(rng.uniform(1, 1e5), 2), "unit": unit, "year": year,
               "period": f"năm {year}", "kind": kind, "page": 1 + j // 30, "line": j % 30,
               "text": f"{label} {year}"}
        if kind == "change":
            row["vs_year"] = year - 1
        if docs > 1:
            row["document"] = f"{d:064x}"
        if keyed:
            k = (label, unit, kind)
            if k not in keys:
                keys[k] = indicator_key(label, unit, kind)
            row["key"] = keys[k]
            ptype, bounds = period_fields(row["period"], year, target=kind == "target")
            row["period_type"] = ptype
            row["period_first_month"], row["period_last_month"] = bounds or (None, None)
        out.append(row)
    return out


def write_jsonl(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def _fresh_db(tmp: Path) -> Path:
    return tmp / f"s{time.perf_counter_ns()}.db"


def ingest_in_process(tmp: Path, files: list[Path]) -> tuple[float, float, int]:
    db = _fresh_db(tmp)
    t, c = time.perf_counter(), time.process_time()
    with Store(db) as s:
        for f in files:
            ingest_path(s, f)
        n = s.counts()["indicators"]
    return time.perf_counter() - t, time.process_time() - c, n


def ingest_cli(tmp: Path, path: Path) -> tuple[float, float]:
    db = _fresh_db(tmp)
    env = dict(os.environ, PYTHONPATH=str(REPO))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "planscan.cli", "ingest", str(path), "--db", str(db)], check=True, env=env,
                   capture_output=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.perf_counter() - t, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def sqlite_floor(tmp: Path, path: Path) -> tuple[float, float]:
    """The same rows through plain sqlite3 executemany (records already parsed): what SQLite costs."""
    records, _ = read_records_file(path)
    conn = sqlite3.connect(_fresh_db(tmp), isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.executescript(SCHEMA)
    conn.execute("INSERT INTO documents(id, sha256, source, input_kind, ingested_at) VALUES (1, 'x', 'x', 'x', 'x')")
    t, c = time.perf_counter(), time.process_time()
    conn.execute("BEGIN")
    conn.executemany(INDICATOR_INSERT, [_indicator_row(1, r) for r in records])
    conn.execute("COMMIT")
    conn.close()
    return time.perf_counter() - t, time.process_time() - c


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--docs", type=int, default=1000)
    args = ap.parse_args()
    n = args.records
    print(f"## Ingest of {n:,} generated records (load average {os.getloadavg()[0]:.1f})\n")
    print("| input | documents | rows stored (with derived) | wall s | CPU s | records/s (CPU) | records/s (wall) | target |")
    print("|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        many = tmp / "many.jsonl"
        write_jsonl(many, generate(n, args.docs, keyed=True))
        one = tmp / "one.jsonl"
        write_jsonl(one, [{k: v for k, v in r.items() if k != "document"} for r in generate(n, 1, keyed=True)])
        bare = tmp / "bare.jsonl"
        write_jsonl(bare, generate(n, args.docs, keyed=False))
        split = tmp / "split"
        split.mkdir()
        rows = generate(n, args.docs, keyed=True)
        per = n // args.docs
        files = []
        for d in range(args.docs):
            f = split / f"plan-{d:04d}.jsonl"
            write_jsonl(f, rows[d * per:(d + 1) * per])
            files.append(f)

        def row(name, docs, stored, wall, cpu, target="-"):
            print(f"| {name} | {docs:,} | {stored:,} | {wall:.2f} | {cpu:.2f} | {n / cpu:,.0f} | {n / wall:,.0f} | {target} |")

        wall, cpu = ingest_cli(tmp, many)
        _w, _c, stored = ingest_in_process(tmp, [many])
        row("one file, extract output, `planscan ingest` (fresh process)", args.docs, stored, wall, cpu, ">= 20,000/s")
        row("one file, extract output, in process", args.docs, stored, _w, _c)
        w, c, stored = ingest_in_process(tmp, [one])
        row("one file, one document, in process", 1, stored, w, c, "linear")
        w, c, stored = ingest_in_process(tmp, [bare])
        row("one file, no keys or period types (reader computes them), in process", args.docs, stored, w, c)
        w, c, stored = ingest_in_process(tmp, files)
        row(f"{args.docs:,} files of {per:,} records, in process", args.docs, stored, w, c)
        w, c = sqlite_floor(tmp, many)
        row("floor: plain sqlite3 executemany of the parsed rows", 1, n, w, c)


if __name__ == "__main__":
    main()
