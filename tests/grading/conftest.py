"""The crafted course: week 1 graded once by the real nbgrader, for every test of tests/grading/.

`crafted` (session-scoped, slow) builds a course with this course's nbgrader_config.py
(sandbox on where bubblewrap runs, per-cell timeout CELL_TIMEOUT), hands in the
crafted students below, runs `nbgrader autograde` and `generate_feedback` once,
and yields (course, {notebook: text the "broken" student handed in}). Each crafted
student hands in gradient_checking (the quickest notebook); the others count as
not submitted.

- restored: a test cell deleted, one with its metadata stripped, one made a
  100-point "solution" cell with its source replaced, and a bogus grade cell;
  forward_propagation writes to stderr.
- crash: backward_propagation wrong; a student cell exits the kernel after it;
  gradient_check exits the kernel when its test calls it.
- loops: gradient_check loops (interruptible), gradient_check_n ignores interrupts (the
  example cells that call them are dropped: only the test cells hang).
- broken: initialization cut in half; gradient_checking correct, missing a cell's
  metadata key (repaired), and trying to import the grader and read the gradebook.
"""

import json
import os

import nbformat
import pytest
from nbformat.v4 import new_code_cell

from autograder import notebooks as nbt
from autograder.commands.nbgrader_cli import run_nbgrader
from autograder.coursedir import make_course
from autograder.plugins.cells import grade_id
from tests.conftest import ROOT
from tests.grading.helpers import AUTOGRADE_LOG, AVAILABLE, CELL_TIMEOUT, index_of


@pytest.fixture(scope="module")
def release_json():
    return nbformat.writes(nbt.read(ROOT / "release" / "week1" / "gradient_checking.ipynb"))


def _perfect(course, name):
    release = nbt.read(course / "release" / "week1" / f"{name}.ipynb")
    source = nbt.read(course / "source" / "week1" / f"{name}.ipynb")
    return nbt.fill_solutions(release, source)


def _answer(nb, gid, code):
    next(c for c in nb.cells if grade_id(c) == gid).source = code


def _drop(nb, *ids):
    nb.cells = [c for c in nb.cells if c.get("id") not in ids]


def _hand_in(course, student, notebooks):
    folder = course / "submitted" / student / "week1"
    folder.mkdir(parents=True)
    for name, nb in notebooks.items():
        path = folder / f"{name}.ipynb"
        if isinstance(nb, str):
            path.write_text(nb)
        else:
            nbt.write(nb, path)


def _craft(course):
    """The crafted students (see the module docstring); returns the files "broken" handed in, as written."""
    nb = _perfect(course, "gradient_checking")
    _drop(nb, "test-gradient-check")
    nb.cells[index_of(nb, "test-forward-propagation")].metadata = {}
    tampered = nb.cells[index_of(nb, "test-backward-propagation")]
    tampered.metadata["nbgrader"].update(solution=True, points=100)
    tampered.source = "pass"
    nb.cells.insert(5, new_code_cell("print('bonus')", metadata={"nbgrader": {
        "grade": True, "solution": False, "locked": False, "grade_id": "bonus", "points": 10, "schema_version": 3}}))
    _answer(nb, "forward_propagation", "import sys\n\ndef forward_propagation(x, theta):\n"
                                       "    print('debug: forward', file=sys.stderr)\n    return theta * x\n")
    _hand_in(course, "restored", {"gradient_checking": nb})

    nb = _perfect(course, "gradient_checking")
    _answer(nb, "backward_propagation", "def backward_propagation(x, theta):\n    return theta\n")
    nb.cells.insert(index_of(nb, "test-backward-propagation") + 1, new_code_cell("import os\nos._exit(1)"))
    _answer(nb, "gradient_check", "def gradient_check(x, theta, epsilon=1e-7, print_msg=False):\n"
                                  "    import os\n    os._exit(3)\n")
    _drop(nb, "gradient-check-example")
    _hand_in(course, "crash", {"gradient_checking": nb})

    nb = _perfect(course, "gradient_checking")
    _answer(nb, "gradient_check", "def gradient_check(x, theta, epsilon=1e-7, print_msg=False):\n"
                                  "    while True:\n        pass\n")
    _answer(nb, "gradient_check_n",
            "def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):\n"
            "    while True:\n        try:\n            while True:\n                pass\n"
            "        except KeyboardInterrupt:\n            pass\n")
    _drop(nb, "gradient-check-example", "gradient-check-n-example", "per-parameter-differences",
          "gradient-check-n-fixed", "l2-check")
    _hand_in(course, "loops", {"gradient_checking": nb})

    text = nbformat.writes(_perfect(course, "initialization"))
    nb = _perfect(course, "gradient_checking")
    nb.cells.insert(2, new_code_cell("try:\n    import autograder\nexcept ImportError as e:\n    print(e)\n"
                                     "try:\n    open('../../../gradebook.db').read()\nexcept OSError as e:\n"
                                     "    print(e)\n"))
    raw = json.loads(nbformat.writes(nb))
    del raw["cells"][0]["metadata"]
    handed = {"initialization": text[: len(text) // 2], "gradient_checking": json.dumps(raw)}
    _hand_in(course, "broken", handed)
    return handed


@pytest.fixture(scope="session")
def crafted(tmp_path_factory):
    with pytest.MonkeyPatch.context() as env:
        if not AVAILABLE and not os.environ.get("REQUIRE_SANDBOX"):
            env.setenv("AUTOGRADER_UNSANDBOXED", "1")  # our own submissions: safe without the sandbox
        course = make_course(tmp_path_factory.mktemp("robust"), ["week1"])
        with open(course / "nbgrader_config.py", "a") as f:
            f.write(f"\nc.Execute.timeout = {CELL_TIMEOUT}\n")
        run_nbgrader(course, "generate_assignment", "week1", "--force")
        handed = _craft(course)
        log = run_nbgrader(course, "autograde", "week1", "--force").stdout
        (course / AUTOGRADE_LOG).write_text(log)  # nbgrader's own log (test_checksums.py reads it)
        run_nbgrader(course, "generate_feedback", "week1", "--force")
        yield course, handed
