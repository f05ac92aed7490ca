"""A store holding the 2021 sample as planscan batch leaves it (records, .ocr.json and the PDF beside
them; the recorded OCR stands in for Tesseract) and the 2020 sample's text, for the review tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from planscan.io.export import write_records
from planscan.io.store import Store
from planscan.pipeline import extract_document, ingest_path, read_document

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
RECORDED = ROOT / "tests" / "cache" / "tuangiao-2021-scan-harsh.ocr.json"


@pytest.fixture(scope="session")
def batch_output(tmp_path_factory) -> Path:
    """A batch output folder: scan-harsh.{indicators.jsonl,ocr.json,pdf}, the scan itself elsewhere."""
    out = tmp_path_factory.mktemp("out") / "tuangiao-2021"
    out.mkdir()
    doc = read_document(RECORDED)
    _meta, _sections, records = extract_document(doc)
    (out / "scan-harsh.ocr.json").write_text(doc.model_dump_json(), encoding="utf-8")
    write_records(records, out / "scan-harsh.indicators.jsonl")
    shutil.copy(SAMPLES / "tuangiao-2021" / "scan-harsh.pdf", out / "scan-harsh.pdf")
    return out


@pytest.fixture()
def store_path(tmp_path, batch_output, monkeypatch) -> Path:
    monkeypatch.setenv("PLANSCAN_CACHE", str(tmp_path / "cache"))
    db = tmp_path / "review.db"
    with Store(db) as s:
        ingest_path(s, SAMPLES / "tuangiao-2020" / "gold.txt")
        ingest_path(s, batch_output / "scan-harsh.indicators.jsonl")
    return db
