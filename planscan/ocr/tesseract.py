"""The one module that runs Tesseract (through pytesseract).

Every Tesseract failure becomes a planscan exception here, so the rest of the package never sees
pytesseract's own error types. Every run has a time limit (pytesseract's own queries have none, so
the version and language list are asked for here) and an argument list, never a shell; the image
Tesseract reads is a file of ours in a temp folder, so no input name reaches its command line.
"""

from __future__ import annotations

import functools
import os
import string
import shutil
import subprocess
import tempfile
from pathlib import Path

import cv2
import numpy as np
import pytesseract

from planscan.errors import MissingDependencyError, PageFailedError, PageTimeoutError
from planscan.schemas.records import BBox, Line, Word

APT_HINT = "sudo apt-get install tesseract-ocr tesseract-ocr-vie"
# Without --page-timeout a page still has a limit: a Tesseract that never returns must not hold a
# worker for the rest of an overnight run. Generous: a normal page takes seconds.
DEFAULT_PAGE_TIMEOUT = 900.0
QUERY_TIMEOUT = 60.0  # --version, --list-langs


def _missing(what: str, hint: str = APT_HINT) -> MissingDependencyError:
    return MissingDependencyError(f"{what}; install it with: {hint}")


def _query(cmd: str, option: str) -> str:
    """Tesseract's answer to ``option`` (stdout and stderr: versions differ in which they use)."""
    try:
        proc = subprocess.run([cmd, option], capture_output=True, stdin=subprocess.DEVNULL,
                              timeout=QUERY_TIMEOUT, check=False)
    except FileNotFoundError as e:
        raise _missing("tesseract is not installed or not on PATH") from e
    except (OSError, subprocess.SubprocessError) as e:
        raise _missing(f"tesseract does not run ({e})") from e
    if proc.returncode not in (0, 1):
        raise _missing(f"tesseract does not run ({option} exit {proc.returncode})")
    return (proc.stdout + proc.stderr).decode("utf-8", "replace")


@functools.lru_cache(maxsize=None)
def _languages(cmd: str) -> frozenset[str]:
    lines = (line.strip() for line in _query(cmd, "--list-langs").splitlines())
    return frozenset(line for line in lines if pytesseract.pytesseract.LANG_PATTERN.match(line))


def check_tesseract(lang: str = "vie") -> str:
    """Tesseract's version, after checking that it runs and has every language in ``lang`` ('vie+eng')."""
    cmd = shutil.which(pytesseract.pytesseract.tesseract_cmd)
    if cmd is None:
        raise _missing("tesseract is not installed or not on PATH")
    have = _languages(cmd)
    for code in lang.split("+"):
        if code not in have:
            raise _missing(f"tesseract has no '{code}' language data",
                           f"sudo apt-get install tesseract-ocr-{code.lower().replace('_', '-')}")
    return version(cmd)


def version(cmd: str | None = None) -> str:
    return _version(cmd or pytesseract.pytesseract.tesseract_cmd)


@functools.lru_cache(maxsize=None)
def _version(cmd: str) -> str:
    from packaging.version import InvalidVersion, Version

    raw = _query(cmd, "--version")
    # Read as pytesseract reads it ("tesseract 5.3.0" -> "5.3.0"), so page-cache keys stay the same.
    word = raw.lstrip(string.printable[10:]).partition(" ")[0].partition("-")[0]
    try:
        return str(Version(word))
    except InvalidVersion as e:
        raise _missing(f"tesseract reports no version it can be used at ({raw.splitlines()[:1]})") from e


def _timeout(seconds: float | None) -> float:
    return DEFAULT_PAGE_TIMEOUT if not seconds else max(float(seconds), 0.5)


def _image_file(image: np.ndarray, tmpdir: str) -> str:
    # Uncompressed PGM: the quickest lossless format to write and for Tesseract to read.
    path = os.path.join(tmpdir, "page.pgm")
    if not cv2.imwrite(path, image):
        raise PageFailedError("could not write the page image for tesseract")
    return path


