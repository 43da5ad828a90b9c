"""Benchmark of judging outside the kernel (issue 11): speed against the old grading, and repeatability.

    python -m tests.benchmark_judging speed [--n 20] [--rounds 3] [--old REV]
    python -m tests.benchmark_judging repeat [--correct 8] [--half 8] [--rounds 5] [--workers 2]
    python -m tests.benchmark_judging kernel WEEK

kernel: the kernel time of grading one submission of WEEK (lessons skipped), per
notebook: a sandboxed kernel start plus the graded cells with their hidden cases
(the reference solutions answering), medians of 3.

speed: the same N week-1 submissions (tests/benchmark_grading.py's mix), graded
in one run by plain serial `nbgrader autograde` with the old grading (REV, default
the last commit before judging moved out of the kernel: checked out in a git
worktree and put first on PYTHONPATH, so its own course/, autograder/ and
nbgrader_config.py grade) and with today's (hidden checks judged in the grader,
lessons skipped), alternating, ROUNDS times each. Prints seconds per student
(median), the ratio of each pair and its median, and the yardstick: a bare
sandboxed kernel start per notebook plus the graded cells' own time (each
notebook without its lessons run by nbclient in the sandbox, minus the bare start;
medians of 3), the bare start also with the grading's ReadyClient.

repeat: CORRECT correct and HALF half-correct students (every other graded
function left a stub), graded ROUNDS times with `python -m autograder grade
--workers W --force`; every student's score must be the same in every round,
with no point lost by the correct ones. `tests/grading/test_repeatable.py`
runs a small version in CI.
"""

import argparse
import copy
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from autograder import notebooks as nbt
from autograder.commands.nbgrader_cli import nbgrader_env, run_nbgrader
from autograder.commands.samples import hand_in
from autograder.coursedir import COURSE_ROOT, make_course, notebook_scores
from autograder.plugins.lessons import is_lesson
from tests.benchmark_grading import build

ASSIGNMENT = "week1"
OLD_REV = "bb2d8f6"   # the last commit that inlined the hidden checks into the kernel


# ---------------------------------------------------------------- repeatability

def half_correct(course):
    """A recipe leaving every other graded function (in notebook order) a stub."""
    answers = {}
    for path in nbt.notebooks(course / "release" / ASSIGNMENT):
        solutions = [gid for gid, c in nbt.cells_by_grade_id(nbt.read(path)).items() if nbt.is_solution(c)]
        answers.update({gid: nbt.cells_by_grade_id(nbt.read(path))[gid].source for gid in solutions[::2]})
    return {"answers": answers}


def repeat_rounds(base, correct, half, rounds, workers, stream=sys.stdout):
    """Grade the class `rounds` times; returns [{student: total score}] per round and the full marks."""
    course = make_course(base, [ASSIGNMENT])
    run_nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    for i in range(correct):
        hand_in(course, ASSIGNMENT, f"correct{i:02d}", {"answers": {}})
    for i in range(half):
        hand_in(course, ASSIGNMENT, f"half{i:02d}", half_correct(course))
    results = []
    for r in range(rounds):
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "autograder", "grade", ASSIGNMENT, "--workers", str(workers),
                               "--force", "--no-feedback"], cwd=course, env=nbgrader_env(), text=True,
                              capture_output=True)
        if proc.returncode != 0:
            raise RuntimeError(proc.stdout + proc.stderr)
        scores = {s: sum(v[0] for v in nbs.values()) for s, nbs in notebook_scores(course, ASSIGNMENT).items()}
        results.append(scores)
        print(f"round {r + 1}: {time.perf_counter() - start:.0f} s, scores {sorted(set(scores.values()))}",
              file=stream, flush=True)
    full = sum(m for _, m in next(iter(notebook_scores(course, ASSIGNMENT).values())).values())
    return results, full


# ---------------------------------------------------------------- speed

def old_worktree(rev, where):
    subprocess.run(["git", "-C", str(COURSE_ROOT), "worktree", "add", "--detach", str(where), rev], check=True,
                   capture_output=True)
    return where


def old_env(worktree):
    env = nbgrader_env()
    env["PYTHONPATH"] = str(worktree) + os.pathsep + env.get("PYTHONPATH", "")
    return env


class Timer:
    """Wall seconds. (CPU seconds cannot be summed here: a sandboxed kernel that is killed is never
    waited for by anyone who would pass its usage up.)"""

    def __enter__(self):
        self._start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self._start


def autograde(course, config, env):
    """`nbgrader autograde week1 --force` with that nbgrader_config.py: (Timer, return code)."""
    shutil.copy(config, course / "nbgrader_config.py")
    with Timer() as timer:
        proc = subprocess.run([sys.executable, "-m", "nbgrader", "autograde", ASSIGNMENT, "--force"], cwd=course,
                              env=env, capture_output=True, text=True)
    return timer, proc.returncode


