"""The per-file job: a pure function of (file, settings) that writes that file's outputs.

It runs in a worker (of ``planscan._util.pool``, or a Dask worker), never touches the ledger, and
never raises for a bad input: every failure comes back in the ``FileResult`` so the batch goes on.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import time
import traceback
from pathlib import Path
from typing import Callable

from pydantic import BaseModel, ConfigDict, Field

from planscan._util.pool import in_worker, report
from planscan._version import __version__
from planscan.batch.result import FileResult, Status
from planscan.batch.walk import output_dir
from planscan.errors import ExitCode, PlanscanError
from planscan.io.tablestore import TABLES_SUFFIX
from planscan.ocr.settings import OcrSettings
from planscan.pipeline import document_tables, extract_document, input_kind, read_document


# The outputs of one input, by suffix; the searchable PDF only for PDF and image inputs with ``pdf``.
OUTPUTS = (".txt", ".ocr.json", ".pdf", TABLES_SUFFIX, ".indicators.jsonl")


class BatchSettings(BaseModel):
    """Everything that decides a file's outputs, plus how to run (which is not part of the hash)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ocr: OcrSettings = Field(default_factory=OcrSettings)
    pdf: bool = True  # write a searchable PDF for PDF and image inputs

    def settings_hash(self) -> str:
        """Only what changes the outputs: page timeout, jobs and cache folders do not."""
        fields = {
            "ocr": self.ocr.cache_key_fields(),
            "force_ocr": self.ocr.force_ocr,
            "restore": self.ocr.restore,
            "pdf": self.pdf,
            "planscan": __version__,
            # a batch of an earlier output set is redone, so each input gets every output listed here
            "outputs": OUTPUTS,
        }
        return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()[:16]


def _page_reporter(rel: str) -> Callable[[int, int], None] | None:
    """Page-by-page progress for the coordinator's bar, when a pool worker runs us (none on Dask)."""
    if not in_worker():
        return None
    return lambda done, total: report((rel, done, total))


def _peak_rss_mb() -> float:
    # ru_maxrss is in KiB on Linux. Tesseract runs as a child of the worker while the worker waits,
    # so the two peaks add up to what the worker needs at most.
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round((own + child) / 1024, 1)


def _page_error(number: int, error: str | None) -> str:
    error = error or "failed"
    return error if error.startswith(f"page {number}") else f"page {number}: {error}"


def process_file(path: Path, rel: str, outdir: Path, settings: BatchSettings, stem: str | None = None) -> FileResult:
    """Convert one input and write its outputs under ``outdir``, mirroring ``rel``.

    Outputs: ``<stem>.txt``, ``<stem>.ocr.json``, ``<stem>.tables.json`` (the tables as ``planscan
    tables --format json`` writes them; ``[]`` for none), ``<stem>.indicators.jsonl`` and, for PDF
    and image inputs with ``settings.pdf``, a searchable ``<stem>.pdf``. Each is written to a temp
    file and renamed, so a killed worker leaves either the old file or the new one, never half of
    one; the records come last, so a folder where they are holds the rest of their outputs too.
    """
    # Tesseract would otherwise start a thread per core in every worker, and the workers already
    # use the cores.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    started = time.perf_counter()
    path = Path(path)
    outdir = Path(outdir)
    rel_path = Path(rel)
    stem = stem or rel_path.stem
    try:
        target_dir = output_dir(outdir, rel)
        kind = input_kind(path)
        # Pages of one file run one after another in the worker: parallelism is across files.
        doc = read_document(path, settings.ocr.model_copy(update={"jobs": 1}), _page_reporter(rel))
        tables = document_tables(doc)
        _meta, _sections, records = extract_document(doc, tables=tables)
        from planscan.io.export import write_records
        from planscan.io.tables import write_tables
        from planscan.ocr.output import write_outputs

        if doc.pages and all(p.status == "failed" for p in doc.pages):
            # Nothing was read: empty outputs beside the good ones would pass for a blank document.
            return FileResult(rel=rel, status="failed", pages=len(doc.pages), failed_pages=len(doc.pages),
                              error="; ".join(_page_error(p.number, p.error) for p in doc.pages[:5]),
                              exit_code=int(ExitCode.partial), seconds=round(time.perf_counter() - started, 3),
                              peak_rss_mb=_peak_rss_mb())
        written = write_outputs(doc, target_dir, stem, pdf=settings.pdf and kind != "text", source=path, meta=_meta,
                                ocr_settings=settings.ocr)
        written += write_tables(tables, str(target_dir / f"{stem}{TABLES_SUFFIX}"), "json")
        jsonl = target_dir / f"{stem}.indicators.jsonl"
        write_records(records, jsonl, fmt="jsonl")
        written = [*written, jsonl]
    except PlanscanError as e:
        return FileResult(
            rel=rel,
            status="failed",
            error=str(e),
            exit_code=int(e.exit_code),
            seconds=round(time.perf_counter() - started, 3),
            peak_rss_mb=_peak_rss_mb(),
        )
    except Exception as e:  # noqa: BLE001 - one file's bug must not stop an overnight batch
        where = traceback.extract_tb(e.__traceback__)[-1]
        return FileResult(
            rel=rel,
            status="failed",
            error=f"{path}: internal error {e.__class__.__name__}: {e} (at {Path(where.filename).name}:{where.lineno});"
            " please report it",
            exit_code=int(ExitCode.internal_error),
            seconds=round(time.perf_counter() - started, 3),
            peak_rss_mb=_peak_rss_mb(),
        )
    failed = [p for p in doc.pages if p.status == "failed"]
    error = None
    if failed:
        error = "; ".join(_page_error(p.number, p.error) for p in failed[:5])
        if len(failed) > 5:
            error += f"; and {len(failed) - 5} more pages"
    if not failed:
        status: Status = "done"
    else:
        # Outputs exist (failed pages are left empty), but a file with no page read has nothing in it.
        status = "failed" if len(failed) == len(doc.pages) else "partial"
    return FileResult(
        rel=rel,
        status=status,
        pages=len(doc.pages),
        failed_pages=len(failed),
        figures=len(records),
        seconds=round(time.perf_counter() - started, 3),
        error=error,
        exit_code=int(ExitCode.partial) if failed else 0,
        outputs=[Path(p).resolve().relative_to(outdir.resolve()).as_posix() for p in written],
        peak_rss_mb=_peak_rss_mb(),
    )
