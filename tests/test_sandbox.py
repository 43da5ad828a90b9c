"""The autograding sandbox (autograder/plugins/sandbox.py).

Real kernels under bubblewrap through nbclient, and (slow) the real `nbgrader autograde`
with the autograde preprocessors and sandbox settings of the course's own nbgrader_config.py,
hidden checks judged outside the kernel (autograder/plugins/judge.py).
"""

import asyncio
from concurrent.futures import ThreadPoolExecutor
import json
import os
import re
import socket
import textwrap
import time

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError
from traitlets.config import Config

import autograder.reference.week1.initialization as reference
from autograder.commands.nbgrader_cli import run_nbgrader
from autograder.coursedir import gradebook, load_nbgrader_config
from autograder.plugins.sandbox import SandboxedKernelManager
from tests.conftest import ROOT
from tests.grading.helpers import needs_bwrap


def sandbox_config():
    """nbgrader_config.py lines that grade a test course as this course does: the course's own
    autograde preprocessors and sandbox limits (read from its nbgrader_config.py), sandbox on."""
    config = load_nbgrader_config(ROOT)
    lines = [f"c.Autograde.autograde_preprocessors = {list(config.Autograde.autograde_preprocessors)!r}",
             'c.Execute.kernel_manager_class = "autograder.plugins.sandbox.SandboxedKernelManager"']
    lines += [f"c.SandboxedKernelManager.{k} = {v!r}" for k, v in sorted(config.SandboxedKernelManager.items())]
    return "\n".join(lines) + "\n"

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
        "reference (installed)": reference.__file__,
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
    assert found.pop("allocate 3 GB") == "MemoryError"   # over the data-segment limit (RLIMIT_DATA, 2 GiB)
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


# ---------------------------------------------------------------------------- memory: JAX in, runaways out

def _configured_limits():
    """The memory limits of the course's own nbgrader_config.py."""
    config = load_nbgrader_config(ROOT).SandboxedKernelManager
    return {k: config[k] for k in ("memory_limit_mb", "resident_limit_mb")}


JAX_CELL = """
import resource, time
start = time.perf_counter()
import jax, jax.numpy as jnp
imported = time.perf_counter() - start

def cost(params, X, Y):
    Z = jnp.dot(params["W2"], jnp.maximum(0, jnp.dot(params["W1"], X)))
    return jnp.mean((Z - Y) ** 2)

step = jax.jit(jax.grad(cost))
params = {"W1": jnp.ones((32, 64)) * 0.01, "W2": jnp.ones((10, 32)) * 0.01}
grads = step(params, jnp.ones((64, 128)), jnp.zeros((10, 128)))
status = dict(line.split(":", 1) for line in open("/proc/self/status"))
print("gradient", round(float(grads["W2"].sum()), 3), "import", round(imported, 2), "s")
print("address space MiB", int(status["VmPeak"].split()[0]) // 1024)
print("limits", resource.getrlimit(resource.RLIMIT_AS)[0], resource.getrlimit(resource.RLIMIT_DATA)[0] // 2**20)
"""


@needs_bwrap
def test_jax_imports_and_compiles_under_the_courses_memory_limits(tmp_path):
    limits = _configured_limits()
    nb = _run([nbformat.v4.new_code_cell(JAX_CELL)], tmp_path, timeout=60, **limits)
    assert not _errors(nb.cells[0]), nb.cells[0].outputs
    lines = _text(nb.cells[0]).splitlines()
    assert lines[0].startswith("gradient 8.389 ") and lines[0].endswith(" s"), lines
    # XLA reserved more address space than a 1 GiB RLIMIT_AS would allow (about 1.5 GiB on 2 cores);
    # the sandbox limits the data segment instead, as configured, and address space not at all.
    assert int(lines[1].split()[-1]) > 1024, lines
    assert lines[2] == f"limits -1 {limits['memory_limit_mb']}", lines


