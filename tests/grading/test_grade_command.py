"""`python -m autograder grade` and `export`: parallel (a local Dask cluster), resumable, consistent gradebook.

A tiny throwaway assignment (one notebook, two tests) keeps these fast: the
point is many tasks graded at once and their results written to one SQLite gradebook.
"""

import csv
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from autograder import notebooks as nbt
from autograder.commands.nbgrader_cli import nbgrader_env, run_nbgrader
from autograder.coursedir import make_course
from autograder.plugins.sidecar import sidecar_file

pytestmark = pytest.mark.slow

SOLUTION = "def add(a, b):\n    ### BEGIN SOLUTION\n    return a + b\n    ### END SOLUTION\n"
# The three kinds of student: right (3 points), wrong on negatives (2), wrong (0).
ANSWERS = {3: "def add(a, b):\n    return a + b\n",
           2: "def add(a, b):\n    return abs(a) + abs(b)\n",
           0: "def add(a, b):\n    return a - b\n"}
STUDENTS = {f"s{i}": [3, 2, 0][i % 3] for i in range(8)}


def _meta(grade_id, solution=False, grade=False, points=None):
    meta = {"grade": grade, "grade_id": grade_id, "locked": not solution, "schema_version": 3,
            "solution": solution}
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def tiny_notebook():
    cells = [nbformat.v4.new_markdown_cell("Write `add(a, b)`."),
             nbformat.v4.new_code_cell(SOLUTION, metadata=_meta("add", solution=True)),
             nbformat.v4.new_code_cell("assert add(1, 2) == 3", metadata=_meta("test_add", grade=True, points=2)),
             nbformat.v4.new_code_cell("assert add(-1, -2) == -3, 'add(-1, -2) should be -3'",
                                       metadata=_meta("test_add_negative", grade=True, points=1))]
    nb = nbformat.v4.new_notebook(cells=cells, metadata=nbt.NOTEBOOK_METADATA)
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i}"
    return nb


def tiny_course(path, students=STUDENTS):
    """A course with assignment `tiny` (3 points) and one submission per student."""
    course = make_course(path, [])
    (course / "source" / "tiny").mkdir(parents=True)
    nbt.write(tiny_notebook(), course / "source" / "tiny" / "add.ipynb")
    run_nbgrader(course, "generate_assignment", "tiny", "--force")
    for student, score in students.items():
        nb = nbt.read(course / "release" / "tiny" / "add.ipynb")
        for cell in nb.cells:
            if nbt.is_solution(cell):
                cell.source = ANSWERS[score]
        out = course / "submitted" / student / "tiny"
        out.mkdir(parents=True)
        nbt.write(nb, out / "add.ipynb")
    return course


def grade_cli(course, *args):
    return subprocess.run([sys.executable, "-m", "autograder", "grade", "tiny", "--course", str(course), *args],
                          env=nbgrader_env(), text=True, capture_output=True, timeout=600)


def gradebook_rows(course):
    """Everything the consistency check needs, straight from SQLite."""
    con = sqlite3.connect(course / "gradebook.db")
    try:
        integrity = con.execute("PRAGMA integrity_check").fetchall()
        rows = con.execute(
            "SELECT student.id, base_cell.name, grade.auto_score, grade.needs_manual_grade "
            "FROM grade JOIN base_cell ON grade.cell_id = base_cell.id "
            "JOIN submitted_notebook ON grade.notebook_id = submitted_notebook.id "
            "JOIN submitted_assignment ON submitted_notebook.assignment_id = submitted_assignment.id "
            "JOIN student ON submitted_assignment.student_id = student.id").fetchall()
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("student", "submitted_assignment", "submitted_notebook", "grade")}
    finally:
        con.close()
    return integrity, rows, counts


def expected_rows(students=STUDENTS):
    rows = []
    for student, score in students.items():
        rows.append((student, "test_add", 2.0 if score >= 2 else 0.0, 0))
        rows.append((student, "test_add_negative", 1.0 if score == 3 else 0.0, 0))
    return sorted(rows)


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    return tiny_course(tmp_path_factory.mktemp("tiny"))


