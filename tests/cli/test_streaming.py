"""`planscan restore` and `planscan extract` read a text file block by block: memory does not grow
with the file. Each command runs on a small and on a ~20 MB generated file in a fresh process; the
larger file may cost less than a few times its own size more at the peak (loading it whole costs
more than that). No timing is asserted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_PEAK = r"""
import resource, sys
from planscan.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
sys.stderr.write("PEAK %d\n" % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def _text(path: Path, megabytes: float, filler: str) -> Path:
    """Pages of filler lines, with a sentence holding a figure after every 40 of them."""
    block = (filler + "\n") * 40 + "Diện tích trồng rừng mới đạt 1.250 ha năm 2020.\n\n"
    path.write_text(block * max(1, int(megabytes * 1e6 / len(block.encode()))), encoding="utf-8")
    return path


def _peak_mb(args: list[str], out: Path) -> float:
    with out.open("wb") as fh:
        proc = subprocess.run([sys.executable, "-c", _PEAK, *args], stdout=fh, stderr=subprocess.PIPE, text=True,
                              cwd=ROOT, timeout=3000)
    peak = [ln for ln in proc.stderr.splitlines() if ln.startswith("PEAK ")]
    assert peak, proc.stderr
    return int(peak[-1].split()[1]) / 1024


def test_restore_streams(tmp_path):
    small = _text(tmp_path / "small.txt", 0.1, "=" * 120)
    big = _text(tmp_path / "big.txt", 20, "=" * 120)
    base = _peak_mb(["restore", str(small)], tmp_path / "small.out")
    peak = _peak_mb(["restore", str(big)], tmp_path / "big.out")
    assert (tmp_path / "big.out").read_bytes() == big.read_bytes()  # nothing to restore: passed through whole
    # whole, the file would be held at least three times (its bytes, its text, the restored text)
    assert peak - base < 1.5 * big.stat().st_size / 1e6, (base, peak)


def test_extract_streams(tmp_path):
    small = _text(tmp_path / "small.txt", 0.1, "abcdefghij" * 100)
    big = _text(tmp_path / "big.txt", 20, "abcdefghij" * 100)
    base = _peak_mb(["extract", str(small), "--restore", "off", "-o", str(tmp_path / "small.jsonl")], tmp_path / "o1")
    peak = _peak_mb(["extract", str(big), "--restore", "off", "-o", str(tmp_path / "big.jsonl")], tmp_path / "o2")
    lines = (tmp_path / "big.jsonl").read_text(encoding="utf-8").splitlines()
    blocks = big.read_text(encoding="utf-8").count("Diện tích")
    assert len(lines) >= blocks and json.loads(lines[-1])["value"] == 1250
    assert peak - base < 2 * big.stat().st_size / 1e6, (base, peak)
