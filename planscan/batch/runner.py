"""The coordinator: walk, consult the ledger, run what is left, record, summarise.

Only this process writes the ledger, the progress log and the summary; workers just return
``FileResult``s. That keeps SQLite single-writer and lets the workers live on other machines.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from rich.console import Console

from planscan._util.atomic import output_error
from planscan.batch.executors import DaskExecutor, Executor, FileJob, Task, file_result, local_executor
from planscan.batch.job import BatchSettings, process_file
from planscan.batch.ledger import Ledger, file_identity
from planscan.batch.progress import BatchProgress
from planscan.batch.result import FileResult
from planscan.batch.summary import counts, print_summary, write_summary_csv
from planscan.batch.walk import InputFile, check_dirs, output_dir, walk_inputs
from planscan.errors import ExitCode, NothingRan, OutputError, overall_exit_code
from planscan.ocr.inputs import file_sha256

LOCK_NAME = ".planscan-batch.lock"
# Failures of the input itself (bad file, pages that failed or timed out) wait for --retry-failed;
# anything else (a crashed worker, a missing program, a bug since fixed) is tried again by the
# next run on its own.
KEPT_FAILURES = {int(ExitCode.input_file), int(ExitCode.encrypted_pdf), int(ExitCode.encoding_error),
                 int(ExitCode.partial)}
# atomic_open's temp names: "." + target name + "." + 8 random chars + ".tmp"
_TEMP_RE = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")


@dataclass
class BatchReport:
    rows: list[FileResult]
    seconds: float
    exit_code: ExitCode
    ignored: int = 0
    counts: dict = field(default_factory=dict)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # walk: (entry, why it is no input)
    peak_rss_mb: float | None = None  # largest peak reported by any worker this run


def _lock(outdir: Path):
    """Held (flock) for the whole run. The kernel drops it when the holder dies, however it dies, so
    the lock of a killed run is simply taken by the next one: no stale lock to clean up."""
    try:
        fh = open(outdir / LOCK_NAME, "a")
    except OSError as e:
        raise output_error(outdir / LOCK_NAME, e) from e
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError as e:
        fh.close()
        raise OutputError(
            f"{outdir}: another planscan batch is writing here; wait for it to finish or choose another -o folder"
        ) from e
    return fh


def sweep_temp_files(outdir: Path) -> int:
    """Temp files left by a killed run (a worker killed mid-write cannot clean up after itself)."""
    removed = 0
    for root, _dirs, names in os.walk(outdir):
        for name in names:
            if _TEMP_RE.match(name):
                try:
                    os.unlink(os.path.join(root, name))
                    removed += 1
                except OSError:
                    pass
    return removed


def estimate_pages(f: InputFile) -> int:
    """A quick count for the progress bar's total; the worker reports the real one."""
    try:
        if f.kind == "text":
            with open(f.path, "rb") as fh:
                return fh.read().count(b"\f") + 1
        if f.kind == "pdf":
            from planscan.ocr.poppler import pdf_info

            return pdf_info(f.path).pages
        from PIL import Image

        with Image.open(f.path) as im:
            return max(1, getattr(im, "n_frames", 1))
    except Exception:  # noqa: BLE001 - a file we cannot count is reported by its worker
        return 1


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def run_batch(
    indir: Path,
    outdir: Path,
    settings: BatchSettings | None = None,
    *,
    jobs: int | None = None,
    executor: str = "local",
    scheduler: str | None = None,
    retry_failed: bool = False,
    show_bar: bool | None = None,
    console: Console | None = None,
    quiet: bool = False,
    dask_client=None,
    job=None,
    file_timeout: float | None = None,
) -> BatchReport:
    """Convert every PDF, image and text file under ``indir`` into ``outdir``; see the README."""
    settings = settings or BatchSettings()
    indir, outdir = Path(indir).absolute(), Path(outdir).absolute()
    check_dirs(indir, outdir)
    console = console or Console(stderr=True)
    jobs = jobs or os.cpu_count() or 1
    started = time.monotonic()
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(f"{outdir}: cannot create the output folder ({e.strerror}); choose another -o") from e

    lock = _lock(outdir)
    try:
        sweep_temp_files(outdir)
        walked = walk_inputs(indir, outdir)
        if not walked.files:
            raise NothingRan(f"{indir}: no PDF, image or text files found; point planscan batch at the scans' folder")
        ledger = Ledger(outdir)
        try:
            return _run(
                walked.files,
                walked.ignored_files,
                walked.skipped,
                outdir,
                settings,
                ledger,
                jobs=jobs,
                executor=executor,
                scheduler=scheduler,
                retry_failed=retry_failed,
                show_bar=False if quiet else show_bar,
                console=console,
                quiet=quiet,
                dask_client=dask_client,
                job=job,
                file_timeout=file_timeout,
                started=started,
            )
        finally:
            ledger.close()
    finally:
        lock.close()


