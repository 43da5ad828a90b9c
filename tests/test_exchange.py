"""The exchange of nbgrader_config.py, end to end with the real nbgrader on one machine.

The instructor releases week 1 into the course's own exchange folder (made on first use);
a student in a home folder of their own fetches it, answers gradient_checking (the
quickest notebook), hands in only that one and submits; the instructor collects and
autogrades. The student id is the OS user's name, as nbgrader takes it (nbgrader.utils.get_username).
"""

import os
import subprocess
import sys

import pytest

from autograder import notebooks as nbt
from autograder.commands.nbgrader_cli import nbgrader_env, run_nbgrader
from autograder.coursedir import make_course, notebook_scores
from autograder.plugins.sandbox import sandbox_available

pytestmark = pytest.mark.slow

COURSE_ID = "improving-deep-neural-networks"


def student_nbgrader(home, exchange, *args):
    """`nbgrader <args>` as a student: in their home folder, with only the exchange configured."""
    env = {**nbgrader_env(), "HOME": str(home), "JUPYTER_CONFIG_DIR": str(home / ".jupyter")}
    proc = subprocess.run([sys.executable, "-m", "nbgrader", *args, f"--Exchange.root={exchange}"],
                          cwd=home, env=env, text=True, capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout + proc.stderr


def test_release_fetch_submit_collect_autograde(tmp_path, monkeypatch):
    from nbgrader.utils import get_username

    if not sandbox_available()[0] and not os.environ.get("REQUIRE_SANDBOX"):
        monkeypatch.setenv("AUTOGRADER_UNSANDBOXED", "1")  # our own answers: safe without the sandbox
    course = make_course(tmp_path / "course", ["week1"])
    exchange = course / "exchange"
    run_nbgrader(course, "generate_assignment", "week1", "--force")
    assert exchange.is_dir() and (exchange.stat().st_mode & 0o777) == 0o777  # made by nbgrader_config.py
    out = run_nbgrader(course, "release_assignment", "week1").stdout
    assert "Permissions for exchange directory" not in out  # nbgrader found it as it wants it
    assert sorted(p.name for p in (exchange / COURSE_ID / "outbound" / "week1").glob("*.ipynb")) == [
        "gradient_checking.ipynb", "initialization.ipynb", "regularization.ipynb"]

    home = tmp_path / "home"
    home.mkdir()
    student_nbgrader(home, exchange, "fetch_assignment", "week1", f"--course={COURSE_ID}")
    fetched = home / "week1"
    assert (fetched / "gradient_checking.ipynb").is_file()
    source = nbt.read(course / "source" / "week1" / "gradient_checking.ipynb")
    nbt.write(nbt.fill_solutions(nbt.read(fetched / "gradient_checking.ipynb"), source),
              fetched / "gradient_checking.ipynb")
    for name in ("initialization", "regularization"):  # handed in: gradient checking only
        (fetched / f"{name}.ipynb").unlink()
    student_nbgrader(home, exchange, "submit", "week1", f"--course={COURSE_ID}")

    student = get_username()
    run_nbgrader(course, "collect", "week1")
    assert (course / "submitted" / student / "week1" / "gradient_checking.ipynb").is_file()
    run_nbgrader(course, "autograde", "week1", f"--student={student}", "--force")
    scores = notebook_scores(course, "week1")[student]
    assert scores["gradient_checking"] == (11.0, 11.0)
    assert scores["initialization"] == (0.0, 4.0)  # not handed in
