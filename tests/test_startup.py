"""What every grading and validating process pays before it does anything: its imports.

Each nbgrader command, each grading worker and each `nbgrader validate` a student runs
imports nbformat, which imports jsonschema's format checkers. From jsonschema 4.25 on,
those import rfc3987-syntax, which compiles ~35 Earley parsers at import time (3 s on
a slow machine, 0.4 s for nbformat without it); requirements.txt keeps jsonschema
below 4.25. A new gradebook made by nbgrader's Gradebook asks `alembic heads` in a
subprocess; the grade command's template gradebook does not.
"""

import os
import subprocess
import sys

from autograder.commands.gradebook_sync import template_gradebook
from autograder.coursedir import gradebook


def test_nbformat_does_not_load_the_slow_iri_parsers():
    code = "import sys, nbformat, nbgrader.api; print('rfc3987_syntax' in sys.modules, 'lark' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"], (
        "importing nbformat loads rfc3987_syntax (jsonschema >= 4.25): every nbgrader process starts seconds "
        "later; keep jsonschema<4.25 in requirements.txt")


def test_template_gradebook_runs_no_alembic(tmp_path, monkeypatch):
    """The template holds the assignment and the course gradebook's schema revision, made without a subprocess."""
    import sqlite3

    from nbgrader.api import Gradebook
    from sqlalchemy import text

    monkeypatch.setenv("PATH", os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    with Gradebook(f"sqlite:///{tmp_path / 'course.db'}", "c") as gb:  # this one runs `alembic heads`
        gb.add_assignment("a")
        gb.add_notebook("nb", "a")
        gb.add_grade_cell("test_x", "nb", "a", max_score=2, cell_type="code")
        gb.add_solution_cell("x", "nb", "a")
        head = gb.db.execute(text("SELECT version_num FROM alembic_version")).scalar_one()

    def no_subprocess(*args, **kwargs):
        raise AssertionError(f"a subprocess was started: {args}")

    monkeypatch.setattr(subprocess, "check_output", no_subprocess)
    monkeypatch.setattr(subprocess, "check_call", no_subprocess)
    data = template_gradebook(f"sqlite:///{tmp_path / 'course.db'}", "a", "c")
    (tmp_path / "template.db").write_bytes(data)
    con = sqlite3.connect(tmp_path / "template.db")
    try:
        assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [(head,)]
    finally:
        con.close()
    with gradebook(f"sqlite:///{tmp_path / 'template.db'}") as gb:
        nb = gb.find_notebook("nb", "a")
        assert [(c.name, c.max_score) for c in nb.grade_cells] == [("test_x", 2)]
        assert [c.name for c in nb.solution_cells] == ["x"]
