"""`planscan sections`: plain outline off a terminal, JSON, bad input."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from planscan.cli import cli
from planscan.schemas.records import Section
from planscan.errors import ExitCode

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def test_sections_prints_indented_outline():
    result = CliRunner().invoke(cli, ["sections", "--restore", "off", str(SAMPLES / "tuangiao-2020" / "gold.txt")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("Phần thứ nhất: TÌNH HÌNH")
    assert any(ln.startswith("  I. TÌNH HÌNH") for ln in lines)
    assert any(ln.startswith("      1.1. Bưu chính  (p1:19-") for ln in lines)
    assert any("[out-of-order-numbering]" in ln for ln in lines)


def test_sections_no_bullets_and_json():
    path = str(SAMPLES / "tuangiao-2021" / "gold.txt")
    plain = CliRunner().invoke(cli, ["sections", "--restore", "off", "--no-bullets", path])
    assert plain.exit_code == 0 and not any(ln.strip().startswith(("-", "*")) for ln in plain.output.splitlines())
    result = CliRunner().invoke(cli, ["sections", "--restore", "off", "--json", path])
    assert result.exit_code == 0
    root = Section.model_validate(json.loads(result.output))
    assert root.style == "root" and [c.id for c in root.children] == ["P1", "P2"]


def test_sections_missing_file_is_an_input_error(tmp_path):
    from planscan.cli import main

    import pytest

    with pytest.raises(SystemExit) as e:
        main(["sections", str(tmp_path / "nope.txt")])
    assert e.value.code == ExitCode.input_file == 2


def test_sections_of_text_without_headings(tmp_path):
    p = tmp_path / "plain.txt"
    p.write_text("Không có đề mục nào.\nChỉ có 3 xã.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["sections", "--restore", "off", str(p)])
    assert result.exit_code == 0 and result.output == ""


def test_readme_sections_examples_run():
    """Every `planscan sections` example in the README runs as written, from the repo root."""
    import os
    import re
    import shlex

    root = SAMPLES.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Document structure"):]
    examples = re.findall(r"^planscan (sections[^\n#]*)", section, flags=re.M)
    assert len(examples) >= 3
    cwd = os.getcwd()
    os.chdir(root)
    try:
        for example in examples:
            r = CliRunner().invoke(cli, shlex.split(example))
            assert r.exit_code == 0, (example, r.output)
            assert "Phần thứ nhất" in r.output
    finally:
        os.chdir(cwd)


def test_sections_tree_on_request():
    path = str(SAMPLES / "tuangiao-2020" / "gold.txt")
    r = CliRunner().invoke(cli, ["sections", "--restore", "off", "--no-bullets", "--tree", path])
    assert r.exit_code == 0, r.output
    assert "├── " in r.output or "└── " in r.output
    assert "Phần thứ nhất" in r.output and "1.1. Bưu chính" in r.output
