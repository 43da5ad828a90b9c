"""Benchmark: `python -m autograder grade --workers N` against plain serial `nbgrader autograde`.

    python -m tests.benchmark_grading                 # 40 submissions, 2 workers (about 20 minutes on 2 cores)
    python -m tests.benchmark_grading --n 10 --overhead-sample 2

1. Generates N week-1 submissions with the samples machinery (autograder/commands/samples.py),
   a fixed mix repeating every 10 students: 4 correct, 3 partly wrong (1 to 3
   planted mistakes: a wrong answer or an unanswered stub), 2 untouched, 1 broken
   (one notebook truncated). Endless loops and crashes are left out: they wait on
   time limits, not on the CPU, and would flatter the parallel run.
2. Copies the course twice and, in the same run, times
   - serial:   `nbgrader autograde week1` (every student, one process)
   - parallel: `python -m autograder grade week1 --workers N --no-feedback`
   and checks that both gave every student the same scores.
3. Per-notebook overhead: for a few students (correct, partly wrong, untouched),
   times their notebooks executed by nbclient alone (the same cells nbgrader
   runs, hidden blocks as runner calls), plain and in the sandbox, against
   `nbgrader autograde week1 --student <id>`; nbgrader's start-up (a run with
   nothing to do) is reported separately.

Not a test: the numbers go in the README and the closing notes. Run it on an
otherwise idle machine: it reports how many cores other processes used meanwhile.
"""

import argparse
import copy
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from autograder import notebooks as nbt
from autograder.commands.nbgrader_cli import nbgrader_env, run_nbgrader
from autograder.commands.grading_task import SINGLE_THREAD_ENV
from autograder.commands.samples import HE_WITH_1_OVER_N, hand_in, truncated
from autograder.coursedir import make_course, notebook_scores
from autograder.plugins.cells import grade_id

ASSIGNMENT = "week1"
# One period of the mix (see the docstring).
MIX = ["correct", "partly wrong", "untouched", "correct", "partly wrong", "broken", "correct", "partly wrong",
       "untouched", "correct"]

WRONG_ANSWERS = {
    "initialize_parameters_he": HE_WITH_1_OVER_N,
    "initialize_parameters_zeros": '''def initialize_parameters_zeros(layers_dims):
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters["W" + str(l)] = np.zeros((layers_dims[l], layers_dims[l - 1])) + 0.01
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters
''',
    "forward_propagation": '''def forward_propagation(x, theta):
    return theta + x
''',
    "backward_propagation": '''def backward_propagation(x, theta):
    return theta
''',
}


def recipes(course, n, seed=0):
    """{student: recipe} for n students (see the module docstring)."""
    rng = random.Random(seed)
    stubs = {}
    for path in nbt.notebooks(course / "release" / ASSIGNMENT):
        for gid, cell in nbt.cells_by_grade_id(nbt.read(path)).items():
            if nbt.is_solution(cell):
                stubs[gid] = cell.source
    notebooks = [p.stem for p in nbt.notebooks(course / "release" / ASSIGNMENT)]
    out = {}
    for i in range(n):
        kind = MIX[i % len(MIX)]
        student = f"student{i:03d}"
        if kind == "correct":
            out[student] = {"answers": {}}
        elif kind == "untouched":
            out[student] = None
        elif kind == "broken":
            out[student] = {"answers": {}, "raw": {rng.choice(notebooks): truncated}}
        else:
            answers = {}
            for gid in rng.sample(sorted(stubs), rng.randint(1, 3)):
                answers[gid] = WRONG_ANSWERS.get(gid) if gid in WRONG_ANSWERS and rng.random() < 0.7 else stubs[gid]
            out[student] = {"answers": answers}
    return out


def build(base, n):
    course = make_course(base, [ASSIGNMENT])
    run_nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    students = recipes(course, n)
    for student, recipe in students.items():
        hand_in(course, ASSIGNMENT, student, recipe)
    return course, students


def timed(fn, *args, **kw):
    start = time.perf_counter()
    result = fn(*args, **kw)
    return time.perf_counter() - start, result


def _busy_jiffies():
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    return sum(fields) - fields[3] - fields[4], sum(fields)  # (busy: all but idle and iowait, total)


def measured_run(cmd, cwd):
    """Run cmd; returns (seconds, returncode, cores used by cmd and its descendants, cores used by
    everything else on the machine), the last two averaged over the run (sampled with psutil)."""
    import psutil

    busy0, total0 = _busy_jiffies()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=nbgrader_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ours = {}
    root = psutil.Process(proc.pid)
    while proc.poll() is None:
        try:
            for p in [root] + root.children(recursive=True):
                try:
                    t = p.cpu_times()
                    ours[p.pid] = t.user + t.system
                except psutil.Error:
                    pass
        except psutil.Error:
            pass
        time.sleep(0.25)
    seconds = time.perf_counter() - start
    busy1, total1 = _busy_jiffies()
    cores = os.cpu_count()
    machine = (busy1 - busy0) / max(total1 - total0, 1) * cores  # average busy cores
    own = sum(ours.values()) / seconds
    return seconds, proc.returncode, own, max(machine - own, 0.0)


def run_serial(course):
    return measured_run([sys.executable, "-m", "nbgrader", "autograde", ASSIGNMENT], course)


def run_parallel(course, workers):
    return measured_run([sys.executable, "-m", "autograder", "grade", ASSIGNMENT, "--workers", str(workers),
                         "--no-feedback"], course)


# ---------------------------------------------------------------- per-notebook overhead

