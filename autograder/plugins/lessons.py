"""Lesson cells: provided, locked cells that only teach, skipped while autograding.

A lesson cell (training runs, comparison tables, decision-boundary plots,
explorers) carries the cell tag `lesson` in source/ and a locked nbgrader
grade_id starting with `lesson_`. After nbgrader's OverwriteCells a cell's
locked status and source are the gradebook's, so what counts here is the
grade_id and the lock, never a tag a student could add or remove.

The execute plug-in (robust_execute.py) runs a notebook without its lessons.
If a cell that did run then raised NameError for a name a lesson defines, the
notebook is graded again in full (`needs_full_run`), and the sidecar says so.
Feedback still shows every cell: skipped lessons are put back, unexecuted.
"""

import ast
import re

from autograder.plugins.cells import grade_id, nbgrader_meta

TAG = "lesson"
PREFIX = "lesson_"
_NAME_ERROR = re.compile(r"name '(\w+)' is not defined")


def is_lesson(cell):
    gid = grade_id(cell) or ""
    return cell.get("cell_type") == "code" and gid.startswith(PREFIX) and bool(nbgrader_meta(cell).get("locked"))


def _python(source):
    """The cell's source without IPython magics and shell lines, parsed (None if it is not Python)."""
    lines = [("pass" if line.lstrip().startswith(("%", "!")) else line) for line in source.splitlines()]
    try:
        return ast.parse("\n".join(lines))
    except SyntaxError:
        return None


def defined_names(source):
    """Names a cell binds at top level: assignments, defs, classes, imports, loop and with targets."""
    tree = _python(source)
    names = set()
    if tree is None:
        return names
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names if a.name != "*")
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
    return names


def used_names(source):
    """Global names a cell reads: a function's parameters and its local names do not count."""
    tree = _python(source)
    return set() if tree is None else _free_loads(tree.body, set())


def _stores(nodes):
    names = set()
    for node in nodes:
        for sub in ast.walk(node):
            if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
                names.add(sub.id)
            elif isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(sub.name)
            elif isinstance(sub, (ast.Import, ast.ImportFrom)):
                names.update((a.asname or a.name).split(".")[0] for a in sub.names)
    return names


def _params(args):
    every = args.posonlyargs + args.args + args.kwonlyargs + [a for a in (args.vararg, args.kwarg) if a]
    return {a.arg for a in every}


def _free_loads(nodes, local):
    """Names read in nodes that are not in local, descending into functions with their own locals."""
    found = set()
    for node in nodes:
        todo = [node]
        while todo:
            sub = todo.pop()
            if isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                body = sub.body if isinstance(sub.body, list) else [sub.body]
                inner = local | _params(sub.args) | _stores(body)
                found |= _free_loads(body, inner)
                todo += list(sub.args.defaults) + [d for d in sub.args.kw_defaults if d]
                todo += getattr(sub, "decorator_list", [])
                continue
            if isinstance(sub, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
                inner = local | {n.id for g in sub.generators for n in ast.walk(g.target) if isinstance(n, ast.Name)}
                found |= _free_loads([sub], inner) if inner != local else set()
                if inner != local:
                    continue
            if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Load) and sub.id not in local:
                found.add(sub.id)
            todo += list(ast.iter_child_nodes(sub))
    return found


def lesson_only_names(cells, is_lesson_cell=is_lesson):
    """Names some lesson cell defines and no other code cell does."""
    lesson, other = set(), set()
    for cell in cells:
        if cell.get("cell_type") != "code":
            continue
        (lesson if is_lesson_cell(cell) else other).update(defined_names(cell.source))
    return lesson - other


def without_lessons(nb):
    """(the lesson cells taken out of nb, by their index in the full notebook); nb keeps the others."""
    taken = [(i, c) for i, c in enumerate(nb.cells) if is_lesson(c)]
    nb.cells = [c for c in nb.cells if not is_lesson(c)]
    return taken


def put_back(nb, taken):
    """Insert the lesson cells again where they were, with no outputs."""
    for index, cell in taken:
        cell.outputs = []
        cell.execution_count = None
        nb.cells.insert(index, cell)


def needs_full_run(nb, lesson_names):
    """'cell N raised NameError for X' when an executed cell missed a name a lesson defines, else None."""
    for number, cell in enumerate(nb.cells, 1):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error" and out.get("ename") == "NameError":
                match = _NAME_ERROR.search(out.get("evalue", ""))
                if match and match.group(1) in lesson_names:
                    return f"{grade_id(cell) or f'cell {number}'} raised NameError for {match.group(1)!r}"
    return None
