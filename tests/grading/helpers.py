"""Reading what the real `nbgrader autograde` left in a course: graded notebooks, sidecars, grades.

Shared by the tests of tests/grading/ (the crafted course itself is built in conftest.py).
"""

import json
import os
from pathlib import Path

import pytest
from nbformat.v4 import new_code_cell

from autograder import notebooks as nbt
from autograder.coursedir import gradebook
from autograder.plugins.cells import grade_id, is_grade
from autograder.plugins.sandbox import sandbox_available
from autograder.plugins.sidecar import sidecar_file

# Skipped where bubblewrap cannot run (not installed, or a container forbids namespaces);
# with REQUIRE_SANDBOX=1 in the environment (as in CI) they fail instead.
AVAILABLE, WHY_NOT = sandbox_available()
needs_bwrap = pytest.mark.skipif(not AVAILABLE and not os.environ.get("REQUIRE_SANDBOX"), reason=WHY_NOT)

CELL_TIMEOUT = 5  # the per-cell limit of the crafted course (conftest.py)
AUTOGRADE_LOG = "autograde.log"  # what `nbgrader autograde` logged, in the crafted course
TESTS = ["test_forward_propagation", "test_backward_propagation", "test_gradient_check", "test_gradient_check_n",
         "test_backward_propagation_n", "test_backward_propagation_with_regularization"]


def index_of(nb, cell_id):
    return next(i for i, c in enumerate(nb.cells) if c.get("id") == cell_id)


def graded_nb(course, student, name="gradient_checking"):
    return nbt.read(course / "autograded" / student / "week1" / f"{name}.ipynb")


def sidecar(course, student, name="gradient_checking"):
    """The sidecar file as written (json), not normalised."""
    return json.loads(Path(sidecar_file(course / "autograded" / student / "week1", name)).read_text())


def graded_cells(nb):
    """{grade_id: cell} of the graded code cells, in notebook order."""
    return {grade_id(c): c for c in nb.cells if is_grade(c)}


def errors(cell):
    return [(o.ename, o.evalue) for o in cell.outputs if o.output_type == "error"]


def stdout(cell):
    return "".join(o.text for o in cell.outputs if o.output_type == "stream" and o.name == "stdout")


def grades(course, assignment="week1"):
    """{student: {notebook: {test: points}}} from the gradebook."""
    out = {}
    with gradebook(course) as gb:
        for sub in gb.assignment_submissions(assignment):
            out[sub.student.id] = {nb.name: {g.name: g.score for g in nb.grades} for nb in sub.notebooks}
    return out


def grade_cell(source, gid, points=1):
    """A locked, graded test cell."""
    return new_code_cell(source, metadata={"nbgrader": {"grade": True, "solution": False, "locked": True,
                                                        "grade_id": gid, "points": points, "schema_version": 3}})
