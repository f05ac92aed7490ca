"""Executors run the per-file job and yield results as they complete, in any order.

``LocalExecutor``: a pool of worker processes on this machine, one file per worker at a time.
``DaskExecutor``: the same job on a Dask distributed cluster; workers must see INDIR and OUTDIR at
the same paths (a shared file system). Neither touches the ledger: results come back to the caller.
"""

from __future__ import annotations

import multiprocessing
import os
import queue as queue_mod
import signal
import time
import uuid
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from planscan.batch.job import BatchSettings, FileResult, process_file, report_start, set_page_queue
from planscan.batch.walk import InputFile
from planscan.errors import ExitCode, MissingDependencyError, NothingRan, PageTimeoutError

JobFn = Callable[..., FileResult]


@dataclass(frozen=True)
class Task:
    file: InputFile
    sha256: str


def _crash_result(task: Task, why: str) -> FileResult:
    return FileResult(
        rel=task.file.rel,
        status="failed",
        error=f"{task.file.path}: {why}; check the file, or give the workers more memory",
        exit_code=int(ExitCode.internal_error),
    )


def _timeout_result(task: Task, limit: float) -> FileResult:
    return FileResult(
        rel=task.file.rel,
        status="failed",
        error=f"{task.file.path}: still running after {limit:g} s, so its worker was stopped; raise"
        " --page-timeout / --file-timeout and run again with --retry-failed",
        exit_code=int(PageTimeoutError.exit_code),
    )


def _call(job: JobFn, path: Path, rel: str, outdir: Path, settings: BatchSettings, stem: str) -> FileResult:
    report_start(rel)
    return job(path, rel, outdir, settings, stem)


def _worker_init(page_queue=None) -> None:
    # Set before any OCR runs, so tesseract and OpenCV inherit one thread each.
    os.environ["OMP_THREAD_LIMIT"] = "1"
    if page_queue is not None:
        # A worker must be able to exit even if the coordinator stopped reading.
        page_queue.cancel_join_thread()
        set_page_queue(page_queue)
    try:
        import cv2

        cv2.setNumThreads(1)
    except ImportError:  # pragma: no cover - cv2 is a dependency, but the job must not need it here
        pass


