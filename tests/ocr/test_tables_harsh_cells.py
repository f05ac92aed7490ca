"""Figure cells on worn copies: the number grammar, the vote among readings, which cells are figure
cells, strokes through a cell, and a synthetic table degraded like a photocopy of a photocopy."""

from __future__ import annotations

import shutil

import cv2
import numpy as np
import pytest

from planscan.ocr import tables
from planscan.ocr.cell_figures import DIGITS_CONFIG, Reading, choose, figure_cells, grammar, has_word, settled
from tests.ocr.test_tables import BODY, DPI, XS, YS, render_table


@pytest.mark.parametrize("text, score", [
    ("4.386", 2), ("97,9", 2), ("16/18", 2), ("-0,9", 2), ("133,33", 2), ("105,3%", 2), ("1.234.567", 2),
    ("4386", 1), ("4,400", 1), ("1618", 1), ("", 0), ("9/z", 0), ("3# /", 0),
])
def test_grammar_knows_how_figures_are_printed(text, score):
    assert grammar(text) == score


def test_choose_prefers_a_printed_figure_then_agreement_then_confidence():
    assert choose([Reading("1000", 95), Reading("100,0", 40)]) == "100,0"
    assert choose([Reading("108,0", 90), Reading("100,0", 60), Reading("100,0", 55)]) == "100,0"
    assert choose([Reading("17/78", 50), Reading("17/18", 80)]) == "17/18"
    assert choose([Reading("", 90), Reading("abc", 90)]) == ""


def _chosen(header: list[tuple], body: list[tuple]) -> set[tuple[int, int]]:
    """(row, col) of the cells figure_cells picks: header cells given as (row, col, colspan, text),
    body rows as texts from row 1."""
    cells = [(r, c, s) for r, c, s, _ in header]
    texts = [t for *_, t in header]
    for r, row in enumerate(body, start=1):
        for c, t in enumerate(row):
            cells.append((r, c, 1))
            texts.append(t)
    return {(cells[i][0], cells[i][1]) for i in figure_cells(cells, texts)}


def test_figure_cells_are_body_cells_of_figure_columns_without_numbering_marks():
    # (row, col, colspan): a header row, then body rows with STT marks, labels and figures
    header = [(0, 0, 1, "STT"), (0, 1, 1, "Chỉ tiêu"), (0, 2, 1, "KH 2021"), (0, 3, 1, "Ước TH 2020")]
    body = [("I", "Trồng trọt", "1.234", "97,5"), ("1", "Lúa", "HN N", "88,0"), ("2", "Ngô", "16/18", "Th"),
            ("II", "Chăn nuôi", "-", "105,3"), ("a", "Trâu", "4.310", "12")]
    chosen = _chosen(header, body)
    assert (2, 2) in chosen and (3, 3) in chosen  # figures read as letters are read again
    assert not any(c in (0, 1) for _, c in chosen)  # numbering and labels are not
    assert not any(r == 0 for r, _ in chosen)  # nor the header
    assert (4, 2) not in chosen  # "-" is kept as printed


def test_a_stroke_through_the_cell_is_removed_and_the_digits_stay():
    crop = np.full((80, 300), 255, np.uint8)
    cv2.putText(crop, "105", (60, 55), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 0, 3)
    digits = crop < 160
    cv2.line(crop, (250, 0), (280, 79), 0, 2)  # a seal's ring crossing the cell
    out = tables._clean_crop(crop)
    assert (out[:, 240:] >= 160).all()
    assert ((out < 160) == digits).all()


