"""Notebooks run top to bottom on a real kernel.

Source notebooks: every cell runs and every visible and hidden test passes,
nothing is written to stderr, and every "Expected output" block in the text
is what the example cell above it prints (tests/expected_output.py). Without
their lesson cells they still run clean, and no other cell uses a name that
only a lesson defines, so grading may skip the lessons. Release notebooks: they
run until the first stub, and the first error is the stub's NotImplementedError.
"""

import functools
import re

import nbformat

import pytest

from autograder.plugins import lessons
from tests import expected_output
from tests.conftest import ROOT
from tests.notebook_runner import execute, first_error_cell, stderr_outputs

SOURCE = sorted((ROOT / "source").glob("week*/*.ipynb"))
RELEASE = sorted((ROOT / "release").glob("week*/*.ipynb"))
def ids(p):
    return str(p.relative_to(ROOT))

pytestmark = pytest.mark.slow


@functools.cache
def executed(path):
    return execute(path)


@pytest.mark.parametrize("path", SOURCE, ids=ids)
def test_source_notebook_runs_clean(path):
    nb, seconds, error = executed(path)
    assert error is None, f"{path.name} failed:\n{error}"
    assert stderr_outputs(nb) == [], f"{path.name} wrote to stderr: {stderr_outputs(nb)}"


def _expected_blocks(nb):
    """(markdown index, expected text, printed text of the code cell above) for each Expected output."""
    last_code = None
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            last_code = cell
        elif "Expected output" in cell.source:
            match = re.search(r"```[a-z]*\n(.*?)```", cell.source, re.DOTALL)
            assert match, f"cell {i}: 'Expected output' without a ``` block"
            printed = "".join(o.get("text", "") for o in last_code.outputs if o.get("output_type") == "stream")
            yield i, match.group(1).strip(), printed.strip()


@pytest.mark.parametrize("path", SOURCE, ids=ids)
def test_expected_outputs_are_what_the_solution_prints(path):
    nb, _, error = executed(path)
    assert error is None
    blocks = list(_expected_blocks(nb))
    assert blocks, f"{path.name} has no Expected output blocks"
    for index, expected, printed in blocks:
        why = expected_output.mismatch(expected, printed)
        assert why is None, (f"{path.name} cell {index}: the text promises\n{expected}\nbut the cell prints\n{printed}\n"
                             f"({why})")


@pytest.mark.parametrize("path", SOURCE, ids=ids)
def test_expected_outputs_print_machine_independent_numbers(path):
    nb = nbformat.read(str(path), as_version=4)
    cells = [c for c in nb.cells if c.cell_type == "markdown" and "Expected output" in c.source]
    for cell in cells:
        bad = expected_output.too_precise(cell.source)
        assert not bad, (f"{path.name}: an Expected output shows {bad}, more than {expected_output.MAX_DIGITS} "
                         "significant digits, whose last digits vary by CPU: print to a sensible precision "
                         "(or mark rounding noise with '~')")


def _lesson_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code" and "lesson" in c.metadata.get("tags", [])]


@pytest.mark.parametrize("path", SOURCE, ids=ids)
def test_lesson_cells_are_locked_and_no_other_cell_needs_them(path):
    nb = nbformat.read(str(path), as_version=4)
    tagged = _lesson_cells(nb)
    assert tagged, f"{path.name} has no lesson cells"
    for cell in tagged:
        assert lessons.is_lesson(cell), (f"{path.name}: a cell tagged 'lesson' must be locked with a grade_id "
                                         f"starting with 'lesson_':\n{cell.source[:200]}")
    assert all("lesson" in c.metadata.get("tags", []) for c in nb.cells if lessons.is_lesson(c))
    only = lessons.lesson_only_names(nb.cells)
    for cell in nb.cells:
        if cell.cell_type == "code" and not lessons.is_lesson(cell):
            used = lessons.used_names(cell.source) & only
            assert not used, f"{path.name}: a non-lesson cell uses {sorted(used)}, defined only by lesson cells:\n" \
                             f"{cell.source[:300]}"


@pytest.mark.parametrize("path", SOURCE, ids=ids)
def test_source_notebook_without_lessons_passes_every_test(path):
    nb, seconds, error = execute(path, keep=lambda c: not lessons.is_lesson(c))
    assert error is None, f"{path.name} without its lesson cells failed:\n{error}"


@pytest.mark.parametrize("path", RELEASE, ids=ids)
def test_release_notebook_stops_at_first_stub(path):
    nb, seconds, error = execute(path)
    assert error is not None, f"{path.name} ran to the end: are the stubs missing?"
    index, cell, out = first_error_cell(nb)
    assert out["ename"] == "NotImplementedError", (
        f"{path.name}: the first error is {out['ename']}: {out['evalue']} in cell {index}:\n{cell.source}")
    earlier = [c for c in nb.cells[:index] if c.cell_type == "code"]
    assert any(c.metadata.get("nbgrader", {}).get("solution") for c in earlier), \
        f"{path.name}: NotImplementedError in cell {index} before any solution cell"
