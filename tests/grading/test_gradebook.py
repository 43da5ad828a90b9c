"""What the gradebook gets from the crafted course: every grade automatic, and the same on a second run."""

import json
from pathlib import Path

import pytest

from autograder import notebooks as nbt
from autograder.commands.nbgrader_cli import run_nbgrader
from autograder.coursedir import gradebook
from autograder.plugins.sidecar import sidecar_file
from tests.grading.helpers import errors, grades, graded_cells


@pytest.mark.slow
def test_nothing_needs_manual_grading(crafted):
    course, _ = crafted
    with gradebook(course) as gb:
        every = [g for sub in gb.assignment_submissions("week1") for nb in sub.notebooks for g in nb.grades]
        assert len(every) == 4 * 16  # 4 students, 16 graded tests in week 1 (3 + 7 + 6)
        assert [(g.student.id, g.name) for g in every if g.needs_manual_grade or g.auto_score is None] == []


@pytest.mark.slow
def test_grading_again_gives_the_same_result(crafted):
    course, _ = crafted

    def snapshot():
        outcome = {}
        for path in sorted((course / "autograded").rglob("*.ipynb")):
            nb = nbt.read(path)
            outcome[str(path.relative_to(course))] = {
                "tests": {gid: errors(c) for gid, c in graded_cells(nb).items()},
                "sidecar": json.loads(Path(sidecar_file(path.parent, path.stem)).read_text())}
        return grades(course), outcome

    before = snapshot()
    run_nbgrader(course, "autograde", "week1", "--force")
    assert snapshot() == before
