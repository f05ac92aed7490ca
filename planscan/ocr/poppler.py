"""The one module that runs poppler's command-line tools (pdfinfo, pdftotext, pdfimages).

pdf2image (in rasterize.py) runs pdftoppm itself; everything else poppler does for us is here, and
every failure becomes a planscan exception naming the file. Each run has a time limit and an
argument list (never a shell), and names the file with ``path_arg`` so a name starting with "-"
is not read as an option.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from planscan.errors import EncryptedPdfError, InputFileError, MissingDependencyError
from planscan.schemas.records import BBox, Line, Page, Word

APT_HINT = "sudo apt-get install poppler-utils"
# A page with fewer visible characters than this is treated as having no text layer (a stray
# page number or a scanner's footer is not a text layer worth keeping).
MIN_TEXT_CHARS = 20
TIMEOUT = 120.0  # seconds for one run of a poppler tool (a page render included)


@dataclass(frozen=True)
class PdfInfo:
    pages: int
    encrypted: bool  # true also for owner-password-only PDFs, which we can read


def path_arg(path: str | os.PathLike) -> str:
    """``path`` as a command-line argument that no program reads as an option: "-rf.pdf" becomes
    "./-rf.pdf" (poppler's tools do not all take "--")."""
    arg = os.fspath(path)
    return f"./{arg}" if arg.startswith("-") else arg


def _run(args: list[str], path: Path, timeout: float = TIMEOUT) -> subprocess.CompletedProcess:
    if shutil.which(args[0]) is None:
        raise MissingDependencyError(f"{path}: poppler's {args[0]} is not installed; install it with: {APT_HINT}")
    try:
        return subprocess.run(args, capture_output=True, stdin=subprocess.DEVNULL, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as e:
        raise InputFileError(f"{path}: {args[0]} did not finish in {timeout:g} s; the PDF may be damaged") from e
    except OSError as e:
        raise MissingDependencyError(f"{path}: cannot run {args[0]} ({e}); install it with: {APT_HINT}") from e


def _is_password_error(stderr: str) -> bool:
    return "password" in stderr.lower()


def pdf_info(path: Path) -> PdfInfo:
    """Page count, sizes and encryption; raises for a damaged, encrypted or empty PDF."""
    proc = _run(["pdfinfo", path_arg(path)], path)
    err = proc.stderr.decode("utf-8", "replace")
    if proc.returncode != 0:
        if _is_password_error(err):
            raise EncryptedPdfError(f"{path}: the PDF is encrypted with a password; decrypt it first (e.g. qpdf --decrypt)")
        if "wrong page range" in err.lower():
            raise InputFileError(f"{path}: the PDF has no pages; check that the right file was given")
        detail = err.strip().splitlines()[-1] if err.strip() else f"pdfinfo exit {proc.returncode}"
        raise InputFileError(f"{path}: not a readable PDF ({detail}); the file may be truncated or damaged, re-export it")
    out = proc.stdout.decode("utf-8", "replace")
    m = re.search(r"^Pages:\s+(\d+)", out, re.M)
    if not m:
        raise InputFileError(f"{path}: pdfinfo reports no page count; the file may be damaged, re-export it")
    pages = int(m.group(1))
    if pages == 0:
        raise InputFileError(f"{path}: the PDF has no pages; check that the right file was given")
    encrypted = bool(re.search(r"^Encrypted:\s+yes", out, re.M))
    return PdfInfo(pages=pages, encrypted=encrypted)


def page_size_inches(path: Path, number: int) -> tuple[float, float] | None:
    """Width and height of page ``number`` as the PDF states them (its crop box), in inches; None
    when pdfinfo does not say. Read before rendering: a page may claim a size no render fits in memory."""
    proc = _run(["pdfinfo", "-f", str(number), "-l", str(number), path_arg(path)], path)
    m = re.search(rb"^Page\s+\d+\s+size:\s+([\d.]+)\s+x\s+([\d.]+)\s+pts", proc.stdout, re.M)
    if proc.returncode != 0 or not m:
        return None
    return float(m.group(1)) / 72.0, float(m.group(2)) / 72.0


def page_images(path: Path) -> dict[int, tuple[int, bool]]:
    """(resolution, is grey) of the largest embedded image on each page (pdfimages -list), for scans."""
    proc = _run(["pdfimages", "-list", path_arg(path)], path)
    if proc.returncode != 0:
        return {}
    best: dict[int, tuple[int, int, bool]] = {}  # page -> (pixels, dpi, grey)
    for row in proc.stdout.decode("utf-8", "replace").splitlines()[2:]:
        cols = row.split()
        if len(cols) < 14 or cols[2] != "image":
            continue
        try:
            page, w, h, xppi, yppi = int(cols[0]), int(cols[3]), int(cols[4]), float(cols[12]), float(cols[13])
        except ValueError:
            continue
        # Only an image the size of a page is a scan; a logo on a vector page says nothing about
        # the resolution the page should be rendered at.
        if xppi <= 0 or yppi <= 0 or w / xppi < 4 or h / yppi < 4:
            continue
        xppi = int(round(xppi))
        if w * h > best.get(page, (0, 0, False))[0]:
            best[page] = (w * h, xppi, cols[5] == "gray")
    return {page: (dpi, grey) for page, (_, dpi, grey) in best.items()}


def text_layer(path: Path, info: PdfInfo | None = None) -> list[Page | None]:
    """Each page's existing text layer as a Page (source 'text-layer'), or None where there is none.

    Boxes are in pixels at 72 dpi (PDF points), origin top-left, as pdftotext reports them.
    """
    proc = _run(["pdftotext", "-bbox-layout", "-enc", "UTF-8", path_arg(path), "-"], path)
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace")
        if _is_password_error(err):
            raise EncryptedPdfError(f"{path}: the PDF is encrypted with a password; decrypt it first (e.g. qpdf --decrypt)")
        raise InputFileError(f"{path}: pdftotext cannot read the PDF; the file may be damaged, re-export it")
    return parse_bbox_layout(proc.stdout)


def _tag(el: ET.Element) -> str:
    return el.tag.rsplit("}", 1)[-1]


def _box(el: ET.Element) -> BBox:
    return BBox(
        x0=round(float(el.get("xMin", 0))),
        y0=round(float(el.get("yMin", 0))),
        x1=round(float(el.get("xMax", 0))),
        y1=round(float(el.get("yMax", 0))),
    )


def parse_bbox_layout(xhtml: bytes) -> list[Page | None]:
    try:
        root = ET.fromstring(xhtml)
    except ET.ParseError:
        # pdftotext escapes text, but a control character in a broken text layer can still slip in.
        root = ET.fromstring(re.sub(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]", b" ", xhtml))
    pages: list[Page | None] = []
    for number, pel in enumerate((e for e in root.iter() if _tag(e) == "page"), start=1):
        lines: list[Line] = []
        block_no = 0
        for bel in (e for e in pel.iter() if _tag(e) == "block"):
            block_no += 1
            for line_no, lel in enumerate((e for e in bel if _tag(e) == "line"), start=1):
                words = [
                    Word(text=(w.text or "").strip(), conf=-1.0, bbox=_box(w), block=block_no, par=1, line=line_no, word=i)
                    for i, w in enumerate((e for e in lel if _tag(e) == "word"), start=1)
                    if (w.text or "").strip()
                ]
                if words:
                    lines.append(
                        Line(text=" ".join(w.text for w in words), bbox=_box(lel), block=block_no, par=1,
                             line=line_no, words=words)
                    )
        chars = sum(len(w.text) for line in lines for w in line.words)
        if chars < MIN_TEXT_CHARS:
            pages.append(None)
            continue
        pages.append(
            Page(number=number, width=round(float(pel.get("width", 0))), height=round(float(pel.get("height", 0))),
                 dpi=72, source="text-layer", lines=lines)
        )
    return pages
