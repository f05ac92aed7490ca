"""The samples' labelled figures, found from their gold text (and from the OCR text when restoration works).

Matching follows the corpus scorer: same value, same unit (a counted noun may carry a qualifier) and
same year, each record used once.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from rapidfuzz import fuzz

from planscan.extract.indicators.records import extract_indicators
from planscan.pipeline import read_text_file

SAMPLES = Path(__file__).resolve().parents[3] / "samples"
DOCS = sorted(p.name for p in SAMPLES.iterdir() if (p / "indicators.jsonl").exists())


def _unit(u: str) -> list[str]:
    return re.findall(r"\w+", unicodedata.normalize("NFC", (u or "").replace("/", " per ")).lower())


def _same_unit(a: list[str], b: list[str]) -> bool:
    if not a or not b:  # "%" has no word characters
        return a == b
    n = min(len(a), len(b))
    return a[:n] == b[:n] and (len(a) == len(b) or "per" not in a + b)


def _words(label: str) -> str:
    return " ".join(re.findall(r"\w+", unicodedata.normalize("NFC", label).lower()))


def score(records, gold) -> tuple[float, int, int, int]:
    """(F1, found, kind agreeing, label agreeing) as the corpus scorer counts them."""
    used: set[int] = set()
    found = kind = label = 0
    for g in gold:
        best = None
        for i, r in enumerate(records):
            if i in used or abs(r.value - g["value"]) > 1e-6 * max(1, abs(g["value"])):
                continue
            if _same_unit(_unit(r.unit), _unit(g["unit"])) and r.year == g["year"]:
                similarity = fuzz.token_set_ratio(_words(r.indicator), _words(g["indicator"]))
                if best is None or similarity > best[1]:
                    best = (i, similarity)
        if best is not None:
            used.add(best[0])
            found += 1
            kind += records[best[0]].kind == g["kind"]
            label += best[1] >= 60
    p = found / len(records) if records else 0.0
    rc = found / len(gold)
    return (2 * p * rc / (p + rc) if p + rc else 0.0), found, kind, label


@pytest.mark.parametrize("name", DOCS)
def test_gold_text_figures_are_found_with_their_kind(name):
    gold = [json.loads(line) for line in (SAMPLES / name / "indicators.jsonl").read_text(encoding="utf-8").splitlines() if line]
    records = extract_indicators(read_text_file(SAMPLES / name / "gold.txt"))
    f1, found, kind, label = score(records, gold)
    assert f1 >= 0.95
    assert kind >= 0.9 * found
    assert label >= 0.8 * found


@pytest.mark.parametrize("name", DOCS)
def test_english_ocr_text_is_restored_and_read(name):
    """The issue's second channel: text from an OCR engine without Vietnamese, diacritics lost."""
    from planscan.ocr.settings import OcrSettings
    from planscan.pipeline import extract_document, read_document

    gold = [json.loads(line) for line in (SAMPLES / name / "indicators.jsonl").read_text(encoding="utf-8").splitlines() if line]
    doc = read_document(SAMPLES / name / "ocr-eng.txt", OcrSettings(restore="auto"))
    assert doc.restored != "none"
    _, _, records = extract_document(doc)
    f1, _, _, _ = score(records, gold)
    assert f1 >= 0.85


@pytest.mark.parametrize("name", DOCS)
def test_records_point_at_lines_that_hold_their_number(name):
    doc = read_text_file(SAMPLES / name / "gold.txt")
    for r in extract_indicators(doc):
        line = doc.pages[r.page - 1].lines[r.line - 1].text
        digits = re.sub(r"\D", "", f"{abs(r.value):g}".split(".")[0])
        assert digits[:1] in line, (r.page, r.line, r.value, line)
