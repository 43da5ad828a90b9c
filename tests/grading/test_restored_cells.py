"""Deleted or tampered test cells are put back before grading (autograder/plugins/restore_cells.py)."""

import pytest

from autograder import notebooks as nbt
from autograder.coursedir import notebook_scores
from autograder.plugins.cells import grade_id, nbgrader_meta
from autograder.plugins.restore_cells import RESTORED_NOTE
from tests.grading.helpers import TESTS, errors, graded_nb, index_of, sidecar, stdout, graded_cells


@pytest.mark.slow
def test_deleted_and_tampered_test_cells_are_restored(crafted):
    course, _ = crafted
    assert notebook_scores(course, "week1")["restored"]["gradient_checking"] == (11.0, 11.0)
    notes = sidecar(course, "restored")
    notes.pop("verdicts", None)  # the hidden checks' verdicts (autograder/plugins/judge.py): all passed here
    assert notes == {"broken": None, "flags": [], "events": [],
                     "restored_cells": ["test_forward_propagation", "test_backward_propagation",
                                        "test_gradient_check"]}
    nb = graded_nb(course, "restored")
    tests = graded_cells(nb)
    assert list(tests) == TESTS  # all six, in the release's order, and no "bonus"
    for gid in notes["restored_cells"]:
        first = tests[gid].outputs[0]
        assert (first.output_type, first.name, first.text) == ("stream", "stdout", RESTORED_NOTE + "\n")
    assert RESTORED_NOTE not in stdout(tests["test_gradient_check_n"])
    # The deleted cell is back where the release has it: after the expected-output cell.
    release = nbt.read(course / "release" / "week1" / "gradient_checking.ipynb")
    position = next(i for i, c in enumerate(nb.cells) if c is tests["test_gradient_check"])
    assert nb.cells[position - 1].get("id") == release.cells[index_of(release, "test-gradient-check") - 1].id
    # Points and flags come from the gradebook, the hidden tests ran and passed.
    assert nbgrader_meta(tests["test_backward_propagation"])["points"] == 1
    assert errors(tests["test_backward_propagation"]) == []
    # stderr from the student's function: kept as text, no longer a failure.
    assert "[stderr] debug: forward\n" in stdout(tests["test_forward_propagation"])
    assert errors(tests["test_forward_propagation"]) == []
    assert not any(o.get("name") == "stderr" for c in tests.values() for o in c.outputs)
    assert not any(grade_id(c) == "bonus" for c in nb.cells)
