"""`extract` and `restore` of a text file give out what they have found before they read the rest:
the records of the first window are in the output file when the last window is read, and the first
restored block is written before the file's last chunk is. (Peak memory on large files is measured
in bench/stream.py and tests/cli/test_streaming.py.)"""

from __future__ import annotations

import json
from pathlib import Path

import planscan._util.textio as textio
import planscan.extract.restore.stream as stream
import planscan.pipeline as pipeline
from planscan.io.export import write_records
from planscan.ocr.settings import OcrSettings
from planscan.schemas.records import IndicatorRecord

PAGE = "Diện tích trồng rừng mới năm {y} đạt {v} ha.\nSản lượng lương thực năm {y} đạt {w} tấn.\n"


def _pages(path: Path, n: int) -> Path:
    path.write_text("\f".join(PAGE.format(y=2000 + i % 25, v=100 + i, w=5000 + i) for i in range(n)), encoding="utf-8")
    return path


def test_extract_writes_the_first_windows_records_before_reading_the_last(tmp_path, monkeypatch):
    src = _pages(tmp_path / "plan.txt", 200)
    monkeypatch.setattr(pipeline, "TEXT_WINDOW_CHARS", 1_000)
    out = tmp_path / "out.jsonl"
    seen: dict[str, object] = {"windows": 0}
    real = pipeline.text_windows

    def windows(path, size):
        total = sum(1 for _ in real(path, size))
        for k, doc in enumerate(real(path, size)):  # each window as the reader makes it
            seen["windows"] += 1
            if k == total - 1:  # about to hand on the last one: what is in the output file?
                partial = [p for p in tmp_path.iterdir() if p.name.startswith(".out.jsonl.")]
                seen["before_last"] = partial[0].read_bytes() if partial else b""
            yield doc
        seen["total"] = total

    monkeypatch.setattr(pipeline, "text_windows", windows)
    records = pipeline.extract_path(src, OcrSettings(restore="off"))
    write_records(records, out, "jsonl", model=IndicatorRecord)
    assert seen["total"] >= 10 and seen["windows"] == seen["total"]
    written = [json.loads(line) for line in seen["before_last"].decode("utf-8").splitlines()[:-1]]  # the last may be cut
    assert written and written[0]["page"] == 1 and written[0]["value"] == 100
    assert max(r["page"] for r in written) < 200  # not the last pages: they were not read yet
    final = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["value"] for r in final if r["unit"] == "ha"] == [100 + i for i in range(200)]


def test_restore_writes_its_first_block_before_reading_the_last_chunk(tmp_path, monkeypatch):
    src = _pages(tmp_path / "plan.txt", 400)
    monkeypatch.setattr(stream, "DETECT_CHARS", 2_000)
    chunks = {"read": 0, "at_first_write": None}
    real = textio.iter_utf8_chunks

    def small_chunks(fh, name, chunk_bytes=textio.CHUNK_CHARS):
        for chunk in real(fh, name, 1_000):
            chunks["read"] += 1
            yield chunk

    monkeypatch.setattr(textio, "iter_utf8_chunks", small_chunks)
    parts: list[str] = []

    def write(text: str) -> None:
        if chunks["at_first_write"] is None:
            chunks["at_first_write"] = chunks["read"]
        parts.append(text)

    pipeline.restore_file(str(src), write, "auto")
    assert "".join(parts) == src.read_text(encoding="utf-8")  # accented text passes through
    assert chunks["read"] > 30
    assert chunks["at_first_write"] is not None and chunks["at_first_write"] <= 5
