"""`python -m autograder report`: the class's mistakes, counted from a class graded by the real nbgrader.

The demo class of weeks 2 and 1 (SAMPLES plus COMMON_MISTAKES of autograder/commands/samples.py:
week 2 is one notebook and seven students, week 1 three notebooks and ten students), graded
once per session by the real nbgrader (the `graded_demo_class` fixture of tests/conftest.py,
shared with tests/test_nbgrader_workflow.py); the module fixtures run the command on it.
The counts below are what the students were written to get wrong.
"""

import re
import subprocess
import sys

import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from autograder.commands.nbgrader_cli import nbgrader_env
from autograder.commands.report import NOT_IMPLEMENTED, build_report, notebook_functions
from autograder.commands.samples import demo_class

WEEK = "week2"
STUDENTS = {"perfect", "original-course-style", "no-bias-correction", "untouched", "rmsprop-no-square",
            "adam-beta1-for-s", "decay-and-adam"}
FUNCTIONS = ["update_parameters_with_gd", "random_mini_batches", "exponentially_weighted_averages",
             "initialize_velocity", "update_parameters_with_momentum", "initialize_rmsprop",
             "update_parameters_with_rmsprop", "initialize_adam", "update_parameters_with_adam", "update_lr",
             "schedule_lr_decay"]
STUB = (NOT_IMPLEMENTED, {"untouched"})
# {function: [(mistake, students)]} in the page's order (most frequent first); "untouched" left every stub.
NAMED = {
    "update_parameters_with_rmsprop": [("rmsprop.no_square", {"rmsprop-no-square"})],
    "update_parameters_with_adam": [("adam.no_bias_correction", {"no-bias-correction", "decay-and-adam"}),
                                    ("adam.beta1_for_s", {"adam-beta1-for-s"})],
    "update_lr": [("lr_decay.no_one_plus", {"decay-and-adam"})],
}


def _graded_class(graded_demo_class, week, students):
    """(course, the report command's process, the ClassReport) of the week's demo class, graded."""
    course, graded = graded_demo_class(week)
    assert graded.returncode == 0, graded.stdout + graded.stderr
    assert set(demo_class()[week]) == students
    proc = subprocess.run([sys.executable, "-m", "autograder", "report", week], cwd=course, env=nbgrader_env(),
                          text=True, capture_output=True, timeout=300)
    return course, proc, build_report(course, week)


def _assert_counts(report, students, expected_of, functions=None):
    """Each function's mistakes and students as expected_of(Function) gives them; everyone else passed."""
    if functions is not None:
        assert [fn.name for fn in report.functions] == functions
    for fn in report.functions:
        assert fn.graded == students, fn.name
        expected = expected_of(fn)
        assert [(m.key, m.students) for m in fn.sorted_mistakes()] == expected, fn.name
        wrong = set().union(*(s for _, s in expected))
        assert fn.passed == students - wrong, fn.name


@pytest.fixture(scope="module")
def graded(graded_demo_class):
    return _graded_class(graded_demo_class, WEEK, STUDENTS)


@pytest.mark.slow
def test_counts_per_function(graded):
    _, _, report = graded
    _assert_counts(report, STUDENTS, lambda fn: NAMED.get(fn.name, []) + [STUB], FUNCTIONS)
    adam = next(fn for fn in report.functions if fn.name == "update_parameters_with_adam")
    assert len(adam.passed) == 3 and adam.max_points == 2
    assert adam.section == "Exercise: update_parameters_with_adam" and adam.chapter == "6. Adam"


@pytest.mark.slow
def test_scores(graded):
    _, _, report = graded
    # each mistake costs its test cell: RMSprop 1 point, Adam 2, update_lr 1
    assert {s: score for s, (score, _) in report.scores.items()} == {
        "perfect": 13, "original-course-style": 13, "no-bias-correction": 11, "untouched": 0,
        "rmsprop-no-square": 12, "adam-beta1-for-s": 11, "decay-and-adam": 10}
    assert report.max_score == 13


@pytest.mark.slow
def test_terminal_table(graded):
    _, proc, _ = graded
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    adam = lines.index(next(line for line in lines if line.startswith("optimization.update_parameters_with_adam ")))
    assert re.search(r"\b3 / 7\s+2  adam\.no_bias_correction$", lines[adam])
    assert re.search(r"^\s+1  adam\.beta1_for_s$", lines[adam + 1])
    assert "Mistake report: " in proc.stdout


