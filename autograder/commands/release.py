"""Build release/ from source/ with nbgrader, and keep source notebooks clean.

    python -m autograder release          # every week
    python -m autograder release week1    # one week
    python -m autograder clean            # strip outputs/metadata from source/ notebooks
"""

from pathlib import Path

from autograder import notebooks as nbt
from autograder.commands.nbgrader_cli import run_nbgrader
from autograder.coursedir import COURSE_ROOT


def weeks(root=COURSE_ROOT):
    return sorted(p.name for p in (Path(root) / "source").iterdir() if p.is_dir() and p.name.startswith("week"))


def generate_release(root=COURSE_ROOT, assignments=None):
    """`nbgrader generate_assignment <week> --force` for each week; returns the release notebooks."""
    for week in assignments or weeks(root):
        run_nbgrader(root, "generate_assignment", week, "--force")
    return sorted((Path(root) / "release").glob("week*/*.ipynb"))


def clean_sources(root=COURSE_ROOT):
    """Clean every source notebook in place; returns the ones that changed."""
    changed = []
    for path in sorted((Path(root) / "source").glob("week*/*.ipynb")):
        nb = nbt.read(path)
        if not nbt.is_clean(nb):
            nbt.write(nbt.clean(nb), path)
            changed.append(path)
    return changed
