"""kill -9 of a batch (at a random moment, and inside summary.csv's write) and of an ingest, then a
re-run: nothing lost, corrupt or different. A few trials of bench/crash.py, which runs thirty."""

from __future__ import annotations

import importlib.util
import random
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _harness():
    spec = importlib.util.spec_from_file_location("crash_harness", ROOT / "bench" / "crash.py")
    module = importlib.util.module_from_spec(spec)
    # dataclasses look their module up in sys.modules while the class body is built
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.tesseract
@pytest.mark.slow
def test_kill_minus_9_then_rerun_loses_nothing(tmp_path):
    if not (shutil.which("tesseract") and shutil.which("qpdf")):
        pytest.skip("needs tesseract and qpdf (make sysdeps)")
    crash = _harness()
    rng = random.Random(12)
    ref = crash.reference(tmp_path)
    assert len(ref.rels) == 8 and ref.ledger_calls > 0
    assert len([r for r in ref.files if r.endswith(".pdf")]) == 8
    trials = [crash.batch_trial(ref, tmp_path / "trial", mode, rng) for mode in ("timed", "summary-replace")]
    iref = crash.ingest_reference(ref, tmp_path / "ingest", copies=4)
    trials.append(crash.ingest_trial(iref, tmp_path / "ingest-trial", rng))
    for t in trials:
        assert t.ok, (t.mode, t.at, t.lost, t.corrupt, t.different, t.problems)
    # The summary kill point always fires: the run is killed with every output written and the
    # summary not yet in place, and the re-run skips every file.
    assert trials[1].killed and trials[1].present == len(ref.files)
