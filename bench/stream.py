"""Memory of `planscan restore` and `planscan extract` on text files of growing size.

Generates text files in a temporary folder (synthetic Vietnamese report prose with figures, made
here from a small vocabulary: no corpus text), runs each command on each file as a fresh process,
and prints a table of peak resident memory and CPU seconds per MB, all rows from the same run.
Memory must stay flat as the file grows (target: 500 MB at 200 MB of text):

- correctly accented files (default 20, 50 and 200 MB), which `--restore auto` passes through, for
  `restore` and for `extract` (`extract` reads, restores and extracts 1 MB windows);
- smaller accent-stripped files (default 0.5 and 2 MB), on which full restoration runs.

Peak memory is ``ru_maxrss`` of the one child process (measured by a small wrapper around the
command, so it is the command's own, start-up included); CPU seconds are the child's user + system
time. Wall times are noisy on a shared machine and are not shown.

Run: .venv/bin/python bench/stream.py [--sizes 20 50 200] [--stripped-sizes 0.5 2] [--skip-extract-above 50]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from planscan.extract.text.fold import strip_marks  # noqa: E402

TARGET_MB = 500

# report prose of no particular province or document: generic subjects, verbs, units and periods
_SUBJECTS = ["Diện tích gieo trồng cây hằng năm", "Sản lượng thủy sản nuôi trồng", "Tổng vốn đầu tư phát triển",
             "Số lao động được tạo việc làm mới", "Tỷ lệ hộ dân dùng nước sạch", "Thu ngân sách trên địa bàn",
             "Số trường học đạt chuẩn", "Chiều dài kênh mương được kiên cố", "Số lượt khách du lịch",
             "Giá trị hàng hóa xuất khẩu", "Số thôn có nhà văn hóa", "Diện tích rừng được bảo vệ"]
_VERBS = ["đạt", "ước đạt", "tăng", "là", "phấn đấu đạt"]
_UNITS = ["ha", "tấn", "tỷ đồng", "người", "%", "trường", "km", "lượt", "triệu USD", "thôn"]
_PERIODS = ["năm {y}", "6 tháng đầu năm {y}", "quý {q} năm {y}", "9 tháng năm {y}", "giai đoạn {y}-{z}"]
_FILLER = ["Công tác chỉ đạo, điều hành được triển khai đồng bộ, kịp thời.",
           "Các cấp, các ngành đã tập trung tháo gỡ khó khăn cho sản xuất kinh doanh.",
           "Tình hình an ninh chính trị, trật tự an toàn xã hội cơ bản ổn định.",
           "Việc ứng dụng khoa học kỹ thuật vào sản xuất tiếp tục được quan tâm.",
           "Đời sống vật chất và tinh thần của nhân dân từng bước được nâng lên."]


def _sentence(rnd: random.Random) -> str:
    y = rnd.randint(2010, 2030)
    period = rnd.choice(_PERIODS).format(y=y, q=rnd.choice("I II III IV".split()), z=y + 4)
    value = f"{rnd.randint(1, 999):,}".replace(",", ".") + (f",{rnd.randint(1, 9)}" if rnd.random() < 0.4 else "")
    tail = f", so với cùng kỳ năm {y - 1}" if rnd.random() < 0.3 else ""
    return f"{rnd.choice(_SUBJECTS)} {period} {rnd.choice(_VERBS)} {value} {rnd.choice(_UNITS)}{tail}."


def _block(rnd: random.Random) -> str:
    """One page: a heading and paragraphs of figures and prose, ending with a form feed."""
    lines = [f"{rnd.randint(1, 9)}. {rnd.choice(_SUBJECTS)}"]
    for _ in range(rnd.randint(8, 14)):
        lines.append(" ".join(_sentence(rnd) if rnd.random() < 0.5 else rnd.choice(_FILLER) for _ in range(4)))
    return "\n".join(lines) + "\n\f"


def write_text(path: Path, megabytes: float, stripped: bool, seed: int = 1) -> Path:
    """About ``megabytes`` MB of generated pages (a few hundred distinct pages, repeated)."""
    rnd = random.Random(seed)
    pages = [_block(rnd) for _ in range(300)]
    if stripped:
        pages = [strip_marks(p) for p in pages]
    target = int(megabytes * 1e6)
    size = 0
    with path.open("w", encoding="utf-8") as f:
        while size < target:
            page = pages[rnd.randrange(len(pages))]
            f.write(page)
            size += len(page.encode("utf-8"))
    return path


# runs the CLI in this process and reports the process's own peak memory and CPU time
_WRAPPER = r"""
import json, resource, sys
from planscan.cli import main
try:
    main(sys.argv[1:])
except SystemExit as e:
    code = e.code
else:
    code = 0
u = resource.getrusage(resource.RUSAGE_SELF)
sys.stderr.write("STREAM-BENCH " + json.dumps({"peak_kb": u.ru_maxrss, "cpu": u.ru_utime + u.ru_stime,
                                               "code": code}) + "\n")
"""


def run(args: list[str], stdout: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    with stdout.open("wb") as out:
        proc = subprocess.run([sys.executable, "-c", _WRAPPER, *args], stdout=out, stderr=subprocess.PIPE,
                              text=True, env=env, cwd=REPO)
    lines = [ln for ln in proc.stderr.splitlines() if ln.startswith("STREAM-BENCH ")]
    if not lines:
        raise SystemExit(f"{' '.join(args)} failed: {proc.stderr.strip()[-500:]}")
    return json.loads(lines[-1].split(" ", 1)[1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=float, nargs="+", default=[20, 50, 200], help="MB of accented text")
    ap.add_argument("--stripped-sizes", type=float, nargs="+", default=[0.5, 2], help="MB of stripped text")
    ap.add_argument("--skip-extract-above", type=float, default=None,
                    help="do not extract files larger than this many MB (extraction costs seconds per MB)")
    args = ap.parse_args()
    print(f"## Memory of restore and extract on growing text files (load average {os.getloadavg()[0]:.1f})\n")
    print("| command | text | file MB | output MB | peak RSS MB | CPU s | CPU s per MB | target |")
    print("|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        plan = [("accented", s, False) for s in args.sizes] + [("stripped", s, True) for s in args.stripped_sizes]
        for label, size, stripped in plan:
            src = write_text(tmp / f"{label}-{size:g}.txt", size, stripped)
            mb = src.stat().st_size / 1e6
            jobs = [("restore" if not stripped else "restore (full restoration)", ["restore", str(src)], tmp / "out.txt")]
            if args.skip_extract_above is None or size <= args.skip_extract_above:
                jobs.append(("extract", ["extract", str(src), "-o", str(tmp / "out.jsonl")], tmp / "stdout.txt"))
            for name, cmd, out in jobs:
                r = run(cmd, out)
                produced = tmp / "out.jsonl" if name == "extract" else out
                peak = r["peak_kb"] / 1024
                verdict = "ok" if peak <= TARGET_MB else "OVER"
                print(f"| `planscan {name}` | {label} | {mb:,.1f} | {produced.stat().st_size / 1e6:,.1f} | {peak:,.0f} | "
                      f"{r['cpu']:,.1f} | {r['cpu'] / mb:,.2f} | <= {TARGET_MB} MB: {verdict} |", flush=True)
                if r["code"]:
                    print(f"\n(exit code {r['code']})")
                produced.unlink(missing_ok=True)
            src.unlink()


if __name__ == "__main__":
    main()
