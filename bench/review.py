"""Load on the review page: a store of 1,000 documents; the document list and a 10-page document
view must each render in under a second (issue 15). Prints one table: per page, the median wall
time and the median CPU time of several requests through Starlette's TestClient, the size of the
answer, and whether the slowest request stayed under a second.

The store is synthetic (the figures of the 2021 sample's recorded OCR, its five pages repeated to
ten with their figures, copied 1,000 times under distinct hashes, with the prior values ingest
derives), so it measures the page, not extraction. Each document's page images are a ten-page
PDF (the sample's scan twice), so the document view draws every figure's box over an image.

    .venv/bin/python bench/review.py [--documents 1000] [--repeat 7] [--db FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

from starlette.testclient import TestClient

from planscan.extract.compare import derive_values
from planscan.io.store import Store
from planscan.pipeline import extract_document, read_document
from planscan.review.app import create_app
from planscan.review.security import csrf_token

ROOT = Path(__file__).resolve().parents[1]
RECORDED = ROOT / "tests" / "cache" / "tuangiao-2021-scan-harsh.ocr.json"
SCAN = ROOT / "samples" / "tuangiao-2021" / "scan-harsh.pdf"
TOKEN = "bench-token"
PAGES = 10


def ten_page_pdf(out: Path) -> Path:
    """The sample's scan repeated to ``PAGES`` pages, as the searchable PDF of every document."""
    import pikepdf

    with pikepdf.open(SCAN) as src, pikepdf.new() as pdf:
        while len(pdf.pages) < PAGES:
            pdf.pages.extend(src.pages[: PAGES - len(pdf.pages)])
        pdf.save(out)
    return out


def build(db: Path, n_docs: int, pdf: Path) -> int:
    doc = read_document(RECORDED)
    meta, sections, records = extract_document(doc)
    n = len(doc.pages)
    pages = [p.model_copy(update={"number": i + 1}) for i, p in enumerate((doc.pages * PAGES)[:PAGES])]
    ten = doc.model_copy(update={"pages": pages})
    # the figures of page k appear again on page k + n, as the pages do
    figures = [r.model_copy(update={"page": (r.page or 1) + n * rep}) for rep in range(-(-PAGES // n))
               for r in records if (r.page or 1) + n * rep <= PAGES]
    figures += derive_values(figures)
    with Store(db) as s:
        s.add_documents([dict(records=figures, doc=ten, sections=sections, source=f"plan-{i}.pdf", sha256=f"{i:064x}",
                              input_kind="document", image_file=str(pdf),
                              meta=meta.model_copy(update={"district": f"{meta.district or 'district'} {i % 40}",
                                                           "date": f"20{10 + i % 12}-07-01"}))
                         for i in range(n_docs)])
        # reviews in every seventh document: some figures accepted, corrected and rejected
        for d in range(1, n_docs + 1, 7):
            ids = [r["id"] for r in s.query("SELECT id FROM indicators WHERE document_id=? AND derived=0", (d,))]
            s.add_reviews(d, [(i, "status", "accepted") for i in ids[0:9:3]]
                          + [(i, "status", "rejected") for i in ids[1:9:3]], "bench")
            s.add_reviews(d, [(i, "value", 1.0 + k) for k, i in enumerate(ids[2:9:3])], "bench")
    return len(figures)


def timed(client: TestClient, path: str, repeat: int, body=None) -> tuple[float, float, float, int]:
    """(median wall s, median CPU s, slowest wall s, bytes) of ``repeat`` requests of ``path``
    (GET, or POST of ``body(i)`` for the i-th request)."""
    walls, cpus, size = [], [], 0
    for i in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        r = client.get(path) if body is None else client.post(
            path, content=json.dumps(body(i)), headers={"X-CSRF-Token": csrf_token(TOKEN), "Content-Type": "application/json"})
        cpus.append(time.process_time() - c)
        walls.append(time.perf_counter() - t)
        assert r.status_code == 200, (path, r.status_code)
        size = len(r.content)
    return statistics.median(walls), statistics.median(cpus), max(walls), size


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--documents", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--db", type=Path, help="keep the store here (built when missing) instead of a temporary one")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "bench.db"
        t = time.perf_counter()
        if not db.exists():
            build(db, args.documents, ten_page_pdf(db.with_suffix(".pdf")))
        built = time.perf_counter() - t
        with Store(db) as s:
            counts = s.counts()
            n_reviews = s.query("SELECT count(*) AS n FROM reviews")[0]["n"]
            district = s.query("SELECT district FROM documents WHERE id=1")[0]["district"]
            reviewed = s.query("SELECT max(document_id) AS d FROM reviews")[0]["d"]
        os.environ["PLANSCAN_CACHE"] = str(Path(tmp) / "cache")  # page images rendered here, not in the user's cache
        with Store(db) as s:  # a kept store whose PDF moved with it
            s.conn.execute("UPDATE documents SET image_file=?", (str(db.with_suffix(".pdf")),))
        client = TestClient(create_app(db, TOKEN))
        client.get(f"/?token={TOKEN}")
        client.get("/doc/1/page/1.png")  # rendered once, as a first visit leaves it
        print(f"store: {counts['documents']} documents, {counts['pages']} pages, {counts['indicators']} figures,"
              f" {n_reviews} reviews, {db.stat().st_size / 2**20:.0f} MiB (ready in {built:.1f} s)")
        print(f"{'page':<34} {'median s':>9} {'CPU s':>7} {'max s':>7} {'KiB':>7} {'< 1 s':>6}")
        mid = counts["documents"] // 2
        with Store(db) as s:  # a figure some value is derived from: its correction re-derives that
            base = _base_of_derived(s, mid)
        for label, path in (("document list (all)", "/"), ("document list (one district)", f"/?district={district}"),
                            ("document list (search, dates)", "/?q=plan-12&date_from=2012-01-01"),
                            (f"{PAGES}-page document view", f"/doc/{mid}"),
                            (f"{PAGES}-page document view (reviewed)", f"/doc/{reviewed}"),
                            ("page image (cached PNG)", "/doc/1/page/1.png")):
            med, cpu, worst, size = timed(client, path, args.repeat)
            print(f"{label:<34} {med:>9.3f} {cpu:>7.3f} {worst:>7.3f} {size / 1024:>7.0f} {'yes' if worst < 1 else 'NO':>6}")
        med, cpu, worst, size = timed(client, f"/doc/{mid}/review", args.repeat, lambda i: {
            "figure": base["id"], "action": "correct", "fields": {"value": base["value"] + 1 + i % 2}})
        print(f"{'correct a figure (derived follow)':<34} {med:>9.3f} {cpu:>7.3f} {worst:>7.3f} {size / 1024:>7.0f}"
              f" {'yes' if worst < 1 else 'NO':>6}")


def _base_of_derived(s: Store, doc_id: int) -> dict:
    """A stated figure of ``doc_id`` with a derived value of the same key and page."""
    rows = s.figures(doc_id)
    derived = {(r["key"], r["page"]) for r in rows if r["derived"]}
    return next(r for r in rows if not r["derived"] and r["kind"] == "actual" and (r["key"], r["page"]) in derived)


if __name__ == "__main__":
    main()
