"""The checked-in JSON Schemas are the generated ones, and real records validate against them."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from planscan.extract.indicators.records import extract_indicators
from planscan.pipeline import read_text_file
from planscan.schemas import generate

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


@pytest.mark.parametrize("name", sorted(generate.SCHEMAS))
def test_checked_in_schema_is_up_to_date(name):
    path = generate.HERE / name
    assert path.read_text(encoding="utf-8") == generate.render(name), (
        f"{name} is stale: run python -m planscan.schemas.generate"
    )


def test_check_mode_reports_stale_files(tmp_path, capsys):
    assert generate.main(["--dir", str(tmp_path)]) == 0
    assert generate.main(["--check", "--dir", str(tmp_path)]) == 0
    (tmp_path / "indicator.schema.json").write_text("{}", encoding="utf-8")
    assert generate.main(["--check", "--dir", str(tmp_path)]) == 1
    assert "indicator.schema.json: out of date" in capsys.readouterr().err


def _schema(name):
    schema = json.loads((generate.HERE / name).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_extracted_records_and_documents_validate():
    doc = read_text_file(SAMPLES / "tuangiao-2020" / "gold.txt")
    records = extract_indicators(doc)
    assert records
    indicator = _schema("indicator.schema.json")
    for r in records:
        indicator.validate(r.model_dump(mode="json"))
    _schema("document.schema.json").validate(doc.model_dump(mode="json"))


def test_schema_rejects_a_record_without_value_or_with_a_foreign_kind():
    v = _schema("indicator.schema.json")
    good = {"indicator": "Số xã", "key": "x_xa", "value": 1, "unit": "xã", "text": "1 xã"}
    v.validate(good)
    with pytest.raises(jsonschema.ValidationError):
        v.validate({k: x for k, x in good.items() if k != "value"})
    with pytest.raises(jsonschema.ValidationError):
        v.validate({**good, "kind": "guess"})
