"""The one worker pool: OCR pages and batch files both run through it.

Each task runs in a worker process with its own time limit, counted from the moment a worker takes
it. A task past its limit has its worker killed (pebble stops it, and starts a new one); a worker
that dies (a crash in native code, the OOM killer) fails only the task it was running. Either way
the task comes back as a ``Failed`` and the others go on. Closing the iterator, or an exception in
the caller (Ctrl-C, SIGTERM), kills every worker and the programs it started (Tesseract, pdftoppm):
nothing runs on after the caller has stopped listening.

Workers are forked from a fork server, not from the caller: a caller that runs threads (a
progress bar, SQLite, OpenCV's thread pool) would be copied mid-state by a plain fork. A pool made
with ``inherit=N`` forks from the caller when that is safe and cheaper: the caller has already
imported every preload module, runs no Python thread but its main one, and runs N native threads,
the count it had right after importing what the workers need (so no thread pool has started
since: OpenCV's, once used, hangs a forked child that uses OpenCV; the BLAS threads NumPy starts
on import survive a fork). The workers then start with the modules loaded instead of a fork
server importing them all again (about half a second of CPU for OpenCV, NumPy and the schemas).
Workers that replace killed ones are forked from pebble's manager thread; pebble's locks between
processes are semaphores, which a fork does not copy. Tesseract
and OpenMP get one thread each (``OMP_THREAD_LIMIT=1``): the workers already use the cores.

A task may send small messages back while it runs (``report``), e.g. pages done, which the caller
receives through ``on_message`` in its own thread.
"""

from __future__ import annotations

import collections
import concurrent.futures as cf
import contextlib
import multiprocessing
import multiprocessing.forkserver
import os
import queue as queue_mod
import signal
import sys
import threading
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, Callable, Generic, Iterable, Iterator, Literal, Sequence, TypeVar, Union

from pebble import ProcessExpired, ProcessPool

T = TypeVar("T")
R = TypeVar("R")

# How often the caller wakes up to pass on workers' messages.
_POLL_SECONDS = 0.2


@dataclass(frozen=True)
class Failed:
    """A task that gave no value: it ran past ``limit`` seconds, its worker died, or it raised."""

    reason: Literal["timeout", "died", "raised"]
    detail: str
    limit: float | None = None


Outcome = Union[R, Failed]
Timeout = Union[float, Callable[[Any], Union[float, None]], None]

# Set in each worker by the pool (per process, never in the caller): where ``report`` sends to.
_messages: Any = None


def report(message: Any) -> bool:
    """From inside a task: send ``message`` to the caller's ``on_message``. False outside a pool
    worker (inline runs, a Dask worker), so callers can skip building messages nobody reads."""
    if _messages is None:
        return False
    try:
        _messages.put_nowait(message)
    except Exception:  # noqa: BLE001 - a message is never worth failing the task for
        return False
    return True


def in_worker() -> bool:
    """True inside a pool worker whose caller listens for messages."""
    return _messages is not None


def _stop_with_children(previous: Any) -> Callable[[int, Any], None]:
    """The worker's SIGTERM handler: the pool stops a worker with SIGTERM, and a program the task
    started (Tesseract on a page) would otherwise run on as an orphan; it is killed first."""

    def handler(signum: int, frame: Any) -> None:
        import psutil

        for child in psutil.Process().children(recursive=True):
            with contextlib.suppress(psutil.Error):
                child.kill()
        if callable(previous):
            previous(signum, frame)
        os._exit(128 + signum)

    return handler


def _start_worker(messages: Any, init: Callable[[], None] | None, env: dict[str, str], cwd: str) -> None:
    global _messages
    signal.signal(signal.SIGTERM, _stop_with_children(signal.getsignal(signal.SIGTERM)))
    # A forked worker has the fork server's environment and folder, from when the server started;
    # it gets the caller's, as a spawned process would (PLANSCAN_CACHE may have changed since).
    os.environ.clear()
    os.environ.update(env)
    os.environ["OMP_THREAD_LIMIT"] = "1"
    os.chdir(cwd)
    if messages is not None:
        # A worker must be able to exit even when the caller has stopped reading.
        messages.cancel_join_thread()
        _messages = messages
    if init is not None:
        init()


