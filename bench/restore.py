#!/usr/bin/env python3
"""Diacritic restoration benchmark: accuracy against the dev corpus, pyvi baseline, and speed.

usage: bench/restore.py [--corpus ../shared/corpus] [--no-speed] [--no-pyvi] [--tokens 100000]

Accuracy is syllable accuracy as computed by ../shared/tools/score_text.py (vnmetrics): line-aligned
where the files are line-aligned, whole-text otherwise. Speed runs ``planscan restore`` in a fresh
process on a ~100k-token file, so start-up (imports, vocabulary load) is included.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from planscan.extract.restore import restore_text  # noqa: E402
from planscan.extract.syllables import strip_marks  # noqa: E402


def metrics(corpus: Path):
    sys.path.insert(0, str(corpus.parent / "tools"))
    import vnmetrics  # type: ignore

    return vnmetrics


def read(p: Path) -> str:
    return p.read_text(encoding="utf-8")


def score(m, hyp: str, gold: str, lines: bool) -> float:
    h = hyp.replace("\f", "").split("\n")
    g = gold.replace("\f", "").split("\n")
    if lines:
        assert len(h) == len(g), f"line count differs: {len(h)} vs {len(g)}"
        return m.syllable_accuracy(h, g)
    return m.text_accuracy("\n".join(h), "\n".join(g))


def pyvi_restore(text: str) -> str:
    try:
        from pyvi import ViUtils
    except ImportError:
        return ""
    out = []
    for line in text.split("\n"):
        try:
            out.append(ViUtils.add_accents(line) if line.strip() else line)
        except Exception:  # pyvi crashes on some OCR lines; keep the line as it was
            out.append(line)
    return "\n".join(out)


def unchanged_share(m, before: str, after: str) -> float:
    return m.syllable_accuracy(after.split("\n"), before.split("\n"))


def speed(corpus: Path, n_tokens: int) -> tuple[float, float, int, float, int]:
    """Tokens/s including start-up, start-up seconds and tokens for `planscan restore --mode full`
    on a ~n_tokens file made of the dev texts repeated; then tokens/s and tokens on the texts once."""
    texts = [read(p) for p in sorted(corpus.glob("*/ocr-eng.txt"))]
    texts += [strip_marks(read(p)) for p in sorted(corpus.glob("*/gold.txt"))]
    body, n = [], 0
    i = 0
    while n < n_tokens:
        t = texts[i % len(texts)]
        body.append(t)
        n += len(t.split())
        i += 1
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "big.txt"
        f.write_text("\n".join(body), encoding="utf-8")
        cmd = [sys.executable, "-c", "import sys; from planscan.cli import main; main(sys.argv[1:])"]
        # warm the vocabulary cache once, as an installed tool would have it
        subprocess.run(cmd + ["restore", "--mode", "off", str(f)], check=True, env=env, stdout=subprocess.DEVNULL)
        (Path(d) / "one.txt").write_text("Tong so\n", encoding="utf-8")
        t0 = time.perf_counter()
        subprocess.run(cmd + ["restore", "--mode", "full", str(Path(d) / "one.txt")], check=True, env=env,
                       stdout=subprocess.DEVNULL)
        startup = time.perf_counter() - t0
        t0 = time.perf_counter()
        subprocess.run(cmd + ["restore", "--mode", "full", str(f)], check=True, env=env, stdout=subprocess.DEVNULL)
        total = time.perf_counter() - t0
        # each text once: every token form is new to the per-token candidate cache
        cold = Path(d) / "cold.txt"
        cold.write_text("\n".join(texts), encoding="utf-8")
        n_cold = sum(len(t.split()) for t in texts)
        t0 = time.perf_counter()
        subprocess.run(cmd + ["restore", "--mode", "full", str(cold)], check=True, env=env, stdout=subprocess.DEVNULL)
        cold_rate = n_cold / (time.perf_counter() - t0)
    return n / total, startup, n, cold_rate, n_cold


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--no-speed", action="store_true", help="skip the speed run")
    ap.add_argument("--no-pyvi", action="store_true", help="skip the pyvi baseline")
    ap.add_argument("--tokens", type=int, default=100_000, help="size of the speed test file")
    ap.add_argument("--dump", type=Path, default=None, help="write each restored text into this folder")
    args = ap.parse_args()
    corpus = args.corpus
    if not corpus.exists():
        sys.exit(f"{corpus}: corpus not found; pass --corpus")
    m = metrics(corpus)

    y20, y21 = corpus / "tuangiao-2020", corpus / "tuangiao-2021"
    cases = [
        ("2020 ocr-eng, line-aligned", read(y20 / "ocr-eng.txt"), read(y20 / "gold.txt"), True, "auto", 0.95),
        ("2021 ocr-eng, whole text", read(y21 / "ocr-eng.txt"), read(y21 / "gold.txt"), False, "auto", 0.95),
        ("2020 gold, diacritics stripped", strip_marks(read(y20 / "gold.txt")), read(y20 / "gold.txt"), True,
         "auto", 0.98),
        ("2021 gold, diacritics stripped", strip_marks(read(y21 / "gold.txt")), read(y21 / "gold.txt"), True,
         "auto", 0.98),
    ]
    table = Table(title="Diacritic restoration: syllable accuracy")
    for col in ("input", "unchanged", "planscan auto", "pyvi add_accents", "target", "time s"):
        table.add_column(col, justify="right" if col != "input" else "left")
    for name, hyp, gold, lines, mode, target in cases:
        t0 = time.perf_counter()
        out = restore_text(hyp, mode)
        dt = time.perf_counter() - t0
        if args.dump:
            args.dump.mkdir(parents=True, exist_ok=True)
            (args.dump / (name.split(",")[0].replace(" ", "-") + ("-stripped" if "stripped" in name else "")
                          + ".txt")).write_text(out, encoding="utf-8")
        base = score(m, hyp, gold, lines)
        ours = score(m, out, gold, lines)
        pv = "-" if args.no_pyvi else f"{score(m, pyvi_restore(hyp), gold, lines):.2%}"
        table.add_row(name, f"{base:.2%}", f"{ours:.2%}", pv, f">= {target:.0%}", f"{dt:.2f}")
    for name, p in (("2020 gold through auto", y20 / "gold.txt"), ("2021 gold through auto", y21 / "gold.txt")):
        gold = read(p)
        out = restore_text(gold, "auto")
        table.add_row(name + " (share unchanged)", "100.00%", f"{unchanged_share(m, gold, out):.2%}", "-",
                      ">= 99.5%", "")
    Console(width=150).print(table)

    if not args.no_speed:
        rate, startup, n, cold_rate, n_cold = speed(corpus, args.tokens)
        st = Table(title="Restoration speed (fresh process, one core, start-up included)")
        for col in ("file", "tokens", "tokens/s", "target", "start-up s", "target "):
            st.add_column(col, justify="right")
        st.add_row("dev texts repeated", str(n), f"{rate:,.0f}", ">= 20,000", f"{startup:.2f}", "<= 2")
        st.add_row("dev texts once (cold cache)", str(n_cold), f"{cold_rate:,.0f}", "-", "", "")
        Console(width=150).print(st)


if __name__ == "__main__":
    main()