class LocalExecutor:
    """Worker processes on this machine.

    A worker that dies (segfault in a native library, out-of-memory kill) breaks the whole pool and
    every file in flight with it. Those files are not blamed at once: they are set aside and re-run
    one at a time at the end, so only the file that really kills its worker is recorded as failed.
    A file still running after ``file_timeout(task)`` seconds has its worker killed and is recorded
    as failed; the files in flight beside it are simply run again.
    """

    def __init__(
        self,
        jobs: int,
        job: JobFn = process_file,
        on_pages: Callable[[str, int, int], None] | None = None,
        file_timeout: Callable[[Task], float | None] | None = None,
    ):
        self.jobs = max(1, jobs)
        self.job = job
        self.on_pages = on_pages  # (rel, pages done, pages in file) as workers report them
        self.file_timeout = file_timeout
        self._queue = None

    def _pool(self, workers: int) -> ProcessPoolExecutor:
        # spawn: the coordinator runs threads (progress bar, SQLite), which fork would copy mid-state.
        ctx = multiprocessing.get_context("spawn")
        # A fresh queue per pool: a worker killed while writing could leave the old one locked.
        self._queue = ctx.Queue()
        return ProcessPoolExecutor(
            max_workers=workers, mp_context=ctx, initializer=_worker_init, initargs=(self._queue,)
        )

    def _drain(self, started: dict[str, tuple[int, float]]) -> None:
        while True:
            try:
                kind, rel, a, b = self._queue.get_nowait()
            except (queue_mod.Empty, OSError, ValueError, EOFError):
                return
            if kind == "start":
                started[rel] = (a, time.monotonic())
            elif self.on_pages is not None:
                self.on_pages(rel, a, b)

    def _watch(self, inflight: dict[Future, Task], started: dict, killed: dict[str, float]) -> None:
        if self.file_timeout is None:
            return
        now = time.monotonic()
        for task in inflight.values():
            rel = task.file.rel
            limit = self.file_timeout(task)
            if rel in started and rel not in killed and limit and now - started[rel][1] > limit:
                killed[rel] = limit
                try:
                    os.kill(started[rel][0], signal.SIGKILL)
                except ProcessLookupError:
                    pass

    def run(self, tasks: Iterable[Task], outdir: Path, settings: BatchSettings) -> Iterator[tuple[Task, FileResult]]:
        queue = deque(tasks)
        suspects: list[Task] = []
        if queue:
            yield from self._run_queue(queue, outdir, settings, self.jobs, suspects)
        for task in suspects:  # each alone, so a crash can be pinned on it
            alone: list[Task] = []
            yield from self._run_queue(deque([task]), outdir, settings, 1, alone)
            for t in alone:
                yield t, _crash_result(t, "the worker process died converting this file (crash or out of memory)")

    def _run_queue(
        self, queue: deque, outdir: Path, settings: BatchSettings, workers: int, suspects: list[Task]
    ) -> Iterator[tuple[Task, FileResult]]:
        pool = self._pool(min(workers, len(queue)))
        inflight: dict[Future, Task] = {}
        started: dict[str, tuple[int, float]] = {}  # rel -> (worker pid, when it began)
        killed: dict[str, float] = {}  # rel -> the limit it passed
        # A small window keeps workers busy without queueing thousands of futures up front.
        window = workers + 1
        try:
            while queue or inflight:
                broken = False
                while queue and len(inflight) < window:
                    task = queue.popleft()
                    try:
                        f = pool.submit(_call, self.job, task.file.path, task.file.rel, outdir, settings,
                                        task.file.stem)
                    except BrokenProcessPool:
                        queue.appendleft(task)
                        broken = True
                        break
                    inflight[f] = task
                # Wake up now and then for page progress and the file timeout.
                done = wait(inflight, timeout=0.5, return_when=FIRST_COMPLETED)[0] if inflight else set()
                self._drain(started)
                lost: list[Task] = []
                for f in done:
                    task = inflight.pop(f)
                    try:
                        result = f.result()
                    except BrokenProcessPool:
                        broken = True
                        lost.append(task)
                        continue
                    except Exception as e:  # noqa: BLE001 - e.g. a result that cannot be pickled
                        result = _crash_result(task, f"the worker failed ({e.__class__.__name__}: {e})")
                    started.pop(task.file.rel, None)
                    yield task, result
                if not broken:
                    self._watch(inflight, started, killed)
                    continue
                # The pool is gone, and with it every file in flight.
                lost.extend(inflight.values())
                inflight.clear()
                started.clear()
                innocent = []
                for task in lost:
                    if task.file.rel in killed:
                        yield task, _timeout_result(task, killed[task.file.rel])
                    else:
                        innocent.append(task)
                if killed:  # we know who broke the pool: the rest just run again
                    queue.extendleft(reversed(innocent))
                else:
                    suspects.extend(innocent)
                killed.clear()
                pool.shutdown(wait=False, cancel_futures=True)
                pool = self._pool(min(workers, max(1, len(queue))))
        finally:
            pool.shutdown(wait=False, cancel_futures=True)


class DaskExecutor:
    """Runs the job on a Dask cluster: ``scheduler`` is its address (``tcp://host:8786``); with none,
    a local cluster of ``jobs`` single-threaded worker processes is started for this batch."""

    def __init__(self, scheduler: str | None = None, jobs: int = 1, client=None, job: JobFn = process_file):
        self.scheduler = scheduler
        self.jobs = max(1, jobs)
        self.client = client
        self.job = job

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

    def run(self, tasks: Iterable[Task], outdir: Path, settings: BatchSettings) -> Iterator[tuple[Task, FileResult]]:
        tasks = list(tasks)
        if not tasks:
            return
        from distributed import as_completed

        client, cluster = (self.client, None) if self.client is not None else self._connect()
        try:
            workers = max(1, sum(client.nthreads().values()))
            queue = deque(tasks)
            owner: dict[str, Task] = {}
            ac = as_completed()
            window = 2 * workers

            def submit_next() -> None:
                task = queue.popleft()
                f = client.submit(
                    self.job,
                    task.file.path,
                    task.file.rel,
                    outdir,
                    settings,
                    task.file.stem,
                    # Readable on the dashboard; the suffix keeps a re-run on the same cluster from reusing a result.
                    key=f"planscan-{task.file.rel}-{uuid.uuid4().hex[:8]}",
                )
                owner[f.key] = task
                ac.add(f)

            while queue and len(owner) < window:
                submit_next()
            for f in ac:
                task = owner.pop(f.key)
                try:
                    result = f.result()
                except Exception as e:  # noqa: BLE001 - KilledWorker, lost connection, ...
                    result = _crash_result(task, f"the Dask worker failed ({e.__class__.__name__}: {e})")
                f.release()
                yield task, result
                while queue and len(owner) < window:
                    submit_next()
        finally:
            if self.client is None:
                client.close()
                if cluster is not None:
                    cluster.close()
