"""The real nbgrader end to end on the bundled samples, through `python -m autograder grade`.

Week 1 and week 2: the demo class of autograder/commands/samples.py (week 1: perfect, one
mistake, untouched, endless loop, kernel crash, deleted test cell, corrupted file, and three
common mistakes), generated, handed in and graded with 2 workers in sandboxed kernels once
per session (the `graded_demo_class` fixture of tests/conftest.py, shared with the mistake
report's tests); then the gradebook's scores per notebook, the two CSV files and the
feedback pages. Week 3: its samples, graded here.
"""

import csv
import re
import subprocess
import sys

import pytest

from autograder.commands.nbgrader_cli import nbgrader_env, run_nbgrader
from autograder.commands.samples import SAMPLES, hand_in
from autograder.coursedir import make_course, notebook_scores

pytestmark = pytest.mark.slow

NOTEBOOKS = ("gradient_checking", "initialization", "regularization")
FULL = {"gradient_checking": (11.0, 11.0), "initialization": (4.0, 4.0), "regularization": (12.0, 12.0)}
EXPECTED = {
    "perfect": FULL,
    "one-mistake": {**FULL, "initialization": (2.0, 4.0)},      # He with sqrt(1/n): that test only
    "untouched": {nb: (0.0, m) for nb, (_, m) in FULL.items()},
    "infinite-loop": {**FULL, "initialization": (2.0, 4.0)},    # the He test hits the per-cell limit
    "kernel-crash": FULL,                                       # os._exit(1): fresh kernel, replay, go on
    "deleted-test-cell": FULL,                                  # the test cell is restored and run
    "corrupted": {**FULL, "gradient_checking": (0.0, 11.0)},     # that file only, marked broken
    # the common mistakes: each costs its own test cells
    "dropout-no-rescale": {**FULL, "regularization": (9.0, 12.0)},               # dropout forward: 3
    "one-sided-check": {**FULL, "gradient_checking": (6.0, 11.0)},               # gradient_check(_n): 2 + 3
    "l2-and-he": {**FULL, "initialization": (2.0, 4.0), "regularization": (10.0, 12.0)},  # He 2, L2 cost 2
}
LOST = {("one-mistake", "initialization", "test_initialize_parameters_he"),
        ("infinite-loop", "initialization", "test_initialize_parameters_he"),
        ("dropout-no-rescale", "regularization", "test_forward_propagation_with_dropout"),
        ("one-sided-check", "gradient_checking", "test_gradient_check"),
        ("one-sided-check", "gradient_checking", "test_gradient_check_n"),
        ("l2-and-he", "initialization", "test_initialize_parameters_he"),
        ("l2-and-he", "regularization", "test_compute_cost_with_regularization")}


@pytest.fixture(scope="module")
def graded(graded_demo_class):
    course, proc = graded_demo_class("week1")
    with open(course / "grades_by_test.csv") as f:
        by_test = {(r["student"], r["notebook"], r["test"]): r for r in csv.DictReader(f)}
    with open(course / "grades_by_student.csv") as f:
        by_student = {r["student"]: r for r in csv.DictReader(f)}
    return course, proc, notebook_scores(course, "week1"), by_test, by_student


def test_every_sample_is_graded(graded):
    _, proc, scores, _, _ = graded
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "10 submission(s): 10 graded, 0 already graded (skipped), 0 failed" in proc.stdout
    assert set(scores) == set(EXPECTED)


@pytest.mark.parametrize("student", list(EXPECTED))
def test_scores_per_notebook(graded, student):
    _, _, scores, _, _ = graded
    assert scores[student] == EXPECTED[student]


def test_per_student_csv(graded):
    _, _, _, _, by_student = graded
    assert {s: (r["score"], r["max_score"]) for s, r in by_student.items()} == {
        s: (f"{sum(v for v, _ in nbs.values()):g}", "27") for s, nbs in EXPECTED.items()}
    statuses = {s: r["status"] for s, r in by_student.items()}
    assert statuses == {**{s: "ok" for s in EXPECTED}, "corrupted": "broken: gradient_checking"}
    assert by_student["deleted-test-cell"]["notes"] == (
        "regularization: restored test cells test_compute_cost_with_regularization")
    assert re.fullmatch(r"initialization: kernel died in cell \d+( \(.*\))? \(exit code 1\); "
                        r"re-ran the notebook from a fresh kernel", by_student["kernel-crash"]["notes"])


