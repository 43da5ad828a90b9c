"""Feedback shows each test's points and message, never the hidden tests (autograder/plugins/feedback.py)."""

import html
import re

import pytest

from autograder import notebooks as nbt
from autograder.plugins.feedback import hidden_lines, scrub_text
from autograder.plugins.restore_cells import RESTORED_NOTE
from tests.conftest import ROOT
from tests.grading.helpers import CELL_TIMEOUT


def test_scrub_removes_hidden_lines_and_grader_names():
    source = ("checks.check_f(f)\n### BEGIN HIDDEN TESTS\nimport autograder.hidden.week1 as hidden_week1\n"
              "hidden_week1.check_f(f)\n### END HIDDEN TESTS")
    secret = hidden_lines(source)
    assert "hidden_week1.check_f(f)" in secret
    text = ("ok\n----> 4 hidden_week1.check_f(f)\n  File <hidden autograder.hidden.week1>:12\n"
            "/srv/course/autograder/hidden/common.py:3: RuntimeWarning\n")
    assert scrub_text(text, secret) == "ok\n  File <grader>:12\n<grader file>:3: RuntimeWarning\n"


def _page_text(path):
    page = path.read_text()
    page = re.sub(r"<style.*?</style>", "", page, flags=re.S)  # Pygments' CSS names a "Generic.Traceback"
    return html.unescape(page)


def _hidden_sources():
    """Lines of every hidden-test block and of the grader's hidden checks and reference."""
    lines = set()
    for path in (ROOT / "source" / "week1").glob("*.ipynb"):
        for cell in nbt.read(path).cells:
            lines |= hidden_lines(cell.source)
    for path in (ROOT / "autograder" / "hidden").rglob("*.py"):
        lines |= {line.strip() for line in path.read_text().splitlines()
                  if len(line.strip()) >= 30 and not line.strip().startswith(("#", '"""', "- "))}
    return lines


@pytest.mark.slow
def test_feedback_shows_points_and_messages_but_no_hidden_tests(crafted):
    course, _ = crafted
    pages = sorted((course / "feedback").rglob("*.html"))
    assert len(pages) == 5
    forbidden = ["BEGIN HIDDEN", "hidden_week1", "autograder/", "autograder.hidden", "autograder.reference",
                 "Traceback", "<hidden"]
    secret = _hidden_sources()
    for page in pages:
        text = _page_text(page)
        assert [s for s in forbidden if s in text] == [], page
        assert [s for s in secret if s in text] == [], page

    def page(student, name="gradient_checking"):
        return _page_text(course / "feedback" / student / "week1" / f"{name}.html")

    def points(text):
        return dict(re.findall(r'href="#(test_\w+)">Test cell</a> \(Score: ([\d.]+ / [\d.]+)\)', text))

    crash = page("crash")
    assert points(crash) == {"test_forward_propagation": "1.0 / 1.0", "test_backward_propagation": "0.0 / 1.0",
                             "test_gradient_check": "0.0 / 2.0", "test_gradient_check_n": "3.0 / 3.0",
                             "test_backward_propagation_n": "2.0 / 2.0",
                             "test_backward_propagation_with_regularization": "2.0 / 2.0"}
    assert "AssertionError: backward_propagation: backward_propagation(x=3, theta=4) is off" in crash
    assert "KernelDied: the kernel died while running this cell (exit code 3)" in crash
    assert "<strong>Note</strong>: kernel died in cell 20 (test_gradient_check) (exit code 3)" in crash
    assert "checks.check_gradient_check(gradient_check)" in re.sub(r"<[^>]+>", "", crash)  # the visible part
    loops = page("loops")
    assert f"CellTimeout: this cell ran longer than the per-cell limit ({CELL_TIMEOUT} s)" in loops
    broken = page("broken", "initialization")
    assert points(broken) == {"test_initialize_parameters_zeros": "0.0 / 1.0",
                              "test_initialize_parameters_random": "0.0 / 1.0",
                              "test_initialize_parameters_he": "0.0 / 2.0"}
    assert "BrokenSubmission: the file is not valid JSON" in broken
    assert "<strong>This notebook could not be read</strong>: the file is not valid JSON" in broken
    restored = page("restored")
    assert RESTORED_NOTE in restored and "<strong>Restored test cells</strong>" in restored
    # The grader's notes stay with the autograded notebooks.
    assert not list((course / "feedback").rglob("*.autograder.json"))
