"""Reaching for the grader or the course's files is flagged (autograder/plugins/flags.py)."""

import pytest

from autograder.plugins.flags import course_paths, static_flags
from tests.grading.helpers import sidecar


def test_static_flags():
    assert static_flags("import autograder.hidden.week1 as h\n") == (True, [])
    assert static_flags("x = __import__('autograder')") == (True, [])
    assert static_flags("open('../../../gradebook.db')\n%matplotlib inline") == (False, ["gradebook.db"])
    assert static_flags("import os\nos.listdir('/srv/course/source/week1')") == (False, ["source/"])
    assert static_flags("# reads ../../source? no: a comment\nprint('hello')") == (False, [])
    assert course_paths("../../bob/week1/gradient_checking.ipynb") == ["other students' folders (../../)"]
    assert course_paths("data/train.csv") == []


@pytest.mark.slow
def test_reaching_for_the_grader_is_flagged(crafted):
    course, _ = crafted
    assert sidecar(course, "broken")["flags"] == ["imports autograder", "opens course files: gradebook.db"]
    for student in ("restored", "crash", "loops"):
        assert sidecar(course, student)["flags"] == []
    page = (course / "feedback" / "broken" / "week1" / "gradient_checking.html").read_text()
    assert "<strong>Flagged</strong>: imports autograder." in page
    assert "<strong>Flagged</strong>: opens course files: gradebook.db." in page
