"""Benchmark of the Dask grading engine against the old hand-written worker pool.

    python -m tests.benchmark_dask                  # 60 week-1 submissions
    python -m tests.benchmark_dask --n 12

In one run, on the same generated submissions (tests/benchmark_grading.py's mix),
each run on a fresh copy of the course, `--no-feedback`:
- the local Dask cluster with 1 worker, then with 2 workers (`grade(...)` in this process,
  so that every task's timings are at hand);
- the old pool at 2 workers: commit OLD_REV checked out in a git worktree and put
  first on PYTHONPATH (tests/benchmark_judging.py's `old_worktree`), its
  `python -m autograder grade` in a subprocess. Only its `autograder` package goes
  on PYTHONPATH; the sandbox only lets the kernel import the installed `course`.
  That package holds the nbgrader plug-ins too, and the run uses OLD_REV's
  nbgrader_config.py: the old pool grades with the plug-ins of its day (no
  resident-memory watchdog, the sandbox of then), so the ratio compares two
  graders, not the two engines alone. Dask's own share is the overhead per task.
Prints seconds per student (wall time / students, and x workers), the ratios, and
Dask's overhead per task: the client-observed time of a task (from its start event
reaching the client to its result reaching the client) minus the task's own wall
time measured inside the worker, against that wall time. Checks that every run
gave the same scores. Not a test: the numbers go in the closing notes.
"""

import argparse
import io
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from autograder.commands.grade import grade
from autograder.coursedir import COURSE_ROOT, notebook_scores
from tests.benchmark_grading import ASSIGNMENT, build
from tests.benchmark_judging import old_env, old_worktree

OLD_REV = "9f71391"   # the last commit with the hand-written pool (autograder/commands/pool.py)


def run_dask(course, workers):
    start = time.perf_counter()
    report = grade(course, ASSIGNMENT, workers=workers, force=True, feedback=False, stream=io.StringIO())
    wall = time.perf_counter() - start
    inside = [o.seconds for o in report.graded + report.failed]
    observed = [o.received - report.started[o.student] for o in report.graded + report.failed
                if o.student in report.started and o.received]
    overhead = [obs - own for obs, own in zip(observed, inside)]
    return wall, report, inside, overhead


def old_path(worktree, where):
    """A folder with only the old `autograder` package: first on PYTHONPATH it replaces today's, while
    `course` stays the installed one (identical at OLD_REV), the copy the sandbox lets the kernel import."""
    where.mkdir(parents=True, exist_ok=True)
    (where / "autograder").symlink_to(worktree / "autograder")
    return where


def run_old(course, path, workers):
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "autograder", "grade", ASSIGNMENT, "--workers", str(workers),
                           "--force", "--no-feedback"], cwd=course, env=old_env(path), text=True,
                          capture_output=True)
    if proc.returncode:
        print(proc.stdout[-2000:] + proc.stderr[-2000:])
    return time.perf_counter() - start, proc.returncode


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=60, help="submissions (default 60)")
    parser.add_argument("--old", default=OLD_REV, help=f"revision of the old pool (default {OLD_REV})")
    args = parser.parse_args(argv)

    root = Path(tempfile.mkdtemp(prefix="dask-benchmark-"))
    base, _ = build(root / "base", args.n)
    runs, scores = {}, {}
    worktree = old_worktree(args.old, root / "old")
    try:
        for label, workers in (("dask, 1 worker", 1), ("dask, 2 workers", 2)):
            course = root / label.replace(", ", "-").replace(" ", "")
            shutil.copytree(base, course, symlinks=True)
            wall, report, inside, overhead = run_dask(course, workers)
            runs[label] = (wall, workers)
            scores[label] = notebook_scores(course, ASSIGNMENT)
            share = [o / i for o, i in zip(overhead, inside) if i > 0]
            print(f"{label:16s} {wall:7.1f} s: {wall / args.n:5.2f} s/student wall, "
                  f"{wall * workers / args.n:5.2f} s/student x workers; task inside the worker "
                  f"{statistics.mean(inside):.2f} s (median {statistics.median(inside):.2f}); Dask overhead "
                  f"per task {statistics.mean(overhead):.3f} s mean, {statistics.median(overhead):.3f} s median "
                  f"= {100 * statistics.mean(share):.2f} % of the task (max {100 * max(share):.2f} %); "
                  f"{len(report.failed)} failed", flush=True)
        course = root / "old-2workers"
        shutil.copytree(base, course, symlinks=True)
        shutil.copy(worktree / "nbgrader_config.py", course / "nbgrader_config.py")
        wall, rc = run_old(course, old_path(worktree, root / "old-path"), 2)
        runs["old pool, 2 workers"] = (wall, 2)
        scores["old pool, 2 workers"] = notebook_scores(course, ASSIGNMENT)
        print(f"{'old pool, 2 workers':16s} {wall:7.1f} s: {wall / args.n:5.2f} s/student wall, "
              f"{wall * 2 / args.n:5.2f} s/student x workers (exit {rc})", flush=True)
    finally:
        subprocess.run(["git", "-C", str(COURSE_ROOT), "worktree", "remove", "--force", str(worktree)],
                       capture_output=True)
    d1, d2, old = (runs[k][0] for k in ("dask, 1 worker", "dask, 2 workers", "old pool, 2 workers"))
    print(f"ratios: dask 1 worker / dask 2 workers = {d1 / d2:.2f}; dask 2 workers / old pool 2 workers = "
          f"{d2 / old:.2f}")
    same = len({repr(sorted(s.items())) for s in scores.values()}) == 1
    print(f"same scores in every run: {same}")
    shutil.rmtree(root, ignore_errors=True)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