def test_parallel_grading_keeps_the_gradebook_consistent(course):
    """8 students, 4 workers, twice (the second time --force: every row is rewritten concurrently)."""
    for args in ([], ["--force"]):
        proc = grade_cli(course, "--workers", "4", *args)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert "8 graded, 0 already graded (skipped), 0 failed" in proc.stdout, proc.stdout
        integrity, rows, counts = gradebook_rows(course)
        assert integrity == [("ok",)]
        assert sorted(rows) == expected_rows()  # every grade once, with its score, none left for a person
        assert counts == {"student": 8, "submitted_assignment": 8, "submitted_notebook": 8, "grade": 16}
    # no TTY: one progress line per student (tqdm's format), with the counts and the ETA
    lines = [line for line in proc.stderr.splitlines() if line.startswith("grading tiny [")]
    assert len(lines) == 8 and "\r" not in proc.stderr, proc.stderr
    assert "8/8 100%" in lines[-1] and "ETA 00:00, 8 graded, 0 failed" in lines[-1], proc.stderr
    for student in STUDENTS:
        assert (course / "feedback" / student / "tiny" / "add.html").exists()


def test_resume_skips_graded_students_and_regrades_the_rest(course):
    (course / "autograded" / "s1" / "tiny" / "add.ipynb").unlink()
    proc = grade_cli(course, "--workers", "2")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "1 graded, 7 already graded (skipped), 0 failed" in proc.stdout, proc.stdout
    assert sorted(gradebook_rows(course)[1]) == expected_rows()


def test_export_per_test_and_per_student(course):
    with open(course / "grades_by_test.csv") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 16
    by_key = {(r["student"], r["test"]): r for r in rows}
    assert by_key["s0", "test_add"] == {
        "student": "s0", "assignment": "tiny", "notebook": "add", "test": "test_add", "points": "2",
        "max_points": "2", "status": "ok", "reason": "", "tag": "", "flags": ""}
    assert by_key["s1", "test_add_negative"]["status"] == "failed"
    assert by_key["s1", "test_add_negative"]["reason"] == "AssertionError: add(-1, -2) should be -3"
    assert by_key["s2", "test_add"]["reason"] == "AssertionError"
    with open(course / "grades_by_student.csv") as f:
        students = {r["student"]: r for r in csv.DictReader(f)}
    assert {s: (r["score"], r["max_score"], r["status"]) for s, r in students.items()} == {
        s: (str(score), "3", "ok") for s, score in STUDENTS.items()}


def test_export_marks_flagged_notebooks(course, tmp_path):
    """The export reads the grader's notes next to the autograded notebook (autograder/plugins/sidecar.py)."""
    notes = Path(sidecar_file(course / "autograded" / "s0" / "tiny", "add"))
    notes.write_text(json.dumps({"broken": None, "flags": ["imports autograder"], "restored_cells": [],
                                 "events": []}))
    try:
        proc = subprocess.run([sys.executable, "-m", "autograder", "export", "tiny", "--course", str(course),
                               "-o", str(tmp_path / "t.csv"), "--students", str(tmp_path / "s.csv")],
                              env=nbgrader_env(), text=True, capture_output=True, timeout=120)
    finally:
        notes.unlink()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    with open(tmp_path / "t.csv") as f:
        rows = {(r["student"], r["test"]): r for r in csv.DictReader(f)}
    assert (rows["s0", "test_add"]["status"], rows["s0", "test_add"]["flags"]) == ("flagged", "imports autograder")
    assert (rows["s3", "test_add"]["status"], rows["s3", "test_add"]["flags"]) == ("ok", "")
    with open(tmp_path / "s.csv") as f:
        students = {r["student"]: r for r in csv.DictReader(f)}
    assert students["s0"]["status"] == "flagged: add (imports autograder)"
    assert students["s3"]["status"] == "ok"


def test_a_student_that_cannot_be_graded_is_retried_then_reported(course):
    bad = course / "submitted" / "bad" / "tiny"
    bad.mkdir(parents=True)
    shutil.copy(course / "submitted" / "s0" / "tiny" / "add.ipynb", bad / "add.ipynb")
    # nbgrader refuses a timestamp it cannot parse: autograde fails for this student only
    (bad / "timestamp.txt").write_text("not a time\n")
    proc = grade_cli(course, "--workers", "2")
    assert proc.returncode == 1
    assert "0 graded, 8 already graded (skipped), 1 failed" in proc.stdout, proc.stdout
    assert "FAILED bad (after 2 attempts): " in proc.stdout, proc.stdout
    assert "get_existing_timestamp" in (course / "grade-tiny.log").read_text()  # nbgrader reading timestamp.txt
    with open(course / "grades_by_student.csv") as f:
        students = {r["student"]: r for r in csv.DictReader(f)}
    assert (students["s0"]["score"], students["s0"]["status"]) == ("3", "ok")
    assert (students["bad"]["score"], students["bad"]["status"]) == ("", "not graded")
    assert sorted(gradebook_rows(course)[1]) == expected_rows()
