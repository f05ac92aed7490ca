"""Generate the JSON Schemas in this folder from the pydantic record types.

    python -m planscan.schemas.generate          # rewrite the files
    python -m planscan.schemas.generate --check  # exit 1 if a checked-in file is out of date

The files are checked in because they are the contract with other tools; a test fails when a record
type changes and the schema files were not regenerated.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path

from planscan._util.atomic import atomic_write_text
from planscan.schemas.records import SCHEMA_VERSION

HERE = Path(__file__).resolve().parent
BASE_URI = "https://planscan.invalid/schemas/"

# file name -> (module, class, title); a title of None writes pydantic's schema unchanged
SCHEMAS: dict[str, tuple[str, str, str | None]] = {
    "indicator.schema.json": ("planscan.schemas.records", "IndicatorRecord", "planscan indicator record"),
    "document.schema.json": ("planscan.schemas.records", "Document", "planscan document (pages, lines, words)"),
    "comparison.schema.json": ("planscan.schemas.comparison", "ComparisonRow", None),
    "diff.schema.json": ("planscan.schemas.comparison", "DiffOutput", "planscan diff --format json"),
    "table.schema.json": ("planscan.schemas.tables", "Table", "planscan table (grid of cells)"),
}


def schema_for(module: str, cls: str, title: str | None, name: str) -> dict:
    model = getattr(importlib.import_module(module), cls)
    if title is None:
        return model.model_json_schema()
    schema = model.model_json_schema(mode="serialization")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": BASE_URI + name,
        "title": title,
        "x-schema-version": SCHEMA_VERSION,
        **{k: v for k, v in schema.items() if k != "title"},
    }


def render(name: str) -> str:
    module, cls, title = SCHEMAS[name]
    return json.dumps(schema_for(module, cls, title, name), ensure_ascii=False, indent=2) + "\n"


def out_of_date(folder: Path = HERE) -> list[str]:
    stale = []
    for name in SCHEMAS:
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != render(name):
            stale.append(name)
    return stale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report files that are out of date")
    parser.add_argument("--dir", type=Path, default=HERE, help="folder to write the schema files to")
    args = parser.parse_args(argv)
    if args.check:
        stale = out_of_date(args.dir)
        for name in stale:
            print(f"{args.dir / name}: out of date; run python -m planscan.schemas.generate", file=sys.stderr)
        return 1 if stale else 0
    for name in SCHEMAS:
        atomic_write_text(args.dir / name, render(name))
        print(args.dir / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
