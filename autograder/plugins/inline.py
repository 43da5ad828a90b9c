"""Hidden checks inlined into the notebook at autograde time (DESIGN.md item 6, first way).

During autograde the student's kernel runs sandboxed (autograder/sandbox.py) and
cannot read autograder/. The hidden test cells still say
`import autograder.hidden.week1 ...`, so `InlineHiddenChecks` surrounds each
instructor test cell that imports `autograder` with three inserted cells:

1. load: the sources of the imported modules and of everything in `autograder`
   they import (reference solution included), embedded as strings. It drops any
   `autograder*` module already in sys.modules (a student's stand-in), imports
   them all through a temporary import hook, and removes the hook. No file is read.
2. scrub: erases the load cell's text from the kernel (In, _ih, _i<n>, the
   history database, linecache, IPython's last result), before student code
   runs again (the test cell calls the student's functions).
3. (the test cell itself, unchanged; its import finds the loaded modules)
4. forget: drops the modules from sys.modules and the names the test cell
   bound to them, and scrubs again.

`RemoveInlinedChecks`, right after execution, deletes the inserted cells, so
neither the autograded notebook nor the feedback contains the embedded sources.
Tracebacks from inside the checks name `<hidden autograder...>` without source lines.

Student cells that run before a test cell cannot see its checks. What this does
not protect against: while a check runs, it calls the student's function in the
same interpreter, so student code can reach the loaded checks and reference as
objects (frames, sys.modules: bytecode, not source text) and can tamper with
what they rely on (numpy, builtins); code that installs hooks beforehand
(sys.addaudithook, IPython events) can even capture the load cell's text.
Deliberate, informed attacks of that kind need the second way of DESIGN.md
item 6: compare outside the kernel.

Usage (nbgrader_config.py): list InlineHiddenChecks before and
RemoveInlinedChecks after nbgrader's Execute in c.Autograde.autograde_preprocessors.
"""

import ast
import importlib.util
import os
import pkgutil
import re

from nbgrader.preprocessors import NbGraderPreprocessor
import nbformat
from nbformat.v4 import new_code_cell
from traitlets import Unicode

MARK = "autograder_inline"  # cell metadata key of the inserted cells


def _module_source(name):
    """(is_package, source) of a module as the grader's Python finds it (a namespace package: "")."""
    spec = importlib.util.find_spec(name)
    if spec is None:
        raise ImportError(f"cannot inline {name}: not found")
    if spec.submodule_search_locations is not None:
        for folder in _folders(spec):
            init = os.path.join(folder, "__init__.py")
            if os.path.isfile(init):
                return True, _read(init)
        return True, ""
    if not spec.origin or not spec.origin.endswith(".py"):
        raise ImportError(f"cannot inline {name}: no Python source ({spec.origin})")
    return False, _read(spec.origin)


def _read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def _folders(spec):
    return [p for p in spec.submodule_search_locations or [] if os.path.isdir(p)]


def _is_module(name):
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def _imports(name, is_package, source):
    """Absolute names of the modules a module's source imports (including relative imports)."""
    package = name if is_package else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = importlib.util.resolve_name("." * node.level + (node.module or ""), package) \
                if node.level else node.module
            found.append(base)
            found += [f"{base}.{a.name}" for a in node.names if a.name != "*"]  # maybe submodules
    return found


def collect_modules(modules, package="autograder"):
    """The modules to embed: the given ones, their submodules, parents and `package` imports.

    Inputs:
    - modules: names of modules to make importable, e.g. ("autograder.hidden.week1",)
    - package: top-level package whose modules are embedded; other imports
      (numpy, course...) are left to the kernel's ordinary import

    Returns:
    - dict {module name: (is_package, source)}, in a stable order
    """
    def ours(n):
        return n == package or n.startswith(package + ".")

    todo = list(modules)
    for name in modules:  # submodules of requested packages
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.submodule_search_locations is not None:
            todo += [m.name for m in pkgutil.walk_packages(_folders(spec), name + ".")]
    found = {}
    while todo:
        name = todo.pop()
        if name in found or not ours(name):
            continue
        if not _is_module(name):  # `from autograder.x import some_function`
            continue
        is_package, source = _module_source(name)
        found[name] = (is_package, source)
        parts = name.split(".")
        todo += [".".join(parts[:i]) for i in range(1, len(parts))]
        todo += [n for n in _imports(name, is_package, source) if ours(n)]
    return dict(sorted(found.items()))


MARKER = "# Inserted by autograder.plugins.inline"  # first line of every inserted cell

_LOAD = MARKER + ''' (load): removed from the graded notebook.
def _autograder_load(sources, package):
    import importlib, importlib.abc, importlib.util, sys

    class Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
        def find_spec(self, name, path=None, target=None):
            if name not in sources:
                return None
            return importlib.util.spec_from_loader(name, self, is_package=sources[name][0])

        def create_module(self, spec):
            return None

        def exec_module(self, module):
            code = compile(sources[module.__name__][1], "<hidden " + module.__name__ + ">", "exec")
            exec(code, module.__dict__)

    for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
        del sys.modules[name]  # a student's stand-in, or a previous test's copy
    finder = Finder()
    sys.meta_path.insert(0, finder)
    try:
        for name in sorted(sources):
            importlib.import_module(name)
    finally:
        sys.meta_path.remove(finder)


for _autograder_try in range(3):  # a failed load is retried from scratch before it is reported
    try:
        _autograder_load({sources!r}, {package!r})
        break
    except Exception:
        if _autograder_try == 2:
            raise
del _autograder_load, _autograder_try
'''

