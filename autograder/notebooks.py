"""Small notebook utilities: clean storage, and solution cells in and out.

Cell predicates (`is_solution`, `nbgrader_meta`, ...) are in autograder.plugins.cells.

Notebooks are stored without outputs and with minimal metadata so diffs read well.
"""

import re
from pathlib import Path

import nbformat

from autograder.plugins.cells import is_solution, nbgrader_meta

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
NOTEBOOK_METADATA = {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}}

_SOLUTION_BLOCK = re.compile(r"^[ \t]*### BEGIN SOLUTION[ \t]*\n(.*?)^[ \t]*### END SOLUTION[ \t]*\n?",
                             re.MULTILINE | re.DOTALL)
STUB = "raise NotImplementedError()"


def read(path):
    return nbformat.read(str(path), as_version=4)


def write(nb, path):
    nbformat.write(nb, str(path))


def clean(nb):
    """Drop outputs, execution counts and all metadata but nbgrader's and the cell tags. Returns nb."""
    nb.metadata = nbformat.from_dict(NOTEBOOK_METADATA)
    for cell in nb.cells:
        keep = {k: cell.metadata[k] for k in ("nbgrader", "tags") if k in cell.metadata}
        cell.metadata = nbformat.from_dict(keep)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return nb


def is_clean(nb):
    """True when clean(nb) would change nothing."""
    import copy
    return clean(copy.deepcopy(nb)) == nb


def solution_code(source):
    """A solution cell's source as the student would write it: markers removed."""
    return _SOLUTION_BLOCK.sub(lambda m: m.group(1), source)


def cells_by_grade_id(nb):
    return {nbgrader_meta(c)["grade_id"]: c for c in nb.cells if "grade_id" in nbgrader_meta(c)}


def fill_solutions(release_nb, source_nb, replace=None):
    """A submission: the release notebook with each solution cell answered.

    Inputs:
    - release_nb, source_nb: the same notebook as released and in source/
    - replace: optional {grade_id: code} to use instead of the reference answer
      (to plant a mistake)

    Returns a new notebook (release_nb is not modified).
    """
    import copy
    nb = copy.deepcopy(release_nb)
    answers = {gid: solution_code(c.source) for gid, c in cells_by_grade_id(source_nb).items()
               if is_solution(c)}
    answers.update(replace or {})
    for cell in nb.cells:
        gid = nbgrader_meta(cell).get("grade_id")
        if is_solution(cell) and gid in answers:
            cell.source = answers[gid]
    return nb


def notebooks(directory):
    return sorted(Path(directory).glob("*.ipynb"))
