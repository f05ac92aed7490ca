"""Build planscan/extract/text/data/unit_words.tsv: the words general Vietnamese text writes right
after a number ("120 giờ", "35 thuê bao", "2 bác sĩ"), the lexicon a misread unit cell is snapped to.

    nice .venv/bin/python scripts/build_unit_words.py [--corpus DIR] [--show N] [--write]

Reads every document of ../shared/text-corpus (the documents of bench/data/heldout-docs.txt
skipped) and looks at each number followed on its line by a word, syllables in canonical form
(``planscan.extract.text.syllables.canonical``). A number counts when the word before it does not make it a reference or a date ("Điều 5", "khoản 2",
"năm 2019", "ngày 12", "số 15"). For every word and two-word phrase after such a number it counts
how often it follows one, and for a word how often it occurs at all. A word is kept when it follows
a number at least MIN_COUNT times and in at least MIN_SHARE of its occurrences ("giờ", "tấn", "ha";
not "giữ"); a two-word phrase when it follows a number at least MIN_COUNT times and makes up at
least MIN_PHRASE_SHARE of its first word's uses after a number and neither word is a function
word of the unit table's stop list ("bác sĩ", "giường bệnh"; not "năm sau", "Điều này"). Only counts are stored, no sentence of the corpus.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

from build_lm import DEFAULT_CORPUS, FILES, REPO, read_documents, read_heldout
from planscan.extract.text.syllables import canonical
from planscan.extract.text.units import is_stop_word

OUT = REPO / "planscan" / "extract" / "text" / "data" / "unit_words.tsv"
MIN_COUNT = 30
MIN_SHARE = 0.15
MIN_PHRASE_SHARE = 0.3
# Words before a number that make it a reference, an ordinal or a date, not a quantity.
REFERENCE_WORDS = frozenset(canonical(w) for w in (
    "điều khoản điểm mục chương phần phụ lục số năm tháng ngày quý tuần thứ lần đợt kỳ khóa "
    "giai đoạn bảng biểu hình mẫu trang tập quyển tờ dòng câu bước cấp hạng nhóm loại lớp tầng "
    "tiết học kỳ vòng tuổi thế kỷ"
).split())


# A number, then one or two words; the word before the number is read apart, so that a match
# never swallows the word the next number's test needs ("khoản 2 Điều 5 ...").
_AFTER_NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*[^\S\n]+([^\W\d_]+)\b(?:[^\S\n]+([^\W\d_]+)\b)?")
# The word before a number, over a list of numbers ("khoản 1, 2 Điều này", "Điều 3 và 4").
_BEFORE = re.compile(r"([^\W\d_]+)[^\S\n]+(?:\d+(?:[.,]\d+)*[^\S\n]*(?:,|và|hoặc|đến|-|–)[^\S\n]*)*$")
_WORDS = re.compile(r"[^\W\d_]+")


def count(corpus: Path) -> tuple[Counter, Counter, Counter]:
    """(after-number counts of words, of two-word phrases, occurrences of every word), canonical."""
    after: Counter = Counter()
    after2: Counter = Counter()
    raw: Counter = Counter()
    held = set(read_heldout())
    for name in FILES:
        for doc in read_documents(corpus / name):
            if doc["id"] in held:
                continue
            text = unicodedata.normalize("NFC", doc["text"]).lower()
            raw.update(_WORDS.findall(text))
            for m in _AFTER_NUMBER.finditer(text):
                before = _BEFORE.search(text, max(0, m.start() - 40), m.start())
                if before and canonical(before.group(1)) in REFERENCE_WORDS:
                    continue
                first, second = m.groups()
                a = canonical(first)
                after[a] += 1
                if second:
                    after2[(a, canonical(second))] += 1
    total: Counter = Counter()
    for word, n in raw.items():
        total[canonical(word)] += n
    return after, after2, total


def choose(after: Counter, after2: Counter, total: Counter) -> list[tuple[str, int, float]]:
    """(word or phrase, times after a number, share of its occurrences / its first word's uses)."""
    words = {w: n for w, n in after.items() if n >= MIN_COUNT and n / total[w] >= MIN_SHARE}
    out = [(w, n, n / total[w]) for w, n in words.items()]
    for (a, b), n in after2.items():
        if n < MIN_COUNT or is_stop_word(a) or is_stop_word(b):
            continue
        share = n / after[a]
        if share >= MIN_PHRASE_SHARE:
            out.append((f"{a} {b}", n, share))
    out.sort(key=lambda e: (-e[1], e[0]))
    return out


def write(rows: list[tuple[str, int, float]], path: Path = OUT) -> None:
    lines = [
        "# word or phrase\ttimes after a number\tshare (of the word's occurrences; of a phrase's first word after a number)",
        f"# built by scripts/build_unit_words.py from ../shared/text-corpus ({', '.join(FILES)}), "
        f"held-out documents skipped; min count {MIN_COUNT}, min share {MIN_SHARE}, phrase share {MIN_PHRASE_SHARE}",
    ]
    lines += [f"{w}\t{n}\t{s:.3f}" for w, n, s in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--show", type=int, default=40, help="Print the N most frequent entries.")
    ap.add_argument("--write", action="store_true", help=f"Write {OUT.relative_to(REPO)}.")
    args = ap.parse_args(argv)
    rows = choose(*count(args.corpus))
    for w, n, s in rows[: args.show]:
        print(f"{n:8d}  {s:.3f}  {w}")
    print(f"{len(rows)} entries", file=sys.stderr)
    if args.write:
        write(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
