"""The CLI documents itself (help on every option, every command in the README), and the README's
OCR and batch examples run as written."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest

from planscan.cli import cli

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _examples(command: str) -> list[str]:
    lines = []
    for block in re.findall(r"```sh\n(.*?)```", README, re.S):
        lines += [ln.split("  #")[0].strip() for ln in block.splitlines() if ln.startswith(f"planscan {command} ")]
    return lines


def test_every_option_of_every_command_has_help():
    for name, command in cli.commands.items():
        assert command.help, name
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, f"planscan {name} {param.opts[0]} has no help"


def test_readme_documents_every_command_with_an_example():
    for name in cli.commands:
        assert _examples(name), f"no example of planscan {name} in README.md"


def _run(line: str, cwd: Path) -> subprocess.CompletedProcess:
    args = shlex.split(line)[1:]
    return subprocess.run([sys.executable, "-m", "planscan.cli", *args], cwd=cwd, capture_output=True, text=True)


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    """A folder laid out as the README assumes: samples/ beside the command, the OCR cache empty."""
    (tmp_path / "samples").symlink_to(ROOT / "samples", target_is_directory=True)
    monkeypatch.setenv("PLANSCAN_CACHE", str(tmp_path / "cache"))
    return tmp_path


@pytest.mark.tesseract
@pytest.mark.slow
def test_readme_ocr_examples_run(workdir):
    examples = _examples("ocr")
    assert examples
    for line in examples:
        p = _run(line, workdir)
        assert p.returncode == 0, (line, p.stderr)
    doc = json.loads((workdir / "out" / "scan-harsh.ocr.json").read_text(encoding="utf-8"))
    assert doc["pages"] and all(page["status"] == "ok" for page in doc["pages"])
    assert (workdir / "out" / "scan-harsh.pdf").read_bytes().startswith(b"%PDF")
    assert "\f" in (workdir / "out" / "scan-harsh.txt").read_text(encoding="utf-8")


def test_readme_batch_example_runs(workdir):
    # The local example, on a small tree of text inputs (the Dask ones need a cluster).
    line = next(ln for ln in _examples("batch") if "--scheduler" not in ln and "/archive" not in ln)
    scans = workdir / shlex.split(line)[2].rstrip("/")
    (scans / "2020").mkdir(parents=True)
    shutil.copy(ROOT / "samples" / "tuangiao-2020" / "gold.txt", scans / "2020" / "plan.txt")
    p = _run(line, workdir)
    assert p.returncode == 0, (line, p.stderr)
    out = workdir / shlex.split(line)[shlex.split(line).index("-o") + 1].rstrip("/")
    records = [json.loads(r) for r in (out / "2020" / "plan.indicators.jsonl").read_text(encoding="utf-8").splitlines()]
    assert any(r["value"] == 117 and r["unit"] == "trạm" for r in records)
    assert "done" in (out / "summary.csv").read_text(encoding="utf-8")
