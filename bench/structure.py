"""Structure benchmark: metadata fields, section tree and quantity recall per input channel, plus speed.

    .venv/bin/python bench/structure.py [--corpus ../shared/corpus] [--repeat 20] [--restore] [--scan harsh]

Channels per corpus document: gold.txt, gold.txt with every diacritic stripped, ocr-eng.txt as OCR
left it, (with --restore) ocr-eng.txt after diacritic restoration, and (with --scan KIND)
scan-KIND.pdf through planscan's OCR and restoration (pipeline.read_document).
- metadata: how many of the fields read from gold.txt the channel reproduces (accent-folded compare);
- sections: headings of the gold tree found in the channel's tree with the same depth, style and
  number (precision/recall over the (depth, style, number) sequence, bullets excluded);
- quantities: labelled figures (indicators.jsonl) that find_quantities alone recovers with the same
  value and unit head: the ceiling for the indicator stage;
- speed: pages per second of parse_metadata + parse_sections + find_quantities + find_periods.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from planscan.extract.structure.metadata import parse_metadata  # noqa: E402
from planscan.extract.text.fold import strip_marks  # noqa: E402
from planscan.extract.text.numbers import find_quantities  # noqa: E402
from planscan.extract.text.periods import find_periods  # noqa: E402
from planscan.extract.structure.sections import iter_sections, parse_sections  # noqa: E402
from planscan.extract.text.fold import fold  # noqa: E402
from planscan.pipeline import text_to_document  # noqa: E402

FIELDS = ["issuer", "parent_issuer", "district", "province", "number", "code", "place", "date", "doc_type",
          "title", "plan_year", "report_period", "report_year"]


def shape(root) -> list[tuple]:
    return [(s.level, s.style, s.id.rsplit("/", 1)[-1]) for s in iter_sections(root) if s.style != "bullet"]


def prf(hyp: list, ref: list) -> tuple[float, float]:
    common = sum((Counter(hyp) & Counter(ref)).values())
    return (common / len(hyp) if hyp else 0.0), (common / len(ref) if ref else 0.0)


def quantity_recall(text: str, gold: list[dict]) -> float:
    found = [(abs(q.value), fold(q.unit or "").split("/")[0].split()[:1]) for q in find_quantities(text)]
    hits = 0
    for g in gold:
        want = (abs(float(g["value"])), fold(g["unit"]).split("/")[0].split()[:1])
        for i, f in enumerate(found):
            if abs(f[0] - want[0]) < 1e-9 and f[1] == want[1]:
                hits += 1
                found.pop(i)
                break
    return hits / len(gold) if gold else 0.0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--repeat", type=int, default=20, help="Timing repetitions over all texts.")
    ap.add_argument("--restore", action="store_true", help="Also score ocr-eng.txt after restoration.")
    ap.add_argument("--scan", default=None, help="Also OCR scan-<KIND>.pdf (e.g. harsh) and score it.")
    args = ap.parse_args()

    docs = sorted(p for p in args.corpus.iterdir() if (p / "gold.txt").exists())
    table = Table(title="planscan structure: metadata, sections, quantities")
    for col in ("document", "input", "metadata fields", "sections P", "sections R", "quantity recall"):
        table.add_column(col, justify="right" if col not in ("document", "input") else "left")
    texts = []
    for d in docs:
        gold_text = (d / "gold.txt").read_text(encoding="utf-8")
        labelled = [json.loads(ln) for ln in (d / "indicators.jsonl").read_text(encoding="utf-8").splitlines() if ln]
        ref_doc = text_to_document(gold_text)
        ref_meta, ref_tree = parse_metadata(ref_doc), shape(parse_sections(ref_doc))
        channels = {"gold.txt": gold_text, "gold, accents stripped": strip_marks(gold_text)}
        if (d / "ocr-eng.txt").exists():
            ocr = (d / "ocr-eng.txt").read_text(encoding="utf-8")
            channels["ocr-eng.txt"] = ocr
            if args.restore:
                from planscan.extract.restore.restorer import restore_document

                # as the pipeline does it: lines keep their OCR form in Line.original
                channels["ocr-eng.txt restored"] = restore_document(text_to_document(ocr))
        scan = d / f"scan-{args.scan}.pdf" if args.scan else None
        if scan is not None and scan.exists():
            from planscan.ocr.settings import OcrSettings
            from planscan.pipeline import read_document

            channels[scan.name] = read_document(scan, OcrSettings())
        for name, text in channels.items():
            doc = text if not isinstance(text, str) else text_to_document(text)
            text = doc.text
            meta = parse_metadata(doc)
            ok = sum(
                fold(str(getattr(meta, f))) == fold(str(getattr(ref_meta, f)))
                for f in FIELDS
                if getattr(ref_meta, f) is not None
            )
            total = sum(getattr(ref_meta, f) is not None for f in FIELDS)
            p, r = prf(shape(parse_sections(doc)), ref_tree)
            table.add_row(d.name, name, f"{ok}/{total}", f"{p:.3f}", f"{r:.3f}", f"{quantity_recall(text, labelled):.3f}")
            if isinstance(channels[name], str):
                texts.append(text)
    console = Console(width=140)
    console.print(table)

    pages = sum(t.count("\f") + 1 for t in texts)
    t0 = time.perf_counter()
    for _ in range(args.repeat):
        for t in texts:
            doc = text_to_document(t)
            parse_metadata(doc)
            parse_sections(doc)
            find_quantities(t)
            find_periods(t)
    dt = time.perf_counter() - t0
    speed = Table(title="speed from text (metadata + sections + quantities + periods)")
    for col in ("pages", "seconds", "pages/s"):
        speed.add_column(col, justify="right")
    speed.add_row(str(pages * args.repeat), f"{dt:.2f}", f"{pages * args.repeat / dt:.1f}")
    console.print(speed)


if __name__ == "__main__":
    main()
