"""The notebooks' solutions are the reference, for every graded function of every week.

For each function marked `# GRADED FUNCTION: name` in source/weekN/<nb>.ipynb
(tests/course_map.py), the solution cell, with its BEGIN/END SOLUTION markers
removed, defines `name` with the same argument list and the same body, statement
for statement (compared as ASTs, docstrings aside), as `name` in
autograder/reference/weekN/<nb>.py.
"""

import ast
import difflib
import inspect
import textwrap

import pytest

from autograder.notebooks import solution_code
from tests.course_map import GRADED, graded_functions


def _solution_cell(nb, name):
    """Source of the solution cell that marks `name` as graded, markers removed."""
    for cell in nb.cells():
        source = "".join(cell["source"])
        if cell["cell_type"] == "code" and name in GRADED.findall(source):
            assert cell["metadata"].get("nbgrader", {}).get("solution"), \
                f"{nb.id}: the cell of `# GRADED FUNCTION: {name}` is not an nbgrader solution cell"
            return solution_code(source)
    raise AssertionError(f"{nb.id}: no cell marked `# GRADED FUNCTION: {name}`")


def _function(tree, name, where):
    found = [node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == name]
    assert len(found) == 1, f"{where} defines `{name}` {len(found)} times at top level (expected once)"
    return found[0]


def _body(fn):
    """The statements of fn without its docstring."""
    body = fn.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        body = body[1:]
    return body


def _text(statements):
    return ast.unparse(ast.Module(body=statements, type_ignores=[])).splitlines()


@pytest.mark.parametrize("item", graded_functions(), ids=lambda i: f"{i[0].id}:{i[1]}")
def test_solution_cell_is_the_reference(item):
    nb, name = item
    notebook_fn = _function(ast.parse(_solution_cell(nb, name)), name, f"{nb.id}'s solution cell")
    module = nb.module("reference")
    assert callable(getattr(module, name, None)), f"no reference {name} in {module.__name__}"
    reference_fn = _function(ast.parse(textwrap.dedent(inspect.getsource(getattr(module, name)))), name,
                             f"{module.__name__}.{name}")

    assert ast.dump(notebook_fn.args) == ast.dump(reference_fn.args), (
        f"{nb.id}: {name}({ast.unparse(notebook_fn.args)}) in the notebook, "
        f"{name}({ast.unparse(reference_fn.args)}) in {module.__name__}")

    ours, theirs = _body(notebook_fn), _body(reference_fn)
    if [ast.dump(s) for s in ours] != [ast.dump(s) for s in theirs]:
        diff = "\n".join(difflib.unified_diff(_text(theirs), _text(ours), f"{module.__name__}.{name}",
                                              f"{nb.id} solution cell", lineterm=""))
        raise AssertionError(f"{nb.id}: the solution of {name} differs from the reference:\n{diff}")
