"""The autograding sandbox (autograder/sandbox.py) and the inlined hidden checks (autograder/inline.py).

Real kernels under bubblewrap through nbclient, and (slow) the real `nbgrader autograde`
with the configuration the course uses.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import textwrap
import time

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError
from traitlets.config import Config

import autograder.reference.week1
from autograder.plugins.inline import InlineHiddenChecks, RemoveInlinedChecks, bundle_source, collect_modules
from autograder.commands.nbgrader_cli import run_nbgrader
from autograder.plugins.sandbox import SandboxedKernelManager, sandbox_available

# Skipped where bubblewrap cannot run (not installed, or a container forbids namespaces);
# with REQUIRE_SANDBOX=1 in the environment (as in CI) they fail instead.
AVAILABLE, WHY_NOT = sandbox_available()
needs_bwrap = pytest.mark.skipif(not AVAILABLE and not os.environ.get("REQUIRE_SANDBOX"), reason=WHY_NOT)

# The lines of nbgrader_config.py that turn the sandbox on (kept identical to the README's).
SANDBOX_CONFIG = """
c.Autograde.autograde_preprocessors = [
    "autograder.plugins.inline.InlineHiddenChecks",
    "nbgrader.preprocessors.Execute",
    "autograder.plugins.inline.RemoveInlinedChecks",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]
