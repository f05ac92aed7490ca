"""The per-file page bar of the commands that may OCR a scan: drawn on stderr when it is a terminal,
absent otherwise, so it never mixes with what a command writes on stdout."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Iterator, Optional

if TYPE_CHECKING:  # the OCR pipeline (OpenCV, pikepdf) is no import of ingest or extract of a records file
    from planscan.ocr.pipeline import Progress


@contextlib.contextmanager
def page_bar(label: str, show: bool) -> Iterator[Optional[Progress]]:
    """Yield a ``progress(done, total)`` callback that moves a bar, or None when ``show`` is false."""
    if not show:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    # No refresh thread: a lock it holds while page workers start could be inherited by them and hang them.
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  auto_refresh=False, transient=True, console=Console(stderr=True)) as bar:
        task = bar.add_task(label, total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)
            bar.refresh()

        yield progress
