"""The course's gradebook and the grading tasks' private ones, through nbgrader's own API.

- `template_gradebook(url, assignment, course_id)`: the bytes of a fresh SQLite
  gradebook holding only the assignment as the course's gradebook has it (due
  date, notebooks, grade / solution / task / source cells). A grading task
  autogrades into a copy of it (autograder/commands/grading_task.py).
- `write_scores(url, assignment, student, scores)`: a task's scores into the
  course's gradebook (SQLite or PostgreSQL): the submission with its timestamp,
  then every grade's auto_score and needs_manual_grade, every comment's
  auto_comment and each notebook's late penalty, as nbgrader's SaveAutoGrades
  and AssignLatePenalties would have written them. nbgrader's
  update_or_create_* keep one row per student, notebook and cell, so writing
  the same result twice changes nothing: a retried task can neither lose nor
  double a score. Manual scores are left alone.
- `GradebookWriter`: one open Gradebook for a run, reopened and the write
  repeated when the database connection fails (a PostgreSQL restart), for up to
  `patience` seconds.
"""

import os
import tempfile
import time

from autograder.coursedir import gradebook


def _empty_gradebook(path, version):
    """A new SQLite gradebook at path: nbgrader's tables, stamped with the alembic revision `version`.

    nbgrader's Gradebook, given a new database, asks the revision of `alembic heads` in a
    subprocess that imports nbgrader (seconds); the course's gradebook already knows it."""
    from nbgrader.api import Base
    from sqlalchemy import create_engine, text

    engine = create_engine(f"sqlite:///{path}")
    try:
        Base.metadata.create_all(engine)
        with engine.begin() as con:
            con.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
            con.execute(text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": version})
    finally:
        engine.dispose()


def template_gradebook(url, assignment, course_id):
    """Bytes of an SQLite gradebook with only the assignment (see the module docstring)."""
    from nbgrader.api import Gradebook
    from sqlalchemy import text

    fd, path = tempfile.mkstemp(prefix="autograder-template-", suffix=".db")
    os.close(fd)
    try:
        with gradebook(url) as src:
            _empty_gradebook(path, src.db.execute(text("SELECT version_num FROM alembic_version")).scalar_one())
            with Gradebook(f"sqlite:///{path}", course_id) as dst:
                a = src.find_assignment(assignment)
                dst.add_assignment(assignment, duedate=a.duedate)
                for nb in a.notebooks:
                    dst.add_notebook(nb.name, assignment, kernelspec=nb.kernelspec)
                    for c in nb.grade_cells:
                        dst.add_grade_cell(c.name, nb.name, assignment, max_score=c.max_score,
                                           cell_type=c.cell_type)
                    for c in nb.solution_cells:
                        dst.add_solution_cell(c.name, nb.name, assignment)
                    for c in nb.task_cells:
                        dst.add_task_cell(c.name, nb.name, assignment, max_score=c.max_score,
                                          cell_type=c.cell_type)
                    for c in nb.source_cells:
                        dst.add_source_cell(c.name, nb.name, assignment, cell_type=c.cell_type,
                                            locked=c.locked, source=c.source, checksum=c.checksum)
        with open(path, "rb") as f:
            return f.read()
    finally:
        if os.path.exists(path):
            os.unlink(path)


class ScoresMismatch(Exception):
    """The task's gradebook and the course's disagree on the assignment's cells."""


def _write(gb, assignment, student, scores):
    import warnings

    from sqlalchemy.exc import SAWarning

    gb.update_or_create_student(student)
    kw = {"timestamp": scores["timestamp"]} if scores.get("timestamp") else {}
    with warnings.catch_warnings():  # nbgrader's add_submission: "Object ... not in session" (harmless)
        warnings.simplefilter("ignore", SAWarning)
        sub = gb.update_or_create_submission(assignment, student, **kw)
    for nb in sub.notebooks:
        data = scores["notebooks"].get(nb.name)
        if data is None:
            raise ScoresMismatch(f"no scores for notebook {nb.name}")
        nb.late_submission_penalty = data["late_penalty"]
        for g in nb.grades:
            if g.name not in data["grades"]:
                raise ScoresMismatch(f"no score for {nb.name}/{g.name}: was the assignment generated again?")
            g.auto_score, g.needs_manual_grade = data["grades"][g.name]
        for c in nb.comments:
            c.auto_comment = data["comments"].get(c.name)
    gb.db.commit()


def _is_connection_error(exc):
    """An unreachable database, also when nbgrader re-raised it as its own InvalidEntry."""
    from sqlalchemy.exc import DBAPIError, OperationalError

    while exc is not None:
        if isinstance(exc, OperationalError) or (isinstance(exc, DBAPIError) and exc.connection_invalidated):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


class GradebookWriter:
    """The one writer of the course's gradebook during a run (see the module docstring)."""

    def __init__(self, url, patience=300.0, on_wait=None):
        self.url, self.patience, self.on_wait = url, patience, on_wait
        self.gb = None
        self.reconnects = 0

    def write(self, assignment, student, scores):
        deadline = time.monotonic() + self.patience
        delay = 0.5
        while True:
            try:
                if self.gb is None:
                    self.gb = gradebook(self.url)
                _write(self.gb, assignment, student, scores)
                return
            except Exception as exc:
                self.close()
                if not _is_connection_error(exc) or time.monotonic() > deadline:
                    raise
                self.reconnects += 1
                if self.on_wait:
                    self.on_wait(f"gradebook unreachable ({type(exc).__name__}); retrying in {delay:.0f} s")
                time.sleep(delay)
                delay = min(delay * 2, 10.0)

    def close(self):
        if self.gb is not None:
            try:
                self.gb.db.rollback()
                self.gb.close()
            except Exception:  # a dead connection cannot be closed politely
                pass
            self.gb = None