def native_threads() -> int | None:
    """The threads this process runs, native ones included (None where /proc cannot tell)."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return None


def _can_inherit(preload: Sequence[str], threads: int | None) -> bool:
    return (threads is not None and threading.active_count() == 1
            and all(name in sys.modules for name in preload) and native_threads() == threads)


def _context(preload: Sequence[str], inherit: int | None = None):
    """The fork-server context, with the server started so it works from any folder.

    The server starts as ``python -c``, which puts the current folder first on ``sys.path`` before
    the preload; a folder named "planscan" there would shadow an editable install of the package,
    and every worker would inherit the broken import. PYTHONSAFEPATH keeps the current folder out.
    The preload only counts when the server starts (once per process). With ``inherit`` and a
    caller that may fork (``_can_inherit``), the plain fork context instead.
    """
    if _can_inherit(preload, inherit):
        return multiprocessing.get_context("fork")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(list(preload))
    saved = os.environ.get("PYTHONSAFEPATH")
    os.environ["PYTHONSAFEPATH"] = "1"
    try:
        multiprocessing.forkserver.ensure_running()
    finally:
        if saved is None:
            del os.environ["PYTHONSAFEPATH"]
        else:
            os.environ["PYTHONSAFEPATH"] = saved
    return ctx


def _limit(timeout: Timeout, item: Any) -> float | None:
    value = timeout(item) if callable(timeout) else timeout
    return value or None


def _outcome(future: cf.Future, limit: float | None) -> Outcome:
    try:
        return future.result()
    except cf.TimeoutError:
        return Failed("timeout", f"still running after {limit:g} s", limit)
    except ProcessExpired as e:
        return Failed("died", f"the worker process died (exit code {e.exitcode})")
    except Exception as e:  # noqa: BLE001 - the task's own exception, or a result that cannot be pickled
        return Failed("raised", f"{e.__class__.__name__}: {e}")


class WorkerPool(Generic[T, R]):
    """``workers`` processes running ``fn`` over items; ``init`` runs once in each new worker and
    ``preload`` names modules the fork server imports once, so workers start with them loaded;
    ``inherit`` (a thread count) lets workers fork from the caller instead when it is safe (see
    the module doc)."""

    def __init__(self, workers: int, *, init: Callable[[], None] | None = None, preload: Sequence[str] = (),
                 on_message: Callable[[Any], None] | None = None, inherit: int | None = None):
        self.workers = max(1, workers)
        self.init = init
        self.preload = tuple(preload)
        self.on_message = on_message
        self.inherit = inherit

    def run(self, fn: Callable[[T], R], items: Iterable[T], timeout: Timeout = None) -> Iterator[tuple[T, Outcome]]:
        """Yield ``(item, value or Failed)`` as tasks finish, in any order.

        ``timeout`` is seconds per task, or a function of the item giving them (None: no limit).
        At most ``workers + 1`` tasks are handed out at a time, so items are started in the order
        given and stopping early leaves the rest unstarted.
        """
        pending = collections.deque(items)
        if not pending:
            return
        ctx = _context(self.preload, self.inherit)
        messages = ctx.Queue() if self.on_message is not None else None
        pool = self._pool(ctx, messages, len(pending))
        running: dict[cf.Future, tuple[T, float | None]] = {}
        try:
            while pending or running:
                while pending and len(running) <= self.workers:
                    item = pending.popleft()
                    limit = _limit(timeout, item)
                    running[pool.schedule(fn, args=(item,), timeout=limit)] = (item, limit)
                done, _ = cf.wait(list(running), timeout=_POLL_SECONDS, return_when=cf.FIRST_COMPLETED)
                self._drain(messages)
                if any(isinstance(f.exception(), BrokenProcessPool) for f in done):
                    # pebble gives up a whole pool when its channel breaks (a worker killed while
                    # sending, workers that cannot start): what was in flight fails, the rest gets
                    # a new pool, so this ends even if every pool breaks.
                    for item, _ in running.values():
                        yield item, Failed("died", "the worker pool broke while this task was in it")
                    running.clear()
                    pool.stop()
                    pool.join()
                    pool = self._pool(ctx, messages, len(pending))
                    continue
                for future in done:
                    item, limit = running.pop(future)
                    yield item, _outcome(future, limit)
            self._drain(messages)
        finally:
            for future in running:
                future.cancel()
            pool.stop()
            pool.join()

    def _pool(self, ctx, messages, tasks: int) -> ProcessPool:
        return ProcessPool(max_workers=max(1, min(self.workers, tasks)), initializer=_start_worker,
                           initargs=(messages, self.init, dict(os.environ), os.getcwd()), context=ctx)

    def _drain(self, messages) -> None:
        if messages is None:
            return
        while True:
            try:
                message = messages.get_nowait()
            except queue_mod.Empty:
                return
            except Exception:  # noqa: BLE001 - a message cut off by a killed worker is lost, not fatal
                return
            self.on_message(message)