def autograde_input(course, student, name):
    """The notebook as nbgrader's kernel runs it: the submission with the source's test cells
    (hidden checks included), their hidden blocks turned into runner calls (autograder/plugins/judge.py)."""
    from autograder.plugins.judge import PrepareJudgedCells

    nb = nbt.read(course / "submitted" / student / ASSIGNMENT / f"{name}.ipynb")
    source = nbt.cells_by_grade_id(nbt.read(course / "source" / ASSIGNMENT / f"{name}.ipynb"))
    for cell in nb.cells:
        gid = grade_id(cell)
        if gid in source and not nbt.is_solution(cell):
            cell.source = source[gid].source
    nb, _ = PrepareJudgedCells().preprocess(nb, {})
    return nb


def nbclient_seconds(nb, cwd, sandboxed, timeout=30):
    from nbclient import NotebookClient

    kw = {}
    if sandboxed:
        from autograder.plugins.sandbox import SandboxedKernelManager
        kw["kernel_manager_class"] = SandboxedKernelManager
    client = NotebookClient(copy.deepcopy(nb), timeout=timeout, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(cwd)}}, **kw)
    saved = os.dup(2)  # the kernel inherits stderr: keep its start-up warnings off the report
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    try:
        start = time.perf_counter()
        client.execute()
        return time.perf_counter() - start
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def overhead(course, students, sample):
    """Seconds per notebook: nbclient plain / sandboxed, nbgrader autograde; nbgrader's start-up."""
    picks = []
    for kind in ("correct", "partly wrong", "untouched"):
        picks += [s for s, r in students.items() if MIX[int(s[-3:]) % len(MIX)] == kind][:max(1, sample // 3)]
    names = [p.stem for p in nbt.notebooks(course / "release" / ASSIGNMENT)]
    work = Path(tempfile.mkdtemp(prefix="nbclient-"))
    (work / "autograded" / "x" / ASSIGNMENT).mkdir(parents=True)  # a folder like nbgrader's, outside the course
    cwd = work / "autograded" / "x" / ASSIGNMENT
    plain, sandboxed, graded = [], [], []
    os.environ.update(SINGLE_THREAD_ENV)
    for student in picks:
        nbs = [autograde_input(course, student, name) for name in names]
        plain.append(sum(nbclient_seconds(nb, cwd, False) for nb in nbs) / len(nbs))
        sandboxed.append(sum(nbclient_seconds(nb, cwd, True) for nb in nbs) / len(nbs))
        seconds, _ = timed(run_nbgrader, course, "autograde", ASSIGNMENT, "--student", student, "--force")
        graded.append(seconds / len(nbs))
    startup, _ = timed(run_nbgrader, course, "autograde", ASSIGNMENT, "--student", picks[0])  # already graded
    shutil.rmtree(work, ignore_errors=True)
    return picks, statistics.mean(plain), statistics.mean(sandboxed), statistics.mean(graded), startup, len(names)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=40, help="submissions (default 40)")
    parser.add_argument("--workers", type=int, default=2, help="workers of the parallel run (default 2)")
    parser.add_argument("--overhead-sample", type=int, default=3, help="students timed with nbclient (default 3)")
    parser.add_argument("--keep", metavar="DIR", help="build the courses here and keep them")
    args = parser.parse_args(argv)

    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="grading-benchmark-"))
    root.mkdir(parents=True, exist_ok=True)
    print(f"cores: {os.cpu_count()}; courses in {root}", flush=True)
    base, students = build(root / "base", args.n)
    kinds = [MIX[i % len(MIX)] for i in range(args.n)]
    print(f"{args.n} submissions: " + ", ".join(f"{kinds.count(k)} {k}" for k in dict.fromkeys(MIX)), flush=True)
    serial_dir, parallel_dir = root / "serial", root / "parallel"
    for d in (serial_dir, parallel_dir):
        shutil.rmtree(d, ignore_errors=True)
        shutil.copytree(base, d, symlinks=True)
        (d / "nbgrader_config.py").write_text((base / "nbgrader_config.py").read_text())

    t_serial, rc, own, other = run_serial(serial_dir)
    print(f"serial   nbgrader autograde {ASSIGNMENT}:         {t_serial:7.1f} s (exit {rc}; "
          f"it used {own:.2f} cores, other processes {other:.2f})", flush=True)
    t_parallel, rc, own, other = run_parallel(parallel_dir, args.workers)
    print(f"parallel autograder grade --workers {args.workers}: {t_parallel:7.1f} s (exit {rc}; "
          f"it used {own:.2f} cores, other processes {other:.2f})", flush=True)
    same = notebook_scores(serial_dir, ASSIGNMENT) == notebook_scores(parallel_dir, ASSIGNMENT)
    print(f"speed-up: {t_serial / t_parallel:.2f}x  (target >= 1.8x on 2 cores); "
          f"same scores in both: {same}", flush=True)

    picks, plain, sandboxed, graded, startup, per_student = overhead(base, students, args.overhead_sample)
    print(f"per notebook ({len(picks)} students x {per_student} notebooks: {', '.join(picks)}):")
    print(f"  nbclient alone, plain kernel:     {plain:6.2f} s")
    print(f"  nbclient alone, sandboxed kernel: {sandboxed:6.2f} s  (sandbox: +{sandboxed - plain:.2f} s)")
    print(f"  nbgrader autograde --student:     {graded:6.2f} s  (+{graded - plain:.2f} s over plain nbclient, "
          f"of which nbgrader's start-up {startup / per_student:.2f} s)")
    print(f"  per notebook in the parallel run: {t_parallel * args.workers / (args.n * per_student):6.2f} s of a "
          f"worker's time; serial run: {t_serial / (args.n * per_student):.2f} s")
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
