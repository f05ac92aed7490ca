"""A PDF or image to a Document: text layer where there is one, otherwise render, clean and OCR.

Pages run in the worker pool (``planscan._util.pool``, ``--jobs``), each with ``OMP_THREAD_LIMIT=1``
so Tesseract's own threads do not fight the page workers for the cores. A worker renders its own page, so the parent
never holds more than the finished records and at most ``2 x jobs`` pages are in memory at once.
A page that crashes or passes ``--page-timeout`` becomes a failed, empty page; the rest completes.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

import cv2

from planscan._util.pool import Failed, WorkerPool, native_threads
from planscan.errors import InputFileError, MissingDependencyError, PageTimeoutError, PlanscanError
from planscan.ocr import clean, poppler, rasterize, tesseract
from planscan.ocr.cache import PageCache, page_key
from planscan.ocr.settings import OcrSettings
from planscan.ocr.inputs import IMAGE_SUFFIXES, PDF_SUFFIXES, file_sha256, input_kind
from planscan.schemas.records import Document, Page

# This process's threads once the workers' modules are loaded: while it still runs just these,
# no OpenCV thread pool has started and the page workers may fork from it.
_THREADS_AFTER_IMPORT = native_threads()

Progress = Callable[[int, int], None]
PageFn = Callable[["_Task"], Page]
# Extra time a worker gets beyond --page-timeout before the parent gives up on it.
HARD_TIMEOUT_GRACE = 30.0


@dataclass(frozen=True)
class _Task:
    path: Path
    kind: str
    number: int
    settings: OcrSettings
    native_dpi: Optional[int]
    grayscale: bool
    tesseract_version: str
    stem: str


def limit_threads() -> None:
    """Run once in every worker: OpenCV's own thread pool would fight the other workers for the cores."""
    cv2.setNumThreads(1)


def _failed(number: int, message: str) -> Page:
    return Page(number=number, status="failed", error=" ".join(message.split()))


def ocr_page(task: _Task) -> Page:
    """Render, clean and recognise one page; never raises for a page-level problem."""
    s = task.settings
    start = time.monotonic()
    try:
        img = rasterize.load_page(task.path, task.kind, task.number, s.dpi, task.native_dpi, task.grayscale)
        cache = PageCache(s.cache_dir, enabled=s.use_cache)
        key = page_key(img.image, s.cache_key_fields(), task.tesseract_version)
        # --keep-temp asks to see the clean-up images, so the page is cleaned even when cached.
        hit = None if s.keep_temp else cache.get(key)
        if hit is not None:
            return hit.model_copy(update={"number": task.number})
        if s.clean:
            state = clean.clean_page(
                img.image,
                img.dpi,
                disabled=s.disabled_steps,
                osd=lambda im, dpi: tesseract.osd(im, dpi, timeout=s.page_timeout),
                keep_dir=Path(s.keep_temp) if s.keep_temp else None,
                keep_prefix=f"{task.stem}-p{task.number:04d}",
            )
            image, rotation, skew = state.image, state.rotation, state.skew
            # Tesseract's heavy noise removal helps on degraded pages and costs accents on clean ones.
            extra = "-c textord_heavy_nr=1" if clean.is_degraded(state) else ""
        else:
            image, rotation, skew, extra = clean.to_gray(img.image), 0, 0.0, ""
        remaining = None
        if s.page_timeout:
            remaining = s.page_timeout - (time.monotonic() - start)
            if remaining <= 0:
                raise PageTimeoutError(f"page {task.number} took longer than {s.page_timeout:g} s; raise --page-timeout")
        lines = tesseract.recognize(image, s.lang, img.dpi, psm=s.psm, timeout=remaining, extra=extra)
        page = Page(
            number=task.number,
            width=int(image.shape[1]),
            height=int(image.shape[0]),
            dpi=img.dpi,
            rotation=rotation,
            skew=round(skew, 2),
            source="ocr",
            lines=lines,
        )
        cache.put(key, page)
        return page
    except PageTimeoutError:
        return _failed(task.number, f"page {task.number} took longer than {s.page_timeout:g} s; raise --page-timeout")
    except PlanscanError as e:
        return _failed(task.number, str(e))
    except Exception as e:  # a crash in one page must not take the document down
        return _failed(task.number, f"page {task.number} crashed: {e.__class__.__name__}: {e}")


def ocr_one_page(path: Path, kind: str, number: int, settings: OcrSettings, native_dpi: Optional[int],
                 grayscale: bool, tesseract_version: str) -> Page:
    """Page ``number`` of a file OCR'd as text, as ``ocr_document`` reads it (through the page cache)."""
    path = Path(path).resolve()
    return ocr_page(_Task(path=path, kind=kind, number=number, settings=settings, native_dpi=native_dpi,
                          grayscale=grayscale, tesseract_version=tesseract_version, stem=path.stem))


