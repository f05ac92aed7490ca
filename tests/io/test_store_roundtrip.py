"""A figure stored and read back is the figure given, field by field: records with every field set
(hypothesis), the table figures of a born-digital table PDF through `planscan extract` to JSON
Lines, `planscan ingest` and `planscan extract --db`, and a store of schema 4 migrated."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planscan.io.store import Store, record_of
from planscan.schemas.records import BBox, FigureSource, IndicatorRecord
from tests.io.test_tablestore import table_pdf

# the store names a figure's document by its sha256 whatever the input called it
NOT_KEPT = {"document"}
text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
opt_int = st.none() | st.integers(-10**6, 10**6)
month = st.none() | st.integers(1, 12)
num = st.floats(allow_nan=False, allow_infinity=False, width=64)
box = st.none() | st.builds(BBox, x0=st.integers(0, 9999), y0=st.integers(0, 9999), x1=st.integers(0, 9999),
                            y1=st.integers(0, 9999))
source = st.builds(FigureSource, page=st.integers(1, 500), line=st.integers(0, 99), bbox=box, table=opt_int,
                   row=opt_int, col=opt_int, ref=text, section=st.lists(text, max_size=3), text=text)
record = st.builds(
    IndicatorRecord, indicator=text, key=text, value=num, max=st.none() | num, qualifier=st.none() | text,
    unit=text, of=st.none() | num, value_base=st.none() | num, base_unit=st.none() | text, year=opt_int,
    start_year=opt_int, end_year=opt_int, period=st.none() | text, period_type=st.none() | text,
    period_first_month=month, period_last_month=month,
    kind=st.sampled_from(["actual", "estimate", "target", "change", "ratio_to_prior", "ratio_to_plan"]),
    kind_reason=text, period_reason=text, ref=text, part_of=st.none() | text, same_as=st.none() | text,
    vs_year=opt_int, derived=st.booleans(), section=st.lists(text, max_size=3), page=st.integers(1, 500),
    line=st.integers(0, 999), bbox=box, table=opt_int, row=opt_int, col=opt_int, text=text,
    confidence=st.floats(0, 1), document=text, also_in=st.lists(source, max_size=2),
)


def _fields(r: IndicatorRecord) -> dict:
    return r.model_dump(exclude=NOT_KEPT)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(record, min_size=1, max_size=4))
def test_every_field_of_a_figure_survives_the_store(tmp_path, records):
    db = tmp_path / "s.db"
    db.unlink(missing_ok=True)
    with Store(db) as store:
        r = store.add_document(records, sha256="c" * 64, source="x.jsonl")
        back = [record_of(row) for row in store.figures(r.document_id)]
        raw = [record_of(row) for row in store.figures(r.document_id, reviewed=False)]
    assert [_fields(b) for b in back] == [_fields(g) for g in records]
    assert raw == back and all(b.document == "c" * 64 for b in back)


def _planscan(*args: str) -> str:
    return subprocess.run([sys.executable, "-m", "planscan.cli", *args], check=True, capture_output=True,
                          text=True).stdout


def test_table_figures_come_back_from_the_store_as_extract_wrote_them(tmp_path):
    pdf = table_pdf(tmp_path / "annex.pdf")
    out = tmp_path / "annex.jsonl"
    _planscan("extract", str(pdf), "-o", str(out))
    written = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert written and all(w["table"] == 1 and w["row"] and w["col"] and w["ref"].startswith("T1.") for w in written)
    assert any(w["part_of"] for w in written)  # the parts of the 'Tổng số' row
    _planscan("ingest", str(out), "--db", str(tmp_path / "s.db"))
    read = [json.loads(line) for line in _planscan("extract", "--db", str(tmp_path / "s.db")).splitlines()]
    export_only = {"review_status", "document_id", "figure_id"}
    assert [{k: v for k, v in r.items() if k not in export_only | NOT_KEPT} for r in read] == \
        [{k: v for k, v in w.items() if k not in NOT_KEPT} for w in written]


def test_a_store_of_schema_4_gains_the_figure_columns_and_keeps_its_rows(tmp_path):
    db = tmp_path / "s.db"
    old = IndicatorRecord(indicator="Số xã", key="so_xa", value=12, unit="xã", text="12 xã", page=2, line=3)
    with Store(db) as store:
        store.add_document([old], sha256="a" * 64, source="old.jsonl")
    con = sqlite3.connect(db)
    for column in ("max", "qualifier", "start_year", "end_year", "kind_reason", "period_reason", "ref", "part_of",
                   "same_as", "table", "row", "col", "also_in"):
        con.execute(f'ALTER TABLE indicators DROP COLUMN "{column}"')
    con.execute("UPDATE planscan_info SET value='4' WHERE name='schema_version'")
    con.commit()
    con.close()
    with Store(db, create=False) as store:  # read-only use of an old store: its figures as they were
        assert [record_of(r) for r in store.figures()] == [old.model_copy(update={"document": "a" * 64})]
    cell = old.model_copy(update={"table": 2, "row": 3, "col": 4, "ref": "T2.3.4", "part_of": "T2.1.4",
                                  "also_in": [FigureSource(page=1, line=5, ref="1.5.1", text="12 xã")]})
    with Store(db) as store:
        r = store.add_document([cell], sha256="b" * 64, source="new.jsonl")
        assert [record_of(x) for x in store.figures(r.document_id)] == [cell.model_copy(update={"document": "b" * 64})]
        assert [record_of(x).key for x in store.figures()] == ["so_xa", "so_xa"]
    assert sqlite3.connect(db).execute("SELECT value FROM planscan_info WHERE name='schema_version'").fetchone() == ("5",)
