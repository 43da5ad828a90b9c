"""What the grader noticed about a submitted notebook: the sidecar file, and flags.

Next to each autograded notebook, `nbgrader autograde` (with this course's
nbgrader_config.py) writes `autograded/<student>/<assignment>/<notebook>.autograder.json`:

    {"broken": null | "<why the file could not be read>",
     "flags": ["imports autograder", "opens course files: gradebook.db", ...],
     "restored_cells": ["test_x", ...],
     "events": ["kernel died in cell 12 (...); re-ran the notebook from a fresh kernel", ...]}

Who writes what: autograder.plugins.restore_cells.RestoreCells starts a fresh file for
every notebook it sanitizes (broken, restored_cells, events of the repair);
autograder.plugins.robust_execute.RobustExecute adds kernel events;
`FlagSubmission` (this module) adds the flags. The export
(`python -m autograder export`) and the feedback banner (autograder.plugins.feedback) read it.

Flags: a submission whose own code (every cell but the instructor's test cells)
imports `autograder` or names course files (gradebook.db, source/, release/,
autograder/, submitted/, autograded/, feedback/, other students' folders), found
statically in the source, or at run time in outputs such as
`ModuleNotFoundError: No module named 'autograder'` or a PermissionError /
FileNotFoundError on such a path. The sandbox (autograder/sandbox.py) already
makes these attempts fail; a flag tells the instructor somebody tried.
"""

import io
import json
import os
import re
import tempfile
import tokenize

from nbgrader.preprocessors import NbGraderPreprocessor

from autograder.plugins.inline import MARK

SIDECAR_SUFFIX = ".autograder.json"
EMPTY = {"broken": None, "flags": [], "restored_cells": [], "events": []}


# ---------------------------------------------------------------------------- the sidecar file

def find_coursedir(configurable):
    """nbgrader's CourseDirectory of the running converter (a preprocessor's parent chain),
    or one built from the configuration."""
    obj = configurable
    while obj is not None:
        coursedir = getattr(obj, "coursedir", None)
        if coursedir is not None:
            return coursedir
        obj = getattr(obj, "parent", None)
    from nbgrader.coursedir import CourseDirectory
    return CourseDirectory(config=configurable.config)


def sidecar_path(coursedir, student, assignment, notebook):
    folder = coursedir.format_path(coursedir.autograded_directory, student, assignment)
    return os.path.join(os.path.normpath(folder), notebook + SIDECAR_SUFFIX)


def resources_sidecar_path(configurable, resources):
    """The sidecar of the notebook a preprocessor is working on (resources['nbgrader'])."""
    info = resources["nbgrader"]
    return sidecar_path(find_coursedir(configurable), info["student"], info["assignment"], info["notebook"])


def read_sidecar(path):
    """The sidecar's content; the empty record if the file is missing or unreadable."""
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError):
        data = {}
    record = json.loads(json.dumps(EMPTY))
    if isinstance(data, dict):
        record.update({k: v for k, v in data.items() if k in EMPTY})
    return record


