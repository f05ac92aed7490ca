"""The README's command-to-function table names functions that exist, and commands that exist."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

from planscan.cli import cli

README = Path(__file__).resolve().parents[1] / "README.md"


def _table_rows() -> list[tuple[list[str], list[str]]]:
    text = README.read_text(encoding="utf-8")
    table = text[text.index("| command | what it does | library function |"):].split("\n\n", 1)[0]
    rows = []
    for line in table.splitlines()[2:]:
        cells = line.strip("|").split("|")
        commands = re.findall(r"`(?:planscan )?([a-z-]+)`", cells[0])
        functions = re.findall(r"`(planscan\.[\w.]+)`", cells[2])
        rows.append((commands, functions))
    return rows


def test_every_function_in_the_readme_table_exists():
    rows = _table_rows()
    assert len(rows) >= 7
    for _commands, functions in rows:
        assert functions
        for dotted in functions:
            module, _, name = dotted.rpartition(".")
            assert callable(getattr(importlib.import_module(module), name)), dotted


def test_every_command_in_the_readme_table_exists():
    for commands, _functions in _table_rows():
        for c in commands:
            assert c in cli.commands, c
