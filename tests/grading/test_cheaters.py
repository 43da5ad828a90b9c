"""Cheating students graded by the real `nbgrader autograde` with the project's config and sandbox.

Each cheater (tests/grading/cheaters.py) wrote no correct initializer; each must
score 0 on the initialization notebook, and the verdict must come from the judge.
An honest student graded beside them keeps full marks.
"""

import json

import pytest

from autograder.commands.samples import hand_in
from autograder.coursedir import make_course, notebook_scores
from autograder.commands.nbgrader_cli import run_nbgrader
from tests.grading.cheaters import CHEATERS

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = make_course(tmp_path_factory.mktemp("cheaters"), ["week1"])
    run_nbgrader(course, "generate_assignment", "week1", "--force")
    for student, recipe in CHEATERS.items():
        hand_in(course, "week1", student, recipe)
    hand_in(course, "week1", "honest", {"answers": {}})
    run_nbgrader(course, "autograde", "week1", "--notebook", "initialization", check=False)
    return course, notebook_scores(course, "week1")


@pytest.mark.parametrize("student", sorted(CHEATERS))
def test_cheater_scores_zero(graded, student):
    course, scores = graded
    assert scores[student]["initialization"] == (0.0, 4.0), f"{student} took points: {scores[student]}"


@pytest.mark.parametrize("student", sorted(CHEATERS))
def test_cheaters_verdicts_come_from_the_judge(graded, student):
    course, _ = graded
    sidecar = course / "autograded" / student / "week1" / "initialization.autograder.json"
    verdicts = json.loads(sidecar.read_text())["verdicts"]
    assert set(verdicts) == {"test_initialize_parameters_zeros", "test_initialize_parameters_random",
                             "test_initialize_parameters_he"}
    for gid, results in verdicts.items():
        assert results and not any(r["passed"] for r in results), f"{student} {gid}: {results}"
        assert all(r["tag"] for r in results)


def test_honest_student_keeps_full_marks(graded):
    _, scores = graded
    assert scores["honest"]["initialization"] == (4.0, 4.0)