c.Execute.kernel_manager_class = "autograder.plugins.sandbox.SandboxedKernelManager"
c.SandboxedKernelManager.memory_limit_mb = 2048
c.SandboxedKernelManager.time_limit_s = 900
"""

# Run by the student's code: every attempt must fail. {targets} and {port} are filled in.
ATTACKS = '''
import json, os, socket
import numpy as np
found = {{}}
for name, path in {targets!r}.items():
    try:
        with open(path, "rb") as f:
            f.read(1)
        found[name] = "read"
    except OSError as e:
        found[name] = type(e).__name__
try:
    with open({gradebook!r}, "ab") as f:
        f.write(b"x")
    found["write gradebook"] = "written"
except OSError as e:
    found["write gradebook"] = type(e).__name__
try:
    socket.create_connection(("127.0.0.1", {port}), timeout=2).close()
    found["tcp to host loopback"] = "connected"
except OSError as e:
    found["tcp to host loopback"] = type(e).__name__
try:
    big = np.ones(3 * 2**30 // 8)
    found["allocate 3 GB"] = "allocated"
    del big
except MemoryError as e:
    found["allocate 3 GB"] = type(e).__name__
x = np.random.randn(200, 300)
found["numpy"] = float(np.linalg.norm(x @ x.T) > 0)
with open("mine.txt", "w") as f:
    f.write("ok")
found["write own folder"] = open("mine.txt").read()
found["own folder"] = sorted(os.listdir("."))
print(json.dumps(found))
'''


def _grade(source, grade_id, points=1):
    return nbformat.v4.new_code_cell(source, metadata={"nbgrader": {
        "grade": True, "solution": False, "locked": True, "grade_id": grade_id, "points": points,
        "schema_version": 3}})


def _run(cells, cwd, timeout=30, **traits):
    """Execute cells in a sandboxed kernel with cwd; returns the notebook."""
    nb = nbformat.v4.new_notebook(cells=cells)
    client = NotebookClient(nb, kernel_manager_class=SandboxedKernelManager, timeout=timeout,
                            allow_errors=True, interrupt_on_timeout=True, resources={"metadata": {"path": str(cwd)}},
                            config=Config({"SandboxedKernelManager": traits}))
    client.execute()
    return nb


def _text(cell):
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


def _errors(cell):
    return [o.ename for o in cell.outputs if o.output_type == "error"]


@pytest.fixture
def course(tmp_path):
    """A course directory with everything a student must not see, and alice's folder to grade in."""
    root = tmp_path / "course"
    files = {
        "source/ps1/ps1.ipynb": "hidden tests",
        "autograder/reference/week1.py": "reference",
        "gradebook.db": "grades",
        "submitted/bob/ps1/ps1.ipynb": "bob's answers",
        "autograded/bob/ps1/ps1.ipynb": "bob's graded answers",
        "feedback/bob/ps1/ps1.html": "bob's feedback",
        "release/ps1/ps1.ipynb": "release",
        ".git/config": "history",
        "autograded/alice/ps1/ps1.ipynb": "alice's own notebook",
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


@pytest.fixture
def listener():
    """A TCP listener on the host's loopback (only), for the kernel to try to reach."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen()
    yield srv.getsockname()[1]
    srv.close()


@needs_bwrap
@pytest.mark.parametrize("mounted", ["allowlist", "whole course mounted"])
def test_student_code_is_confined(course, listener, mounted):
    targets = {
        "hidden tests": course / "source/ps1/ps1.ipynb",
        "reference (course copy)": course / "autograder/reference/week1.py",
        "reference (installed)": autograder.reference.week1.__file__,
        "gradebook": course / "gradebook.db",
        "other student's submission": course / "submitted/bob/ps1/ps1.ipynb",
        "other student's graded notebook": course / "autograded/bob/ps1/ps1.ipynb",
        "feedback": course / "feedback/bob/ps1/ps1.html",
        "git history": course / ".git/config",
        "grader's home": os.path.expanduser("~/.bashrc"),
    }
    code = ATTACKS.format(targets={k: str(v) for k, v in targets.items()}, port=listener,
                          gradebook=str(course / "gradebook.db"))
    cwd = course / "autograded/alice/ps1"
    # "whole course mounted": the course root itself is made visible, so only hidden_paths protect.
    traits = {"visible_paths": [str(course)]} if mounted != "allowlist" else {}
    nb = _run([nbformat.v4.new_code_cell(code)], cwd, **traits)
    assert not _errors(nb.cells[0]), nb.cells[0].outputs
    found = json.loads(_text(nb.cells[0]))
    assert found.pop("numpy") == 1.0
    assert found.pop("write own folder") == "ok"
    assert found.pop("own folder") == ["mine.txt", "ps1.ipynb"]
    assert found.pop("allocate 3 GB") == "MemoryError"
    assert found.pop("tcp to host loopback") in {"ConnectionRefusedError", "OSError", "TimeoutError"}
    assert found.pop("write gradebook") in {"PermissionError", "OSError", "FileNotFoundError"}
    assert all(v in {"FileNotFoundError", "PermissionError", "IsADirectoryError"} for v in found.values()), found
    assert (course / "gradebook.db").read_text() == "grades"
    # The kernel wrote to a private copy of its folder: nothing is left for the grader to trip on.
    assert sorted(p.name for p in cwd.iterdir()) == ["ps1.ipynb"]


@needs_bwrap
def test_planted_python_files_are_not_imported(course):
    """A submission's own ipykernel_launcher.py or numpy.py must not replace the real ones."""
    folder = course / "autograded" / "alice" / "ps1"
    (folder / "ipykernel_launcher.py").write_text("raise SystemExit('planted launcher ran')\n")
    (folder / "numpy.py").write_text("PLANTED = True\n")
    nb = _run([nbformat.v4.new_code_cell(
        "import os, numpy\nprint(hasattr(numpy, 'PLANTED'), sorted(f for f in os.listdir('.') if f.endswith('.py')))")],
        folder, course_root=str(course))
    assert _text(nb.cells[0]).strip() == "False []"


@needs_bwrap
def test_refuses_to_run_in_the_course_root(course):
    km = SandboxedKernelManager(course_root=str(course))
    km._sandbox_dir = str(course / "autograded")
    with pytest.raises(RuntimeError, match="contains the course root"):
        km._command(["python"], course, course / "autograded")


@needs_bwrap
def test_interrupt_and_notebook_time_limit(tmp_path):
    # A cell over the per-cell timeout is interrupted (through a control message), the next one runs.
    nb = _run([nbformat.v4.new_code_cell("import time\ntime.sleep(60)"),
               nbformat.v4.new_code_cell("print('still alive')")], tmp_path, timeout=2)
    assert _errors(nb.cells[0]) == ["KeyboardInterrupt"]
    assert _text(nb.cells[1]) == "still alive\n"
    # The whole kernel is killed at the notebook's wall-clock limit, even if it ignores interrupts.
    start = time.monotonic()
    with pytest.raises(DeadKernelError):
        _run([nbformat.v4.new_code_cell("import time\nwhile True:\n    try:\n        time.sleep(1)\n"
                                        "    except KeyboardInterrupt:\n        pass")],
             tmp_path, timeout=20, time_limit_s=2)
    assert time.monotonic() - start < 15


@needs_bwrap
def test_hidden_check_runs_inlined(tmp_path):
    student = nbformat.v4.new_code_cell(
        "def square(x):\n    return x * x\n"
        "try:\n    import autograder.hidden.common\nexcept ImportError:\n    print('no autograder for students')")
    hidden = _grade("from autograder.hidden.common import fail\nif square(3) != 9:\n"
                    "    fail('square', 'wrong')\nprint('hidden check passed')", "square")
    # After the test: the modules are gone, and the embedded sources left no trace in the history.
    later = nbformat.v4.new_code_cell(
        "import sys\nprint(sorted(m for m in sys.modules if m.startswith('autograder')))\n"
        "print([k for k, v in {**globals(), **get_ipython().user_ns_hidden}.items() if 'def ' + 'fail(' in str(v)])")
    nb = nbformat.v4.new_notebook(cells=[student, hidden, later])
    nb, _ = InlineHiddenChecks().preprocess(nb, {})
    assert len(nb.cells) == 6  # load, scrub, test, forget
    client = NotebookClient(nb, kernel_manager_class=SandboxedKernelManager, timeout=30, allow_errors=True,
                            resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    nb, _ = RemoveInlinedChecks().preprocess(nb, {})
    assert [c.source for c in nb.cells] == [student.source, hidden.source, later.source]
    assert _text(nb.cells[0]) == "no autograder for students\n"
    assert _text(nb.cells[1]) == "hidden check passed\n" and not _errors(nb.cells[1])
    assert _text(nb.cells[2]) == "[]\n[]\n"


def test_bundle_serves_modules_without_their_files(tmp_path):
    pkg = tmp_path / "src" / "pkgx"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "helpers.py").write_text("from .sub.deep import VALUE\nimport pkgx.sub\n\ndef double():\n    return 2 * VALUE\n")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "sub" / "deep.py").write_text("VALUE = 21\n")
    (pkg / "checks.py").write_text("from pkgx import helpers\n\ndef check():\n    assert helpers.double() == 42\n")
    (pkg / "unused.py").write_text("raise RuntimeError('not bundled')\n")
    sys.path.insert(0, str(tmp_path / "src"))
    try:
        modules = collect_modules(["pkgx.checks"], package="pkgx")
        source = bundle_source(["pkgx.checks"], package="pkgx")
    finally:
        sys.path.remove(str(tmp_path / "src"))
        for name in [m for m in sys.modules if m.startswith("pkgx")]:
            del sys.modules[name]
    assert sorted(modules) == ["pkgx", "pkgx.checks", "pkgx.helpers", "pkgx.sub", "pkgx.sub.deep"]
    shutil.rmtree(tmp_path / "src")
    script = source + "\nimport pkgx.checks\npkgx.checks.check()\nprint('ok', pkgx.sub.deep.VALUE)\n"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path)
    assert out.stdout == "ok 21\n", out.stderr


