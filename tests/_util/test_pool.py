"""The one worker pool: values come back, and a crash, a hang or an exception costs only its own task."""

from __future__ import annotations

import os
import time

import pytest

from planscan._util.pool import Failed, WorkerPool, in_worker, report


def _work(item: str) -> str:
    report(("pid", item, os.getpid(), os.environ.get("OMP_THREAD_LIMIT")))
    if item == "die":
        os._exit(9)  # what a segfault or the OOM killer looks like to the pool
    if item == "hang":
        time.sleep(3600)
    if item == "raise":
        raise ValueError("boom")
    time.sleep(0.3)  # long enough for the messages of tasks started beside it to arrive first
    return item.upper()


def _broken_init() -> None:
    raise RuntimeError("this worker cannot start")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A killed worker may linger as a zombie until reaped; it no longer runs.
    with open(f"/proc/{pid}/stat") as fh:
        return fh.read().split(")")[-1].split()[0] != "Z"


def test_each_failure_is_pinned_on_its_own_task_and_the_rest_complete():
    messages = []
    pool = WorkerPool(2, on_message=messages.append)
    t0 = time.monotonic()
    out = dict(pool.run(_work, ["a", "die", "b", "hang", "raise", "c"], timeout=lambda item: 2.0))
    assert time.monotonic() - t0 < 60
    assert {k: out[k] for k in "abc"} == {"a": "A", "b": "B", "c": "C"}
    assert out["die"] == Failed("died", "the worker process died (exit code 9)")
    assert out["hang"].reason == "timeout" and out["hang"].limit == 2.0
    assert out["raise"].reason == "raised" and "ValueError: boom" in out["raise"].detail
    # Messages reach the caller, and every worker runs Tesseract/OpenMP single-threaded.
    assert {m[1] for m in messages} >= {"a", "b", "c"}
    assert {m[3] for m in messages} == {"1"}


def test_closing_the_results_early_stops_every_worker():
    messages = []
    results = WorkerPool(2, on_message=messages.append).run(_work, ["hang", "a", "b"])
    assert sorted([next(results), next(results)]) == [("a", "A"), ("b", "B")]
    pids = {m[2] for m in messages if m[1] == "hang"}
    assert len(pids) == 1
    results.close()  # what an exception or Ctrl-C in the caller does to the generator
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(p) for p in pids)


def test_workers_that_cannot_start_fail_the_tasks_instead_of_hanging():
    out = list(WorkerPool(2, init=_broken_init).run(_work, ["a", "b", "c", "d"]))
    assert sorted(item for item, _ in out) == ["a", "b", "c", "d"]
    assert all(isinstance(o, Failed) and o.reason == "died" for _, o in out)


def test_report_outside_a_worker_is_a_no_op():
    assert not in_worker()
    assert report("nobody listens") is False


@pytest.mark.parametrize("timeout", [None, 0])
def test_no_timeout_means_no_limit(timeout):
    assert dict(WorkerPool(1).run(_work, ["x"], timeout=timeout)) == {"x": "X"}


def _cache_var(_item: str) -> str | None:
    return os.environ.get("PLANSCAN_CACHE")


def test_workers_see_the_callers_environment_of_now(monkeypatch, tmp_path):
    # The fork server keeps the environment it started with; a worker must not.
    list(WorkerPool(1).run(_cache_var, ["start the server"]))
    monkeypatch.setenv("PLANSCAN_CACHE", str(tmp_path))
    assert dict(WorkerPool(1).run(_cache_var, ["x"])) == {"x": str(tmp_path)}


_MARK: list[str] = []


def _marks(_item: str) -> list[str]:
    return list(_MARK)


def test_inherit_forks_from_the_caller_only_while_no_thread_has_started():
    import threading

    from planscan._util.pool import native_threads

    # A value set in the caller after import reaches the workers only if they are forked from it.
    _MARK[:] = ["set in the caller"]
    try:
        now = native_threads()
        forked = dict(WorkerPool(2, preload=[__name__], inherit=now).run(_marks, ["a", "b"]))
        assert forked == {"a": ["set in the caller"], "b": ["set in the caller"]}
        # The fork server imports this module afresh: it never saw the value.
        assert dict(WorkerPool(2, preload=[__name__]).run(_marks, ["a"])) == {"a": []}
        stop = threading.Event()
        thread = threading.Thread(target=stop.wait)
        thread.start()
        try:
            assert dict(WorkerPool(2, preload=[__name__], inherit=now).run(_marks, ["a"])) == {"a": []}
        finally:
            stop.set()
            thread.join()
    finally:
        _MARK.clear()
