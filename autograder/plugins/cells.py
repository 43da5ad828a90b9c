"""Cell predicates and the hidden-test block, in one place for every plug-in and command.

A cell's nbgrader metadata (schema 3) is `{"grade", "solution", "locked", "grade_id",
"points", "schema_version"}`. The predicates, from the widest:

- `is_locked(cell)`: nbgrader's own rule (nbgrader.utils.is_locked): not a solution
  cell, and graded or locked. After nbgrader's OverwriteCells its source is the
  instructor's.
- `is_test_meta(meta)`: graded and not a solution: a test cell's metadata.
- `is_grade(cell)`: a graded code cell, one that autograde scores.
- `is_instructor_test(cell)`: a graded code cell that is not a solution and has a
  grade_id: an instructor's test cell (after OverwriteCells its source is the instructor's).
- `is_instructor_cell(cell)`: any cell with a grade_id whose source is the instructor's
  (`is_locked`): test cells and locked provided cells.
- `is_solution(cell)`: a code cell the student answers.
"""

import ast
import re

HIDDEN_BEGIN = "### BEGIN HIDDEN TESTS"
HIDDEN_END = "### END HIDDEN TESTS"
# A hidden-test block, markers included; group 1 is what is between the markers.
HIDDEN_BLOCK = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS[ \t]*\n(.*?)^[ \t]*### END HIDDEN TESTS[ \t]*$\n?",
                          re.MULTILINE | re.DOTALL)


def nbgrader_meta(cell):
    """The cell's nbgrader metadata ({} when it has none, or not a dict)."""
    meta = cell.get("metadata", {}).get("nbgrader")
    return meta if isinstance(meta, dict) else {}


def has_nbgrader_meta(cell):
    return isinstance(cell.get("metadata", {}).get("nbgrader"), dict)


def grade_id(cell):
    """The cell's grade_id (a non-empty str), else None."""
    gid = nbgrader_meta(cell).get("grade_id")
    return gid if isinstance(gid, str) and gid else None


def is_locked_meta(meta):
    return not meta.get("solution") and bool(meta.get("grade") or meta.get("locked"))


def is_locked(cell):
    return is_locked_meta(nbgrader_meta(cell))


def is_test_meta(meta):
    return bool(meta.get("grade")) and not meta.get("solution")


def is_grade(cell):
    """A graded code cell (with points)."""
    return cell.get("cell_type") == "code" and bool(nbgrader_meta(cell).get("grade"))


def is_solution(cell):
    """A code cell the student answers."""
    return cell.get("cell_type") == "code" and bool(nbgrader_meta(cell).get("solution"))


def is_instructor_test(cell):
    """An instructor's grade cell (not an autograded answer, whose source is the student's).

    After nbgrader's OverwriteCells, a cell keeps its grade_id only if the gradebook
    knows it, and then its source is the instructor's.
    """
    return cell.get("cell_type") == "code" and is_test_meta(nbgrader_meta(cell)) and grade_id(cell) is not None


def is_instructor_cell(cell):
    """A cell whose source is the instructor's after OverwriteCells: a grade_id, and locked."""
    return grade_id(cell) is not None and is_locked(cell)


# ---------------------------------------------------------------- hidden-test blocks

def hidden_blocks(source):
    """What is between the markers of each hidden-test block of a cell's source."""
    return HIDDEN_BLOCK.findall(source)


def strip_hidden_tests(source):
    """The source without its hidden-test blocks (markers included): what a student sees."""
    return HIDDEN_BLOCK.sub("", source)


def hidden_calls(source):
    """[(module, check name, [argument source])] of the checks the hidden blocks of source call.

    A hidden block imports its checks, `from autograder.hidden.weekN.<nb> import check_x`,
    and calls each on the student's function, `check_x(x)`.
    """
    calls = []
    for block in hidden_blocks(source):
        tree = ast.parse(block)
        imported = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                for alias in node.names:
                    imported[alias.asname or alias.name] = (node.module, alias.name)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in imported:
                module, name = imported[node.func.id]
                calls.append((module, name, [ast.unparse(a) for a in node.args]))
    return calls
