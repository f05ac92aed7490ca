"""The one record of what happened to one input of a batch.

A worker returns it, the ledger stores it (and gives it back on a re-run), the progress log writes
it as a ``file`` event, and ``summary.csv`` and the printed table show it: one shape throughout.
"""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, Field

from planscan.errors import ExitCode

# done: converted in this run; skipped: converted by an earlier run with the same content and
# settings; partial: converted, but some pages failed; failed: nothing usable (now or earlier);
# interrupted: the batch was stopped (Ctrl-C, SIGTERM) before the file was finished, so the next
# run converts it (counted only when the run was stopped).
Status = Literal["done", "skipped", "partial", "failed", "interrupted"]
STATUSES: tuple[Status, ...] = ("done", "skipped", "partial", "failed")
# The columns of summary.csv, and the fields of a progress ``file`` event, in this order.
ROW_FIELDS = ("path", "status", "pages", "failed_pages", "figures", "seconds", "error")


class FileResult(BaseModel):
    rel: str  # the input's path relative to INDIR, POSIX separators ("path" in summary.csv)
    status: Status
    pages: int = 0
    failed_pages: int = 0
    figures: int = 0
    seconds: float = 0.0
    error: Optional[str] = None
    exit_code: int = 0  # the ExitCode of the failure, so a re-run knows which failures to retry
    outputs: list[str] = Field(default_factory=list, description="Written files, relative to OUTDIR.")
    peak_rss_mb: Optional[float] = None  # worker process (+ its largest child, e.g. tesseract)

    def row(self) -> dict:
        """The fields of summary.csv and of the progress log, by their names there."""
        return {"path": self.rel, **self.model_dump(include=set(ROW_FIELDS[1:]))}

    def command_code(self) -> int:
        """This input's share of the command's exit code (see ``errors.overall_exit_code``)."""
        if self.status in ("done", "skipped"):
            return int(ExitCode.ok)
        if self.status == "partial":
            return int(ExitCode.partial)
        if self.status == "interrupted":
            return int(ExitCode.interrupted)
        return self.exit_code or int(ExitCode.internal_error)
