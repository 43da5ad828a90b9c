"""What the course holds, read from the tree: notebooks, their graded functions and companion modules.

One rule: notebook source/weekN/<nb>.ipynb has a module named <nb> in every
place that holds per-notebook code (COMPANIONS). tests/test_layout.py enforces
it; the contract and notebook tests iterate over what this module finds.
"""

import importlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from autograder.plugins.cells import hidden_calls  # noqa: F401 (re-exported for the tests)

ROOT = Path(__file__).resolve().parent.parent
GRADED = re.compile(r"^# GRADED FUNCTION: (\w+)", re.MULTILINE)

# place -> path pattern of the module every notebook has there
COMPANIONS = {
    "visible checks": "course/checks/{week}/{nb}.py",
    "reference solution": "autograder/reference/{week}/{nb}.py",
    "hidden checks": "autograder/hidden/{week}/{nb}",
    "correct and wrong versions": "tests/implementations/{week}/{nb}",  # a module, or a package when large
    "notebook tests": "tests/{week}/test_{nb}.py",
}
# only for notebooks that show an explorer
WIDGETS = "course/widgets/{week}/{nb}.py"


@dataclass(frozen=True)
class Notebook:
    week: str   # "week1"
    name: str   # "initialization"

    @property
    def path(self):
        return ROOT / "source" / self.week / f"{self.name}.ipynb"

    @property
    def id(self):
        return f"{self.week}/{self.name}"

    def cells(self):
        with open(self.path, encoding="utf-8") as f:
            return json.load(f)["cells"]

    def graded_functions(self):
        """Names of the functions marked '# GRADED FUNCTION: name', in notebook order."""
        return [m for c in self.cells() if c["cell_type"] == "code" for m in GRADED.findall("".join(c["source"]))]

    def test_cells(self):
        """{grade_id: source} of the graded test cells."""
        return {c["metadata"]["nbgrader"]["grade_id"]: "".join(c["source"]) for c in self.cells()
                if c["cell_type"] == "code" and c["metadata"].get("nbgrader", {}).get("grade")}

    def module(self, place):
        """The companion module of this notebook in place ('hidden', 'reference', 'visible', 'implementations')."""
        return importlib.import_module({
            "hidden": "autograder.hidden.{week}.{nb}", "reference": "autograder.reference.{week}.{nb}",
            "visible": "course.checks.{week}.{nb}", "implementations": "tests.implementations.{week}.{nb}",
        }[place].format(week=self.week, nb=self.name))

    def uses_widgets(self):
        return any("course.widgets." in "".join(c["source"]) for c in self.cells() if c["cell_type"] == "code")


def notebooks():
    return [Notebook(p.parent.name, p.stem) for p in sorted((ROOT / "source").glob("week*/*.ipynb"))]


def graded_functions():
    """[(notebook, function name)] over the whole course."""
    return [(nb, name) for nb in notebooks() for name in nb.graded_functions()]
