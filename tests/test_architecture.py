"""The shape ARCHITECTURE.md describes: layered stages, no import cycles, light commands, one API."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import planscan

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "planscan"
HEAVY = ("spacy", "matplotlib", "dask", "pandas", "openpyxl", "cv2")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def import_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    """planscan module -> the planscan modules it imports anywhere, function bodies included.

    ``from a.b import c`` is an edge to ``a.b.c`` when that is a module and to ``a.b`` otherwise.
    Importing a submodule is not counted as importing its parent packages' ``__init__`` (as
    import-linter and pylint count it), or no package could re-export its own modules."""
    files = {_module_name(p): p for p in package.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        is_pkg = path.name == "__init__.py"
        edges: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = name.split(".") if is_pkg else name.split(".")[:-1]
                    base = base[: len(base) - node.level + 1]
                    mod = ".".join(base + ([node.module] if node.module else []))
                else:
                    mod = node.module or ""
                targets = [f"{mod}.{a.name}" if f"{mod}.{a.name}" in files else mod for a in node.names]
            for t in targets:
                while t and t not in files:
                    t = t.rpartition(".")[0]
                if t and t != name:
                    edges.add(t)
        graph[name] = edges
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(max(10_000, sys.getrecursionlimit()))
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_cycle_finder_finds_a_planted_cycle(tmp_path):
    pkg = tmp_path / "planscan"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "sub" / "a.py").write_text("from planscan.sub import b\n")
    (pkg / "sub" / "b.py").write_text("def f():\n    from . import c\n")
    (pkg / "sub" / "c.py").write_text("def g():\n    import planscan.sub.a\n")
    (pkg / "d.py").write_text("from planscan.sub.a import x\n")
    global ROOT
    old, ROOT = ROOT, tmp_path
    try:
        found = cycles(import_graph(pkg))
    finally:
        ROOT = old
    assert found == [["planscan.sub.a", "planscan.sub.b", "planscan.sub.c"]]


def test_no_import_cycles_counting_imports_inside_functions():
    assert cycles(import_graph()) == []


def test_import_linter_contracts_hold():
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    if exe is None:
        pytest.fail("lint-imports is not installed: pip install -e '.[dev]'")
    p = subprocess.run([exe, "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-2000:]


def _loaded_modules(args: list[str], stdin: str = "") -> set[str]:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    p = subprocess.run([sys.executable, "-X", "importtime", "-m", "planscan.cli", *args], input=stdin,
                       capture_output=True, text=True, env=env, cwd=ROOT)
    assert p.returncode == 0, p.stderr[-2000:]
    mods = set()
    for line in p.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            mods.add(line.rsplit("|", 1)[1].strip())
    assert "planscan.errors" in mods  # the CLI really ran (it is __main__ here)
    return mods


@pytest.mark.parametrize("args,stdin", [(["--help"], ""), (["restore", "-"], "Tong doanh thu buu chinh\n")])
def test_light_commands_load_no_heavy_module(args, stdin):
    mods = _loaded_modules(args, stdin)
    heavy = sorted(m for m in mods if m.split(".")[0] in HEAVY)
    assert heavy == []


def test_public_api_names_resolve_and_are_typed():
    assert (PACKAGE / "py.typed").is_file()
    for name in planscan.__all__:
        assert getattr(planscan, name) is not None, name
    with pytest.raises(AttributeError):
        planscan.no_such_name  # noqa: B018
