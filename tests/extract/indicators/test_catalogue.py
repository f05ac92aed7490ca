"""The catalogue as data: its schema, its sources, the build script's parsers, and users' entries."""

from __future__ import annotations

import importlib.util
import json
import lzma
import sys
from pathlib import Path

import jsonschema
import pytest

from planscan.errors import InputFileError
from planscan.extract.indicators import catalogue as cat
from planscan.extract.indicators.keys import indicator_key

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "planscan" / "extract" / "indicators" / "data"
LEGAL = ROOT.parent / "shared" / "text-corpus" / "vn_legal.jsonl.xz"

sys.path.insert(0, str(ROOT / "scripts"))
_spec = importlib.util.spec_from_file_location("build_catalogue", ROOT / "scripts" / "build_catalogue.py")
build = importlib.util.module_from_spec(_spec)
sys.modules["build_catalogue"] = build
_spec.loader.exec_module(build)


def _shipped() -> dict:
    return json.loads((DATA / "catalogue.json").read_text("utf-8"))


def test_shipped_catalogue_follows_the_shipped_schema():
    schema = json.loads((DATA / "catalogue.schema.json").read_text("utf-8"))
    assert schema == cat.json_schema()  # the shipped schema is the one the loader enforces
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(_shipped(), schema)
    bad = {"indicators": [{"key": "Not A Key", "sector": "ict", "family": "count", "label": "x", "source": {}}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


def test_every_entry_has_a_source_and_official_codes_key_official_names():
    data = _shipped()["indicators"]
    keys = [e["key"] for e in data]
    assert len(keys) == len(set(keys))
    official = [e for e in data if e["source"].get("document")]
    general = [e for e in data if not e["source"].get("document")]
    assert len(official) > 300 and len(general) < len(official) / 5
    for e in official:
        prefix, code = e["key"].split(".")
        assert code.isdigit() and len(code) == 4, e["key"]
        assert e["source"]["line"] >= 1
    for e in general:
        assert e["source"]["general_usage"] and e["aliases"], e["key"]
        assert not e["key"].split(".")[1].isdigit()  # a code is only ever an official one
    assert {"vn", "planning", "statistics", "labour"} <= {e["key"].split(".")[0] for e in official}


@pytest.mark.skipif(not LEGAL.is_file(), reason="needs ../shared/text-corpus")
def test_official_names_stand_at_their_recorded_line():
    wanted = {e["source"]["document"] for e in _shipped()["indicators"] if e["source"].get("document")}
    texts = {}
    with lzma.open(LEGAL, "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if d["id"] in wanted:
                texts[d["id"]] = d["text"].split("\n")
    for e in _shipped()["indicators"]:
        src = e["source"]
        if src.get("document"):
            at = texts[src["document"]][src["line"] - 1 : src["line"] + 8]
            assert at[0].lstrip("0").startswith(e["key"].split(".")[1].lstrip("0")), e["key"]
            assert " ".join(e["label"].split()[:4]) in " ".join(" ".join(at).split()), e["key"]


def test_every_alias_finds_its_entry_or_an_earlier_list_with_the_same_name():
    c = cat.load_catalogue(None)
    units = {"percent": "%", "money": "triệu đồng", "length": "km", "area": "ha", "mass": "tấn", "time": "giờ"}
    for e in c.entries:
        for alias in (e.label, *e.aliases):
            hit = c.lookup(alias, units.get(e.family or ""))
            assert hit is not None, (e.key, alias)
            if hit.key != e.key:  # the same official name in two lists: the national list wins
                assert hit.key.startswith("vn.") or hit.label.lower() == e.label.lower(), (e.key, alias, hit.key)


def test_national_appendix_parser_on_an_invented_table():
    text = "\n".join([
        "PHỤ LỤC", "DANH MỤC CHỈ TIÊU THỐNG KÊ QUỐC GIA", "(Ban hành kèm theo Luật)", "Số", "thứ tự", "Mã số",
        "Nhóm, tên chỉ tiêu", "", "01. Nhóm thứ nhất", "1", "", "0101", "", "Số cây xanh", "", "2", "0102",
        "Tỷ lệ đường được chiếu", "sáng về đêm", "02. Nhóm thứ hai", "3", "0201", "Diện tích hồ nước",
        "4", "0399", "Mã sai nhóm",
    ])
    rows = list(build.parse_national(text))
    assert [(c, n) for c, _g, n, _l in rows] == [
        ("0101", "Số cây xanh"), ("0102", "Tỷ lệ đường được chiếu sáng về đêm"), ("0201", "Diện tích hồ nước"),
    ]
    assert text.split("\n")[rows[0][3] - 1] == "0101"


def test_sector_appendix_parser_on_an_invented_table():
    text = "\n".join([
        "Phụ lục I", "01. Nhóm", "Số cây xanh", "Phụ lục II", "I. CHỈ TIÊU QUỐC GIA",
        "203. Một chỉ tiêu quốc gia", "1. Khái niệm", "II. CHỈ TIÊU CỦA BỘ", "01. Nhóm một",
        "101. Số cây xanh được trồng mới trong năm trên các tuyến đường của",
        "thành phố", "1. Khái niệm, phương pháp tính", "102. Tỷ lệ hồ nước sạch", "a) nội dung",
        "0103. Nhóm chỉ tiêu về hồ", "02. Nhóm hai", "0201. Diện tích công viên",
    ])
    rows = [(c, n) for c, _g, n, _l in build.parse_sector(text)]
    assert rows == [
        ("0101", "Số cây xanh được trồng mới trong năm trên các tuyến đường của thành phố"),
        ("0102", "Tỷ lệ hồ nước sạch"),
        ("0201", "Diện tích công viên"),
    ]


@pytest.mark.parametrize(("name", "family"), [
    ("Tỷ lệ thất nghiệp", "percent"),
    ("Số lượng thuê bao điện thoại", "count"),
    ("Doanh thu viễn thông", "money"),
    ("Diện tích cây lâu năm", "area"),
    ("Thu nhập bình quân một lao động đang làm việc", "money_rate"),
    ("Số bác sĩ, số giường bệnh trên mười nghìn dân", "rate"),
    ("Dân số, mật độ dân số", None),
    ("Thu và cơ cấu thu ngân sách nhà nước", None),
    ("Chỉ số giá tiêu dùng", None),
])
def test_unit_family_from_the_official_name(name, family):
    assert build.infer_family(name) == family


def test_user_entries_are_merged_over_the_shipped_ones(tmp_path, monkeypatch):
    extra = tmp_path / "extra.json"
    extra.write_text(json.dumps({"indicators": [
        {"key": "city.street_lights", "sector": "city", "family": "count", "label": "Số đèn chiếu sáng công cộng",
         "aliases": ["đèn chiếu sáng công cộng"], "source": {"note": "own list"}},
        {"key": "vn.1307", "sector": "ict", "family": "count", "label": "Số lượng thuê bao truy nhập Internet",
         "aliases": ["thuê bao mạng"], "source": {"document": "own"}},
    ]}, ensure_ascii=False), encoding="utf-8")
    assert indicator_key("Số đèn chiếu sáng công cộng", "đèn").startswith("x_")
    monkeypatch.setenv(cat.ENV_EXTRA, str(extra))
    assert indicator_key("Số đèn chiếu sáng công cộng", "đèn") == "city.street_lights"
    assert indicator_key("Tổng số thuê bao mạng", "thuê bao") == "vn.1307"  # a replaced entry's new alias
    assert cat.sector_of("city.street_lights") == "city"
    assert cat.by_key("vn.0101") is not None  # the shipped entries stay
    monkeypatch.delenv(cat.ENV_EXTRA)
    assert cat.by_key("city.street_lights") is None


def test_a_malformed_user_catalogue_is_an_input_error_naming_the_file(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"indicators": [{"key": "x"}]}', encoding="utf-8")
    with pytest.raises(InputFileError, match="bad.json"):
        cat.load_catalogue(str(bad))
    with pytest.raises(InputFileError, match="missing.json"):
        cat.load_catalogue(str(tmp_path / "missing.json"))