def write_sidecar(path, record):
    """Write atomically (the folder's files may be read-only after a previous run)."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".sidecar-", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(record, f, indent=1, sort_keys=True)
        f.write("\n")
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def update_sidecar(path, **changes):
    """Merge into the sidecar: lists are extended (without duplicates), other keys set."""
    record = read_sidecar(path)
    for key, value in changes.items():
        if isinstance(record.get(key), list):
            record[key] += [v for v in value if v not in record[key]]
        else:
            record[key] = value
    write_sidecar(path, record)
    return record


# ---------------------------------------------------------------------------- flags

COURSE_FILES = ["gradebook.db", "nbgrader_config.py", "source/", "release/", "autograder/", "submitted/",
                "autograded/", "feedback/", ".git/"]
_DIRS = [f[:-1] for f in COURSE_FILES if f.endswith("/")]
# A course folder as a path component, e.g. "../../source/week1", "/srv/course/gradebook.db".
_PATH_RE = re.compile(r"(?:^|[/\\])(" + "|".join(re.escape(d) for d in _DIRS) + r")(?:[/\\]|$)")
_FILE_RE = re.compile(r"(?:^|[/\\])(gradebook\.db|nbgrader_config\.py)$")
_IMPORT_RE = re.compile(r"^[ \t]*(?:import|from)[ \t]+autograder\b|__import__\(\s*['\"]autograder"
                        r"|import_module\(\s*['\"]autograder", re.M)
_RUNTIME_IMPORT_RE = re.compile(r"No module named '?autograder")
_RUNTIME_OPEN_RE = re.compile(r"(?:PermissionError|FileNotFoundError|IsADirectoryError|NotADirectoryError|OSError)"
                              r"[^\n]*?['\"]([^'\"\n]+)['\"]")


def _string_literals(source):
    """The string literals in a cell's source (tokenize; a regex if the cell is not Python)."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
        found = []
        for tok in tokens:
            if tok.type == tokenize.STRING:
                text = re.sub(r"^[A-Za-z]*", "", tok.string)
                found.append(text.strip("'\"").strip())
        return found
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return re.findall(r"""['"]([^'"\n]*)['"]""", source)


def course_paths(text):
    """The course files a path string names, e.g. '../../gradebook.db' -> ['gradebook.db']."""
    found = []
    for piece in re.split(r"[\s,;:]+", text):
        if "/" not in piece and "\\" not in piece and not _FILE_RE.search(piece):
            continue  # a word ("source", "feedback"), not a path
        named = [m.group(1) + "/" for m in _PATH_RE.finditer(piece)]
        m = _FILE_RE.search(piece)
        named += [m.group(1)] if m else []
        if not named and re.match(r"(\.\.[/\\]){2}", piece):  # up from <student>/<assignment>/
            named.append("other students' folders (../../)")
        found += named
    return found


def static_flags(source):
    """(imports_autograder, [course files named]) for one cell of student code."""
    imports = bool(_IMPORT_RE.search(source))
    paths = [p for s in _string_literals(source) for p in course_paths(s)]
    return imports, paths


def _output_texts(cell):
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            yield out.get("text", "")
        elif out.get("output_type") == "error":
            yield f"{out.get('ename', '')}: {out.get('evalue', '')}"
            yield "\n".join(out.get("traceback", []))
        else:
            yield str(out.get("data", {}).get("text/plain", ""))


def runtime_flags(cell):
    """(imports_autograder, [course files]) from a cell's outputs after execution."""
    imports, paths = False, []
    for text in _output_texts(cell):
        text = re.sub(r"\x1b\[[0-9;]*m", "", text)
        imports |= bool(_RUNTIME_IMPORT_RE.search(text))
        for m in _RUNTIME_OPEN_RE.finditer(text):
            paths += course_paths(m.group(1))
    return imports, paths


def _is_instructor_cell(cell):
    """A test cell after nbgrader's OverwriteCells: its source is the instructor's."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return bool(meta.get("grade_id")) and (meta.get("locked") or meta.get("grade")) and not meta.get("solution")


def notebook_flags(nb):
    """The flags of an executed, autograded notebook (list of str, stable order)."""
    imports, paths = False, []
    for cell in nb.cells:
        if cell.get("metadata", {}).get(MARK):
            continue
        if cell.cell_type == "code" and not _is_instructor_cell(cell):
            i, p = static_flags(cell.source)
            imports |= i
            paths += p
        i, p = runtime_flags(cell)
        # A test cell's own error (e.g. a hidden check's) never names these; the student's code does.
        imports |= i
        paths += p
    flags = ["imports autograder"] if imports else []
    if paths:
        flags.append("opens course files: " + ", ".join(dict.fromkeys(paths)))
    return flags


class FlagSubmission(NbGraderPreprocessor):
    """After execution: record the notebook's flags in its sidecar file."""

    def preprocess(self, nb, resources):
        flags = notebook_flags(nb)
        if flags:
            update_sidecar(resources_sidecar_path(self, resources), flags=flags)
        return nb, resources
