"""Borderless tables on scanned pages without rules: the page is rendered with PIL at 300 dpi (no
development documents) and read by real Tesseract (marked: needs tesseract with vie)."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image, ImageDraw, ImageFont

from planscan.cli import cli
from planscan.ocr.column_gaps import may_hold_columns

pytestmark = pytest.mark.tesseract

FONTS = Path("/usr/share/fonts/truetype")
DPI = 300
# label, unit, then three figure columns
BODY = [("Số trường học đạt chuẩn", "Trường", "41", "45", "48"),
        ("Tỷ lệ hộ dùng nước sạch", "%", "86,5", "88,2", "90,0"),
        ("Số giường bệnh", "Giường", "1.250", "1.310", "1.400"),
        ("Diện tích trồng rừng mới", "ha", "320", "355", "400")]
PROSE = ["Trong năm, huyện tập trung chỉ đạo phát triển kinh tế, bảo đảm an sinh xã hội và giữ",
         "vững quốc phòng, an ninh. Tổng thu ngân sách trên địa bàn đạt 215 tỷ đồng, tăng 8,4%",
         "so với cùng kỳ; toàn huyện có thêm 3 xã đạt chuẩn nông thôn mới, nâng tổng số lên 12 xã.",
         "Công tác cải cách hành chính được đẩy mạnh, tỷ lệ hồ sơ giải quyết đúng hạn đạt 98%."]


@dataclass(frozen=True)
class Layout:
    """How a report sets its rule-less table: font, size and line pitch (pixels at 300 dpi), the
    height of each of the two header rows, the column edges, and the header cells as (text, col,
    span, first row, last row), each set at the top of its rows or centred in them; ``expect`` is
    the (kind, year) each figure column gets from its header."""
    font: str
    size: int
    pitch: int
    head: int
    cols: tuple[tuple[int, int], ...]
    header: tuple[tuple[str, int, int, int, int], ...]
    expect: tuple[tuple[str, int], ...]
    centred: bool = False
    caption: str = ""


# "Năm 2024" over "Kế hoạch | Thực hiện", the other labels on both rows; the rows are a line and a
# half tall and the labels set at their top, so the header stands well apart from the body
SERIF = Layout("dejavu/DejaVuSerif.ttf", 46, 78, 117, ((150, 1050), (1050, 1350), (1350, 1700), (1700, 2050), (2050, 2400)),
               (("Chỉ tiêu", 0, 1, 0, 1), ("ĐVT", 1, 1, 0, 1), ("Năm 2024", 2, 2, 0, 0), ("KH 2025", 4, 1, 0, 1),
                ("Kế hoạch", 2, 1, 1, 1), ("Thực hiện", 3, 1, 1, 1)),
               (("target", 2024), ("actual", 2024), ("target", 2025)))
LAYOUTS = {
    "serif-top": SERIF,
    # a caption above; smaller sans type in rows two lines tall, centred; the merged cell over the
    # last two columns
    "sans-tall-rows": Layout(
        "dejavu/DejaVuSans.ttf", 40, 66, 132,
        ((260, 1000), (1000, 1260), (1260, 1600), (1600, 1940), (1940, 2280)),
        (("Chỉ tiêu", 0, 1, 0, 1), ("ĐVT", 1, 1, 0, 1), ("TH 2023", 2, 1, 0, 1), ("Năm 2024", 3, 2, 0, 0),
         ("Kế hoạch", 3, 1, 1, 1), ("Ước thực hiện", 4, 1, 1, 1)),
        (("actual", 2023), ("target", 2024), ("estimate", 2024)), centred=True,
        caption="Biểu 01: MỘT SỐ CHỈ TIÊU CHỦ YẾU"),
    # larger type in rows one line tall: every label but the merged one sits on the lower row
    "freeserif-low": Layout(
        "freefont/FreeSerif.ttf", 54, 84, 84,
        ((120, 1000), (1000, 1300), (1300, 1660), (1660, 2020), (2020, 2380)),
        (("Chỉ tiêu", 0, 1, 1, 1), ("ĐVT", 1, 1, 1, 1), ("Năm 2023", 2, 2, 0, 0), ("Kế hoạch", 2, 1, 1, 1),
         ("Thực hiện", 3, 1, 1, 1), ("KH 2024", 4, 1, 1, 1)),
        (("target", 2023), ("actual", 2023), ("target", 2024))),
}


@pytest.fixture(scope="module", autouse=True)
def _needs_tesseract():
    from planscan.ocr import tesseract

    if shutil.which("tesseract") is None or not all((FONTS / lay.font).is_file() for lay in LAYOUTS.values()):
        pytest.skip("tesseract or the DejaVu, Liberation and FreeFont fonts not installed")
    try:
        tesseract.check_tesseract("vie")
    except Exception as e:  # noqa: BLE001 - any reason means skip
        pytest.skip(str(e))


def _page(table: bool, lay: Layout = SERIF) -> Image.Image:
    """A report page: a heading, a paragraph, and (with ``table``) a table without any rule whose
    header has two rows (one cell merged over two columns, the others on both rows or the lower),
    then a closing sentence."""
    font = ImageFont.truetype(str(FONTS / lay.font), lay.size)
    img = Image.new("L", (2480, 2000 if table else 1200), 255)
    d = ImageDraw.Draw(img)
    y = 120
    d.text((150, y), "I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ", font=font, fill=0)
    y += 2 * lay.pitch
    for ln in PROSE[:2] if table else PROSE:
        d.text((150, y), ln, font=font, fill=0)
        y += lay.pitch
    if not table:
        return img
    y += lay.pitch

    def cell(text: str, col: int, row_y: int, span: int = 1, left: bool = False) -> None:
        x0, x1 = lay.cols[col][0], lay.cols[col + span - 1][1]
        w = d.textlength(text, font=font)
        d.text((x0 + 10 if left else (x0 + x1 - w) / 2, row_y), text, font=font, fill=0)

    if lay.caption:
        cell(lay.caption, 0, y, span=len(lay.cols))
        y += 2 * lay.pitch
    for text, col, span, r0, r1 in lay.header:
        top = y + r0 * lay.head
        cell(text, col, top + ((r1 - r0 + 1) * lay.head - lay.size) // 2 if lay.centred else top, span=span)
    y += 2 * lay.head
    for row in BODY:
        for c, t in enumerate(row):
            cell(t, c, y, left=c == 0)
        y += lay.pitch
    y += lay.pitch
    d.text((150, y), "Năm 2025, toàn huyện phấn đấu có thêm 4 xã đạt chuẩn nông thôn mới.", font=font, fill=0)
    return img


@pytest.fixture(scope="module")
def scans(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("borderless-scan")
    out = {}
    for name, table in (("table", True), ("prose", False)):
        out[name] = folder / f"{name}.png"
        _page(table).save(out[name], dpi=(DPI, DPI))
    return out


def _extract(path: Path, cache: Path) -> list[dict]:
    res = CliRunner().invoke(cli, ["extract", str(path)], env={"PLANSCAN_CACHE": str(cache)},
                             catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return [json.loads(ln) for ln in res.output.splitlines() if ln.startswith("{")]


def test_scanned_borderless_table_figures_through_extract(scans, tmp_path):
    recs = _extract(scans["table"], tmp_path)
    table = [r for r in recs if r["table"] is not None]
    got = {(r["row"], r["col"]): r["value"] for r in table}
    n_head = min(r for r, _ in got)
    # every figure of the body, each in its row and column (1-based: label, unit, figures)
    want = {(n_head + i, 3 + k): float(v.replace(".", "").replace(",", "."))
            for i, row in enumerate(BODY) for k, v in enumerate(row[2:])}
    assert {k: float(v) for k, v in got.items()} == want
    beds = next(r for r in table if r["value"] == 1310)
    assert beds["bbox"] is not None and "giường" in beds["indicator"].lower()
    # the rows are not read again as prose; the sentences around the table are
    prose = {r["value"] for r in recs if r["table"] is None}
    assert {215, 8.4, 4} <= prose
    assert not prose & {41, 45, 48, 86.5, 88.2, 1250, 1310, 1400, 320, 355}


def test_scanned_prose_page_has_no_table(scans, tmp_path):
    recs = _extract(scans["prose"], tmp_path)
    assert recs and all(r["table"] is None for r in recs)
    assert {215, 8.4, 3, 12, 98} <= {r["value"] for r in recs}


def test_tables_command_on_scans(scans, tmp_path, monkeypatch):
    """Without a Document, ``planscan tables`` OCRs a rule-less page as text once, and not at all
    when its ink shows no columns."""
    import planscan.ocr.pipeline as ocr_pipeline

    calls = []
    real = ocr_pipeline.ocr_page
    monkeypatch.setattr(ocr_pipeline, "ocr_page", lambda task: calls.append(task.number) or real(task))
    env = {"PLANSCAN_CACHE": str(tmp_path)}
    res = CliRunner().invoke(cli, ["tables", str(scans["prose"])], env=env, catch_exceptions=False)
    assert res.exit_code == 0, res.output
    assert json.loads(res.output) == [] and calls == []
    res = CliRunner().invoke(cli, ["tables", str(scans["table"])], env=env, catch_exceptions=False)
    assert res.exit_code == 0, res.output
    [table] = json.loads(res.output)
    assert calls == [1]
    texts = {c["text"] for c in table["cells"]}
    assert {"Số giường bệnh", "Giường", "1.310", "86,5"} <= texts


@pytest.mark.parametrize("name", LAYOUTS)
def test_scanned_two_row_header(name, tmp_path):
    """The header's two rows are read from the OCR words whatever the type and row heights, and
    give each figure column its kind and year; a caption above is not part of the header."""
    from planscan.extract.tables.figures import tables_records
    from planscan.ocr.settings import OcrSettings
    from planscan.pipeline import read_tables

    lay = LAYOUTS[name]
    path = tmp_path / f"{name}.png"
    _page(True, lay).save(path, dpi=(DPI, DPI))
    [table] = read_tables(path, OcrSettings(cache_dir=tmp_path / "cache"))
    assert table.n_header_rows == 2
    texts = {c.text for c in table.cells}
    assert {t for t, *_ in lay.header} <= texts
    assert not any("Biểu" in t for t in texts)
    got = {}
    for r in tables_records([table]):
        got.setdefault(r.col, set()).add((r.kind, r.year))
    # 1-based columns: label, unit, then the figures
    assert got == {3 + k: {want} for k, want in enumerate(lay.expect)}


def test_column_check_on_rendered_pages():
    assert may_hold_columns(np.asarray(_page(True)), DPI)
    assert not may_hold_columns(np.asarray(_page(False)), DPI)
