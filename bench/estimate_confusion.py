#!/usr/bin/env python3
"""Estimate an OCR character-edit table from aligned text (scripts/build_channel.py uses its
estimator for the shipped data/channel-*.tsv; the development documents are never its input).

usage: bench/estimate_confusion.py OCR.txt GOLD.txt [OCR.txt GOLD.txt ...] -o channel.tsv

OCR/GOLD pairs with the same number of lines are taken as line-aligned; others are aligned as
whole texts. Tokens are paired by a word-level alignment of each line (or text), then letters by a character alignment of each token pair.
What is counted is how a written letter came out, as 0, 1 or 2 printed characters: a table of
character edits, never of words. Costs are smoothed negative log probabilities.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path
from typing import Iterator

from rapidfuzz.distance import Levenshtein

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from planscan.extract.restore.channel import escape  # noqa: E402
from planscan.extract.text.syllables import TONES, key_of, split_tone  # noqa: E402

VOWELS = set("aeiouy")

_TOKEN = re.compile(r"(?:[^\W_]|[¢&§@$|!'‘’(])+")
# Digits and symbols an engine prints for letters, read as those letters only to tell an OCR error
# ("6" for "ở", "¢6" for "có") from a misalignment; what they cost is what the counts say.
_LOOKALIKE = str.maketrans("60&@1|!¢5$§", "oooalllcsss")
# Smoothing: pseudo-counts given to the next, coarser level of the back-off.
BETA = 5.0
# Share of the class level (shape confusions pooled over all marked vowels) in the key level's prior.
CLASS_WEIGHT = 1.0
# Share of the class level mixed into every letter's shape confusions.
CLASS_MIX = 0.2


def tokens(line: str) -> list[str]:
    return _TOKEN.findall(unicodedata.normalize("NFC", line).lower())


def letter_outputs(gold: str, ocr: str) -> list[tuple[str, str]] | None:
    """For each letter of ``gold``, what it printed as in ``ocr`` (0-2 characters).

    The alignment runs on the diacritic-free forms, so "á" lines up with "a" or "d" by position
    rather than being matched against an unrelated equal letter elsewhere in the token.
    """
    outs = [""] * len(gold)
    gk, ok = key_of(gold), key_of(ocr)
    if len(gk) != len(gold) or len(ok) != len(ocr):
        return None

    def attach(i1: int, text: str) -> None:
        # printed extras sit with the vowel they belong to: "thir" is t-h-(ir), not t-(hi)-r
        if i1 < len(gold) and (i1 == 0 or (gk[i1 - 1] not in VOWELS and gk[i1] in VOWELS)):
            outs[i1] = text + outs[i1]
        else:
            outs[i1 - 1] += text

    for tag, i1, i2, j1, j2 in Levenshtein.opcodes(gk, ok):
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            for k in range(i2 - i1):
                outs[i1 + k] += ocr[j1 + k]
        elif tag == "replace":
            n = min(i2 - i1, j2 - j1)
            for k in range(n):
                outs[i1 + k] += ocr[j1 + k]
            if j2 - j1 > n:  # extra printed characters go with the last written letter
                outs[i2 - 1] += ocr[j1 + n:j2]
        elif tag == "insert" and gold:
            attach(i1, ocr[j1:j2])
        # "delete": the letters printed as nothing; outs stays ""
    if any(len(o) > 2 for o in outs):
        return None
    return list(zip(gold, outs))


def token_pairs(ocr_text: str, gold_text: str) -> Iterator[tuple[str, str]]:
    """(written token, printed token) pairs of one OCR/correct text pair, lower-cased.

    Texts with the same number of lines are taken as line-aligned; others are aligned as whole texts.
    """
    ocr_lines = ocr_text.replace("\f", "").split("\n")
    gold_lines = gold_text.replace("\f", "").split("\n")
    if len(ocr_lines) != len(gold_lines):
        # not line-aligned: align the whole texts' tokens as one sequence
        ocr_lines, gold_lines = [" ".join(ocr_lines)], [" ".join(gold_lines)]
    for o_line, g_line in zip(ocr_lines, gold_lines):
        ot, gt = tokens(o_line), tokens(g_line)
        for tag, i1, i2, j1, j2 in Levenshtein.opcodes(gt, ot):
            if tag not in ("equal", "replace") or i2 - i1 != j2 - j1:
                continue
            for g, o in zip(gt[i1:i2], ot[j1:j2]):
                if any(c.isdigit() for c in g) or len(g) > 8:
                    continue
                # a pair that shares too little is a misalignment, not an OCR error
                if Levenshtein.normalized_distance(key_of(g), key_of(o).translate(_LOOKALIKE)) > 0.6:
                    continue
                yield g, o


def count_pairs(pairs: list[tuple[Path, Path]]) -> tuple[Counter, Counter]:
    edits: Counter = Counter()
    totals: Counter = Counter()
    for ocr_path, gold_path in pairs:
        ocr_text = ocr_path.read_text(encoding="utf-8")
        for g, o in token_pairs(ocr_text, gold_path.read_text(encoding="utf-8")):
            got = letter_outputs(g, o)
            if got is None:
                continue
            for letter, out in got:
                edits[(letter, out)] += 1
                totals[letter] += 1
    return edits, totals


def prior(letter: str, out: str) -> float:
    """General shape of the channel before any data: the letter itself, or the letter bare."""
    if out == letter:
        return 0.6
    if out == key_of(letter):
        return 0.3
    return 0.0


def _shape_class(letter: str) -> str:
    """Letters that share how they break: every vowel carrying a mark ("ấ", "ơ", "ộ") is printed
    as "d", "é" or "6" by an engine without Vietnamese; plain vowels and consonants are their own."""
    if key_of(letter) in VOWELS and letter != key_of(letter):
        return "marked vowel"
    return letter


def _foreign(letter: str, out: str) -> bool:
    """An output that is not the letter's own base letter with some marks: a shape confusion."""
    return out != "" and key_of(out) != key_of(letter)