def test_week1_checks_bundle_with_their_reference():
    modules = collect_modules(["autograder.hidden.common", "autograder.reference.week1"])
    assert {"autograder", "autograder.hidden", "autograder.hidden.common", "autograder.reference",
            "autograder.reference.week1"} <= set(modules)
    assert not any(m.startswith("course") for m in modules)  # students' package: imported as usual


# ---------------------------------------------------------------------------- nbgrader end to end

SOURCE_NOTEBOOK = [
    ("markdown", "Write `square`.", None),
    ("code", "def square(x):\n    ### BEGIN SOLUTION\n    return x * x\n    ### END SOLUTION",
     {"solution": True, "grade": False, "locked": False, "grade_id": "square"}),
    ("code", "assert square(2) == 4\n### BEGIN HIDDEN TESTS\nimport autograder.hidden.common as hc\n"
             "if square(7) != 49:\n    hc.fail('square', 'wrong for 7')\n### END HIDDEN TESTS",
     {"solution": False, "grade": True, "locked": True, "grade_id": "test_square", "points": 2}),
]


@needs_bwrap
@pytest.mark.slow
def test_nbgrader_autograde_is_sandboxed(tmp_path, listener):
    course = tmp_path / "course"
    (course / "source" / "ps1").mkdir(parents=True)
    (course / "nbgrader_config.py").write_text(textwrap.dedent(f"""
        c = get_config()
        c.CourseDirectory.root = {str(course)!r}
        c.CourseDirectory.course_id = "sandbox-test"
        c.Execute.timeout = 60
        """) + SANDBOX_CONFIG)
    cells = []
    for kind, source, meta in SOURCE_NOTEBOOK:
        cell = nbformat.v4.new_markdown_cell(source) if kind == "markdown" else nbformat.v4.new_code_cell(source)
        if meta:
            cell.metadata["nbgrader"] = {**meta, "schema_version": 3}
        cells.append(cell)
    nb = nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": {
        "name": "python3", "display_name": "Python 3", "language": "python"}})
    nbformat.write(nb, course / "source" / "ps1" / "ps1.ipynb")
    run_nbgrader(course, "generate_assignment", "ps1", "--force")

    targets = {"hidden tests": course / "source/ps1/ps1.ipynb", "gradebook": course / "gradebook.db",
               "other student's submission": course / "submitted/bob/ps1/ps1.ipynb",
               "reference (installed)": autograder.reference.week1.__file__}
    attack = ATTACKS.format(targets={k: str(v) for k, v in targets.items()}, port=listener,
                            gradebook=str(course / "gradebook.db"))
    answers = {"alice": "def square(x):\n    return x ** 2\n" + attack, "bob": "def square(x):\n    return 2 * x\n"}
    for student, answer in answers.items():
        nb = nbformat.read(course / "release" / "ps1" / "ps1.ipynb", as_version=4)
        nb.cells[1].source = answer
        (course / "submitted" / student / "ps1").mkdir(parents=True)
        nbformat.write(nb, course / "submitted" / student / "ps1" / "ps1.ipynb")
    gradebook_before = (course / "gradebook.db").stat().st_mtime

    run_nbgrader(course, "autograde", "ps1", "--force")
    run_nbgrader(course, "generate_feedback", "ps1", "--force")

    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        scores = {s: gb.find_submission_notebook("ps1", "ps1", s).score for s in answers}
    assert scores == {"alice": 2.0, "bob": 0.0}  # the hidden check ran, through the inlined modules
    assert (course / "gradebook.db").stat().st_mtime >= gradebook_before

    graded = nbformat.read(course / "autograded" / "alice" / "ps1" / "ps1.ipynb", as_version=4)
    assert len(graded.cells) == 3  # the inserted cells are gone
    assert sorted(p.name for p in (course / "autograded" / "alice" / "ps1").iterdir()) == ["ps1.ipynb"]
    found = json.loads(_text(graded.cells[1]))
    assert found.pop("numpy") == 1.0 and found.pop("write own folder") == "ok"
    assert found.pop("own folder") == ["mine.txt", "ps1.ipynb"]
    assert found.pop("allocate 3 GB") == "MemoryError"
    assert found.pop("tcp to host loopback") != "connected"
    assert found.pop("write gradebook") != "written"
    assert set(found.values()) <= {"FileNotFoundError", "PermissionError"}, found
    for path in [course / "autograded" / "alice" / "ps1" / "ps1.ipynb",
                 course / "feedback" / "alice" / "ps1" / "ps1.html"]:
        text = path.read_text()
        assert "_autograder_inline" not in text and "def fail(name, message)" not in text