@pytest.mark.slow
def test_page(graded):
    course, _, report = graded
    page = (course / "reports" / WEEK / "index.html").read_text()
    notebook = (course / "reports" / WEEK / "optimization.html").read_text()
    assert page.count("<svg") == 2  # the scores, and optimization's bar chart
    # Every function links to its section of the rendered release notebook, and the anchor exists there.
    links = re.findall(r'href="optimization\.html#([^"]+)"', page)
    assert len(links) == len(FUNCTIONS)
    for anchor in links:
        assert f'id="{anchor}"' in notebook
    # Mistakes in frequency order with the check's message (without the function's name in front).
    section = page[page.index('id="optimization-update_parameters_with_adam"'):]
    section = section[:section.index("<h3", 10)]
    assert section.index("adam.no_bias_correction") < section.index("adam.beta1_for_s") < \
        section.index(NOT_IMPLEMENTED)
    assert "s uses beta1; the second moment uses beta2" in section
    assert ">update_parameters_with_adam: " not in section


def _cell(maker, source, gid=None, grade=False, solution=False):
    meta = {"nbgrader": {"grade": grade, "solution": solution, "locked": not solution, "grade_id": gid,
                         "points": 1 if grade else None, "schema_version": 3}} if gid else {}
    return maker(source, metadata=meta)


def test_sections_and_which_function_a_test_grades():
    nb = new_notebook(cells=[
        _cell(new_markdown_cell, "# Title\n## 2. Checking a net\n### Exercise: `f`"),
        _cell(new_code_cell, "def f(): ...", "f", solution=True),
        _cell(new_markdown_cell, "### Exercise 5: *fix* [g](#g)\n```python\n# a comment, not a heading\n```"),
        _cell(new_code_cell, "def g(): ...", "g", solution=True),
        _cell(new_code_cell, "check_g(g)", "test_g", grade=True),
        _cell(new_code_cell, "check_f(f)", "test_f", grade=True),        # named: f, though after g
        _cell(new_code_cell, "check_both(f, g)", "test_other", grade=True),  # unnamed: the solution before
    ])
    functions, test_of = notebook_functions(nb, "nb")
    assert [(f.name, f.section, f.chapter) for f in functions.values()] == [
        ("f", "Exercise: f", "2. Checking a net"), ("g", "Exercise 5: fix g", "2. Checking a net")]
    assert test_of == {"test_g": "g", "test_f": "f", "test_other": "g"}


# ---------------------------------------------------------------- week 1

WEEK1_STUDENTS = {"perfect", "one-mistake", "untouched", "infinite-loop", "kernel-crash", "deleted-test-cell",
                  "corrupted", "dropout-no-rescale", "one-sided-check", "l2-and-he"}
UNREADABLE = ("notebook unreadable", {"corrupted"})   # gradient_checking.ipynb is cut in half
# What the week-1 students were written to get wrong, {function: [(mistake, students)]} in page order; the
# other functions: STUB, and UNREADABLE in gradient_checking (which also checks regularization's
# backward_propagation_with_regularization: a function of its own there). "untouched" left every stub,
# except backward_propagation_n, given with two planted bugs.
WEEK1_NAMED = {
    "initialize_parameters_he": [("he.scale_sqrt_1_over_n", {"one-mistake", "l2-and-he"}), STUB,
                                 ("timed out", {"infinite-loop"})],
    "compute_cost_with_regularization": [("l2cost.over_m", {"l2-and-he"}), STUB],
    "forward_propagation_with_dropout": [("dropout.no_rescale", {"dropout-no-rescale"}), STUB],
    "gradient_check": [("gradcheck.one_sided", {"one-sided-check"}), STUB, UNREADABLE],
    "gradient_check_n": [("gradcheck_n.one_sided", {"one-sided-check"}), STUB, UNREADABLE],
    "backward_propagation_n": [("backward_n.planted_bugs", {"untouched"}), UNREADABLE],
}


@pytest.fixture(scope="module")
def graded_week1(graded_demo_class):
    return _graded_class(graded_demo_class, "week1", WEEK1_STUDENTS)


@pytest.mark.slow
def test_week1_counts_per_function(graded_week1):
    _, proc, report = graded_week1
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert len(report.functions) == 16 and set(WEEK1_NAMED) <= {fn.name for fn in report.functions}
    other = {"gradient_checking": [STUB, UNREADABLE]}
    _assert_counts(report, WEEK1_STUDENTS, lambda fn: WEEK1_NAMED.get(fn.name, other.get(fn.notebook, [STUB])))
