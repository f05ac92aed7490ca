"""Batch progress: a rich bar on a terminal, and always a JSON Lines log in OUTDIR.

The log (``OUTDIR/progress.jsonl``) is appended to across runs, one event per line, each written
with a single ``write`` call so a reader following it (``tail -f``) never sees half an event, even
when the batch is killed.
"""

from __future__ import annotations

import errno
import json
import os
import time
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from planscan._util.atomic import output_error
from planscan.batch.result import FileResult

PROGRESS_NAME = "progress.jsonl"


class BatchProgress:
    def __init__(self, outdir: Path, show_bar: bool | None = None, console: Console | None = None):
        self.log_path = outdir / PROGRESS_NAME
        self.console = console or Console(stderr=True)
        self.show_bar = self.console.is_terminal if show_bar is None else show_bar
        self._fd: int | None = None
        self._bar: Progress | None = None
        self._task = None
        self.run_id = f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}"
        self.started = time.monotonic()
        self.files_total = 0
        self.files_done = 0
        self.pages_total = 0
        self.pages_done = 0
        self._inflight: dict[str, int] = {}
        self._finished: set[str] = set()

    def __enter__(self) -> "BatchProgress":
        try:
            self._fd = os.open(self.log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        except OSError as e:
            raise output_error(self.log_path, e) from e
        return self

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def event(self, kind: str, **fields) -> None:
        record = {"event": kind, "time": round(time.time(), 3), "run": self.run_id, **fields}
        if self._fd is None:
            return
        data = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
        try:
            written = os.write(self._fd, data)
            if written < len(data):
                # A nearly full disk takes part of the line: cut it off again, so the log stays whole lines.
                os.ftruncate(self._fd, os.lseek(self._fd, 0, os.SEEK_END) - written)
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        except OSError as e:
            raise output_error(self.log_path, e) from e

    # --- rates --------------------------------------------------------------------------
    def pages_seen(self) -> int:
        """Pages of finished files, plus pages the workers reported of files still in flight."""
        return self.pages_done + sum(self._inflight.values())

    def pages_per_second(self) -> float:
        elapsed = time.monotonic() - self.started
        return self.pages_seen() / elapsed if elapsed > 0 else 0.0

    def eta_seconds(self) -> float | None:
        pps = self.pages_per_second()
        if not pps:
            return None
        return max(0.0, (self.pages_total - self.pages_seen()) / pps)

    def page_update(self, rel: str, done: int, total: int) -> None:
        """A worker finished a page of ``rel`` (bar only: the log has one event per file)."""
        if rel not in self._finished:  # a late report must not count a finished file twice
            self._inflight[rel] = done
            self._refresh()

    def _refresh(self) -> None:
        if self._bar is None:
            return
        eta = self.eta_seconds()
        self._bar.update(
            self._task,
            completed=self.pages_seen(),
            total=max(1, self.pages_total),
            files=f"{self.files_done}/{self.files_total} files",
            rate=f"{self.pages_per_second():.2f} pages/s",
            eta="-" if eta is None else _clock(eta),
        )

    # --- batch lifecycle ----------------------------------------------------------------
    def start(self, *, files: int, to_process: int, skipped: int, pages_estimate: int, **extra) -> None:
        self.started = time.monotonic()
        self.files_total = to_process
        self.pages_total = pages_estimate
        self.event(
            "start", files=files, to_process=to_process, skipped=skipped, pages_estimate=pages_estimate, **extra
        )
        if self.show_bar and to_process:
            self._bar = Progress(
                TextColumn("[bold]planscan batch"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("pages"),
                TextColumn("{task.fields[files]}"),
                TextColumn("{task.fields[rate]}"),
                TimeElapsedColumn(),
                TextColumn("ETA {task.fields[eta]}"),
                console=self.console,
                transient=False,
            )
            self._bar.start()
            self._task = self._bar.add_task(
                "batch", total=max(1, pages_estimate), files=f"0/{to_process} files", rate="", eta="-"
            )

    def file_done(self, result: FileResult, pages_estimate: int) -> None:
        self.files_done += 1
        self._inflight.pop(result.rel, None)
        self._finished.add(result.rel)
        # The estimate came from a quick page count; the real count replaces it once known.
        self.pages_total += result.pages - pages_estimate if result.pages else 0
        self.pages_done += result.pages or pages_estimate
        eta = self.eta_seconds()
        self.event(
            "file",
            **result.row(),
            peak_rss_mb=result.peak_rss_mb,
            files_done=self.files_done,
            files_total=self.files_total,
            pages_done=self.pages_done,
            pages_total=self.pages_total,
            pages_per_s=round(self.pages_per_second(), 3),
            eta_s=None if eta is None else round(eta, 1),
        )
        self._refresh()

    def end(self, **fields) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
        self.event("end", seconds=round(time.monotonic() - self.started, 3), **fields)


def _clock(seconds: float) -> str:
    s = int(round(seconds))
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"
