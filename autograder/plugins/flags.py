"""Flags: what a submission tried that it should not, recorded in its sidecar file.

A submission is flagged when its own code (every cell but the instructor's test cells)
imports `autograder` or names course files (gradebook.db, source/, release/,
autograder/, submitted/, autograded/, feedback/, other students' folders), found
statically in the source, or at run time in outputs such as
`ModuleNotFoundError: No module named 'autograder'` or a PermissionError /
FileNotFoundError on such a path. The sandbox (autograder/plugins/sandbox.py) already
makes these attempts fail; a flag tells the instructor somebody tried.
`FlagSubmission` adds the flags to the notebook's sidecar (autograder.plugins.sidecar).
"""

import io
import re
import tokenize

from nbgrader.preprocessors import NbGraderPreprocessor

from autograder.plugins.cells import is_instructor_cell
from autograder.plugins.sidecar import resources_sidecar_path, update_sidecar

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


def notebook_flags(nb):
    """The flags of an executed, autograded notebook (list of str, stable order)."""
    imports, paths = False, []
    for cell in nb.cells:
        if cell.cell_type == "code" and not is_instructor_cell(cell):
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
