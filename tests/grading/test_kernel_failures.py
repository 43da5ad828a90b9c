"""A dead or hung kernel costs only what could not run (autograder/plugins/robust_execute.py).

The crafted course's crash and loops students, then RobustExecute on its own in the sandbox.
"""

import nbformat
import pytest
from nbformat.v4 import new_code_cell
from traitlets.config import Config

from autograder.coursedir import notebook_scores
from autograder.plugins.sandbox import SandboxedKernelManager
from tests.grading.helpers import (CELL_TIMEOUT, errors, grade_cell, graded_nb, grades, needs_bwrap, sidecar,
                                   stdout, graded_cells)


@pytest.mark.slow
def test_kernel_crash_costs_only_the_tests_that_could_not_run(crafted):
    course, _ = crafted
    assert notebook_scores(course, "week1")["crash"]["gradient_checking"] == (8.0, 11.0)
    assert grades(course)["crash"]["gradient_checking"] == {
        "test_forward_propagation": 1.0, "test_backward_propagation": 0.0,
        "test_gradient_check": 0.0, "test_gradient_check_n": 3.0,
        "test_backward_propagation_n": 2.0, "test_backward_propagation_with_regularization": 2.0}
    nb = graded_nb(course, "crash")
    tests = graded_cells(nb)
    visible, judged = errors(tests["test_backward_propagation"])  # the visible check's error, then the judge's
    assert visible == (
        "AssertionError", "backward_propagation: backward_propagation(x=3, theta=4) is off (largest difference 1). "
                          "The derivative of theta * x with respect to theta is x.")
    assert judged[0] == "CheckFailed" and judged[1].startswith("backward_propagation: ")
    crash_cell = next(c for c in nb.cells if c.source == "import os\nos._exit(1)")
    assert errors(crash_cell) == [("KernelDied", "the kernel died while running this cell (exit code 1); "
                                                  "grading went on in a fresh kernel")]
    assert errors(tests["test_gradient_check"]) == [("KernelDied", "the kernel died while running this cell "
                                                                    "(exit code 3); grading went on in a fresh kernel")]
    # After the fresh kernel re-ran the cells before, the later tests had everything they needed.
    for gid in ("test_gradient_check_n", "test_backward_propagation_n", "test_backward_propagation_with_regularization"):
        assert errors(tests[gid]) == [], gid
    assert sidecar(course, "crash")["events"] == [
        "kernel died in cell 16 ('import os') (exit code 1); re-ran the notebook from a fresh kernel",
        "kernel died in cell 20 (test_gradient_check) (exit code 3); re-ran the notebook from a fresh kernel"]


@pytest.mark.slow
def test_infinite_loops_cost_only_their_tests(crafted):
    course, _ = crafted
    assert grades(course)["loops"]["gradient_checking"] == {
        "test_forward_propagation": 1.0, "test_backward_propagation": 1.0,
        "test_gradient_check": 0.0, "test_gradient_check_n": 0.0,
        "test_backward_propagation_n": 2.0, "test_backward_propagation_with_regularization": 2.0}
    tests = graded_cells(graded_nb(course, "loops"))
    assert errors(tests["test_gradient_check"]) == [
        ("CellTimeout", f"this cell ran longer than the per-cell limit ({CELL_TIMEOUT} s) and was interrupted")]
    assert errors(tests["test_gradient_check_n"]) == [
        ("CellTimeout", f"this cell ran longer than the per-cell limit ({CELL_TIMEOUT} s) and did not stop when "
                        "interrupted; grading went on in a fresh kernel")]
    assert sidecar(course, "loops")["events"] == [
        "cell 26 (test_gradient_check_n) did not stop when interrupted; re-ran the notebook from a fresh kernel"]


def _robust_run(tmp_path, cells, sandbox=None, **traits):
    from autograder.plugins.robust_execute import RobustExecute

    nb = nbformat.v4.new_notebook(cells=cells)
    executor = RobustExecute(kernel_manager_class=SandboxedKernelManager,
                             config=Config({"SandboxedKernelManager": sandbox or {}}), **traits)
    nb, resources = executor.preprocess(nb, {"metadata": {"path": str(tmp_path)}})
    return nb, resources["autograder"]["events"]


SLEEP_THROUGH_INTERRUPTS = ("import time\nwhile True:\n    try:\n        time.sleep(10)\n"
                            "    except KeyboardInterrupt:\n        pass")


@needs_bwrap
@pytest.mark.slow
def test_notebook_time_limit(tmp_path):
    nb, events = _robust_run(tmp_path, [grade_cell("print('a')", "a"), new_code_cell("import time\ntime.sleep(30)"),
                                        grade_cell("print('b')", "b")], timeout=20, notebook_time_limit=4)
    assert stdout(nb.cells[0]) == "a\n"
    assert errors(nb.cells[1]) == [("CellTimeout", "this cell was interrupted when the notebook's time limit (4 s) "
                                                    "ran out")]
    assert errors(nb.cells[2]) == [("NotRun", "the notebook's time limit (4 s) ran out before this test could run")]
    assert events == ["the notebook's time limit (4 s) ran out at cell 3 (b); the tests after it did not run"]


@needs_bwrap
@pytest.mark.slow
def test_sandbox_kill_is_a_kernel_death_and_restarts_are_limited(tmp_path):
    # The sandbox kills the kernel at its wall-clock limit: a death; the fresh kernel re-ran cell 1.
    nb, events = _robust_run(tmp_path, [grade_cell("x = 1", "a"), new_code_cell(SLEEP_THROUGH_INTERRUPTS),
                                        grade_cell("print('b', x)", "b")], sandbox={"time_limit_s": 3}, timeout=20)
    assert errors(nb.cells[1]) == [("KernelDied", "the kernel died while running this cell (stopped at the "
                                                   "sandbox's time limit for one kernel, 3 s); grading went on in a "
                                                   "fresh kernel")]
    assert stdout(nb.cells[2]) == "b 1\n"
    assert events == ["kernel died in cell 2 ('import time') (stopped at the sandbox's time limit for one kernel, 3 s);"
                      " re-ran the notebook from a fresh kernel"]
    # Past max_kernel_restarts, the remaining tests are not run.
    crash = "import os\nos._exit(7)"
    nb, events = _robust_run(tmp_path, [grade_cell("x = 1", "a"), new_code_cell(crash), new_code_cell(crash),
                                        grade_cell("print(x)", "b")], timeout=20, max_kernel_restarts=1)
    died = "the kernel died while running this cell (exit code 7); "
    assert [errors(c) for c in nb.cells] == [
        [], [("KernelDied", died + "grading went on in a fresh kernel")],
        [("KernelDied", died + "the tests after it were not run")],
        [("NotRun", "the kernel failed 2 times (last in cell 3 ('import os')); the remaining tests were not run")]]
    assert events[-1] == "kernel died in cell 3 ('import os') (exit code 7); gave up after 2 kernel failures"