def _hash_inputs(files: list[InputFile], ledger: Ledger) -> tuple[dict[str, str], dict[str, str]]:
    hashes: dict[str, str] = {}
    unreadable: dict[str, str] = {}
    fresh = []
    for f in files:
        if f.problem:
            unreadable[f.rel] = f.problem
            continue
        try:
            size, mtime_ns = file_identity(f.path)
            sha = ledger.cached_hash(f.rel, size, mtime_ns)
            if sha is None:
                sha = file_sha256(f.path)
                fresh.append((f.rel, size, mtime_ns, sha))
            hashes[f.rel] = sha
        except OSError as e:
            unreadable[f.rel] = f"{f.path}: cannot be read ({e.strerror}); check the file and its permissions"
    ledger.store_hashes(fresh)
    return hashes, unreadable


def _run(
    files: list[InputFile],
    ignored: list[str],
    skipped: list[tuple[str, str]],
    outdir: Path,
    settings: BatchSettings,
    ledger: Ledger,
    *,
    jobs: int,
    executor: str,
    scheduler: str | None,
    retry_failed: bool,
    show_bar: bool | None,
    console: Console,
    quiet: bool,
    dask_client,
    job,
    file_timeout: float | None,
    started: float,
) -> BatchReport:
    key = settings.settings_hash()
    hashes, unreadable = _hash_inputs(files, ledger)
    rows: dict[str, FileResult] = {}
    todo: list[Task] = []
    for f in files:
        if f.rel in unreadable:
            rows[f.rel] = FileResult(rel=f.rel, status="failed", error=unreadable[f.rel],
                                     exit_code=int(ExitCode.input_file))
            continue
        try:
            output_dir(outdir, f.rel)
        except OutputError as e:  # a link in OUTDIR: those files fail, the rest goes on
            rows[f.rel] = FileResult(rel=f.rel, status="failed", error=str(e), exit_code=int(e.exit_code))
            continue
        sha = hashes[f.rel]
        prev = ledger.get(f.rel, sha, key)
        if prev is not None:
            outputs_there = all((outdir / o).is_file() for o in prev.outputs)
            redo_failed = (retry_failed and prev.status in ("partial", "failed")) or (
                prev.status == "failed" and prev.exit_code not in KEPT_FAILURES
            )
            if (outputs_there or prev.status == "failed") and not redo_failed:
                rows[f.rel] = prev.model_copy(
                    update={"status": "skipped" if prev.status == "done" else prev.status, "seconds": 0.0}
                )
                continue
        todo.append(Task(file=f, sha256=sha))

    estimates = {t.file.rel: estimate_pages(t.file) for t in todo}
    # Longest first: a big file started last would leave the other workers idle at the end.
    todo.sort(key=lambda t: (-estimates[t.file.rel], -_size(t.file.path), t.file.rel))
    peak = None
    with BatchProgress(outdir, show_bar=show_bar, console=console) as progress:
        progress.start(
            files=len(files),
            to_process=len(todo),
            skipped=len(files) - len(todo),
            pages_estimate=sum(estimates.values()),
            executor=executor,
            jobs=jobs,
            settings=key,
        )
        for entry, why in skipped:
            progress.event("skip", path=entry, reason=why)
        if todo:
            runner = _executor(executor, jobs, scheduler, dask_client,
                               progress.page_update if progress.show_bar else None)
            by_rel = {t.file.rel: t for t in todo}
            ledger.mark_running([(t.file.rel, t.sha256, key) for t in todo])
            outcomes = runner.run(FileJob(outdir, settings, job or process_file), todo,
                                  timeout=_file_limit(file_timeout, settings, estimates))
            try:
                # closing: on Ctrl-C (or any error here) the workers are stopped before we go on.
                with contextlib.closing(outcomes):
                    for task, outcome in outcomes:
                        result = file_result(task, outcome)
                        ledger.record(task.file.rel, task.sha256, key, result)
                        if result.exit_code == ExitCode.file_access:
                            # A full or read-only disk fails every file after this one too: stop
                            # and say so once. The file is not kept as failed; the next run redoes it.
                            raise OutputError(result.error or f"{outdir}: an output cannot be written")
                        rows[task.file.rel] = result
                        by_rel.pop(task.file.rel, None)
                        if result.peak_rss_mb is not None:
                            peak = max(peak or 0.0, result.peak_rss_mb)
                        progress.file_done(result, estimates[task.file.rel])
            except KeyboardInterrupt:
                # Ctrl-C or SIGTERM: the workers are stopped (closing above); what they had not
                # finished is recorded as interrupted, so the summary is whole and a re-run redoes it.
                left = [by_rel[rel] for rel in sorted(by_rel)]
                ledger.mark_interrupted([(t.file.rel, t.sha256, key) for t in left])
                for t in left:
                    rows[t.file.rel] = FileResult(rel=t.file.rel, status="interrupted",
                                                  exit_code=int(ExitCode.interrupted),
                                                  error=f"{t.file.path}: the batch was interrupted; run it again")
                all_rows = [rows[f.rel] for f in files]
                write_summary_csv(all_rows, outdir)
                progress.end(status="interrupted", left=len(left), exit_code=int(ExitCode.interrupted),
                             **dict(counts(all_rows)))
                raise
            except BaseException:
                progress.end(status="interrupted", left=len(by_rel))
                raise
        all_rows = [rows[f.rel] for f in files]
        c = counts(all_rows)
        code = overall_exit_code(r.command_code() for r in all_rows)
        seconds = time.monotonic() - started
        write_summary_csv(all_rows, outdir)
        progress.end(status="finished", exit_code=int(code), **dict(c), peak_rss_mb=peak)
    if not quiet:
        print_summary(all_rows, console, seconds, ignored, skipped)
    return BatchReport(
        rows=all_rows, seconds=seconds, exit_code=code, ignored=len(ignored), counts=dict(c), peak_rss_mb=peak,
        skipped=skipped,
    )


def _file_limit(file_timeout: float | None, settings: BatchSettings, estimates: dict[str, int]):
    """Seconds a file may run before its worker is stopped: --file-timeout, or, with --page-timeout,
    a generous multiple of it (the page timeout bounds Tesseract; this bounds a worker stuck
    anywhere else, e.g. in rasterising a pathological PDF)."""
    if file_timeout:
        return file_timeout
    page = settings.ocr.page_timeout
    if page:
        return lambda task: 60.0 + 2.0 * page * estimates.get(task.file.rel, 1)
    return None


def _executor(name: str, jobs: int, scheduler: str | None, client,
              on_pages: Callable[[str, int, int], None] | None) -> Executor:
    if name == "local":
        return local_executor(jobs, on_pages)
    if name == "dask":
        return DaskExecutor(scheduler=scheduler, jobs=jobs, client=client)
    raise ValueError(f"unknown executor {name!r}; use local or dask")
