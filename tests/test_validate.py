"""Students check their own work with `nbgrader validate`, run from the notebook's folder.

    cd release/week1 && nbgrader validate initialization.ipynb

No configuration is needed: in the notebook's folder there is no
nbgrader_config.py, so nbgrader's defaults apply (the course's grading config at
the repository root, with its sandbox, is not used). Validate runs the whole
notebook (explorers included, headless, with NBGRADER_EXECUTION=validate) and
reports the visible test cells that fail, each with its source and error.
Hidden tests are not in the release notebooks, so it judges only the visible
ones. It exits 0 even when tests fail (a known nbgrader gap): read its output.

Proven here on copies in a temporary folder: the untouched release notebook
reports each test cell failing with NotImplementedError; the notebook with the
reference solutions filled in passes, even with --Validator.validate_all=True
(which also fails any cell that errors or writes to stderr, explorer cells
included); and a planted mistake names its test and the check's diagnosis
(whole with --Validator.width=200: validate cuts every line at 90 characters).
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autograder import notebooks as nbt
from autograder.plugins.cells import grade_id, is_grade
from tests.conftest import ROOT

pytestmark = pytest.mark.slow

RELEASE = sorted((ROOT / "release").glob("week*/*.ipynb"))
NBGRADER = Path(sys.executable).with_name("nbgrader")
SUCCESS = "Success! Your notebook passes all the tests."


def ids(path):
    return str(path.relative_to(ROOT / "release"))


def validate(folder, name, *options):
    """`nbgrader validate [options] name` run in `folder`, as a student would; returns stdout."""
    assert not (Path(folder) / "nbgrader_config.py").exists()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NBGRADER", "JUPYTER_CONFIG"))}
    result = subprocess.run([str(NBGRADER), "validate", *options, name], cwd=folder, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr  # 0 whether or not tests pass (nbgrader)
    assert "No nbgrader_config.py file found" in result.stderr  # nbgrader's defaults, nothing else
    return result.stdout


def student_copy(tmp_path, release, nb=None):
    """The release notebook (or `nb`) alone in a folder, as a student has it."""
    dest = tmp_path / release.parent.name / release.name
    dest.parent.mkdir(parents=True)
    if nb is None:
        shutil.copy(release, dest)
    else:
        nbt.write(nb, dest)
    return dest


def visible_test_cells(release):
    return [c for c in nbt.read(release).cells if is_grade(c)]


@pytest.mark.parametrize("release", RELEASE, ids=ids)
def test_untouched_notebook_reports_every_test_failing(release, tmp_path):
    copy = student_copy(tmp_path, release)
    out = validate(copy.parent, copy.name)
    tests = visible_test_cells(release)
    assert f"VALIDATION FAILED ON {len(tests)} CELL(S)!" in out, out
    assert out.count("The following cell failed:") == len(tests)
    for cell in tests:  # (validate cuts lines at 90 characters)
        assert cell.source.strip()[:80] in out, f"test cell not reported: {cell.source!r}"
    # A stub raises NotImplementedError; a function released as given code to fix (`### RELEASE:` lines,
    # autograder/plugins/release_code.py) fails its check with the check's diagnosis instead.
    solutions = nbt.cells_by_grade_id(nbt.read(release))
    given = [gid[len("test_"):] for gid in (grade_id(c) for c in tests)
             if "NotImplementedError" not in solutions[gid[len("test_"):]].source]
    assert given == (["backward_propagation_n"] if release.stem == "gradient_checking" else []), given
    assert out.count("NotImplementedError") >= len(tests) - len(given)
    for name in given:
        assert f"AssertionError: {name}: " in out, (name, out)
    assert SUCCESS not in out


@pytest.mark.parametrize("release", RELEASE, ids=ids)
def test_solved_notebook_passes(release, tmp_path):
    source = ROOT / "source" / release.relative_to(ROOT / "release")
    copy = student_copy(tmp_path, release, nbt.fill_solutions(nbt.read(release), nbt.read(source)))
    out = validate(copy.parent, copy.name, "--Validator.validate_all=True")
    assert out.strip() == SUCCESS, out


def test_mistake_names_its_test_and_the_diagnosis(tmp_path):
    release = ROOT / "release" / "week1" / "initialization.ipynb"
    source = nbt.read(ROOT / "source" / "week1" / "initialization.ipynb")
    he = nbt.solution_code(nbt.cells_by_grade_id(source)["initialize_parameters_he"].source)
    wrong = he.replace("np.sqrt(2.0 / layers_dims[l - 1])", "np.sqrt(1.0 / layers_dims[l - 1])")
    assert wrong != he
    nb = nbt.fill_solutions(nbt.read(release), source, replace={"initialize_parameters_he": wrong})
    copy = student_copy(tmp_path, release, nb)
    out = validate(copy.parent, copy.name, "--Validator.width=200")  # default 90 cuts the message
    assert "VALIDATION FAILED ON 1 CELL(S)!" in out, out
    assert "checks.check_initialize_parameters_he(initialize_parameters_he)" in out
    message = [line.strip() for line in out.splitlines() if line.strip().startswith("AssertionError:")]
    assert len(message) == 1 and message[0].startswith("AssertionError: initialize_parameters_he: "), out
    assert "sqrt(1/n)" in message[0] and not message[0].endswith("..."), message  # the diagnosis, whole