def yardstick(course, assignment=ASSIGNMENT, per_notebook=None):
    """Seconds per student: per notebook, a bare sandboxed kernel start (stock jupyter_client, and with
    the grading's ReadyClient) and the notebook's non-lesson cells, run by nbclient in the sandbox."""
    import nbformat
    from nbclient import NotebookClient
    from traitlets.config import Config

    from autograder.plugins.judge import PrepareJudgedCells
    from autograder.plugins.sandbox import SandboxedKernelManager

    ready = Config()
    ready.AsyncKernelManager.client_class = "autograder.plugins.ready_client.ReadyClient"

    def run(nb, folder, config=None):
        with Timer() as timer:
            NotebookClient(nb, timeout=60, kernel_name="python3", kernel_manager_class=SandboxedKernelManager,
                           config=config or Config(), resources={"metadata": {"path": str(folder)}}).execute()
        return timer

    def median(timers):
        return statistics.median(t.wall for t in timers)

    def empty_nb():
        return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("pass")])

    rows = {}
    with tempfile.TemporaryDirectory() as empty:
        for path in nbt.notebooks(course / "source" / assignment):
            bare = median(run(empty_nb(), empty) for _ in range(3))
            bare_ready = median(run(empty_nb(), empty, ready) for _ in range(3))
            nb = nbt.read(path)
            nb.cells = [c for c in nb.cells if not is_lesson(c)]
            nb, _ = PrepareJudgedCells().preprocess(nb, {})
            shutil.copy(path, Path(empty) / path.name)
            full = median(run(copy.deepcopy(nb), empty) for _ in range(3))
            rows[path.stem] = (bare, bare_ready, max(full - bare, 0.0))
    if per_notebook is not None:
        per_notebook.update(rows)
    # (bare starts, ReadyClient starts, graded cells), summed over the notebooks
    return tuple(sum(r[i] for r in rows.values()) for i in range(3))


def speed(n, rounds, rev):
    with tempfile.TemporaryDirectory(prefix="bench-judging-") as tmp:
        tmp = Path(tmp)
        worktree = old_worktree(rev, tmp / "old")
        try:
            course, _ = build(tmp / "course", n)
            bare, bare_ready, cells = yardstick(course)
            old, new = [], []
            for r in range(rounds):
                t_old, rc_old = autograde(course, worktree / "nbgrader_config.py", old_env(worktree))
                t_new, rc_new = autograde(course, COURSE_ROOT / "nbgrader_config.py", nbgrader_env())
                old.append(t_old.wall / n)
                new.append(t_new.wall / n)
                print(f"round {r + 1}: old {old[-1]:.2f} s/student (rc {rc_old}), new {new[-1]:.2f} s/student "
                      f"(rc {rc_new}), ratio {new[-1] / old[-1]:.2f}; 5-minute load average "
                      f"{os.getloadavg()[1]:.1f} on {os.cpu_count()} cores", flush=True)
        finally:
            subprocess.run(["git", "-C", str(COURSE_ROOT), "worktree", "remove", "--force", str(worktree)],
                           capture_output=True)
    ratios = [b / a for a, b in zip(old, new)]
    w = statistics.median(new)
    print(f"old grading: {statistics.median(old):.2f} s/student; new: {w:.2f} s/student; "
          f"ratio new/old {statistics.median(ratios):.2f} (median of {rounds})")
    print(f"yardstick per student: bare kernel starts {bare:.2f} s + graded cells {cells:.2f} s = "
          f"{bare + cells:.2f} s; new / yardstick = {w / (bare + cells):.2f}; with the ReadyClient's starts "
          f"({bare_ready:.2f} s): {w / (bare_ready + cells):.2f}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="mode", required=True)
    p = sub.add_parser("speed")
    p.add_argument("--n", type=int, default=20)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--old", default=OLD_REV, help=f"the old grading's commit (default {OLD_REV})")
    p = sub.add_parser("kernel")
    p.add_argument("week")
    p = sub.add_parser("repeat")
    p.add_argument("--correct", type=int, default=8)
    p.add_argument("--half", type=int, default=8)
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    if args.mode == "speed":
        speed(args.n, args.rounds, args.old)
        return 0
    if args.mode == "kernel":
        per = {}
        yardstick(COURSE_ROOT, args.week, per)
        for name, (bare, bare_ready, cells) in per.items():
            print(f"{args.week}/{name}: kernel start {bare:.2f} s ({bare_ready:.2f} s with ReadyClient) + "
                  f"graded cells {cells:.2f} s = {bare + cells:.2f} s of kernel time")
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-repeat-") as tmp:
        results, full = repeat_rounds(Path(tmp), args.correct, args.half, args.rounds, args.workers)
    same = all(r == results[0] for r in results)
    lost = sorted(s for s, v in results[0].items() if s.startswith("correct") and v != full)
    print(f"{len(results[0])} students, {args.rounds} rounds: "
          f"{'the same score for every student in every round' if same else 'SCORES DIFFER between rounds'}; "
          f"correct students below full marks: {lost or 'none'}")
    return 0 if same and not lost else 1


if __name__ == "__main__":
    sys.exit(main())
