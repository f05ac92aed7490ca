"""Tables in the SQLite store: a born-digital table PDF (made here with fpdf2) ingested, its tables
and cells read back, each figure cell leading to its indicator row."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from planscan.io.store import Store
from planscan.io.tablestore import read_tables
from planscan.pipeline import ingest_path
from planscan.schemas.records import BBox
from planscan.schemas.tables import Cell, Segment, Table

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
HEADER = ["STT", "Chỉ tiêu", "ĐVT", "Thực hiện năm 2023", "Kế hoạch năm 2024"]
BODY = [["", "Tổng số", "Người", "1.000", "1.100"],
        ["1", "Số lao động xã Đông", "Người", "600", "650"],
        ["2", "Số lao động xã Tây", "Người", "400", "450"]]
WIDTHS = [12, 60, 20, 46, 46]


def table_pdf(path: Path) -> Path:
    import fpdf  # dev dependency: never skipped
    if not (FONT.is_file() and BOLD.is_file()) or shutil.which("pdftotext") is None:
        pytest.skip("DejaVu fonts and poppler are needed")
    pdf = fpdf.FPDF(format="A4")
    pdf.add_font("dv", "", str(FONT))
    pdf.add_font("dv", "B", str(BOLD))
    pdf.add_page()
    pdf.set_font("dv", "B", 12)
    pdf.cell(0, 8, "Biểu số 09", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 8, "MỘT SỐ CHỈ TIÊU LAO ĐỘNG NĂM 2024", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_line_width(0.4)
    for i, row in enumerate([HEADER] + BODY):
        pdf.set_font("dv", "B" if i == 0 else "", 10)
        for text, w in zip(row, WIDTHS):
            pdf.cell(w, 12, text, border=1, align="L" if w == 60 else "C")
        pdf.ln(12)
    pdf.output(str(path))
    return path


def test_ingest_stores_a_documents_tables_and_cells(tmp_path):
    pdf = table_pdf(tmp_path / "annex.pdf")
    with Store(tmp_path / "s.db") as store:
        (result,) = ingest_path(store, pdf)
        assert result.inserted
        tables = read_tables(store.conn, result.document_id)
    assert len(tables) == 1
    t = tables[0]
    assert (t.table, t.pages, t.n_rows, t.n_cols, t.n_header_rows) == (1, [1], 4, 5, 1)
    assert t.title and "Biểu số 09" in t.title
    grid = t.grid()
    assert grid[0] == HEADER and grid[1:] == BODY
    assert all(c.bbox is not None and c.page == 1 for c in t.cells)

    con = sqlite3.connect(tmp_path / "s.db")
    # a figure cell names its indicator row, which holds the cell's figure; the others name none
    linked = con.execute(
        'SELECT c."row", c.col, c.text, i.value, i.kind, i.year FROM cells c JOIN indicators i ON i.id = c.indicator_id'
        ' ORDER BY c."row", c.col').fetchall()
    assert linked == [(2, 4, "1.000", 1000.0, "actual", 2023), (2, 5, "1.100", 1100.0, "target", 2024),
                      (3, 4, "600", 600.0, "actual", 2023), (3, 5, "650", 650.0, "target", 2024),
                      (4, 4, "400", 400.0, "actual", 2023), (4, 5, "450", 450.0, "target", 2024)]
    assert con.execute("SELECT count(*) FROM cells WHERE indicator_id IS NULL").fetchone()[0] == 20 - 6
    # ingesting it again stores nothing twice
    with Store(tmp_path / "s.db") as store:
        (again,) = ingest_path(store, pdf)
    assert not again.inserted and con.execute("SELECT count(*) FROM tables").fetchone()[0] == 1


def _table(number: int) -> Table:
    box = BBox(x0=10, y0=20, x1=300, y1=90)
    cells = [Cell(row=1, col=1, colspan=2, text="Năm 2024", bbox=box), Cell(row=2, col=1, text="1.250,5", page=2),
             Cell(row=2, col=2, text="")]
    return Table(table=number, pages=[1, 2], bbox=box, dpi=300, n_rows=2, n_cols=2, n_header_rows=1, borders=False,
                 title="Biểu số 01", unit_note="triệu đồng", context=["Đơn vị tính: triệu đồng"], cells=cells,
                 segments=[Segment(page=1, bbox=box, first_row=1, last_row=1),
                           Segment(page=2, bbox=box, first_row=2, last_row=2, header_repeated=True)])


def test_tables_read_back_as_they_were_given(tmp_path):
    given = [_table(1), _table(2)]
    with Store(tmp_path / "s.db") as store:
        r = store.add_document([], sha256="a" * 64, source="x.pdf", tables=given)
        other = store.add_document([], sha256="b" * 64, source="y.pdf")
        assert read_tables(store.conn, r.document_id) == given
        assert read_tables(store.conn, other.document_id) == []


def test_a_store_of_the_previous_schema_gets_the_tables_when_opened_for_writing(tmp_path):
    with Store(tmp_path / "s.db") as store:
        store.add_document([], sha256="a" * 64, source="x.pdf")
    con = sqlite3.connect(tmp_path / "s.db")
    con.execute("DROP TABLE cells")
    con.execute("DROP TABLE tables")
    con.execute("UPDATE planscan_info SET value='3' WHERE name='schema_version'")
    con.commit()
    con.close()
    with Store(tmp_path / "s.db", create=False) as store:
        assert read_tables(store.conn, 1) == []  # read-only use of an old store: no tables, no error
    with Store(tmp_path / "s.db") as store:
        r = store.add_document([], sha256="b" * 64, source="y.pdf", tables=[_table(1)])
        assert [t.table for t in read_tables(store.conn, r.document_id)] == [1]
