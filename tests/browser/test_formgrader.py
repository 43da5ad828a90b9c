"""nbgrader's formgrader, as an instructor opens it in JupyterLab, shows a class graded here.

A small class (week 1's gradient_checking, the quickest notebook, from two demo students)
is graded by the real `nbgrader autograde`, once into the default SQLite gradebook and once
into a PostgreSQL server's (tests/grading/postgres.py, named by `c.CourseDirectory.db_url`
in the course's nbgrader_config.py, as an instructor of a cluster sets it); JupyterLab
runs in that course with the formgrader server extension on, and headless Chromium reads
its pages: Manage Students (each student's total), the week's gradebook (the notebook's
average) and Manage Assignments (the exchange works: no warning, a Release button).
"""

import os
import re

import pytest

from autograder.commands.nbgrader_cli import run_nbgrader
from autograder.commands.samples import demo_class, hand_in
from autograder.coursedir import make_course
from autograder.plugins.sandbox import sandbox_available
from tests.grading.postgres import PostgresServer, postgres_bin

from . import jupyterlab as jl

CLASS = {"perfect": "11 / 27", "one-sided-check": "6 / 27"}  # gradient_check and gradient_check_n lost: 5


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(
    postgres_bin() is None, reason="PostgreSQL is not installed (apt-get install postgresql)"))])
def gradebook_url(request):
    """None for the course's own gradebook.db, else a database of a PostgreSQL server of the test's."""
    if request.param == "sqlite":
        yield None
        return
    with PostgresServer() as pg:
        yield pg.create_database("gradebook")


@pytest.fixture(scope="module")
def formgrader(chromium, tmp_path_factory, gradebook_url):
    """(server, page) of JupyterLab in a graded course, with the formgrader on."""
    base = tmp_path_factory.mktemp("formgrader")
    with pytest.MonkeyPatch.context() as env:
        if not sandbox_available()[0] and not os.environ.get("REQUIRE_SANDBOX"):
            env.setenv("AUTOGRADER_UNSANDBOXED", "1")  # our own samples: safe without the sandbox
        course = make_course(base / "course", ["week1"])
        if gradebook_url:
            with open(course / "nbgrader_config.py", "a") as f:
                f.write(f"\nc.CourseDirectory.db_url = {gradebook_url!r}\n")
        run_nbgrader(course, "generate_assignment", "week1", "--force")
        for student in CLASS:
            folder = hand_in(course, "week1", student, demo_class()["week1"][student])
            for name in ("initialization", "regularization"):
                (folder / f"{name}.ipynb").unlink()
        run_nbgrader(course, "autograde", "week1")
    with jl.lab_server(base / "lab", course_dir=course) as server:
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(30_000)
        page = context.new_page()
        yield server, page
        context.close()


def _open(server, page, path):
    page.goto(f"{server.url}formgrader/{path}?token={server.token}")
    page.locator("table tbody tr td", has_text=re.compile(r"\S")).first.wait_for()


def _rows(page):
    """The table's rows as lists of cell texts, once the formgrader has filled it in."""
    page.wait_for_function("() => !document.body.innerText.includes('Loading, please wait')")
    return [[c.strip() for c in row.locator("td").all_inner_texts()] for row in page.locator("table tbody tr").all()]


def test_students_and_scores(formgrader, gradebook_url, browser_artifacts):
    server, page = formgrader
    # with PostgreSQL the grades are only there: no SQLite gradebook was made on the side
    assert (server.root_dir / "gradebook.db").exists() == (gradebook_url is None)
    _open(server, page, "manage_students")
    page.locator("td", has_text="one-sided-check").wait_for()
    scores = {row[1]: row[3] for row in _rows(page) if len(row) > 3}
    kind = "postgresql" if gradebook_url else "sqlite"
    page.screenshot(path=str(browser_artifacts / f"formgrader-students-{kind}.png"), full_page=True)
    assert scores == CLASS


def test_gradebook_of_the_week(formgrader):
    server, page = formgrader
    _open(server, page, "gradebook/week1")
    page.locator("td", has_text="gradient_checking").wait_for()
    averages = {row[0]: row[1] for row in _rows(page) if len(row) > 1}
    assert averages["gradient_checking"] == "8.5 / 11"   # (11 + 6) / 2
    assert averages["initialization"] == "0 / 4"         # not handed in


def test_exchange_is_available(formgrader):
    server, page = formgrader
    _open(server, page, "manage_assignments")
    page.locator("td", has_text="week1").first.wait_for()
    assert page.locator("#warning-exchange").count() == 0
    assert page.locator("#warning-course-id").count() == 0
    # the Release button (a cloud icon): only where the exchange works (nbgrader's "releaseable")
    assert page.locator("td.release a .glyphicon-cloud-upload").count() == 1
