"""Which multi-syllable phrases of the Viet74K word list occur in the general text corpus; and the
attested list that ships.

    python scripts/check_phrases.py [--corpus DIR] [--show N] [--write]

Reads every document of ../shared/text-corpus (the same tokeniser as scripts/build_lm.py: a phrase
occurs when its syllables, in canonical form, follow each other inside one segment; ``<num>``
stands for any number; the documents of bench/data/heldout-docs.txt are skipped) and prints the share of the list's multi-syllable phrases found and the
phrases that are not. ``--write`` writes planscan/extract/restore/data/Viet74K-attested.txt: the
single-syllable entries and the multi-syllable ones the corpus has, in the list's order; it is the
word list restoration reads.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from build_lm import DEFAULT_CORPUS, FILES, NUM, REPO, read_documents, read_heldout, segments
from planscan.extract.text.syllables import canonical

SOURCE = REPO / "scripts" / "data" / "Viet74K.txt"
ATTESTED = REPO / "planscan" / "extract" / "restore" / "data" / "Viet74K-attested.txt"
_SPLIT = re.compile(r"[\s\-]+")


def phrases(path: Path) -> list[tuple[str, tuple[str, ...]]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        parts = tuple(p if p == NUM else canonical(p) for p in _SPLIT.split(line) if p)
        if len(parts) >= 2:
            out.append((line, parts))
    return out


def found_in_corpus(wanted: set[tuple[str, ...]], corpus: Path) -> set[tuple[str, ...]]:
    by_first: dict[str, set[int]] = {}
    for p in wanted:
        by_first.setdefault(p[0], set()).add(len(p))
    found: set[tuple[str, ...]] = set()
    held = set(read_heldout())  # the documents restoration is measured on attest nothing
    for name in FILES:
        for doc in read_documents(corpus / name):
            if doc["id"] in held:
                continue
            for seg in segments(doc["text"]):
                toks = [t for t, _ in seg]
                for i, t in enumerate(toks):
                    lengths = by_first.get(t)
                    if lengths:
                        for n in lengths:
                            gram = tuple(toks[i : i + n])
                            if gram in wanted:
                                found.add(gram)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--show", type=int, default=0, help="print at most N missing phrases (0: all)")
    parser.add_argument("--write", action="store_true", help=f"write {ATTESTED.name}")
    args = parser.parse_args()
    for name in FILES:
        if not (args.corpus / name).is_file():
            sys.exit(f"check_phrases: {args.corpus / name} not found; pass --corpus DIR")
    entries = phrases(SOURCE)
    found = found_in_corpus({p for _, p in entries}, args.corpus)
    distinct = {p for _, p in entries}
    missing = sorted({line for line, p in entries if p not in found})
    share = 1 - len({p for p in distinct if p not in found}) / max(len(distinct), 1)
    print(f"{SOURCE.name}: {len(distinct)} multi-syllable phrases, {share:.1%} occur in the corpus, {len(missing)} do not")
    for line in missing[: args.show or None]:
        print(f"  {line}")
    if args.write:
        gone = set(missing)
        kept = [ln for ln in SOURCE.read_text(encoding="utf-8").splitlines() if ln.strip() and ln.strip() not in gone]
        header = ("# Viet74K (see Viet74K.LICENSE), only the entries of one syllable and those of several that\n"
                  "# occur in ../shared/text-corpus; written by scripts/check_phrases.py --write\n")
        ATTESTED.write_text(header + "".join(ln + "\n" for ln in kept), encoding="utf-8")
        print(f"wrote {ATTESTED} ({len(kept)} entries)")


if __name__ == "__main__":
    main()
