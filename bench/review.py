"""Load on the review page: a store of 1,000 documents; the document list and a 10-page document
view must each render in under a second (issue 15). Prints one table; the figures are timings.

The store is synthetic (the figures of the 2021 sample's recorded OCR, copied 1,000 times under
distinct hashes, pages repeated to ten), so it measures the page, not extraction.

    .venv/bin/python bench/review.py [--documents 1000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from starlette.testclient import TestClient

from planscan.io.store import Store
from planscan.pipeline import extract_document, read_document
from planscan.review.app import create_app

ROOT = Path(__file__).resolve().parents[1]
RECORDED = ROOT / "tests" / "cache" / "tuangiao-2021-scan-harsh.ocr.json"
TOKEN = "bench-token"


def build(db: Path, n_docs: int) -> int:
    doc = read_document(RECORDED)
    meta, sections, records = extract_document(doc)
    pages = [p.model_copy(update={"number": i + 1}) for i, p in enumerate((doc.pages * 2)[:10])]
    ten = doc.model_copy(update={"pages": pages})
    with Store(db) as s:
        for i in range(n_docs):
            m = meta.model_copy(update={"district": f"{meta.district or 'district'} {i % 40}", "date": f"20{10 + i % 12}-07-01"})
            s.add_document(records, m, ten, sections, source=f"plan-{i}.pdf", sha256=f"{i:064x}", input_kind="document")
        return len(records)


def timed(client: TestClient, path: str, repeat: int) -> tuple[float, float, int]:
    times = []
    size = 0
    for _ in range(repeat):
        t = time.perf_counter()
        r = client.get(path)
        times.append(time.perf_counter() - t)
        assert r.status_code == 200, (path, r.status_code)
        size = len(r.content)
    return statistics.median(times), max(times), size


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--documents", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        t = time.perf_counter()
        per_doc = build(db, args.documents)
        built = time.perf_counter() - t
        client = TestClient(create_app(db, TOKEN))
        client.get(f"/?token={TOKEN}")
        with Store(db) as s:  # some reviews, so the counts have work to do
            rows = s.query("SELECT id, document_id FROM indicators WHERE id % 7 = 0")
            for r in rows[:3000]:
                s.add_reviews(r["document_id"], [(r["id"], "status", "accepted")], "bench")
        print(f"store: {args.documents} documents x {per_doc} figures, 10 pages each (built in {built:.1f} s)")
        print(f"{'page':<32} {'median s':>9} {'max s':>7} {'KiB':>7} {'< 1 s':>6}")
        for label, path in (("document list (all)", "/"), ("document list (one district)", "/?district=x"),
                            ("10-page document view", "/doc/500"), ("10-page document view (reviewed)", "/doc/7")):
            if "district=x" in path:
                with Store(db) as s:
                    path = "/?district=" + s.query("SELECT district FROM documents WHERE id=1")[0]["district"]
            med, worst, size = timed(client, path, args.repeat)
            print(f"{label:<32} {med:>9.3f} {worst:>7.3f} {size / 1024:>7.0f} {'yes' if worst < 1 else 'NO':>6}")


if __name__ == "__main__":
    main()
