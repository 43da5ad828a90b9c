"""Before the first student is scored: can the grading kernel import what grading needs?

A probe kernel, started exactly as the student kernels are (same kernel manager
class and configuration, so the same sandbox), imports numpy, the runner
(course.grading.runner) and every `course` module the assignment's notebooks
import, and reports where it found them. Each must import, and each `course`
module must be the very file the grader itself uses. If not, grading stops
with one message naming what is missing and where it was looked for
(`GradingEnvironmentError`, a SystemExit: nbgrader's per-student error handling
does not swallow it, so no student is scored 0 for the grader's fault).

`nbgrader_config.py` runs it through `pre_convert` (nbgrader's pre_convert_hook,
once per process); `python -m autograder grade` runs `check_environment` itself
before it starts any worker.
"""

import ast
import importlib.util
import json
import os
import tempfile
from pathlib import Path

import nbformat

from autograder.plugins.broken import set_aside_broken_notebooks
from autograder.plugins.cells import nbgrader_meta

BASE_MODULES = ["numpy", "course", "course.grading.runner"]
CHECKED_ENV = "AUTOGRADER_ENVIRONMENT_CHECKED"   # set by `grade` for its workers: "<course root>:<assignment>"
_checked = set()


class GradingEnvironmentError(SystemExit):
    """The grading kernel cannot import what the notebooks and the runner need."""


def notebook_modules(folder):
    """`course` modules (and numpy) imported by the non-solution code cells of the notebooks in folder."""
    found = set()
    for path in sorted(Path(folder).glob("*.ipynb")):
        try:
            nb = nbformat.read(str(path), as_version=4)
        except Exception:  # noqa: BLE001 (a broken file is not this check's business)
            continue
        for cell in nb.cells:
            if cell.cell_type != "code" or nbgrader_meta(cell).get("solution"):
                continue
            source = "\n".join("pass" if line.lstrip().startswith(("%", "!")) else line
                               for line in cell.source.splitlines())
            try:
                tree = ast.parse(source)
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    found.update(a.name for a in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    found.add(node.module)
                    found.update(f"{node.module}.{a.name}" for a in node.names
                                 if _is_module(f"{node.module}.{a.name}"))
    return sorted(m for m in found if m.split(".")[0] == "course")


def _is_module(name):
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def _probe_source(modules):
    return (
        "import importlib, json, sys\n"
        "report = {'executable': sys.executable, 'sys.path': sys.path, 'modules': {}}\n"
        f"for name in {modules!r}:\n"
        "    try:\n"
        "        report['modules'][name] = {'file': getattr(importlib.import_module(name), '__file__', None)}\n"
        "    except BaseException as exc:\n"
        "        report['modules'][name] = {'error': type(exc).__name__ + ': ' + str(exc)}\n"
        "print('PROBE ' + json.dumps(report))\n")


def run_probe(config, modules, kernel_manager_class):
    """The probe kernel's report: {'executable', 'sys.path', 'modules': {name: {'file'} or {'error'}}}."""
    from nbclient import NotebookClient
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(_probe_source(modules))])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    with tempfile.TemporaryDirectory(prefix="autograder-probe-") as folder:
        client = NotebookClient(nb, timeout=120, kernel_name="python3", config=config,
                                kernel_manager_class=kernel_manager_class, resources={"metadata": {"path": folder}})
        client.execute()
    text = "".join(o.get("text", "") for o in nb.cells[0].outputs if o.get("output_type") == "stream")
    line = next((l for l in text.splitlines() if l.startswith("PROBE ")), None)
    if line is None:
        raise GradingEnvironmentError(f"The grading kernel did not answer the environment probe (it printed {text!r})")
    return json.loads(line[len("PROBE "):])


def problems(report, modules):
    """What is wrong in a probe report: a list of lines, empty when all is well."""
    out = []
    for name in modules:
        entry = report["modules"].get(name, {"error": "not reported"})
        if "error" in entry:
            out.append(f"- {name}: {entry['error']}")
            continue
        if name.split(".")[0] != "course":
            continue
        spec = importlib.util.find_spec(name)
        mine = os.path.realpath(spec.origin) if spec and spec.origin else None
        theirs = os.path.realpath(entry["file"]) if entry.get("file") else None
        if mine != theirs:
            out.append(f"- {name}: the kernel imports {theirs}, the grader uses {mine}")
    return out


def check_environment(config, course_root, assignment):
    """Probe once per (course root, assignment); raise GradingEnvironmentError naming what is wrong."""
    key = (str(Path(course_root).resolve()), assignment)
    if key in _checked or os.environ.get(CHECKED_ENV) == f"{key[0]}:{assignment}":
        return
    from traitlets.utils.importstring import import_item
    modules = sorted(set(BASE_MODULES) | set(notebook_modules(Path(course_root) / "release" / (assignment or ""))))
    manager = config.Execute.get("kernel_manager_class", "jupyter_client.manager.AsyncKernelManager")
    manager = import_item(manager) if isinstance(manager, str) else manager
    report = run_probe(config, modules, manager)
    wrong = problems(report, modules)
    if wrong:
        raise GradingEnvironmentError(
            "Grading stopped before any student was scored: the grading kernel cannot import what the notebooks "
            "and the grader's runner need.\n" + "\n".join(wrong) +
            f"\nThe kernel ran {report['executable']} with sys.path {report['sys.path']}.\n"
            "Install the course into the Python that grades (pip install -e <course root>) from this course root, "
            "or grade from the checkout the environment was installed from.")
    _checked.add(key)


def mark_checked(course_root, assignment):
    """Tell the nbgrader processes started from now on that the probe passed (no probe kernel each)."""
    os.environ[CHECKED_ENV] = f"{Path(course_root).resolve()}:{assignment}"


def _running_config():
    from traitlets.config import Application
    if Application.initialized():
        return Application.instance().config
    from autograder.coursedir import load_nbgrader_config
    return load_nbgrader_config(os.getcwd())


def pre_convert(assignment=None, student=None, notebooks=(), **kw):
    """nbgrader's pre_convert_hook: the environment probe, then broken notebooks set aside."""
    config = _running_config()
    root = config.CourseDirectory.root if "root" in config.get("CourseDirectory", {}) else os.getcwd()
    check_environment(config, root, assignment)
    return set_aside_broken_notebooks(assignment=assignment, student=student, notebooks=notebooks, **kw)
