"""The recorded OCR output in tests/cache/ matches the samples it claims to come from."""

from __future__ import annotations

from pathlib import Path

import pytest

from planscan.pipeline import file_sha256, read_ocr_json

CACHE = Path(__file__).resolve().parents[1] / "cache"
RECORDED = sorted(CACHE.glob("*.ocr.json"))


def test_there_is_recorded_output():
    assert len(RECORDED) >= 2


@pytest.mark.parametrize("path", RECORDED, ids=lambda p: p.name)
def test_recorded_document_matches_its_sample(path):
    doc = read_ocr_json(path)
    sample = Path(__file__).resolve().parents[2] / doc.source
    assert sample.is_file(), f"{path.name} names {sample}, which is missing"
    assert doc.sha256 == file_sha256(sample)
    gold_pages = (sample.parent / "gold.txt").read_text(encoding="utf-8").split("\f")
    assert len(doc.pages) == len(gold_pages)
    assert doc.restored in ("none", "off") and doc.tesseract_version
    for page, gold in zip(doc.pages, gold_pages):
        assert page.status == "ok" and page.source == "ocr" and page.dpi == 300
        for line in page.lines:
            assert line.text == " ".join(w.text for w in line.words)
            assert all(w.bbox and 0 <= w.bbox.x0 < w.bbox.x1 <= page.width for w in line.words)
        # Most of what OCR read is in the page's true text: the recording belongs to this page.
        found = page.text.lower().split()
        vocab = set(gold.lower().split())
        assert sum(t in vocab for t in found) / max(len(found), 1) > 0.6