@needs_bwrap
def test_allocating_in_a_loop_raises_memory_error_and_the_kernel_lives_on(tmp_path):
    hog = "import numpy as np\nchunks = []\nwhile True:\n    chunks.append(np.ones(2**24))"
    nb = _run([nbformat.v4.new_code_cell(hog), nbformat.v4.new_code_cell("del chunks\nprint('still alive')")],
              tmp_path, memory_limit_mb=512, resident_limit_mb=1024)
    errors = [o for o in nb.cells[0].outputs if o.output_type == "error"]
    assert [e.ename for e in errors] == ["MemoryError"], nb.cells[0].outputs
    assert "Unable to allocate 128. MiB" in errors[0].evalue
    assert _text(nb.cells[1]) == "still alive\n"


@needs_bwrap
def test_resident_memory_over_the_limit_kills_the_sandbox_with_a_reason(tmp_path):
    # Shared mappings do not count against RLIMIT_DATA: the watchdog on the tree's RSS stops them.
    hog = ("import mmap\nmaps = []\nwhile True:\n    m = mmap.mmap(-1, 2**26)\n    m.write(b'x' * 2**26)\n"
           "    maps.append(m)")
    km = SandboxedKernelManager(config=Config({"SandboxedKernelManager": {"memory_limit_mb": 256,
                                                                          "resident_limit_mb": 512}}))
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(hog)])
    client = NotebookClient(nb, km=km, timeout=60, allow_errors=True, resources={"metadata": {"path": str(tmp_path)}})
    start = time.monotonic()
    with pytest.raises(DeadKernelError):
        client.execute()
    assert time.monotonic() - start < 30
    assert re.fullmatch(r"stopped by the sandbox: its processes held \d+ MiB of memory, over the limit of 512 MiB",
                        km.stop_reason), km.stop_reason
    assert km.provisioner.process.poll() is not None   # the whole sandbox is gone
    # in a thread of its own: a session's browser (Playwright's sync API) keeps an event loop running here
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, km.cleanup_resources()).result()


# ---------------------------------------------------------------------------- nbgrader end to end

SOURCE_NOTEBOOK = [
    ("markdown", "Write `square`.", None),
    ("code", "def square(x):\n    ### BEGIN SOLUTION\n    return x * x\n    ### END SOLUTION",
     {"solution": True, "grade": False, "locked": False, "grade_id": "square"}),
    ("code", "assert square(2) == 4\n### BEGIN HIDDEN TESTS\nfrom square_checks import check_square\n"
             "check_square(square)\n### END HIDDEN TESTS",
     {"solution": False, "grade": True, "locked": True, "grade_id": "test_square", "points": 2}),
]

# The hidden check, in the course root: imported by the grader, never by the student's kernel.
SQUARE_CHECKS = """
from autograder.hidden.check import Check, case
from autograder.hidden.common import fail, returned


def _cases():
    return [case(7), case(-3)]


def _judge(cases, answers):
    for c, answer in zip(cases, answers):
        x = c["args"][0]
        if returned("square", "square", c, answer) != x * x:
            fail("square", f"wrong for {x}", "square.wrong")


check_square = Check("square", prefix="square", cases=_cases, judge=_judge)
"""


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
        """) + sandbox_config())
    (course / "square_checks.py").write_text(SQUARE_CHECKS)
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

    targets = {"hidden tests": course / "source/ps1/ps1.ipynb", "hidden check": course / "square_checks.py",
               "gradebook": course / "gradebook.db",
               "other student's submission": course / "submitted/bob/ps1/ps1.ipynb",
               "reference (installed)": reference.__file__}
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

    with gradebook(course) as gb:
        scores = {s: gb.find_submission_notebook("ps1", "ps1", s).score for s in answers}
    assert scores == {"alice": 2.0, "bob": 0.0}  # the hidden check was judged, outside the kernel
    assert (course / "gradebook.db").stat().st_mtime >= gradebook_before

    graded = nbformat.read(course / "autograded" / "alice" / "ps1" / "ps1.ipynb", as_version=4)
    assert len(graded.cells) == 3
    assert graded.cells[2].source == cells[2].source  # the instructor's test cell, as in source/
    # the notebook and the grader's notes (flags, verdicts: autograder/plugins/sidecar.py), nothing the kernel wrote
    assert sorted(p.name for p in (course / "autograded" / "alice" / "ps1").iterdir()) == \
        ["ps1.autograder.json", "ps1.ipynb"]
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
        assert "_autograder_runner" not in text and "def _judge" not in text
    assert "check_square(square)" not in (course / "feedback" / "alice" / "ps1" / "ps1.html").read_text()
