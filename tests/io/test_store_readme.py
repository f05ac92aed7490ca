"""The README's comparison/store examples run as written (on the samples)."""

from __future__ import annotations

import re
import shlex
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEADING = "## Year-on-year comparison and the SQLite store"


def _section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index(HEADING)
    end = text.find("\n## ", start + 1)
    return text[start : end if end > 0 else len(text)]


def test_readme_examples_run(tmp_path):
    section = _section()
    first_block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    commands = [line for line in first_block.splitlines() if line.startswith("planscan ")]
    assert len(commands) >= 4
    for line in commands:
        args = [a.replace("samples/", str(ROOT / "samples") + "/") for a in shlex.split(line)[1:]]
        p = subprocess.run([sys.executable, "-m", "planscan.cli", *args], cwd=tmp_path, capture_output=True, text=True)
        assert p.returncode == 0, (line, p.stderr)
    for out in ("diff.md", "diff.xlsx", "planscan.db", "bts.png"):
        assert (tmp_path / out).stat().st_size > 0, out
    # the documented query reads the store with plain sqlite3
    query = re.search(r'sqlite3 planscan\.db "(.*?)"', section).group(1)
    rows = sqlite3.connect(tmp_path / "planscan.db").execute(query).fetchall()
    assert (None, 2019, "6 tháng đầu năm 2019", "actual", 117.0, "trạm") in rows
