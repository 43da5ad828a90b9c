"""Week 3 (JAX) graded by the real `nbgrader autograde`, in the sandbox, with the runner's jax.grad cases.

One course, week 3 generated from source/, four students (each handing in frameworks.ipynb only,
the notebook under test) graded in one run with the course's nbgrader_config.py (sandbox on where bubblewrap runs), memory limits lowered to 1 GiB of data
segment and 1.5 GiB resident so that the hogs are stopped quickly:
- perfect: every test passes (JAX imported, jit-compiled and differentiated inside the sandbox);
- numpy-relu: forward_propagation calls np.maximum; the sandboxed verdict is the in-process one,
  tagged jax.not_traceable and naming the line;
- memory-loop: a cell allocates NumPy arrays in a loop: MemoryError in that cell and the kernel
  lives on; the arrays it kept fill the limit, so the tests after it fail (JAX aborts, and so does
  the replay), the test before it keeps its point, and the other students are not affected;
- shm-hog: a cell fills shared memory (not counted by the data limit): the watchdog kills the
  sandbox, the cell says why, a fresh kernel replays the notebook and every test still passes.
"""

import json
import linecache
import re
import time
from pathlib import Path

import pytest

from autograder.commands.nbgrader_cli import run_nbgrader
from autograder.commands.samples import FORWARD_WITH_NUMPY_RELU, hand_in
from autograder.coursedir import make_course, notebook_scores
from autograder.hidden.week3 import frameworks as hidden
from autograder import notebooks as nbt
from autograder.plugins.sidecar import sidecar_file
from tests.grading.helpers import errors, graded_cells, needs_bwrap

pytestmark = [pytest.mark.slow, needs_bwrap]

NUMPY_RELU = FORWARD_WITH_NUMPY_RELU   # the demo's student: NumPy's maximum inside the JAX forward pass
MEMORY_LOOP = "chunks = []\nwhile True:\n    chunks.append(np.ones(2**24))"
SHM_HOG = ("import mmap\nmaps = []\nwhile True:\n    m = mmap.mmap(-1, 2**26)\n    m.write(b'x' * 2**26)\n"
           "    maps.append(m)")
STUDENTS = {
    "perfect": {"answers": {}},
    "numpy-relu": {"answers": {"forward_propagation": NUMPY_RELU}},
    "memory-loop": {"answers": {}, "insert_after": {"test_minimize_quadratic": MEMORY_LOOP}},
    "shm-hog": {"answers": {}, "insert_after": {"test_minimize_quadratic": SHM_HOG}},
}


def graded_nb(course, student):
    return nbt.read(course / "autograded" / student / "week3" / "frameworks.ipynb")


def sidecar(course, student):
    return json.loads(Path(sidecar_file(course / "autograded" / student / "week3", "frameworks")).read_text())


def _numpy_relu_fn():
    """NUMPY_RELU as a notebook cell defines it: its source in linecache, as IPython puts it there."""
    source = "import numpy as np\nimport jax.numpy as jnp\n" + NUMPY_RELU
    filename = "<notebook cell: numpy-relu>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    namespace = {}
    exec(compile(source, filename, "exec"), namespace)
    return namespace["forward_propagation"]


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    course = make_course(tmp_path_factory.mktemp("week3"), ["week3"])
    with open(course / "nbgrader_config.py", "a") as f:
        f.write("\nc.SandboxedKernelManager.memory_limit_mb = 1024\nc.SandboxedKernelManager.resident_limit_mb = 1536\n")
    run_nbgrader(course, "generate_assignment", "week3", "--force")
    for student, recipe in STUDENTS.items():
        (hand_in(course, "week3", student, recipe) / "batchnorm.ipynb").unlink()
    start = time.monotonic()
    run_nbgrader(course, "autograde", "week3", "--student", "perfect")
    seconds = time.monotonic() - start
    run_nbgrader(course, "autograde", "week3", check=False)
    return course, seconds


def test_a_jax_notebook_grades_in_the_sandbox(course):
    course, seconds = course
    assert notebook_scores(course, "week3")["perfect"]["frameworks"] == (5.0, 5.0)
    assert seconds < 60, f"grading one week-3 notebook took {seconds:.0f} s"


def test_not_traceable_is_judged_as_in_process(course):
    course, _ = course
    in_process = hidden.check_forward_propagation.run(_numpy_relu_fn())
    assert in_process.tag == "jax.not_traceable"
    assert "at `A1 = np.maximum(0, Z1)`: use jnp.maximum, not np.maximum" in in_process.message
    recorded = sidecar(course, "numpy-relu")["verdicts"]["test_forward_propagation"]
    assert [(v["passed"], v["tag"], v["message"]) for v in recorded] == [(False, in_process.tag, in_process.message)]
    assert notebook_scores(course, "week3")["numpy-relu"]["frameworks"] == (3.0, 5.0)


def test_a_memory_loop_gets_memory_error_and_costs_only_its_notebook(course):
    course, _ = course
    nb = graded_nb(course, "memory-loop")
    hog = next(c for c in nb.cells if c.cell_type == "code" and c.source == MEMORY_LOOP)
    assert [e[0] for e in errors(hog)] == ["MemoryError"], hog.outputs
    score, total = notebook_scores(course, "week3")["memory-loop"]["frameworks"]
    assert total == 5.0 and score >= 1.0   # minimize_quadratic, graded before the loop, keeps its point
    assert not errors(graded_cells(nb)["test_minimize_quadratic"])
    scores = notebook_scores(course, "week3")
    assert scores["perfect"]["frameworks"] == scores["shm-hog"]["frameworks"] == (5.0, 5.0)


def test_resident_memory_over_the_limit_kills_only_that_kernel(course):
    course, _ = course
    nb = graded_nb(course, "shm-hog")
    hog = next(c for c in nb.cells if c.cell_type == "code" and c.source == SHM_HOG)
    (ename, evalue), = errors(hog)
    assert ename == "KernelDied"
    assert re.search(r"stopped by the sandbox: its processes held \d+ MiB of memory, over the limit of 1536 MiB",
                     evalue), evalue
    events = sidecar(course, "shm-hog")["events"]
    assert any("over the limit of 1536 MiB" in e and "re-ran the notebook from a fresh kernel" in e for e in events)
    assert notebook_scores(course, "week3")["shm-hog"]["frameworks"] == (5.0, 5.0)
