"""Where the per-file jobs run: the local worker pool, or a Dask cluster, behind one interface.

Both are ``run(fn, tasks, timeout) -> (task, FileResult or Failed)`` as tasks finish, in any
order. ``local``: ``planscan._util.pool`` on this machine, one file per worker at a time, with the
file timeout and page-by-page progress. ``dask``: the same job on a Dask distributed cluster, for
more machines than one; workers must see INDIR and OUTDIR at the same paths (a shared file
system), and a running Dask task cannot be stopped, so there is no file timeout there. Neither
touches the ledger: results come back to the caller, and ``file_result`` turns a failure into the
file's result.
"""

from __future__ import annotations

import uuid
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator, Protocol

from planscan._util.pool import Failed, Outcome, Timeout, WorkerPool
from planscan.batch.job import BatchSettings, process_file
from planscan.batch.result import FileResult
from planscan.batch.walk import InputFile
from planscan.errors import ExitCode, MissingDependencyError, NothingRan, PageTimeoutError
from planscan.ocr.pipeline import limit_threads

JobFn = Callable[[Path, str, Path, BatchSettings, str], FileResult]


@dataclass(frozen=True)
class Task:
    file: InputFile
    sha256: str


@dataclass(frozen=True)
class FileJob:
    """The job for every file of one batch, as the one picklable callable the workers run."""

    outdir: Path
    settings: BatchSettings
    job: JobFn = process_file

    def __call__(self, task: Task) -> FileResult:
        return self.job(task.file.path, task.file.rel, self.outdir, self.settings, task.file.stem)


class Executor(Protocol):
    def run(self, fn: Callable[[Task], FileResult], tasks: Iterable[Task],
            timeout: Timeout = None) -> Iterator[tuple[Task, Outcome]]: ...


def file_result(task: Task, outcome: Outcome) -> FileResult:
    """The worker's result, or what to record when it gave none."""
    if not isinstance(outcome, Failed):
        return outcome
    path = task.file.path
    if outcome.reason == "timeout":
        return FileResult(
            rel=task.file.rel, status="failed", exit_code=int(PageTimeoutError.exit_code),
            error=f"{path}: still running after {outcome.limit:g} s, so its worker was stopped; raise"
            " --page-timeout / --file-timeout and run again with --retry-failed",
        )
    why = (f"{outcome.detail} converting this file (a crash, or out of memory)" if outcome.reason == "died"
           else f"the worker failed ({outcome.detail})")
    return FileResult(
        rel=task.file.rel, status="failed", exit_code=int(ExitCode.internal_error),
        error=f"{path}: {why}; check the file, or give the workers more memory",
    )


def local_executor(jobs: int, on_pages: Callable[[str, int, int], None] | None = None) -> WorkerPool:
    """``jobs`` worker processes here; ``on_pages(rel, pages done, pages in file)`` as workers report."""
    on_message = (lambda message: on_pages(*message)) if on_pages is not None else None
    # The fork server imports the job once, so a new worker starts with the pipeline loaded.
    return WorkerPool(jobs, init=limit_threads, preload=["planscan.batch.job"], on_message=on_message)


class DaskExecutor:
    """Runs the job on a Dask cluster: ``scheduler`` is its address (``tcp://host:8786``); with none,
    a local cluster of ``jobs`` single-threaded worker processes is started for this batch."""

    def __init__(self, scheduler: str | None = None, jobs: int = 1, client=None):
        self.scheduler = scheduler
        self.jobs = max(1, jobs)
        self.client = client

    def _connect(self):
        try:
            from distributed import Client, LocalCluster
        except ImportError as e:
            raise MissingDependencyError(
                "dask.distributed is not installed; install it with: pip install 'planscan[dask]'"
            ) from e
        if self.scheduler:
            try:
                return Client(self.scheduler, timeout="20s"), None
            except OSError as e:
                raise NothingRan(
                    f"{self.scheduler}: no Dask scheduler answers there ({e}); start one with `dask scheduler`"
                    " and workers with `dask worker ADDRESS`"
                ) from e
        cluster = LocalCluster(n_workers=self.jobs, threads_per_worker=1, processes=True, dashboard_address=None)
        return Client(cluster), cluster

    def run(self, fn: Callable[[Task], FileResult], tasks: Iterable[Task],
            timeout: Timeout = None) -> Iterator[tuple[Task, Outcome]]:
        queue = deque(tasks)
        if not queue:
            return
        from distributed import as_completed

        client, cluster = (self.client, None) if self.client is not None else self._connect()
        owner: dict[str, tuple[Task, object]] = {}  # Dask key -> (task, its future)
        try:
            window = 2 * max(1, sum(client.nthreads().values()))
            ac = as_completed()

            def submit_next() -> None:
                task = queue.popleft()
                # Readable on the dashboard; the suffix keeps a re-run on the same cluster from reusing a result.
                f = client.submit(fn, task, key=f"planscan-{task.file.rel}-{uuid.uuid4().hex[:8]}")
                owner[f.key] = (task, f)
                ac.add(f)

            while queue and len(owner) < window:
                submit_next()
            for f in ac:
                task, _ = owner.pop(f.key)
                try:
                    outcome: Outcome = f.result()
                except Exception as e:  # noqa: BLE001 - KilledWorker, lost connection, the job's own bug
                    outcome = Failed("died", f"the Dask worker failed ({e.__class__.__name__}: {e})")
                f.release()
                yield task, outcome
                while queue and len(owner) < window:
                    submit_next()
        finally:
            if owner:  # stopped early (Ctrl-C): nothing left running on the cluster for us
                client.cancel([f for _, f in owner.values()])
            if self.client is None:
                client.close()
                if cluster is not None:
                    cluster.close()