def test_per_test_csv_gives_the_reasons(graded):
    _, _, _, by_test, _ = graded
    assert len(by_test) == len(EXPECTED) * 16  # 16 graded tests in week 1
    below_max = {k: (r["points"], r["status"]) for k, r in by_test.items() if r["points"] != r["max_points"]}
    assert {k for k in below_max if k[0] not in ("untouched", "corrupted")} == LOST

    row = by_test["one-mistake", "initialization", "test_initialize_parameters_he"]
    assert (row["points"], row["max_points"], row["status"]) == ("0", "2", "failed")
    assert row["reason"].startswith("AssertionError: initialize_parameters_he: the weights are off by a factor")
    assert "sqrt(2/n_prev)" in row["reason"]
    assert row["tag"] == "he.scale_sqrt_1_over_n"   # the judge's mistake tag, its own column

    row = by_test["infinite-loop", "initialization", "test_initialize_parameters_he"]
    assert (row["points"], row["status"], row["reason"]) == (
        "0", "timeout", "CellTimeout: this cell ran longer than the per-cell limit (30 s) and was interrupted")

    for test in ("test_forward_propagation", "test_backward_propagation", "test_gradient_check",
                 "test_gradient_check_n", "test_backward_propagation_n",
                 "test_backward_propagation_with_regularization"):
        row = by_test["corrupted", "gradient_checking", test]
        assert (row["points"], row["status"]) == ("0", "broken")
        assert re.fullmatch(r"the file is not valid JSON \(line \d+: .*\): graded as 0; "
                            r"the original is kept as gradient_checking\.ipynb\.broken", row["reason"]), row
    assert all(by_test["corrupted", nb, t]["status"] == "ok" for (s, nb, t) in by_test
               if s == "corrupted" and nb != "gradient_checking")

    row = by_test["deleted-test-cell", "regularization", "test_compute_cost_with_regularization"]
    assert (row["points"], row["status"], row["reason"]) == ("2", "ok", "test cell restored from the gradebook")

    # Untouched: every stub raises NotImplementedError; backward_propagation_n is given code with two planted
    # bugs (its `### RELEASE:` lines), so its test fails with the check's diagnosis of those two gradients.
    untouched = {k: r for k, r in by_test.items() if k[0] == "untouched"}
    given = ("untouched", "gradient_checking", "test_backward_propagation_n")
    assert {(r["points"], r["status"], r["reason"]) for k, r in untouched.items() if k != given} == {
        ("0", "failed", "NotImplementedError")}
    row = untouched[given]
    assert (row["points"], row["status"]) == ("0", "failed")
    assert row["reason"].startswith("AssertionError: backward_propagation_n: on the notebook's example these "
                                    "gradients are still wrong: "), row
    assert "db1 (difference " in row["reason"] and "4 times the true gradient" in row["reason"], row
    assert "dW2 (difference " in row["reason"] and "2 times the true gradient" in row["reason"], row
    assert row["tag"] == "backward_n.planted_bugs", row   # the judge: both planted bugs still there


def test_feedback_for_every_notebook(graded):
    course = graded[0]
    for student in EXPECTED:
        pages = sorted((course / "feedback" / student / "week1").glob("*.html"))
        assert [p.stem for p in pages] == list(NOTEBOOKS), student
    page = (course / "feedback" / "one-mistake" / "week1" / "initialization.html").read_text()
    assert "initialize_parameters_he" in page and "sqrt(2/n_prev)" in page
    page = (course / "feedback" / "infinite-loop" / "week1" / "initialization.html").read_text()
    assert "CellTimeout" in page


