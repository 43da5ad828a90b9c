"""A class of 12 week-1 students for the grading engine's tests (tests/grading/test_dask_engine.py).

Each student hands in gradient_checking only (the quickest notebook; the others
count as not submitted): 6 correct, 4 with one or two functions wrong or left a
stub, one whose gradient_check never returns (interrupted by the per-cell time
limit, CELL_TIMEOUT) and one whose gradient_check kills its kernel. `pristine`
builds the course once (generated, handed in, not graded); each test grades a copy.
"""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import psutil

from autograder import notebooks as nbt
from autograder.commands.nbgrader_cli import nbgrader_env, run_nbgrader
from autograder.coursedir import make_course
from autograder.plugins.cells import grade_id
from tests.grading.helpers import CELL_TIMEOUT

ASSIGNMENT = "week1"
WRONG = {"forward_propagation": "def forward_propagation(x, theta):\n    return theta + x\n",
         "backward_propagation": "def backward_propagation(x, theta):\n    return theta\n"}
LOOP = "def gradient_check(x, theta, epsilon=1e-7, print_msg=False):\n    while True:\n        pass\n"
CRASH = "def gradient_check(x, theta, epsilon=1e-7, print_msg=False):\n    import os\n    os._exit(3)\n"
KINDS = {**{f"correct{i}": {} for i in range(6)},
         "wrong0": {"forward_propagation": WRONG["forward_propagation"]},
         "wrong1": {"backward_propagation": WRONG["backward_propagation"]},
         "wrong2": dict(WRONG),
         "stub0": {"gradient_check_n": None},
         "loops": {"gradient_check": LOOP},
         "crash": {"gradient_check": CRASH}}
EXAMPLES = ["gradient-check-example", "gradient-check-n-example", "per-parameter-differences",
            "gradient-check-n-fixed", "l2-check"]  # cells that call the hanging function outside a test


def _notebook(course, answers):
    release = nbt.read(course / "release" / ASSIGNMENT / "gradient_checking.ipynb")
    nb = nbt.fill_solutions(release, nbt.read(course / "source" / ASSIGNMENT / "gradient_checking.ipynb"))
    stubs = {grade_id(c): c.source for c in release.cells if nbt.is_solution(c)}
    for cell in nb.cells:
        gid = grade_id(cell)
        if gid in answers:
            cell.source = stubs[gid] if answers[gid] is None else answers[gid]
    if "gradient_check" in answers:
        nb.cells = [c for c in nb.cells if c.get("id") not in EXAMPLES]
    return nb


def build_class(path):
    """The course at path: week 1 generated, the 12 students handed in (see the module docstring)."""
    course = make_course(path, [ASSIGNMENT])
    with open(course / "nbgrader_config.py", "a") as f:
        f.write(f"\nc.Execute.timeout = {CELL_TIMEOUT}\n")
    run_nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    for student, answers in KINDS.items():
        folder = course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        nbt.write(_notebook(course, answers), folder / "gradient_checking.ipynb")
        (folder / "timestamp.txt").write_text("2026-11-30 12:00:00.000000 UTC\n")
    return course


def copy_course(pristine, target):
    shutil.copytree(pristine, target, symlinks=True)
    return target


def grade_command(course, *args):
    return [sys.executable, "-m", "autograder", "grade", ASSIGNMENT, "--course", str(course), "--no-feedback", *args]


def run_grade(course, *args, timeout=900):
    return subprocess.run(grade_command(course, *args), env=nbgrader_env(), text=True, capture_output=True,
                          timeout=timeout)


def graded_students(course):
    """Students with an autograded folder (what the client writes last for each student)."""
    root = course / "autograded"
    return sorted(p.name for p in root.iterdir() if (p / ASSIGNMENT).is_dir()) if root.is_dir() else []


def wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def grading_kernel_of(process):
    """Whether a grading kernel runs below the process (an ipykernel among its descendants)."""
    try:
        return any("ipykernel" in " ".join(p.cmdline()) for p in process.children(recursive=True))
    except psutil.Error:
        return False


class DaskCluster:
    """`dask scheduler` and `dask worker` processes on loopback; stopped (with their children) by PID."""

    def __init__(self, folder, workers=2):
        self.folder, self.workers, self.procs = folder, workers, []
        self.scheduler_file = folder / "scheduler.json"

    def __enter__(self):
        try:
            return self._start()
        except BaseException:
            self.__exit__()  # no process left behind when the cluster cannot start
            raise

    def _start(self):
        import json

        env = {**nbgrader_env(), "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
        dask = str(Path(sys.executable).parent / "dask")  # the console script: no working directory on sys.path
        cwd = self.folder / "dask-cluster"
        cwd.mkdir(exist_ok=True)
        self.procs.append(subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                                   "--scheduler-file", str(self.scheduler_file)],
                                           env=env, cwd=cwd, stdout=subprocess.DEVNULL,
                                           stderr=subprocess.DEVNULL))
        wait_for(self.scheduler_file.exists, 60, "the scheduler file")
        time.sleep(0.5)
        self.address = json.loads(self.scheduler_file.read_text())["address"]
        for _ in range(self.workers):
            self.procs.append(subprocess.Popen(
                [dask, "worker", "--scheduler-file", str(self.scheduler_file),
                 "--host", "127.0.0.1", "--nthreads", "1", "--nworkers", "1", "--memory-limit", "0",
                 "--no-dashboard"], env=env, cwd=cwd, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL))
        from distributed import Client
        with Client(self.address, timeout="60s") as client:
            client.wait_for_workers(self.workers, timeout=120)
        return self

    def worker_processes(self):
        """The worker processes the `dask worker` nannies started."""
        out = []
        for proc in self.procs[1:]:
            try:
                out += psutil.Process(proc.pid).children()
            except psutil.Error:
                pass
        return [p for p in out if "resource_tracker" not in " ".join(p.cmdline())]

    def __exit__(self, *exc):
        for proc in reversed(self.procs):
            try:
                family = psutil.Process(proc.pid).children(recursive=True)
            except psutil.Error:
                family = []
            proc.terminate()
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
            for p in family:
                try:
                    p.kill()
                except psutil.Error:
                    pass
        os.environ.pop("DASK_SCHEDULER_ADDRESS", None)
