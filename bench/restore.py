#!/usr/bin/env python3
"""Diacritic restoration benchmark: one table, peers in the same run, on every development document.

usage: bench/restore.py [--corpus ../shared/corpus] [--text-corpus ../shared/text-corpus]
                        [--no-speed] [--no-pyvi] [--no-heldout] [--heldout-chars N] [--tokens 100000]

Rows, per development document (the two Tuần Giáo plans and the six other-sector folders):
English-model OCR (``ocr-eng.txt``; line-aligned for tuangiao-2020, whole text otherwise) and the
gold text stripped of its diacritics (line-aligned); then correct text through ``auto`` (share of
syllables unchanged and figures whose digits changed); then the 50 documents of the text corpus
kept out of the statistics (bench/data/heldout-docs.txt), stripped and through the synthetic
English-OCR channel (bench/synthetic_ocr.py). Peers in every row: the text unchanged, pyvi's
``ViUtils.add_accents`` and planscan. Accuracy is syllable accuracy as
``../shared/tools/score_text.py`` computes it (vnmetrics).

Speed: ``planscan restore`` and pyvi in fresh processes on the same ~100k-token file, start-up
included; start-up alone; the language model's load.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "scripts"))

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from planscan.extract.restore import Restorer  # noqa: E402
from planscan.extract.text.fold import strip_marks  # noqa: E402

DOCS = ("tuangiao-2020", "tuangiao-2021", "cp-nq122-2026-thang4", "longan-khktxh-2011-2015",
        "laichau-caosu-2015", "backan-giaorung-2009-2015", "haiduong-chilinh-2009", "phutho-thuongmai-2020")
LINE_ALIGNED_OCR = {"tuangiao-2020"}
TARGET_OCR, TARGET_STRIP, TARGET_AUTO = 0.96, 0.985, 0.998
_FIGURE = re.compile(r"\d+(?:[.,]\d+)*")


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
    from pyvi import ViUtils

    out = []
    for line in text.split("\n"):
        try:
            out.append(ViUtils.add_accents(line) if line.strip() else line)
        except Exception:  # pyvi crashes on some OCR lines; keep the line as it was
            out.append(line)
    return "\n".join(out)


def figures_changed(before: str, after: str) -> int:
    """Figures (digit runs with their separators) that differ, line by line, between two texts."""
    n = 0
    for a, b in zip(before.split("\n"), after.split("\n"), strict=True):
        fa, fb = _FIGURE.findall(a), _FIGURE.findall(b)
        if fa != fb:
            n += max(len(fa), len(fb)) - sum(1 for x, y in zip(fa, fb) if x == y)
    return n


def dev_cases(corpus: Path) -> list[tuple[str, str, str, str, bool]]:
    """(document, input kind, text, gold, line-aligned) for every development document."""
    cases = []
    for name in DOCS:
        d = corpus / name
        gold = read(d / "gold.txt")
        cases.append((name, "English OCR", read(d / "ocr-eng.txt"), gold, name in LINE_ALIGNED_OCR))
        cases.append((name, "stripped", strip_marks(gold), gold, True))
    return cases


def heldout_texts(text_corpus: Path, limit: int | None) -> list[str]:
    """The held-out corpus documents (bench/data/heldout-docs.txt), each cut to ``limit`` characters
    at a line break when a limit is given."""
    from build_lm import FILES, read_documents, read_heldout

    wanted = set(read_heldout())
    out = []
    for f in FILES:
        for d in read_documents(text_corpus / f):
            if d["id"] in wanted:
                t = d["text"]
                if limit and len(t) > limit:
                    t = t[: t.rfind("\n", 0, limit) + 1 or limit]
                out.append(t)
    return out


def pct(x: float | None) -> str:
    return "-" if x is None else f"{x:.2%}"


def accuracy_table(args, m, restorer: Restorer) -> None:
    table = Table(title="Diacritic restoration: syllable accuracy (planscan restore --mode auto)")
    for col in ("document", "input", "unchanged", "pyvi", "planscan", "target", "planscan s"):
        table.add_column(col, justify="left" if col in ("document", "input") else "right")
    for name, kind, hyp, gold, lines in dev_cases(args.corpus):
        t0 = time.perf_counter()
        out = restorer.restore_text(hyp, "auto")
        dt = time.perf_counter() - t0
        ours = score(m, out, gold, lines)
        target = TARGET_OCR if kind == "English OCR" else TARGET_STRIP
        pv = None if args.no_pyvi else score(m, pyvi_restore(hyp), gold, lines)
        how = kind + ("" if lines else " (whole text)")
        table.add_row(name, how, pct(score(m, hyp, gold, lines)), pct(pv),
                      ("" if ours >= target else "[red]") + pct(ours), f">= {target:.1%}", f"{dt:.2f}")
    table.add_section()
    for name in DOCS:
        gold = read(args.corpus / name / "gold.txt")
        out = restorer.restore_text(gold, "auto")
        share = m.syllable_accuracy(out.split("\n"), gold.split("\n"))
        table.add_row(name, "correct text through auto: unchanged / figures changed", "100.00% / 0",
                      "-", f"{share:.2%} / {figures_changed(gold, out)}", f">= {TARGET_AUTO:.1%} / 0", "")
    if not args.no_heldout:
        from synthetic_ocr import SyntheticOCR

        table.add_section()
        texts = heldout_texts(args.text_corpus, args.heldout_chars)
        synth = SyntheticOCR()
        for kind, make in (("stripped", strip_marks),
                           ("synthetic English OCR", lambda t: synth.text(t, seed=1))):
            base, pv, ours = [], [], []
            t0 = time.perf_counter()
            for gold in texts:
                hyp = make(gold)
                base.append(score(m, hyp, gold, True))
                ours.append(score(m, restorer.restore_text(hyp, "auto"), gold, True))
                if not args.no_pyvi:
                    pv.append(score(m, pyvi_restore(hyp), gold, True))
            dt = time.perf_counter() - t0
            table.add_row(f"{len(texts)} held-out corpus docs (mean; min)", kind,
                          pct(statistics.mean(base)), "-" if not pv else pct(statistics.mean(pv)),
                          f"{statistics.mean(ours):.2%}; {min(ours):.2%}", "-", f"{dt:.2f}")
    Console(width=160).print(table)


def _run(cmd: list[str], env: dict, stdin: Path | None = None) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one child process: CPU time is what one core spent, which
    stays meaningful when other jobs share the machine."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    with open(stdin or os.devnull, "rb") as fh:
        subprocess.run(cmd, check=True, env=env, stdin=fh, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


_PYVI = ("import sys\nfrom pyvi import ViUtils\nfor line in sys.stdin:\n"
         "    try:\n        sys.stdout.write(ViUtils.add_accents(line.rstrip('\\n')) + '\\n')\n"
         "    except Exception:\n        sys.stdout.write(line)\n")


def speed_table(args) -> None:
    texts = [read(args.corpus / n / "ocr-eng.txt") for n in DOCS]
    texts += [strip_marks(read(args.corpus / n / "gold.txt")) for n in DOCS]
    body, n, i = [], 0, 0
    while n < args.tokens:
        t = texts[i % len(texts)]
        body.append(t)
        n += len(t.split())
        i += 1
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    planscan = [sys.executable, "-c", "import sys; from planscan.cli import main; main(sys.argv[1:])"]
    st = Table(title="Restoration speed: fresh process, start-up included, same file")
    for col in ("run", "tokens", "wall s", "tokens/s (wall)", "CPU s", "tokens/s (one core)", "target"):
        st.add_column(col, justify="right")
    with tempfile.TemporaryDirectory() as d:
        one, big = Path(d) / "one.txt", Path(d) / "big.txt"
        one.write_text("Tong so\n", encoding="utf-8")
        big.write_text("\n".join(body), encoding="utf-8")
        _run(planscan + ["restore", "--mode", "off", str(one)], env)  # the vocabulary cache, as installed
        tokens = len(big.read_text(encoding="utf-8").split())
        rows = [("planscan start-up (one line)", 2, *_run(planscan + ["restore", "--mode", "full", str(one)], env),
                 "<= 1 s"),
                ("language model load (import, table, first lookup)", 0,
                 *_run([sys.executable, "-c", "from planscan.extract.restore.lm import LanguageModel as L; "
                                              "L.shipped().logp('năm', 'trong')"], env), "<= 0.5 s"),
                ("planscan restore --mode full", tokens, *_run(planscan + ["restore", "--mode", "full", str(big)], env),
                 ">= 3x pyvi")]
        if not args.no_pyvi:
            rows.append(("pyvi ViUtils.add_accents", tokens, *_run([sys.executable, "-c", _PYVI], env, stdin=big), "-"))
    for name, n, wall, cpu, target in rows:
        st.add_row(name, f"{n:,}" if n else "-", f"{wall:.2f}", f"{n / wall:,.0f}" if n > 10 else "-",
                   f"{cpu:.2f}", f"{n / max(cpu, 1e-9):,.0f}" if n > 10 else "-", target)
    Console(width=160).print(st)
    if not args.no_pyvi:
        print(f"throughput vs pyvi (CPU): {(rows[2][3] and rows[3][3] / rows[2][3]):.1f}x")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--text-corpus", type=Path, default=ROOT.parent / "shared" / "text-corpus")
    ap.add_argument("--no-speed", action="store_true", help="skip the speed runs")
    ap.add_argument("--no-pyvi", action="store_true", help="skip the pyvi peer")
    ap.add_argument("--no-heldout", action="store_true", help="skip the held-out corpus documents")
    ap.add_argument("--no-accuracy", action="store_true", help="skip the accuracy table")
    ap.add_argument("--heldout-chars", type=int, default=None, help="cut each held-out document to this length")
    ap.add_argument("--tokens", type=int, default=100_000, help="size of the speed test file")
    args = ap.parse_args()
    if not args.corpus.exists():
        sys.exit(f"{args.corpus}: corpus not found; pass --corpus")
    if not args.no_accuracy:
        accuracy_table(args, metrics(args.corpus), Restorer())
    if not args.no_speed:
        speed_table(args)


if __name__ == "__main__":
    main()
