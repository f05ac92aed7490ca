"""Tables as found on the pages: a grid of cells with spans, text and boxes.

``ocr.tables`` fills the grid (rows, columns, spans, text); ``extract.tables`` says which rows are the
header and joins a table continued on later pages. Boxes are in the pixels of the page the Document
holds (the cleaned page image, or PDF points for a text layer), so a table's box and the lines of the
text path can be compared.
"""

from __future__ import annotations

from typing import Optional

from pydantic import Field

from planscan.schemas.records import BBox, _Record


class Cell(_Record):
    row: int = Field(description="1-based row of the table where the cell starts, header rows first.")
    col: int = Field(description="1-based leaf column where the cell starts.")
    rowspan: int = 1
    colspan: int = 1
    text: str = ""
    page: int = Field(default=1, description="1-based page of the input file.")
    bbox: Optional[BBox] = None


class Segment(_Record):
    """The part of a table on one page."""

    page: int
    bbox: BBox
    first_row: int = Field(description="First table row on this page (1-based, as Cell.row).")
    last_row: int
    header_repeated: bool = Field(default=False, description="The page repeats the header (dropped from cells).")


class Table(_Record):
    table: int = Field(default=1, description="1-based index of the table in the document.")
    pages: list[int] = Field(default_factory=list)
    bbox: Optional[BBox] = Field(default=None, description="The table's box on its first page.")
    dpi: int = Field(default=72, description="Resolution of the boxes (72 for PDF points).")
    n_rows: int = 0
    n_cols: int = 0
    n_header_rows: int = 0
    borders: bool = True
    title: Optional[str] = Field(default=None, description="The caption above the table, e.g. 'Biểu số 01: ...'.")
    unit_note: Optional[str] = Field(default=None, description="The unit of an 'Đơn vị tính: ...' note, lower case.")
    context: list[str] = Field(default_factory=list, description="Text lines just above the table on its first page.")
    segments: list[Segment] = Field(default_factory=list)
    cells: list[Cell] = Field(default_factory=list)

    def grid(self) -> list[list[Optional[str]]]:
        """Dense rows x n_cols text; None where a span covers the position."""
        out: list[list[Optional[str]]] = [[""] * self.n_cols for _ in range(self.n_rows)]
        for c in self.cells:
            for r in range(c.row, c.row + c.rowspan):
                for k in range(c.col, c.col + c.colspan):
                    if 1 <= r <= self.n_rows and 1 <= k <= self.n_cols and (r, k) != (c.row, c.col):
                        out[r - 1][k - 1] = None
            if 1 <= c.row <= self.n_rows and 1 <= c.col <= self.n_cols:
                out[c.row - 1][c.col - 1] = c.text
        return out