def test_grading_again_skips_everyone(graded):
    course = graded[0]
    proc = subprocess.run([sys.executable, "-m", "autograder", "grade", "week1"], cwd=course, env=nbgrader_env(),
                          text=True, capture_output=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "10 submission(s): 0 graded, 10 already graded (skipped), 0 failed" in proc.stdout
    assert notebook_scores(course, "week1") == EXPECTED


# ---------------------------------------------------------------- week 2

WEEK2_EXPECTED = {
    "perfect": {"optimization": (13.0, 13.0)},
    "original-course-style": {"optimization": (13.0, 13.0)},   # the original's shuffle and batching pass
    "no-bias-correction": {"optimization": (11.0, 13.0)},      # the Adam test only (2 points)
    "untouched": {"optimization": (0.0, 13.0)},
    "rmsprop-no-square": {"optimization": (12.0, 13.0)},       # the RMSprop test (1 point)
    "adam-beta1-for-s": {"optimization": (11.0, 13.0)},        # the Adam test
    "decay-and-adam": {"optimization": (10.0, 13.0)},          # update_lr (1) and Adam (2)
}
WEEK2_LOST = {("no-bias-correction", "test_update_parameters_with_adam"),
              ("rmsprop-no-square", "test_update_parameters_with_rmsprop"),
              ("adam-beta1-for-s", "test_update_parameters_with_adam"),
              ("decay-and-adam", "test_update_lr"), ("decay-and-adam", "test_update_parameters_with_adam")}


@pytest.fixture(scope="module")
def graded_week2(graded_demo_class):
    course, proc = graded_demo_class("week2")
    with open(course / "grades_by_test.csv") as f:
        by_test = {(r["student"], r["test"]): r for r in csv.DictReader(f)}
    return proc, notebook_scores(course, "week2"), by_test


def test_week2_samples_score_as_expected(graded_week2):
    proc, scores, by_test = graded_week2
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "7 submission(s): 7 graded, 0 already graded (skipped), 0 failed" in proc.stdout
    assert scores == WEEK2_EXPECTED
    lost = {k for k, r in by_test.items() if r["points"] != r["max_points"] and k[0] != "untouched"}
    assert lost == WEEK2_LOST
    row = by_test["no-bias-correction", "test_update_parameters_with_adam"]
    assert row["tag"] == "adam.no_bias_correction", row
    # the reason is the cell's first error, the visible check's; the tag is the judge's
    assert "v_corrected" in row["reason"] and "v / (1 - beta1^t)" in row["reason"], row
    assert {r["reason"] for k, r in by_test.items() if k[0] == "untouched"} == {"NotImplementedError"}


# ---------------------------------------------------------------- week 3

WEEK3_EXPECTED = {
    "perfect": {"batchnorm": (12.0, 12.0), "frameworks": (5.0, 5.0)},
    "unbiased-variance": {"batchnorm": (9.0, 12.0), "frameworks": (5.0, 5.0)},   # batchnorm_forward (3 points)
    "linear-scale": {"batchnorm": (11.0, 12.0), "frameworks": (5.0, 5.0)},        # sample_learning_rates (1)
    "numpy-in-jax": {"batchnorm": (12.0, 12.0), "frameworks": (3.0, 5.0)},        # forward_propagation (2)
    "untouched": {"batchnorm": (0.0, 12.0), "frameworks": (0.0, 5.0)},
}
WEEK3_TAGS = {("unbiased-variance", "test_batchnorm_forward"): "bn.unbiased_variance",
              ("linear-scale", "test_sample_learning_rates"): "hp.lr_linear_scale",
              ("numpy-in-jax", "test_forward_propagation"): "jax.not_traceable"}


def test_week3_samples_score_as_expected(tmp_path):
    """Week 3 in the sandbox: JAX imports, jit-compiles and grades; each mistake costs its test only."""
    course = make_course(tmp_path / "course3", ["week3"])
    run_nbgrader(course, "generate_assignment", "week3", "--force")
    for student, recipe in SAMPLES["week3"].items():
        hand_in(course, "week3", student, recipe)
    proc = subprocess.run([sys.executable, "-m", "autograder", "grade", "week3", "--workers", "2", "--no-feedback"],
                          cwd=course, env=nbgrader_env(), text=True, capture_output=True, timeout=900)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert notebook_scores(course, "week3") == WEEK3_EXPECTED
    with open(course / "grades_by_test.csv") as f:
        by_test = {(r["student"], r["test"]): r for r in csv.DictReader(f)}
    lost = {k: r["tag"] for k, r in by_test.items() if r["points"] != r["max_points"] and k[0] != "untouched"}
    assert lost == WEEK3_TAGS
