"""Batch conversion of a folder tree: parallel, resumable, fault-isolated, and able to run on Dask.

The per-file job (``job.process_file``) is a pure function of (file, settings) that writes its own
outputs; the coordinator (``runner.run_batch``) walks the tree, asks the ledger what is already done,
hands the rest to an executor, and is the only process that writes the ledger, the progress log
and the summary. Every stage speaks of a file through one record, ``result.FileResult``.
"""

from planscan.batch.job import BatchSettings, process_file
from planscan.batch.result import FileResult
from planscan.batch.runner import BatchReport, run_batch

__all__ = ["BatchSettings", "FileResult", "process_file", "BatchReport", "run_batch"]
