"""Judging outside the kernel, through the real `nbgrader autograde` (autograder/plugins/judge.py, lessons.py, probe.py).

- Both paths agree: wrong versions from the contract tables, handed in as notebook
  code and graded in the sandbox, get the same verdict (tag and message) as the
  same functions judged in-process.
- Lessons are skipped, and put back unexecuted; a student cell that needs a name
  only a lesson defines makes the notebook be graded again in full (sidecar says so).
- A broken grading environment stops grading with one message and scores nobody.
"""

import inspect
import re
import subprocess
import sys

import pytest

from autograder.commands.nbgrader_cli import nbgrader_env, run_nbgrader
from autograder.commands.samples import hand_in
from autograder.coursedir import make_course, notebook_scores
from autograder.hidden.week1 import initialization as hidden
from autograder.plugins.lessons import is_lesson
from tests.grading.helpers import graded_cells, graded_nb, sidecar
from tests.implementations.week1 import initialization as impl

pytestmark = pytest.mark.slow

# (student, function name, wrong version): one per initializer, plus a crash
PICKED = [("wrong-zeros", "initialize_parameters_zeros", impl.WRONG["initialize_parameters_zeros"][0][0]),
          ("wrong-random", "initialize_parameters_random", impl.WRONG["initialize_parameters_random"][6][0]),
          ("wrong-he", "initialize_parameters_he", impl.WRONG["initialize_parameters_he"][0][0])]

# Uses `results`, which only a lesson cell of the initialization notebook defines.
NEEDS_LESSON = '''# GRADED FUNCTION: initialize_parameters_zeros
def initialize_parameters_zeros(layers_dims):
    assert isinstance(net_dims, list)
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters["W" + str(l)] = np.zeros((layers_dims[l], layers_dims[l - 1]))
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters
'''


def _as_notebook_code(name, fn):
    """fn's source renamed to `name`, after the table's own helpers it calls (e.g. `_init`), so it runs alone."""
    helpers = [inspect.getsource(fn.__globals__[n]) for n in fn.__code__.co_names
               if inspect.isfunction(fn.__globals__.get(n)) and fn.__globals__[n].__module__ == fn.__module__]
    source = re.sub(r"^def \w+\(", f"def {name}(", inspect.getsource(fn), count=1)
    return f"# GRADED FUNCTION: {name}\n" + "\n\n".join(helpers + [source])


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    course = make_course(tmp_path_factory.mktemp("judging"), ["week1"])
    run_nbgrader(course, "generate_assignment", "week1", "--force")
    for student, name, fn in PICKED:
        hand_in(course, "week1", student, {"answers": {name: _as_notebook_code(name, fn)}})
    hand_in(course, "week1", "needs-lesson", {"answers": {"initialize_parameters_zeros": NEEDS_LESSON}})
    run_nbgrader(course, "autograde", "week1", "--notebook", "initialization", check=False)
    return course


@pytest.mark.parametrize("student, name, fn", PICKED, ids=[p[0] for p in PICKED])
def test_the_sandboxed_verdict_is_the_in_process_one(course, student, name, fn):
    in_process = getattr(hidden, f"check_{name}").run(fn)
    assert not in_process.passed
    recorded = sidecar(course, student, "initialization")["verdicts"][f"test_{name}"]
    assert [(v["passed"], v["tag"], v["message"]) for v in recorded] == \
           [(False, in_process.tag, in_process.message)]
    scores = notebook_scores(course, "week1")[student]["initialization"]
    assert scores[0] < scores[1]


def test_lessons_are_skipped_and_put_back_unexecuted(course):
    nb = graded_nb(course, "wrong-he", "initialization")
    lessons = [c for c in nb.cells if is_lesson(c)]
    assert lessons, "the graded notebook lost its lesson cells"
    assert all(not c.outputs and c.execution_count is None for c in lessons)
    assert "graded in full" not in " ".join(sidecar(course, "wrong-he", "initialization")["events"])


def test_a_cell_that_needs_a_lesson_gets_a_full_run(course):
    events = sidecar(course, "needs-lesson", "initialization")["events"]
    assert any(e.startswith("graded in full, lessons included:") and "net_dims" in e for e in events), events
    assert notebook_scores(course, "week1")["needs-lesson"]["initialization"] == (4.0, 4.0)
    nb = graded_nb(course, "needs-lesson", "initialization")
    assert any(c.outputs for c in nb.cells if is_lesson(c)), "the full run should have run the lessons"
    assert all(not [o for o in c.outputs if o.output_type == "error"] for c in graded_cells(nb).values())


def test_a_broken_grading_environment_stops_before_any_student(tmp_path):
    course = make_course(tmp_path / "broken-env", ["week1"])
    run_nbgrader(course, "generate_assignment", "week1", "--force")
    hand_in(course, "week1", "s1", {"answers": {}})
    with open(course / "nbgrader_config.py", "a") as f:   # the kernel no longer sees the course package
        f.write("\nc.SandboxedKernelManager.visible_packages = []\nc.SandboxedKernelManager.hidden_packages = "
                "['autograder', 'course']\n")
    for command in (["nbgrader", "autograde", "week1"], [sys.executable, "-m", "autograder", "grade", "week1"]):
        proc = subprocess.run(command, cwd=course, env=nbgrader_env(), text=True, capture_output=True, timeout=300)
        out = proc.stdout + proc.stderr
        assert proc.returncode != 0, out
        assert "Grading stopped before any student was scored" in out, out
        assert "- course: ModuleNotFoundError" in out, out
        assert notebook_scores(course, "week1") == {} or all(
            not v for v in notebook_scores(course, "week1").values()), out