def _check_file(path: Path) -> str:
    if path.suffix.lower() not in PDF_SUFFIXES | IMAGE_SUFFIXES:
        raise InputFileError(f"{path}: not a PDF or image; planscan ocr reads PDF, PNG, JPEG and TIFF, convert it")
    kind = input_kind(path)  # "pdf" or "image", by the suffix just checked
    try:
        size = path.stat().st_size
    except OSError as e:
        raise InputFileError(f"{path}: cannot be read ({e.strerror}); check the path and permissions") from e
    if not path.is_file():
        raise InputFileError(f"{path}: is not a file; give a PDF or image file")
    if size == 0:
        raise InputFileError(f"{path}: the file is empty; re-export or re-scan it")
    with open(path, "rb") as fh:
        head = fh.read(1024)
    if kind == "pdf" and b"%PDF" not in head:
        raise InputFileError(f"{path}: not a PDF (no %PDF header); check the file, or rename it to its real type")
    return kind


def _run_inline(tasks: list[_Task], page_fn: PageFn, progress: Progress | None, done: int,
                total: int) -> dict[int, Page]:
    results = {}
    for t in tasks:
        results[t.number] = page_fn(t)
        done += 1
        if progress:
            progress(done, total)
    return results


def _failed_task(task: _Task, failure: Failed, timeout: float | None) -> Page:
    n = task.number
    if failure.reason == "timeout":
        return _failed(n, f"page {n} took longer than {timeout:g} s; raise --page-timeout")
    if failure.reason == "died":
        return _failed(n, f"page {n}: the OCR worker crashed ({failure.detail})")
    return _failed(n, f"page {n} crashed: {failure.detail}")


def _run_pages(tasks: list[_Task], jobs: int, timeout: float | None, progress: Progress | None,
               done: int, total: int, page_fn: PageFn) -> dict[int, Page]:
    """Pages across ``jobs`` worker processes. Tesseract stops itself at ``timeout``; a worker stuck
    anywhere else is killed ``HARD_TIMEOUT_GRACE`` seconds later, and a worker that dies fails only
    its own page."""
    # Workers start with OpenCV loaded: forked from this process, which has imported this module,
    # when no thread has started since; else from a fork server that imports it once.
    pool = WorkerPool(jobs, init=limit_threads, preload=["planscan.ocr.pipeline"],
                      inherit=_THREADS_AFTER_IMPORT)
    results: dict[int, Page] = {}
    for task, outcome in pool.run(page_fn, tasks, timeout=(timeout + HARD_TIMEOUT_GRACE) if timeout else None):
        results[task.number] = _failed_task(task, outcome, timeout) if isinstance(outcome, Failed) else outcome
        done += 1
        if progress:
            progress(done, total)
    return results


def ocr_document(path: Path, settings: OcrSettings, progress: Progress | None = None, *,
                 page_fn: PageFn | None = None) -> Document:
    """OCR a PDF or image (or read a PDF's text layer unless ``settings.force_ocr``). Does not restore.

    ``page_fn`` replaces the per-page worker (a picklable module-level function taking a task and
    returning a Page); tests use it to stand in for Tesseract inside the worker processes.
    """
    path = Path(path)
    kind = _check_file(path)
    native: dict[int, int] = {}
    gray_pages: set[int] = set()
    layer: list[Page | None] = []
    if kind == "pdf":
        info = poppler.pdf_info(path)
        count = info.pages
        if not settings.force_ocr:
            layer = poppler.text_layer(path, info)
            if settings.redo_ocr:
                from planscan.ocr.textlayer import invisible_text_pages

                for n in invisible_text_pages(path):
                    if n <= len(layer):
                        layer[n - 1] = None
        images = poppler.page_images(path)
        native = {n: dpi for n, (dpi, _) in images.items()}
        gray_pages = {n for n, (_, grey) in images.items() if grey}
    else:
        count = rasterize.image_page_count(path)
        if count == 0:
            raise InputFileError(f"{path}: the image has no pages; check that the right file was given")
    pages: dict[int, Page] = {}
    for i, p in enumerate(layer, start=1):
        if p is not None and i <= count:
            pages[i] = p.model_copy(update={"number": i})
    todo = [n for n in range(1, count + 1) if n not in pages]
    version = None
    if todo:
        try:
            version = tesseract.check_tesseract(settings.lang)
        except MissingDependencyError as e:
            raise MissingDependencyError(f"{path}: {e}") from e
    if progress:
        progress(len(pages), count)
    jobs = settings.jobs or os.cpu_count() or 1
    tasks = [
        # Workers fork from a server whose working folder may differ from ours: absolute paths.
        _Task(path=path.resolve(), kind=kind, number=n, settings=settings, native_dpi=native.get(n),
              grayscale=n in gray_pages, tesseract_version=version or "", stem=path.stem)
        for n in todo
    ]
    jobs = max(1, min(jobs, len(tasks)))
    fn = page_fn or ocr_page
    if jobs == 1:
        # One page at a time needs no pool: a batch worker (or a daemonic Dask worker) runs its pages so.
        pages.update(_run_inline(tasks, fn, progress, len(pages), count))
    else:
        pages.update(_run_pages(tasks, jobs, settings.page_timeout, progress, len(pages), count, fn))
    return Document(
        source=str(path),
        sha256=file_sha256(path),
        pages=[pages[n] for n in range(1, count + 1)],
        tesseract_version=version,
    )
