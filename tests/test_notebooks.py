"""Notebooks run top to bottom on a real kernel.

Source notebooks: every cell runs and every visible and hidden test passes,
nothing is written to stderr, and every "Expected output" block in the text
is exactly what the example cell above it prints. Release notebooks: they run
until the first stub, and the first error is the stub's NotImplementedError.
"""

import functools
import re

import pytest

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
        assert printed == expected, f"{path.name} cell {index}: the text promises\n{expected}\nbut the cell prints\n{printed}"


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
