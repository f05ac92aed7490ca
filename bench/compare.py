"""Benchmark of year-on-year comparison and the SQLite store.

Prints, as tables:
1. pairing precision and recall against the hand pairing in tests/test_compare.py, on the
   hand-labelled records and on records extracted by planscan from gold.txt / ocr-eng.txt
   (and, with --ocr, from scan-harsh.pdf);
2. the stated-change checks of the 2021 plan (consistent / inconsistent / unverifiable);
3. the time to diff two 10-page plans from extracted JSON (in process and as a CLI run);
4. the time to ingest 1,000 documents' records into a fresh SQLite store (in process and CLI).

Run: .venv/bin/python bench/compare.py [--corpus ../shared/corpus] [--ocr]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from planscan.extract.compare import ComparedDocument, compare_documents  # noqa: E402
from planscan.extract.compare.pairing import paired_indices  # noqa: E402
from planscan.io.records import read_records_file  # noqa: E402
from planscan.pipeline import load_input  # noqa: E402
from planscan.extract.text.units import compatible  # noqa: E402


def _hand():
    spec = importlib.util.spec_from_file_location("hand", REPO / "tests" / "extract" / "compare" / "test_compare.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.HAND_PAIRS, mod.HAND_CONFIRMED


def _align(extracted, gold) -> dict[int, int]:
    """Map extracted record index -> gold record index: same value, year and compatible unit,
    each gold record used once (as ../shared/tools/score_indicators.py counts a find)."""
    used: set[int] = set()
    out = {}
    for i, r in enumerate(extracted):
        for j, g in enumerate(gold):
            if j in used or abs(r.value - g.value) > 1e-9 or r.year != g.year or r.kind in ("change", "ratio_to_prior"):
                continue
            if g.kind in ("change", "ratio_to_prior"):
                continue
            if compatible(g.unit, r.unit)[0]:
                out[i] = j
                used.add(j)
                break
    return out


def pairing_scores(docs_old, docs_new, gold_old, gold_new, hand):
    docs = [docs_old, docs_new]
    pairs = paired_indices(docs)
    if gold_old is None:
        mapped = pairs
        unmapped = 0
    else:
        ma, mb = _align(docs_old.records, gold_old), _align(docs_new.records, gold_new)
        mapped = {(ma[a], mb[b]) for a, b in pairs if a in ma and b in mb}
        unmapped = sum(1 for a, b in pairs if a not in ma or b not in mb)
    correct = len(mapped & hand)
    precision = correct / len(mapped) if mapped else 0.0
    recall = correct / len(hand)
    return len(pairs), len(mapped), unmapped, correct, precision, recall


def checks_2021(docs_old, docs_new):
    res = compare_documents([docs_old, docs_new])
    checks = [c for r in res.rows for c in r.checks if c.document == docs_new.name]
    return {s: sum(c.status == s for c in checks) for s in ("consistent", "inconsistent", "unverifiable")}


def _timed(fn, repeat=3):
    best = float("inf")
    out = None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def _ten_pages(records, pages=10):
    """Records of a plan made 10 pages long: its pages repeated, labels kept (a hard case for a
    one-to-one assignment, since every label occurs several times)."""
    n = max(r.page for r in records)
    out = []
    k = 0
    while k * n < pages:
        for r in records:
            if r.page + k * n <= pages:
                # a repeated page states other values, or it would be the same statement again
                out.append(r.model_copy(update={"page": r.page + k * n, "value": round(r.value * (1 + k / 100), 4)}))
        k += 1
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(REPO.parent / "shared" / "corpus"))
    ap.add_argument("--ocr", action="store_true", help="also extract from scan-harsh.pdf (slow: runs Tesseract)")
    ap.add_argument("--docs", type=int, default=1000, help="documents for the ingest benchmark")
    args = ap.parse_args()
    corpus = Path(args.corpus)
    if not corpus.exists():
        corpus = REPO / "samples"
    hand, confirmed = _hand()
    gold = [read_records_file(corpus / f"tuangiao-{y}" / "indicators.jsonl")[0] for y in (2020, 2021)]
    gdocs = [ComparedDocument(f"tuangiao-{y}", g) for y, g in zip((2020, 2021), gold)]

    print("## Pairing of tuangiao-2020 with tuangiao-2021 (hand pairing: %d pairs)\n" % len(hand))
    print("| records from | pairs made | pairs on labelled figures | pairs with unlabelled records | correct | precision | recall |")
    print("|---|---|---|---|---|---|---|")
    made, mapped, unm, corr, p, r = pairing_scores(gdocs[0], gdocs[1], None, None, hand)
    print(f"| hand-labelled indicators.jsonl | {made} | {mapped} | {unm} | {corr} | {p:.3f} | {r:.3f} |")
    sources = ["gold.txt", "ocr-eng.txt"] + (["scan-harsh.pdf"] if args.ocr else [])
    extracted: dict[str, list[ComparedDocument]] = {}
    for src in sources:
        try:
            docs = []
            for y in (2020, 2021):
                recs, meta, _d, _s = load_input(corpus / f"tuangiao-{y}" / src)
                docs.append(ComparedDocument(f"tuangiao-{y}", list(recs), meta))
        except Exception as e:  # extraction is another module's job; report, do not stop
            print(f"| {src} | extraction failed: {e} |")
            continue
        extracted[src] = docs
        made, mapped, unm, corr, p, r = pairing_scores(docs[0], docs[1], gold[0], gold[1], hand)
        print(f"| extracted from {src} | {made} | {mapped} | {unm} | {corr} | {p:.3f} | {r:.3f} |")

    print("\n## Stated changes of the 2021 plan checked against the 2020 plan\n")
    print("| records from | consistent | inconsistent | unverifiable | hand: confirmable |")
    print("|---|---|---|---|---|")
    c = checks_2021(*gdocs)
    print(f"| hand-labelled | {c['consistent']} | {c['inconsistent']} | {c['unverifiable']} | {len(confirmed)} |")
    for src, docs in extracted.items():
        c = checks_2021(*docs)
        print(f"| extracted from {src} | {c['consistent']} | {c['inconsistent']} | {c['unverifiable']} | {len(confirmed)} |")

    print("\n## Speed (2-core machine shared with other jobs; best of 3)\n")
    print("| task | size | in process | CLI (fresh process) | target |")
    print("|---|---|---|---|---|")
    base = extracted.get("gold.txt") or gdocs
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        files = []
        for d in base:
            recs = _ten_pages(d.records)
            f = tmp / f"{d.name}.json"
            f.write_text(json.dumps([x.model_dump(mode="json") for x in recs], ensure_ascii=False), encoding="utf-8")
            files.append((f, len(recs)))
        from planscan.pipeline import diff_inputs as run_diff

        t_in, res = _timed(lambda: run_diff([f for f, _ in files]))
        env = dict(os.environ, PYTHONPATH=str(REPO))
        cmd = [sys.executable, "-m", "planscan.cli", "diff", str(files[0][0]), str(files[1][0]), "--format", "json",
               "-o", str(tmp / "out.json")]
        t_cli, _ = _timed(lambda: subprocess.run(cmd, check=True, env=env, capture_output=True))
        print(f"| diff two 10-page plans from extracted JSON | {files[0][1]} + {files[1][1]} records, {len(res.rows)} rows "
              f"| {t_in:.3f} s | {t_cli:.3f} s | < 1 s |")

        # 1,000 documents' records: the two plans' labelled records, re-dated and re-placed
        many = tmp / "many.jsonl"
        n = args.docs
        total = 0
        with many.open("w", encoding="utf-8") as fh:
            for i in range(n):
                src = gold[i % 2]
                for rec in src:
                    row = rec.model_dump(mode="json")
                    # distinct content per document, or the store rightly keeps one copy
                    row["year"] = (rec.year or 2000) + i % 30
                    row["value"] = round(rec.value * (1 + (i // 30) / 1000), 4)
                    row["document"] = f"district-{i // 60:03d}/plan-{i:04d}"
                    fh.write(json.dumps(row, ensure_ascii=False) + "\n")
                    total += 1
        from planscan.io.store import Store
        from planscan.pipeline import ingest_path

        def ingest_once():
            db = tmp / f"s{time.perf_counter_ns()}.db"
            with Store(db) as s:
                ingest_path(s, many)
                return s.counts()

        t_ing, counts = _timed(ingest_once, repeat=2)

        def ingest_cli():
            db = tmp / f"c{time.perf_counter_ns()}.db"
            subprocess.run([sys.executable, "-m", "planscan.cli", "ingest", str(many), "--db", str(db)], check=True,
                           env=env, capture_output=True)

        t_ing_cli, _ = _timed(ingest_cli, repeat=2)
        print(f"| ingest {n:,} documents' records | {total:,} records -> {counts['indicators']:,} rows (with derived) "
              f"| {t_ing:.2f} s | {t_ing_cli:.2f} s | < 30 s |")


if __name__ == "__main__":
    main()
