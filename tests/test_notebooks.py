"""Notebooks run top to bottom on a real kernel.

Source notebooks: every cell runs and every visible and hidden test passes,
with nothing on stderr. Release notebooks: they run until the first stub, and
the first error is the stub's NotImplementedError.
"""

import pytest

from tests.conftest import ROOT
from tests.notebook_runner import execute, first_error_cell, stderr_outputs

SOURCE = sorted((ROOT / "source").glob("week*/*.ipynb"))
RELEASE = sorted((ROOT / "release").glob("week*/*.ipynb"))

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("path", SOURCE, ids=lambda p: str(p.relative_to(ROOT)))
def test_source_notebook_runs_clean(path):
    nb, seconds, error = execute(path)
    assert error is None, f"{path.name} failed:\n{error}"
    assert stderr_outputs(nb) == [], f"{path.name} wrote to stderr: {stderr_outputs(nb)}"


@pytest.mark.parametrize("path", RELEASE, ids=lambda p: str(p.relative_to(ROOT)))
def test_release_notebook_stops_at_first_stub(path):
    nb, seconds, error = execute(path)
    assert error is not None, f"{path.name} ran to the end: are the stubs missing?"
    index, cell, out = first_error_cell(nb)
    assert out["ename"] == "NotImplementedError", (
        f"{path.name}: the first error is {out['ename']}: {out['evalue']} in cell {index}:\n{cell.source}")
    earlier = [c for c in nb.cells[:index] if c.cell_type == "code"]
    assert any(c.metadata.get("nbgrader", {}).get("solution") for c in earlier), \
        f"{path.name}: NotImplementedError in cell {index} before any solution cell"