_SCRUB = '''
def _autograder_scrub(marker):
    import linecache
    ip = get_ipython()
    hm = ip.history_manager

    def inserted(text):
        return isinstance(text, str) and marker in text

    for hist in (hm.input_hist_parsed, hm.input_hist_raw):  # In, _ih
        hist[:] = ["" if inserted(text) else text for text in hist]
    with hm.db_input_cache_lock:
        hm.db_input_cache[:] = [e for e in hm.db_input_cache if not any(inserted(x) for x in e)]
    for name in ("_i00", "_i", "_ii", "_iii"):
        if inserted(getattr(hm, name, None)):
            setattr(hm, name, "")
    for names in (ip.user_ns, ip.user_ns_hidden):  # _i<n>
        for name, value in list(names.items()):
            if name.startswith("_i") and inserted(value):
                names[name] = ""
    for cache in (linecache.cache, getattr(linecache, "_ipython_cache", {{}})):
        for key, entry in list(cache.items()):
            if isinstance(entry, tuple) and len(entry) > 2 and any(inserted(line) for line in entry[2] or ()):
                del cache[key]
    last = ip.last_execution_result
    if last is not None and inserted(getattr(last.info, "raw_cell", None)):
        last.info.raw_cell = last.info.transformed_cell = ""
    try:
        hm.db.execute("DELETE FROM history WHERE instr(source_raw, ?) OR instr(source, ?)", (marker, marker))
    except Exception:
        pass
'''

_HIDE = MARKER + ''' (scrub): removed from the graded notebook.''' + _SCRUB + '''

_autograder_scrub({marker!r})
del _autograder_scrub
'''

_FORGET = MARKER + ''' (forget): removed from the graded notebook.
def _autograder_forget(package, names):
    import sys, types

    def ours(value):
        name = value.__name__ if isinstance(value, types.ModuleType) else getattr(value, "__module__", None)
        return isinstance(name, str) and (name == package or name.startswith(package + "."))

    for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
        del sys.modules[name]
    for name, value in list(names.items()):
        if not name.startswith("__") and ours(value):
            del names[name]
''' + _SCRUB + '''

_autograder_forget({package!r}, globals())
_autograder_scrub({marker!r})
del _autograder_forget, _autograder_scrub
'''


def bundle_source(modules=("autograder.hidden.week1",), package="autograder"):
    """Python source that, run in a kernel, imports the given modules from embedded sources.

    Inputs:
    - modules: module names (see collect_modules)
    - package: the top-level package embedded

    Returns:
    - source (str): drops every `package` module already imported (a student's
      stand-in), imports all embedded modules through a temporary import hook,
      then removes the hook: afterwards sys.modules holds them, no source text
    """
    sources = collect_modules(modules, package)
    return _LOAD.format(sources=sources, package=package)


def scrub_source():
    """Python source that erases the inserted cells' text from the kernel's history
    (In, _ih, _i*, the history database), linecache and IPython's last result."""
    return _HIDE.format(marker=MARKER)


def forget_source(package="autograder"):
    """Python source that drops the embedded modules again (sys.modules entries and the
    user's names bound to them, e.g. `autograder` after `import autograder...`), then scrubs."""
    return _FORGET.format(package=package, marker=MARKER)


def imported_modules(source, package="autograder"):
    """The `package` modules a cell's source imports (a regex: cells may hold IPython magics)."""
    pattern = rf"^[ \t]*(?:import|from)[ \t]+({re.escape(package)}(?:\.\w+)*)\b"
    return sorted(set(re.findall(pattern, source, re.M)))


def _is_test_cell(cell):
    """An instructor's grade cell (not an autograded answer, whose source is the student's).

    After nbgrader's OverwriteCells, a cell keeps its grade_id only if the gradebook
    knows it, and then its source is the instructor's.
    """
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return (cell.cell_type == "code" and bool(meta.get("grade")) and not meta.get("solution")
            and bool(meta.get("grade_id")))


class InlineHiddenChecks(NbGraderPreprocessor):
    """Around each test cell that imports `package`: load and scrub cells before it, a forget
    cell after it (see the module docstring).

    Runs in `nbgrader autograde` before Execute; RemoveInlinedChecks must run after it.
    """

    package = Unicode("autograder", help="Top-level package whose modules are embedded.").tag(config=True)

    def preprocess(self, nb, resources):
        with_ids = any("id" in c for c in nb.cells)

        def marked(source):
            cell = new_code_cell(source, metadata={MARK: True})
            if not with_ids:
                cell.pop("id", None)
            return cell

        cells, bundles = [], {}
        for cell in nb.cells:
            modules = tuple(imported_modules(cell.source, self.package)) if _is_test_cell(cell) else ()
            if not modules:
                cells.append(cell)
                continue
            if modules not in bundles:
                bundles[modules] = bundle_source(modules, self.package)
            cells += [marked(bundles[modules]), marked(scrub_source()), cell,
                      marked(forget_source(self.package))]
        nb.cells = cells
        return nb, resources


class RemoveInlinedChecks(NbGraderPreprocessor):
    """Delete the cells InlineHiddenChecks inserted (run right after Execute)."""

    def preprocess(self, nb, resources):
        kept, errors = [], []
        for cell in nb.cells:
            if cell.get("metadata", {}).get(MARK):
                # An inserted cell that failed must not fail silently: tell the next test cell.
                errors += [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
                continue
            if errors and cell.cell_type == "code":
                note = "; ".join(f"{o.get('ename')}: {o.get('evalue')}" for o in errors)
                cell.setdefault("outputs", []).insert(0, nbformat.v4.new_output(
                    "stream", name="stdout", text=f"The grader could not load its checks for this cell ({note}).\n"))
                errors = []
            kept.append(cell)
        nb.cells = kept
        return nb, resources
