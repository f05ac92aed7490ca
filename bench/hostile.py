#!/usr/bin/env python3
"""Restoration on hostile input: worst time per 1,000 characters and peak memory, per case.

usage: bench/hostile.py [--chars 50000] [--seed 1] [--case NAME ...]

Each case is a generated text of about ``--chars`` characters: one long line, mixed scripts,
emoji, control characters, combining-mark storms, no spaces at all, OCR-like garble that is new
to every cache. Each runs in a fresh process (so peak memory is the case's own, start-up
included) in both modes: the whole text in one call, and every 1,000-character slice in a call of
its own; the worst slice is the figure the budget (50 ms per 1,000 characters) is about.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUDGET_MS = 50.0

VIET = "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
PLAIN = "abcdeghiklmnopqrstuvxy"
ARABIC = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
CJK = "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年"
CYRILLIC = "абвгдежзийклмнопрстуфхцчшщъыьэюя"
EMOJI = "😀😂🥲😍🤖👍🏽👨‍👩‍👧🇻🇳🔥💯✅❌"
CONTROL = "".join(chr(c) for c in (*range(0, 9), 11, 12, *range(14, 32), 127, 0x85, 0x2028, 0x200b, 0xfeff))
MARKS = "".join(chr(c) for c in range(0x300, 0x370))


def _word(rnd: random.Random, alphabet: str, lo: int = 1, hi: int = 7) -> str:
    return "".join(rnd.choice(alphabet) for _ in range(rnd.randint(lo, hi)))


def generate(name: str, n: int, seed: int) -> str:
    rnd = random.Random(f"{name}-{seed}")
    out: list[str] = []
    size = 0

    def add(s: str) -> None:
        nonlocal size
        out.append(s)
        size += len(s)

    while size < n:
        if name == "long-line":  # accent-less words, one line, no break at all
            add(_word(rnd, PLAIN) + " ")
        elif name == "mixed-scripts":
            add(_word(rnd, rnd.choice([VIET, ARABIC, CJK, CYRILLIC, EMOJI, PLAIN + "0123456789"])) + " ")
        elif name == "emoji":
            add(_word(rnd, EMOJI + PLAIN, 1, 12) + rnd.choice(" \n"))
        elif name == "control-chars":
            add(_word(rnd, PLAIN + CONTROL, 1, 10) + rnd.choice([" ", " ", "\n", "\r", "\f", "\t"]))
        elif name == "combining-storm":
            add("".join(rnd.choice(PLAIN) + "".join(rnd.choice(MARKS) for _ in range(rnd.randint(0, 40)))
                        for _ in range(rnd.randint(1, 6))) + " ")
        elif name == "no-spaces":  # marked letters, no space, no break
            add(_word(rnd, VIET, 50, 200))
        elif name == "no-spaces-garble":  # what English OCR prints, run together
            add(_word(rnd, PLAIN + "016¢&@ir", 50, 200))
        elif name == "fresh-garble":  # short OCR-like tokens, nearly every one new to the caches
            add(_word(rnd, PLAIN + "é6¢&ð1", 2, 9) + rnd.choice("  \n,.") )
        else:
            raise SystemExit(f"unknown case {name!r}")
    return "".join(out)[:n]


CASES = ("long-line", "mixed-scripts", "emoji", "control-chars", "combining-storm", "no-spaces",
         "no-spaces-garble", "fresh-garble")

_CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from hostile import generate
from planscan.extract.restore.restorer import Restorer
name, n, seed = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
text = generate(name, n, seed)
r = Restorer()
r.restore_text("Tong so", "full")  # load everything before the clock starts
out = {"chars": len(text)}
for mode in ("auto", "full"):
    t0 = time.process_time()
    res = r.restore_text(text, mode)
    whole = time.process_time() - t0
    assert len(res.splitlines()) == len(text.splitlines())
    worst = 0.0
    fresh = Restorer(lm=r.lm, vocab=r.vocab)  # cold caches: every slice costs what it would alone
    for i in range(0, len(text), 1000):
        piece = text[i:i + 1000]
        t0 = time.process_time()
        fresh.restore_text(piece, mode)
        worst = max(worst, (time.process_time() - t0) * 1000 * 1000 / max(len(piece), 1))
    out[mode] = {"whole_ms_per_1k": whole * 1000 * 1000 / len(text), "worst_slice_ms_per_1k": worst}
out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--chars", type=int, default=50_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--case", action="append", choices=CASES, help="run only these cases")
    args = ap.parse_args()
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Restoration on hostile input (CPU ms per 1,000 characters; budget {BUDGET_MS:.0f})")
    for col in ("case", "chars", "auto: whole", "auto: worst 1k slice", "full: whole", "full: worst 1k slice",
                "peak MB"):
        table.add_column(col, justify="left" if col == "case" else "right")
    worst_all = 0.0
    for name in args.case or CASES:
        proc = subprocess.run([sys.executable, "-c", _CHILD, str(ROOT / "bench"), name, str(args.chars),
                               str(args.seed)], capture_output=True, text=True, cwd=ROOT)
        if proc.returncode:
            table.add_row(name, "-", "FAILED: " + (proc.stderr.strip().splitlines() or ["?"])[-1], "", "", "", "")
            continue
        r = json.loads(proc.stdout)
        cells = []
        for mode in ("auto", "full"):
            for key in ("whole_ms_per_1k", "worst_slice_ms_per_1k"):
                v = r[mode][key]
                worst_all = max(worst_all, v)
                cells.append(("[red]" if v > BUDGET_MS else "") + f"{v:.1f}")
        table.add_row(name, f"{r['chars']:,}", *cells, f"{r['peak_mb']:.0f}")
    Console(width=150).print(table)
    print(f"worst: {worst_all:.1f} ms per 1,000 characters (budget {BUDGET_MS:.0f})")


# --- extraction (bench/hostile.py --extract) -------------------------------------------------------
# The same cases through the whole extraction of a text (metadata, headings and sections, the spaCy
# pipeline with quantities, periods and cues, labels), plus cases of its own.

EXTRACT_CASES = CASES + ("digits-100k", "nam-repeats", "figures-one-paragraph", "separator-lines")


def generate_extract(name: str, n: int, seed: int) -> str:
    rnd = random.Random(f"{name}-{seed}")
    if name == "digits-100k":  # 100,000 digits, no space
        return "".join(rnd.choice("0123456789") for _ in range(100_000))
    if name == "nam-repeats":  # the period word 10,000 times
        return "năm " * 10_000
    if name == "figures-one-paragraph":  # figure after figure, no full stop, no line break
        out, i = [], 0
        while sum(map(len, out)) < n:
            out.append(f"xã {i} đạt {rnd.randint(1, 9999)} tấn, ")
            i += 1
        return "Sản lượng lúa " + "".join(out)
    if name == "separator-lines":  # ruled lines between short paragraphs
        block = ("=" * 120 + "\n") * 40 + "Diện tích trồng rừng mới đạt 1.250 ha năm 2020.\n\n"
        return (block * (n // len(block) + 1))[:n]
    return generate(name, n, seed)


_EXTRACT_CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from hostile import generate_extract
from planscan.pipeline import extract_document, text_to_document
name, n, seed = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
text = generate_extract(name, n, seed)
extract_document(text_to_document("Tổng sản phẩm đạt 5 tỷ đồng năm 2020.", source="warm.txt"))  # load first
t0 = time.process_time()
meta, sections, records = extract_document(text_to_document(text, source="hostile.txt"))
whole = time.process_time() - t0
worst = 0.0
for i in range(0, len(text), 1000):
    piece = text[i:i + 1000]
    t0 = time.process_time()
    extract_document(text_to_document(piece, source="slice.txt"))
    worst = max(worst, (time.process_time() - t0) * 1000 * 1000 / max(len(piece), 1))
print(json.dumps({"chars": len(text), "records": len(records), "whole_ms_per_1k": whole * 1e6 / len(text),
                  "worst_slice_ms_per_1k": worst,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def main_extract() -> None:
    ap = argparse.ArgumentParser(description="Extraction on hostile input: CPU ms per 1,000 characters, peak memory")
    ap.add_argument("--extract", action="store_true")
    ap.add_argument("--chars", type=int, default=50_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--case", action="append", choices=EXTRACT_CASES, help="run only these cases")
    args = ap.parse_args()
    print(f"## Extraction on hostile input (CPU ms per 1,000 characters; budget {BUDGET_MS:.0f})\n")
    print("| case | chars | records | whole text | worst 1k slice | peak MB |")
    print("|---|---|---|---|---|---|")
    worst_all = 0.0
    for name in args.case or EXTRACT_CASES:
        proc = subprocess.run([sys.executable, "-c", _EXTRACT_CHILD, str(ROOT / "bench"), name, str(args.chars),
                               str(args.seed)], capture_output=True, text=True, cwd=ROOT)
        if proc.returncode:
            print(f"| {name} | FAILED: {(proc.stderr.strip().splitlines() or ['?'])[-1]} | | | | |")
            continue
        r = json.loads(proc.stdout)
        worst_all = max(worst_all, r["whole_ms_per_1k"], r["worst_slice_ms_per_1k"])
        print(f"| {name} | {r['chars']:,} | {r['records']:,} | {r['whole_ms_per_1k']:.1f} | "
              f"{r['worst_slice_ms_per_1k']:.1f} | {r['peak_mb']:.0f} |")
    print(f"\nworst: {worst_all:.1f} ms per 1,000 characters (budget {BUDGET_MS:.0f})")


if __name__ == "__main__":
    main_extract() if "--extract" in sys.argv else main()
