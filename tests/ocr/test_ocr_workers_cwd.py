"""Page workers import planscan correctly whatever folder the command runs in."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from tests.ocr_helpers import text_page

pytestmark = pytest.mark.tesseract


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")
def test_workers_run_from_a_folder_holding_another_planscan_folder(tmp_path):
    # An archivist's folder may well hold a folder called "planscan" (outputs, notes); with an
    # editable install it used to shadow the package inside every page worker.
    (tmp_path / "planscan").mkdir()
    (tmp_path / "planscan" / "notes.txt").write_text("not the package\n")
    pages = [Image.fromarray(text_page(lines=6, seed=s)) for s in (1, 2)]
    tiff = tmp_path / "two.tif"
    pages[0].save(tiff, save_all=True, append_images=pages[1:], dpi=(300, 300))
    script = Path(sys.executable).with_name("planscan")
    cmd = [str(script)] if script.exists() else [sys.executable, "-c", "from planscan.cli import main; main()"]
    p = subprocess.run(
        [*cmd, "ocr", str(tiff), "-o", str(tmp_path / "out"), "--jobs", "2", "--no-cache", "--restore", "off"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )
    assert p.returncode == 0, p.stderr
    doc = json.loads((tmp_path / "out" / "two.ocr.json").read_text(encoding="utf-8"))
    assert [page["status"] for page in doc["pages"]] == ["ok", "ok"]
