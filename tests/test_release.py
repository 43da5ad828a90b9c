"""release/ is exactly what nbgrader generates from source/, and gives nothing away."""

import re
import shutil

import pytest

from autograder import notebooks as nbt
from autograder.commands.nbgrader_cli import run_nbgrader
from tests.conftest import ROOT

SOURCE_NOTEBOOKS = sorted((ROOT / "source").glob("week*/*.ipynb"))
RELEASE_NOTEBOOKS = sorted((ROOT / "release").glob("week*/*.ipynb"))
WEEKS = sorted({p.parent.name for p in SOURCE_NOTEBOOKS})


def _summary(nb):
    return [(c.cell_type, c.source, c.metadata.get("nbgrader")) for c in nb.cells]


def test_every_source_notebook_is_released():
    released = {p.relative_to(ROOT / "release") for p in RELEASE_NOTEBOOKS}
    assert released == {p.relative_to(ROOT / "source") for p in SOURCE_NOTEBOOKS}, \
        "release/ and source/ hold different notebooks: run `python -m autograder release`"


@pytest.mark.slow
@pytest.mark.parametrize("week", WEEKS)
def test_release_in_sync_with_source(week, tmp_path):
    shutil.copy(ROOT / "nbgrader_config.py", tmp_path)
    shutil.copytree(ROOT / "source" / week, tmp_path / "source" / week)
    run_nbgrader(tmp_path, "generate_assignment", week, "--force")
    for fresh in sorted((tmp_path / "release" / week).glob("*.ipynb")):
        committed = ROOT / "release" / week / fresh.name
        assert committed.exists(), f"{committed} missing: run `python -m autograder release`"
        assert _summary(nbt.read(committed)) == _summary(nbt.read(fresh)), \
            f"{committed} is out of date: run `python -m autograder release {week}`"


@pytest.mark.parametrize("path", SOURCE_NOTEBOOKS + RELEASE_NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_notebooks_stored_clean(path):
    nb = nbt.read(path)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), f"{path} has outputs"
    assert all(c.get("execution_count") is None for c in nb.cells if c.cell_type == "code")
    if path.is_relative_to(ROOT / "source"):
        assert nbt.is_clean(nb), f"{path} has extra metadata: run `python -m autograder clean`"


@pytest.mark.parametrize("path", RELEASE_NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_release_gives_nothing_away(path):
    nb = nbt.read(path)
    text = "\n".join(c.source for c in nb.cells)
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"):
        assert marker not in text, f"{path} contains {marker!r}"
    assert not re.search(r"^\s*(import|from)\s+autograder\b", text, re.MULTILINE), f"{path} imports autograder"
    assert "autograder." not in text, f"{path} mentions the autograder package"

    source = nbt.read(ROOT / "source" / path.relative_to(ROOT / "release"))
    released = nbt.cells_by_grade_id(nb)
    for gid, cell in nbt.cells_by_grade_id(source).items():
        if not nbt.is_solution(cell):
            continue
        stub = released[gid].source
        given = "### RELEASE:" in cell.source   # the release shows given code there (plugins/release_code.py)
        assert given or nbt.STUB in stub, f"{path}: solution cell {gid} has no stub"
        assert "### RELEASE" not in stub and "### BEGIN SOLUTION" not in stub, f"{path}: markers left in {gid}"
        # Code lines of the release (comments are the skeleton's hints, given on purpose).
        code = {ln.split("#", 1)[0].strip() for ln in stub.splitlines()}
        for block in re.findall(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", cell.source, re.DOTALL):
            given_lines = {ln.split("### RELEASE:", 1)[1].strip() for ln in block.splitlines() if "### RELEASE:" in ln}
            for line in block.splitlines():
                line = line.strip()
                if len(line) > 12 and not line.startswith("#") and line not in given_lines:
                    assert line not in code, f"{path}: solution line {line!r} leaked into {gid}"


def test_release_has_a_graded_test_for_every_solution():
    for path in RELEASE_NOTEBOOKS:
        cells = nbt.cells_by_grade_id(nbt.read(path))
        for gid, cell in cells.items():
            if nbt.is_solution(cell):
                assert f"test_{gid}" in cells, f"{path}: {gid} has no test cell test_{gid}"
                assert cells[f"test_{gid}"].metadata["nbgrader"].get("points", 0) > 0
