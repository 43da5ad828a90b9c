"""The course directory: its nbgrader configuration, its gradebook, and what its folders hold.

The one place that loads a course's nbgrader_config.py and builds the gradebook's
URL; the commands (autograder/commands/) and the plug-ins (autograder/plugins/)
ask it, and so do the tests.

    course/                          the course root (this repository, or a copy: `make_course`)
      nbgrader_config.py
      gradebook.db                   the default SQLite gradebook (`db_url`)
      source/<assignment>/           release/<assignment>/
      submitted/<student>/<assignment>/<notebook>.ipynb    (or .ipynb.broken, set aside)
      autograded/<student>/<assignment>/<notebook>.ipynb   (+ <notebook>.autograder.json)
      feedback/<student>/<assignment>/<notebook>.html

The gradebook is nbgrader's db_url: the course's SQLite gradebook.db by default, or
PostgreSQL (c.CourseDirectory.db_url, or `grade --db`). `python -m autograder grade`
writes it from one process; nbgrader's own commands (export, formgrader) may read
it meanwhile. SQLite serialises writers with a file lock; a writer that waits longer
than the busy timeout (5 s by default) fails with "database is locked", so an SQLite
URL without options gets a timeout of SQLITE_TIMEOUT_S. Other URLs are kept as given.
"""

import os
import shutil
from pathlib import Path

COURSE_ROOT = Path(__file__).resolve().parent.parent  # this repository: the course
SQLITE_TIMEOUT_S = 60


# ---------------------------------------------------------------- configuration and gradebook

def course_argument(path):
    """The course root a command was pointed at (`--course`, default the current folder), or None
    after saying on stderr why it is not one."""
    import sys

    course = Path(path).resolve()
    if (course / "nbgrader_config.py").exists():
        return course
    print(f"{course} has no nbgrader_config.py: run from the course root or pass --course", file=sys.stderr)
    return None


def load_nbgrader_config(course_dir):
    """The configuration `nbgrader` would use in course_dir: the Jupyter config
    paths' nbgrader_config.py, then the course's own."""
    import logging

    from nbgrader.apps.baseapp import NbGrader
    from traitlets.config.application import Application

    app = NbGrader()
    app.log_level = logging.ERROR  # no "No nbgrader_config.py file found" warning: the course's comes next
    app.load_cwd_config = False
    app.load_config_file()
    Application.load_config_file(app, "nbgrader_config.py", path=str(course_dir))
    return app.config


def db_url(course_dir, config=None, override=None):
    """The gradebook's URL (override, else nbgrader's db_url); an SQLite one gets a busy timeout of
    SQLITE_TIMEOUT_S."""
    from nbgrader.coursedir import CourseDirectory

    if override:
        url = override
    else:
        config = config if config is not None else load_nbgrader_config(course_dir)
        coursedir = CourseDirectory(config=config)
        if not coursedir.root:
            coursedir.root = str(Path(course_dir).resolve())
        url = coursedir.db_url
    if url.startswith("sqlite:///") and "?" not in url:
        url += f"?timeout={SQLITE_TIMEOUT_S}"
    return url


def gradebook(course_dir_or_url):
    """nbgrader's Gradebook of a course directory (or of a URL from `db_url`), as a context manager."""
    from nbgrader.api import Gradebook

    text = str(course_dir_or_url)
    return Gradebook(text if "://" in text else db_url(course_dir_or_url))


def find_coursedir(configurable):
    """nbgrader's CourseDirectory of the running converter (a preprocessor's parent chain),
    or one built from the configuration."""
    obj = configurable
    while obj is not None:
        coursedir = getattr(obj, "coursedir", None)
        if coursedir is not None:
            return coursedir
        obj = getattr(obj, "parent", None)
    from nbgrader.coursedir import CourseDirectory
    return CourseDirectory(config=configurable.config)


