"""Which multi-syllable phrases of the shipped word lists occur in the general text corpus.

    python scripts/check_phrases.py [--corpus DIR] [--show N]

Reads every document of ../shared/text-corpus (the same tokeniser as scripts/build_lm.py: a phrase
occurs when its syllables, in canonical form, follow each other inside one segment; ``<num>``
stands for any number) and prints, for admin_terms.txt and Viet74K.txt, the share of their
multi-syllable phrases found and the phrases that are not.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from build_lm import DEFAULT_CORPUS, FILES, NUM, REPO, read_documents, segments
from planscan.extract.text.syllables import canonical

LISTS = ("admin_terms.txt", "Viet74K.txt")
DATA = REPO / "planscan" / "extract" / "restore" / "data"
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
    for name in FILES:
        for doc in read_documents(corpus / name):
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
    parser.add_argument("--show", type=int, default=0, help="print at most N missing phrases per list (0: all)")
    args = parser.parse_args()
    for name in FILES:
        if not (args.corpus / name).is_file():
            sys.exit(f"check_phrases: {args.corpus / name} not found; pass --corpus DIR")
    lists = {name: phrases(DATA / name) for name in LISTS}
    wanted = {p for entries in lists.values() for _, p in entries}
    found = found_in_corpus(wanted, args.corpus)
    for name, entries in lists.items():
        distinct = {p for _, p in entries}
        missing = sorted({line for line, p in entries if p not in found})
        share = 1 - len({p for p in distinct if p not in found}) / max(len(distinct), 1)
        print(f"{name}: {len(distinct)} multi-syllable phrases, {share:.1%} occur in the corpus, {len(missing)} do not")
        for line in missing[: args.show or None]:
            print(f"  {line}")


if __name__ == "__main__":
    main()
