"""The store as an analyst queries it: ingest of a folder, the hash checked before any reading,
full-text search of page text, the list of keys, and series of unknown keys and of one point."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from planscan.cli import cli
from planscan.errors import ExitCode
from planscan.io.series import SeriesPoint, draw_series, period_words
from planscan.io.store import Store
from planscan.pipeline import expand_inputs, ingest_path

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
GOLD = [SAMPLES / "tuangiao-2020" / "gold.txt", SAMPLES / "tuangiao-2021" / "gold.txt"]
OLD = SAMPLES / "tuangiao-2020" / "indicators.jsonl"


def _pcli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "planscan.cli", *args], capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def text_store(tmp_path_factory) -> Path:
    """A folder of plain text plans (what a folder of scans is after OCR), ingested by the CLI."""
    root = tmp_path_factory.mktemp("store")
    folder = root / "plans"
    for i, src in enumerate(GOLD):
        (folder / f"y{i}").mkdir(parents=True)
        shutil.copyfile(src, folder / f"y{i}" / "plan.txt")
    db = root / "p.db"
    res = CliRunner().invoke(cli, ["ingest", str(folder), "--db", str(db)])
    assert res.exit_code == 0, res.output
    assert "2 document(s) added" in res.stderr
    return db


def test_a_folder_stands_for_its_batch_outputs_and_the_scans_without_one(tmp_path):
    (tmp_path / "done").mkdir()
    for name in ("a.indicators.jsonl", "a.ocr.json", "a.txt", "a.pdf"):
        (tmp_path / "done" / name).write_text("x", encoding="utf-8")
    for name in ("b.pdf", "c.png", "d.txt", "notes.md", ".hidden.pdf"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    found = [p.relative_to(tmp_path).as_posix() for p in expand_inputs([tmp_path])]
    assert found == ["done/a.indicators.jsonl", "b.pdf", "c.png", "d.txt"]


def test_an_empty_folder_says_what_to_do_and_fails(tmp_path):
    (tmp_path / "empty").mkdir()
    p = _pcli("ingest", str(tmp_path / "empty"), "--db", str(tmp_path / "p.db"))
    assert p.returncode == ExitCode.input_file, p.stderr
    assert "planscan batch" in p.stderr and p.stderr.count("\n") == 1


def test_a_stored_file_is_recognised_by_its_hash_before_it_is_read(tmp_path, monkeypatch):
    src = tmp_path / "plan.txt"
    shutil.copyfile(GOLD[0], src)
    with Store(tmp_path / "p.db") as s:
        (first,) = ingest_path(s, src)
        assert first.inserted

        def no_reading(*_a, **_k):
            raise AssertionError("a stored input was read again")

        monkeypatch.setattr("planscan.pipeline.load_input", no_reading)
        (again,) = ingest_path(s, src)
    assert not again.inserted and again.document_id == first.document_id


def test_search_finds_pages_accent_insensitively_with_a_snippet(text_store):
    with Store(text_store, create=False) as s:
        exact = s.search("trạm BTS")
        folded = s.search("tram bts")
        assert exact and [(h.document_id, h.page) for h in exact] == [(h.document_id, h.page) for h in folded]
        assert "[trạm]" in exact[0].snippet or "[BTS]" in exact[0].snippet
        assert "\n" not in exact[0].snippet
        assert s.search("zzqxv") == []
    res = CliRunner().invoke(cli, ["search", "bưu chính", "--db", str(text_store)])
    assert res.exit_code == 0
    first = res.stdout.splitlines()[0].split("\t")
    assert first[0].endswith("plan.txt") and first[1].startswith("page ") and "[" in first[2]


def test_search_works_on_a_store_made_before_the_index(text_store, tmp_path):
    import sqlite3

    old = tmp_path / "old.db"
    shutil.copyfile(text_store, old)
    con = sqlite3.connect(old)
    con.execute("DROP TABLE page_text")
    con.execute("UPDATE planscan_info SET value='2' WHERE name='schema_version'")
    con.commit()
    con.close()
    with Store(old) as s:  # opened for writing: migrated, pages indexed
        assert s.search("trạm BTS")


def test_keys_lists_keys_with_labels_and_counts(text_store):
    res = CliRunner().invoke(cli, ["keys", "--db", str(text_store)])
    assert res.exit_code == 0
    rows = [line.split("\t") for line in res.stdout.splitlines()]
    by_key = {k: (int(n), label) for k, n, label in rows}
    assert by_key["ict.bts_stations"][0] >= 2 and "BTS" in by_key["ict.bts_stations"][1]
    counts = [int(n) for _, n, _ in rows]
    assert counts == sorted(counts, reverse=True)


def test_series_of_an_unknown_key_exits_2_with_the_nearest_keys(text_store):
    p = _pcli("series", "ict.bts_station", "--db", str(text_store))
    assert p.returncode == ExitCode.input_file == 2, p.stderr
    assert "ict.bts_stations" in p.stderr and "planscan keys" in p.stderr and p.stderr.count("\n") == 1


def _point(year, kind="actual", derived=False, value=10.0, period_type="H1"):
    return SeriesPoint(district="X", year=year, period=None, period_type=period_type, kind=kind, value=value, unit="trạm",
                       stated_value=value, stated_unit="trạm", derived=derived, indicator="Số trạm", source="s",
                       document_id=1, page=1)


def test_a_one_point_series_has_an_axis_around_its_year():
    fig = draw_series("k", [_point(2020)])
    ax = fig.axes[0]
    lo, hi = ax.get_xlim()
    assert 2019 <= lo < 2020 < hi <= 2021
    assert [t for t in ax.get_xticks() if lo <= t <= hi] == [2020]


def test_estimates_and_derived_values_have_their_own_markers_and_the_legend_is_in_words():
    points = [_point(2018, derived=True), _point(2019), _point(2020, kind="estimate"),
              _point(2020, kind="actual", period_type="Y")]
    ax = draw_series("k", points).axes[0]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "X · 6 tháng đầu năm" in legend and "X · cả năm" in legend
    assert {"thực hiện", "ước thực hiện", "suy ra từ mức tăng"} <= set(legend)
    assert not any("H1" in t or t.endswith("· Y") for t in legend)
    markers = {(h.get_marker(), h.get_markerfacecolor()) for h in ax.get_legend().legend_handles
               if h.get_label() in ("thực hiện", "ước thực hiện", "suy ra từ mức tăng")}
    assert len(markers) == 3


def test_period_words():
    assert [period_words(t) for t in ("H1", "Y", "9M", "Q3", "M6", None)] == [
        "6 tháng đầu năm", "cả năm", "9 tháng đầu năm", "quý III", "tháng 6", "kỳ không rõ"]