def _run(fn, what: str, timeout: float | None, *args, **kwargs):
    timeout = _timeout(timeout)
    try:
        return fn(*args, timeout=timeout, **kwargs)
    except pytesseract.TesseractNotFoundError as e:
        raise _missing("tesseract is not installed or not on PATH") from e
    except RuntimeError as e:  # pytesseract signals a timeout with a bare RuntimeError
        if "timeout" in str(e).lower():
            raise PageTimeoutError(f"tesseract {what} took longer than {timeout:g} s; raise --page-timeout") from e
        raise PageFailedError(f"tesseract {what} failed: {e}") from e
    except pytesseract.TesseractError as e:
        raise PageFailedError(f"tesseract {what} failed: {e.message or e.status}") from e
    except OSError as e:
        raise PageFailedError(f"tesseract {what} failed: {e}") from e


def osd(image: np.ndarray, dpi: int, timeout: float | None = None) -> tuple[int, float]:
    """(degrees clockwise to rotate the image to make it upright, confidence) from Tesseract's OSD."""
    with tempfile.TemporaryDirectory(prefix="planscan-osd-") as tmp:
        path = _image_file(image, tmp)
        try:
            info = _run(
                pytesseract.image_to_osd,
                "orientation detection",
                timeout,
                path,
                config=f"--psm 0 --dpi {dpi} -c min_characters_to_try=20",
                output_type=pytesseract.Output.DICT,
            )
        except PageFailedError:
            return 0, 0.0  # too little text to tell: leave the page as it is
    return int(info.get("rotate", 0)) % 360, float(info.get("orientation_conf", 0.0))


def recognize(
    image: np.ndarray, lang: str, dpi: int, psm: int = 3, timeout: float | None = None, extra: str = ""
) -> list[Line]:
    """Words with boxes and confidences, grouped into lines in reading order."""
    config = f"--psm {psm} --dpi {dpi} -c preserve_interword_spaces=1 {extra}".strip()
    with tempfile.TemporaryDirectory(prefix="planscan-ocr-") as tmp:
        path = _image_file(image, tmp)
        data = _run(
            pytesseract.image_to_data,
            "recognition",
            timeout,
            path,
            lang=lang,
            config=config,
            output_type=pytesseract.Output.DICT,
        )
    return lines_from_data(data)


def lines_from_data(data: dict) -> list[Line]:
    """Group image_to_data's flat rows (level 5 = word) into Line records."""
    lines: list[Line] = []
    current: dict[tuple[int, int, int], list[Word]] = {}
    order: list[tuple[int, int, int]] = []
    for i, level in enumerate(data["level"]):
        if int(level) != 5:
            continue
        text = str(data["text"][i]).strip()
        if not text:
            continue
        key = (int(data["block_num"][i]), int(data["par_num"][i]), int(data["line_num"][i]))
        x, y, w, h = (int(data[k][i]) for k in ("left", "top", "width", "height"))
        word = Word(
            text=text,
            conf=round(float(data["conf"][i]), 2),
            bbox=BBox(x0=x, y0=y, x1=x + w, y1=y + h),
            block=key[0],
            par=key[1],
            line=key[2],
            word=int(data["word_num"][i]),
        )
        if key not in current:
            current[key] = []
            order.append(key)
        current[key].append(word)
    for key in order:
        words = current[key]
        confs = [w.conf for w in words if w.conf >= 0]
        lines.append(
            Line(
                text=" ".join(w.text for w in words),
                bbox=BBox(
                    x0=min(w.bbox.x0 for w in words),
                    y0=min(w.bbox.y0 for w in words),
                    x1=max(w.bbox.x1 for w in words),
                    y1=max(w.bbox.y1 for w in words),
                ),
                conf=round(sum(confs) / len(confs), 2) if confs else -1.0,
                block=key[0],
                par=key[1],
                line=key[2],
                words=words,
            )
        )
    return lines


def tessdata_font() -> Path | None:
    """Tesseract's glyphless font, embedded in the PDF text layer when present."""
    for base in (os.environ.get("TESSDATA_PREFIX"), "/usr/share/tesseract-ocr/5/tessdata",
                 "/usr/share/tesseract-ocr/4.00/tessdata", "/usr/share/tessdata", "/usr/local/share/tessdata"):
        if base and (Path(base) / "pdf.ttf").is_file():
            return Path(base) / "pdf.ttf"
    return None