def _family(letter: str) -> str:
    """The letter without its tone: "ấ" -> "â", the level the counts are pooled at first."""
    return split_tone(letter)[0]


ALPHABET = sorted({unicodedata.normalize("NFC", b + t) for b in "aăâeêioôơuưy" for t in ("",) + tuple(TONES)}
                  | set("bcdđghklmnpqrstvx"))


def write_table(edits: Counter, totals: Counter, path: Path,
                source: str = "bench/estimate_confusion.py from line-aligned OCR/correct text pairs") -> int:
    """Smoothed costs, backing off letter -> tone-less letter -> plain letter -> general prior.

    Rare letters ("ẵ") borrow the behaviour of their family, so an edit seen with "ắ" also
    makes sense for "ẵ", while a well-attested letter keeps its own counts.
    """
    fam_edits: Counter = Counter()
    key_edits: Counter = Counter()
    fam_tot: Counter = Counter()
    key_tot: Counter = Counter()
    for (letter, out), n in edits.items():
        fam_edits[(_family(letter), out)] += n
        key_edits[(key_of(letter), out)] += n
    for letter, n in totals.items():
        fam_tot[_family(letter)] += n
        key_tot[key_of(letter)] += n
    outs_by_key = defaultdict(set)
    for (letter, out) in edits:
        outs_by_key[key_of(letter)].add(out)
    # Shape confusions pooled over a class, so an edit seen with "ầ" in one document gives "ố" a
    # fair price in the next: with a few pages of data most (letter, output) pairs are unseen.
    cls_edits: Counter = Counter()
    cls_tot: Counter = Counter()
    outs_by_cls = defaultdict(set)
    for (letter, out), n in edits.items():
        if _foreign(letter, out) and len(out) == 1:
            cls_edits[(_shape_class(letter), out)] += n
            outs_by_cls[_shape_class(letter)].add(out)
    for letter, n in totals.items():
        cls_tot[_shape_class(letter)] += n
    rows = []
    for letter in ALPHABET:
        k, f = key_of(letter), _family(letter)
        c = _shape_class(letter)
        outs = set(outs_by_key[k]) | {letter, k} | {o for o in outs_by_cls[c] if _foreign(letter, o)}
        probs = {}
        for out in outs:
            p_cls = cls_edits[(c, out)] / (cls_tot[c] + BETA) if _foreign(letter, out) else 0.0
            p_key = (key_edits[(k, out)] + BETA * (prior(k, out) + CLASS_WEIGHT * p_cls)) / (key_tot[k] + BETA)
            # the family level keeps the letter's own marks possible: "ấ" may print as itself
            p_prior = 0.5 * p_key + 0.5 * prior(letter, out) if out in (letter, k) else p_key
            p_fam = (fam_edits[(f, out)] + BETA * p_prior) / (fam_tot[f] + BETA)
            p = (edits[(letter, out)] + BETA * p_fam) / (totals[letter] + BETA)
            # a shape confusion the class shows keeps a floor however well the letter is attested:
            # one document's engine never printed "ấ" as "d", the next one does
            p = (1 - CLASS_MIX) * p + CLASS_MIX * p_cls
            if p > 1e-4:
                probs[out] = p
        z = sum(probs.values())
        for out, p in sorted(probs.items(), key=lambda kv: -kv[1]):
            rows.append(f"{escape(letter)}\t{escape(out)}\t{-math.log(p / z):.3f}\t{edits[(letter, out)]}")
    header = ("# written letter\tprinted as\tcost (-ln P)\tcount\n"
              f"# estimated by {source}\n")
    path.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    return len(rows)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="+", type=Path, help="OCR.txt GOLD.txt pairs, line-aligned")
    ap.add_argument("-o", "--output", type=Path, required=True,
                    help="the table to write (Restorer(channel_table=...) reads it)")
    args = ap.parse_args(argv)
    if len(args.files) % 2:
        ap.error("give OCR and GOLD files in pairs")
    pairs = list(zip(args.files[0::2], args.files[1::2]))
    edits, totals = count_pairs(pairs)
    n = write_table(edits, totals, args.output)
    print(f"{sum(totals.values())} letters, {n} edits -> {args.output}")


if __name__ == "__main__":
    main()
