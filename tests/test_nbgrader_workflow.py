"""The real nbgrader end to end: generate, hand in three students, autograde, feedback, export."""

import csv

import pytest

from autograder.demo import grade_samples, make_course
from autograder.samples import SAMPLES

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = make_course(tmp_path_factory.mktemp("course"), ["week1"])
    results = grade_samples(course, {"week1": SAMPLES["week1"]})
    return course, results["week1"]


def _total(scores):
    return sum(s for s, _ in scores.values()), sum(m for _, m in scores.values())


def test_perfect_student_gets_full_marks(graded):
    _, results = graded
    score, max_score = _total(results["perfect"])
    assert max_score == 22
    assert score == max_score, results["perfect"]


def test_one_mistake_loses_exactly_that_test(graded):
    _, results = graded
    scores = results["one-mistake"]
    assert scores["initialization"] == (2.0, 4.0)  # he (2 points) lost
    assert scores["regularization"] == (11.0, 11.0)
    assert scores["gradient_checking"] == (7.0, 7.0)


def test_untouched_release_scores_zero(graded):
    _, results = graded
    assert _total(results["untouched"]) == (0, 22)


def test_export_and_feedback(graded):
    course, _ = graded
    with open(course / "grades.csv") as f:
        rows = {r["student_id"]: r for r in csv.DictReader(f)}
    assert {k: float(v["score"]) for k, v in rows.items()} == {"perfect": 22.0, "one-mistake": 20.0, "untouched": 0.0}
    for student in ("perfect", "one-mistake", "untouched"):
        pages = sorted((course / "feedback" / student / "week1").glob("*.html"))
        assert [p.stem for p in pages] == ["gradient_checking", "initialization", "regularization"]
    page = (course / "feedback" / "one-mistake" / "week1" / "initialization.html").read_text()
    assert "initialize_parameters_he" in page and "sqrt(2" in page