def _worn(img: np.ndarray, seed: int = 7) -> np.ndarray:
    """A photocopy of a photocopy: a grey seal whose rings cross the figure cells (beside the
    right-aligned figures), 150 dpi and back, blur, toner noise."""
    rng = np.random.default_rng(seed)
    out = img.copy()
    cx, cy = XS[2] + 20, (YS[3] + YS[5]) // 2
    cv2.circle(out, (cx, cy), int(0.55 * DPI), 150, max(2, DPI // 60))
    cv2.circle(out, (cx, cy), int(0.42 * DPI), 150, max(1, DPI // 100))
    small = cv2.resize(out, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    out = cv2.resize(small, (img.shape[1], img.shape[0]), interpolation=cv2.INTER_CUBIC)
    out = cv2.GaussianBlur(out, (0, 0), DPI / 250)
    noise = rng.normal(0, 12, out.shape)
    out = np.clip(out.astype(np.float64) + noise, 0, 255)
    specks = rng.random(out.shape) < 0.002
    out[specks] = 0
    return out.astype(np.uint8)


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")
def test_figures_of_a_worn_table_under_a_seal_read_exactly():
    from planscan.ocr import clean
    from planscan.ocr.tesseract import _languages
    import pytesseract

    langs = _languages(pytesseract.pytesseract.tesseract_cmd)
    if "vie" not in langs or "eng" not in langs:
        pytest.skip("tesseract vie/eng data not installed")
    state = clean.CleanState(image=_worn(render_table(bold_header=False)), dpi=DPI)
    for name in ("background", "denoise", "bleed", "despeckle"):
        clean.STEPS[name](state)
    grey = state.image.copy()
    clean.binarize(state)
    pt = tables.tables_from_scan(1, state.image, DPI, "vie", extra="-c textord_heavy_nr=1", grey=grey)
    by_pos = {(c.row, c.col): t for c, t in zip(pt.grids[0].cells, pt.texts[0])}
    wrong = [(row[c], by_pos[(r + 2, c)]) for r, row in enumerate(BODY) for c in (2, 3)
             if row[c] not in ("", "-") and by_pos[(r + 2, c)] != row[c]]
    assert not wrong


def test_a_header_cell_with_a_year_and_a_count_does_not_start_the_body():
    # "6 tháng ... 2023" cleans to the figure "62023": were it a body figure, the header would be
    # read again digits-only and lose its words (and the column its period and kind)
    header = [(0, 0, 1, "STT"), (0, 1, 1, "Chỉ tiêu"), (0, 2, 1, "Thực hiện 6 tháng đầu năm 2023"),
              (0, 3, 1, "Ước thực hiện cả năm 2023"), (0, 4, 1, "Năm 2024")]
    body = [("1", "Lúa", "1.234", "97,5", "12"), ("2", "Ngô", "HN N", "88,0", "4.310"), ("3", "Chè", "16/18", "7", "45")]
    chosen = _chosen(header, body)
    assert not any(r == 0 for r, _ in chosen)
    assert {(1, 2), (2, 2), (1, 3), (3, 4)} <= chosen


@pytest.mark.parametrize("text, word", [
    ("Năm 2024", True), ("6 tháng đầu năm 2020", True), ("KH 2021", True), ("1.234", False), ("| 16/18", False),
    ("1O7", False), ("lO5", False), ("105 l", False),
])
def test_has_word_tells_a_header_with_digits_from_a_worn_figure(text, word):
    assert has_word(text) is word


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")
def test_scanned_header_cells_with_years_keep_their_words(monkeypatch):
    from planscan.ocr.tesseract import _languages
    import pytesseract
    from tests.ocr import test_tables

    langs = _languages(pytesseract.pytesseract.tesseract_cmd)
    if "vie" not in langs or "eng" not in langs:
        pytest.skip("tesseract vie/eng data not installed")
    header = [h for h in test_tables.HEADER if h[1] == 0] + [("6 tháng 2023", 1, 2, 1, 1), ("Ước năm 2023", 1, 3, 1, 1)]
    monkeypatch.setattr(test_tables, "HEADER", header)
    pt = tables.tables_from_scan(1, render_table(bold_header=False), DPI, "vie")
    by_pos = {(c.row, c.col): t for c, t in zip(pt.grids[0].cells, pt.texts[0])}
    assert "Năm" in by_pos[(0, 2)] and "2024" in by_pos[(0, 2)]
    assert "tháng" in by_pos[(1, 2)] and "2023" in by_pos[(1, 2)]
    assert "năm" in by_pos[(1, 3)].lower() and "2023" in by_pos[(1, 3)]
    assert all(by_pos[(r + 2, 2)] == row[2] for r, row in enumerate(BODY) if row[2] != "-")


@pytest.mark.parametrize("first, second, ok", [
    ("97,5", "97,5", True), ("1.234", "1.234", True), ("97,5", "97,8", False), ("4386", "4386", False),
    ("", "", False),
])
def test_two_readings_settle_a_cell_only_when_they_agree_on_a_printed_figure(first, second, ok):
    assert settled(Reading(first, 90), Reading(second, 90)) is ok


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")
def test_a_clean_table_reads_few_figure_cells_digits_only_again_and_a_worn_one_more(monkeypatch):
    from planscan.ocr import clean
    from planscan.ocr.tesseract import _languages
    import pytesseract

    langs = _languages(pytesseract.pytesseract.tesseract_cmd)
    if "vie" not in langs or "eng" not in langs:
        pytest.skip("tesseract vie/eng data not installed")
    reread: list[int] = []
    read = tables._read_mosaic

    def counting(crops, dpi, lang, timeout, extra):
        if DIGITS_CONFIG in extra:
            reread.append(len(crops))
        return read(crops, dpi, lang, timeout, extra)

    monkeypatch.setattr(tables, "_read_mosaic", counting)
    pt = tables.tables_from_scan(1, render_table(bold_header=False), DPI, "vie")
    by_pos = {(c.row, c.col): t for c, t in zip(pt.grids[0].cells, pt.texts[0])}
    assert all(by_pos[(r + 2, c)] == row[c] for r, row in enumerate(BODY) for c in (2, 3) if row[c] not in ("", "-"))
    figures = sum(row[c] not in ("", "-") for row in BODY for c in (2, 3))
    clean_rereads = sum(reread)
    assert clean_rereads < figures / 2  # most cells are settled by their first two readings
    state = clean.CleanState(image=_worn(render_table(bold_header=False)), dpi=DPI)
    for name in ("background", "denoise", "bleed", "despeckle"):
        clean.STEPS[name](state)
    grey = state.image.copy()
    clean.binarize(state)
    tables.tables_from_scan(1, state.image, DPI, "vie", extra="-c textord_heavy_nr=1", grey=grey)
    assert sum(reread) - clean_rereads > clean_rereads  # a worn copy leaves more in doubt