def release_notebook(configurable, assignment, notebook):
    """A plug-in's view of the committed release notebook, or None if it is not there."""
    import nbformat

    coursedir = find_coursedir(configurable)
    folder = os.path.normpath(coursedir.format_path(coursedir.release_directory, ".", assignment))
    path = os.path.join(folder, notebook + ".ipynb")
    if not os.path.isfile(path):
        return None
    return nbformat.read(path, as_version=4)


# ---------------------------------------------------------------- what the gradebook holds

def assignment_notebooks(url, assignment):
    """The assignment's notebook names in the gradebook (generate_assignment puts them there)."""
    from nbgrader.api import MissingEntry

    with gradebook(url) as gb:
        try:
            return sorted(nb.name for nb in gb.find_assignment(assignment).notebooks)
        except MissingEntry:
            return []


def graded_in_gradebook(url, assignment):
    """Students whose submission of the assignment is in the gradebook."""
    with gradebook(url) as gb:
        return {sub.student.id for sub in gb.assignment_submissions(assignment)}


def notebook_scores(course_dir, assignment):
    """{student: {notebook: (score, max_score)}} from the gradebook."""
    scores = {}
    with gradebook(course_dir) as gb:
        for sub in gb.assignment_submissions(assignment):
            scores[sub.student.id] = {nb.name: (nb.score, nb.max_score) for nb in sub.notebooks}
    return scores


# ---------------------------------------------------------------- what the folders hold

def submitted_students(course_dir, assignment):
    """Students with a submitted/<student>/<assignment>/ folder, sorted."""
    root = Path(course_dir) / "submitted"
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if (p / assignment).is_dir())


def handed_in(course_dir, assignment, student, notebook):
    """Whether the student handed the notebook in (a readable file, or one set aside as .broken)."""
    folder = Path(course_dir) / "submitted" / student / assignment
    return (folder / f"{notebook}.ipynb").exists() or (folder / f"{notebook}.ipynb.broken").exists()


def _read(path):
    try:
        return Path(path).read_text()
    except OSError:
        return None


def missing_autograded(course_dir, assignment, student, notebooks):
    """The handed-in notebooks that have no autograded copy."""
    out = Path(course_dir) / "autograded" / student / assignment
    return [n for n in notebooks
            if handed_in(course_dir, assignment, student, n) and not (out / f"{n}.ipynb").exists()]


def is_graded(course_dir, assignment, student, notebooks, in_gradebook):
    """Whether autograded/ has every submitted notebook, from the same submission, and the gradebook has it."""
    if student not in in_gradebook:
        return False
    course_dir = Path(course_dir)
    sub = course_dir / "submitted" / student / assignment
    out = course_dir / "autograded" / student / assignment
    if not out.is_dir() or _read(sub / "timestamp.txt") != _read(out / "timestamp.txt"):
        return False
    return not missing_autograded(course_dir, assignment, student, notebooks)


def autograded_ok(course_dir, assignment, student, notebooks):
    """After grading: (True, "") when every submitted notebook has its autograded copy, else (False, why)."""
    missing = missing_autograded(course_dir, assignment, student, notebooks)
    return (False, "no autograded notebook for " + ", ".join(missing)) if missing else (True, "")


def has_feedback(course_dir, assignment, student):
    """Whether feedback/ has a page for every autograded notebook."""
    course_dir = Path(course_dir)
    graded = sorted((course_dir / "autograded" / student / assignment).glob("*.ipynb"))
    pages = course_dir / "feedback" / student / assignment
    return all((pages / f"{p.stem}.html").exists() for p in graded)


# ---------------------------------------------------------------- a course of one's own

def make_course(target, assignments, root=COURSE_ROOT):
    """A course directory at target with this course's config and the given source weeks
    (the demo's throwaway course, the tests' fixture)."""
    target = Path(target)
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(Path(root) / "nbgrader_config.py", target / "nbgrader_config.py")
    for week in assignments:
        shutil.copytree(Path(root) / "source" / week, target / "source" / week, dirs_exist_ok=True)
    return target

